"""The window's dossier session: opening (with the lock choices), creating, closing, the recent files,
and saving a copy when the file cannot be written.

A :class:`DossierSession` owns the open dossier's :class:`~spie_desktop.ui.controller.DossierController`
(one at a time) and tells the window what happened through its signals; the window shows it. The
session asks its questions through :mod:`.dialogs` (parented to the window given at creation) and
never touches the window's widgets.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from ..settings import Settings, save_settings
from . import after_paint, dialogs

if TYPE_CHECKING:  # the controller pulls in the models (SQLAlchemy): not needed for the start screen
    from ..models import DossierFile, LockHolder
    from .controller import DossierController
    from .start_screen import NewDossierRequest


def crash_notice(last_change: str, today: datetime | None = None) -> str:
    """What the window says once after taking back the lock of its own killed process."""
    try:
        when = datetime.fromisoformat(last_change).astimezone()
    except (TypeError, ValueError):
        return (
            "L'application s'était fermée de façon inattendue ; tout ce qui avait été saisi "
            "avant sa fermeture a été conservé."
        )
    today = today or datetime.now().astimezone()
    at = (
        f"jusqu'à {when:%H:%M}" if when.date() == today.date() else f"jusqu'au {when:%d/%m/%Y} à {when:%H:%M}"
    )
    return (
        f"L'application s'était fermée de façon inattendue ; tout ce qui avait été saisi {at} a été conservé."
    )


class DossierSession(QObject):
    """The open dossier of one window, and the files around it (recent list, copies)."""

    opened = Signal(object)  # DossierController: a dossier is open, show it
    crashRecovered = Signal(
        str
    )  # HTML-escaped notice: the lock of this application's killed process was taken back
    closing = (
        Signal()
    )  # the dossier is about to close (its controller still there): remember what to remember
    closed = Signal(bool)  # the dossier is closed and its controller gone; True: back to the start screen
    recentChanged = Signal()  # the recent files changed (the start screen lists them)

    def __init__(self, settings: Settings, window: QWidget) -> None:
        super().__init__(window)
        self.settings = settings
        self.window = window  # parent of the session's questions
        self.controller: DossierController | None = None
        self.lock_holder: LockHolder | None = None  # who holds the lock when shown read-only on request

    # -- settings and recent files ---------------------------------------------------------------

    def save_settings(self) -> None:
        try:
            save_settings(self.settings)
        except OSError:
            pass  # settings are never worth interrupting the user

    def recent_files(self) -> list[str]:
        return list(self.settings.recent_files)

    def remove_recent(self, path: str) -> None:
        self.settings.remove_recent(path)
        self.settings.ui.get("recent_info", {}).pop(path, None)
        self.save_settings()
        self.recentChanged.emit()

    # -- opening ----------------------------------------------------------------------------------

    def open_dialog(self) -> None:
        folder = self.settings.default_folder or (
            str(Path(self.settings.recent_files[0]).parent) if self.settings.recent_files else ""
        )
        path = dialogs.ask_open_path(self.window, folder)
        if path:
            self.open_path(path)

    def open_path(self, path: str | Path, *, read_only: bool = False) -> bool:
        """Open a .spie file in this window. True on success.

        The new file is opened (lock, checks, dialogs) before the current dossier is closed: a file
        that cannot be opened leaves the open dossier as it was.
        """
        from ..server import names_server

        if names_server(path):  # a dossier on a server (postgresql://…): its ServerPath
            from ..server.address import as_location

            path = as_location(path)
        else:  # a .spie file (server/address.py is not loaded for it)
            path = Path(path)
        if self.controller is not None and self.controller.path.resolve() == path.resolve():
            return True
        return self._switch_to(path, read_only)

    def reopen_writable(self) -> None:
        """« Rouvrir pour modifier »: the read-only view stays until the file really opened for writing."""
        if self.controller is not None:
            self._switch_to(self.controller.path, False)

    def _switch_to(self, path: Path, read_only: bool) -> bool:
        opened = self._open_file(path, read_only)
        if opened is None:
            return False
        dossier, holder, crashed = opened
        if not self.close():  # the user chose to keep the current one (unsaved edits)
            dossier.close()
            return False
        self.load(dossier, lock_holder=holder)
        if crashed:
            import html

            self.crashRecovered.emit(html.escape(crash_notice(dossier.info.updated_at), quote=False))
        return True

    def _open_file(self, path: Path, read_only: bool) -> tuple[DossierFile, LockHolder | None, bool] | None:
        """Open ``path`` with the lock choices; (dossier, holder shown read-only, took over a crash's lock) or None.

        Every refusal is said here; nothing of the window changes.
        """
        from ..models import DossierError, DossierLocked, SaveFailed, open_dossier
        from ..models.lock import left_by_my_dead_process

        author, org = self.settings.author_name, self.settings.author_organisation
        holder = None
        crashed = False
        try:
            try:
                dossier = open_dossier(path, read_only=read_only, author=author, organisation=org)
            except DossierLocked as exc:
                if exc.stale and left_by_my_dead_process(exc.holder):
                    try:  # this application, on this machine, was killed: its lock is ours to take back
                        dossier = open_dossier(path, break_stale_lock=True, author=author, organisation=org)
                        crashed = True
                    except DossierLocked as again:  # taken meanwhile by another window: ask as usual
                        exc = again
                if not crashed:
                    choice = dialogs.ask_lock_choice(self.window, exc)
                    if choice is dialogs.LockChoice.CANCEL:
                        return None
                    if choice is dialogs.LockChoice.READ_ONLY:
                        holder = exc.holder
                        dossier = open_dossier(path, read_only=True, author=author, organisation=org)
                    else:
                        dossier = open_dossier(
                            path,
                            break_stale_lock=exc.stale,
                            force_lock=not exc.stale,
                            author=author,
                            organisation=org,
                        )
        except SaveFailed as exc:  # no lock can be written beside it: read-only place, full disk
            if (
                read_only
                or not path.exists()
                or not dialogs.confirm(
                    self.window,
                    "Ouverture pour modification impossible",
                    f"Le dossier « {path.name} » ne peut pas être ouvert pour modification : {exc.reason}. "
                    "Voulez-vous l'ouvrir en lecture seule ?",
                    "Ouvrir en lecture seule",
                )
            ):
                return None
            return self._open_file(path, True)
        except (DossierError, LookupError) as exc:
            if not path.exists():
                self.settings.remove_recent(path)
                self.recentChanged.emit()
            dialogs.show_error(self.window, str(exc), "Impossible d'ouvrir le dossier")
            return None
        except OSError as exc:  # the lock file cannot be written beside it: read-only place
            if (
                read_only
                or not path.exists()
                or not dialogs.confirm(
                    self.window,
                    "Emplacement en lecture seule",
                    f"Le dossier « {path.name} » ne peut pas être ouvert pour modification : {exc.strerror or exc}. "
                    "Voulez-vous l'ouvrir en lecture seule ?",
                    "Ouvrir en lecture seule",
                )
            ):
                if read_only or not path.exists():
                    reason = exc.strerror or exc
                    dialogs.show_error(
                        self.window,
                        f"Le fichier « {path} » ne peut pas être ouvert : {reason}.",
                        "Impossible d'ouvrir le dossier",
                    )
                return None
            return self._open_file(path, True)
        return dossier, holder, crashed

    def new_dossier(self) -> None:
        request = dialogs.ask_new_dossier(self.window, self.settings)
        if request is not None:
            self.create_dossier(request)

    def create_dossier(self, request: NewDossierRequest) -> bool:
        from ..models import DossierError, DossierFile

        if not self.close():
            return False
        try:
            dossier = DossierFile.create(
                request.path,
                request.template,
                request.title,
                author=self.settings.author_name,
                organisation=self.settings.author_organisation,
            )
        except (DossierError, OSError) as exc:
            dialogs.show_error(self.window, str(exc), "Impossible de créer le dossier")
            return False
        self.load(dossier)
        return True

    def open_example(self) -> bool:
        try:
            from ..interchange import create_example_copy

            path = create_example_copy()
        except Exception as exc:  # noqa: BLE001 - shown to the user, never a traceback
            dialogs.show_error(
                self.window, f"L'exemple n'a pas pu être préparé : {exc}", "Exemple indisponible"
            )
            return False
        return self.open_path(path)

    def existing_example(self) -> Path | None:
        """The user's copy of the example from an earlier « Voir l'exemple » (the newest one)."""
        from ..settings import data_dir

        try:
            copies = [p for p in (data_dir() / "exemples").glob("exemple-*.spie") if p.is_file()]
        except OSError:
            return None
        return max(copies, key=lambda p: p.stat().st_mtime_ns, default=None)

    def load(self, dossier: DossierFile, *, lock_holder: LockHolder | None = None) -> DossierController:
        """Take an opened dossier (the session now owns it, and closes it) and tell the window."""
        from .controller import DossierController

        controller = DossierController(dossier, self.window)
        self.controller = controller
        self.lock_holder = lock_holder
        self.settings.add_recent(dossier.path)
        # Start-up (issue 14): the fsynced settings save waits for the first paint (at once otherwise).
        after_paint.later(self.save_settings, "settings")
        self.opened.emit(controller)
        return controller

    # -- closing ----------------------------------------------------------------------------------

    def close(self, *, write_settings: bool = True, to_start: bool = True) -> bool:
        """Flush and close the open dossier; False when the user chose to keep it open.
        ``write_settings=False``: the caller saves the settings itself (quitting: one write, not two).
        ``to_start=False``: the window does not go back to the start screen (it is closing)."""
        c = self.controller
        if c is None:
            return True
        self.closing.emit()
        if not c.close():
            choice = dialogs.ask_unsaved_choice(self.window, c.last_error)
            if choice is dialogs.UnsavedChoice.CANCEL:
                return False
            if choice is dialogs.UnsavedChoice.SAVE_COPY and self.save_copy_then_discard() is None:
                return False
            if choice is dialogs.UnsavedChoice.DISCARD:
                c.discard_and_close()
        self.drop(to_start=to_start)
        if write_settings:
            self.save_settings()
        self.recentChanged.emit()
        return True

    def drop(self, *, to_start: bool = False) -> None:
        """Let go of the (closed) dossier's controller; the window forgets its forms (``closed``)."""
        c = self.controller
        self.controller = None
        self.closed.emit(to_start)
        if c is not None:
            live = getattr(c, "live", None)
            if live is not None:  # a dossier on a server: stop listening to the others' edits
                live.close()
            c.deleteLater()

    def save_copy_then_discard(self) -> Path | None:
        """Put the pending edits in a copy chosen by the user, then let go of the original.

        Returns the copy's path, or None (nothing changed) when the user cancelled or the copy failed.
        """
        c = self.controller
        assert c is not None
        dest = dialogs.ask_save_path(self.window, dialogs.default_copy_name(c.path))
        if not dest:
            return None
        try:
            copy = c.save_copy(dest)
        except Exception as exc:  # noqa: BLE001 - DossierError or OSError: shown, nothing lost
            dialogs.show_error(self.window, str(exc), "La copie n'a pas pu être enregistrée")
            return None
        c.discard_and_close()
        self.settings.add_recent(copy)
        return copy

    def continue_in_copy(self) -> Path | None:
        """The file cannot be written: save everything into a copy and go on working in it (its path),
        or None when nothing changed."""
        if self.controller is None:
            return None
        self.closing.emit()
        copy = self.save_copy_then_discard()
        if copy is None:
            return None
        self.drop()
        return copy if self.open_path(copy) else None
