"""The dossier files of the main window: opening (with the lock choices), creating, loading, closing,
remembering, and saving a copy when the file cannot be written.

A mixin of :class:`~spie_desktop.ui.main_window.MainWindow`: it relies on the window's widgets
(start screen, banners, section list, pages) and keeps the window's public names.
"""

from __future__ import annotations

import html
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray

from .. import APP_NAME
from ..settings import save_settings
from . import dialogs
from .announce import announce
from .banners import failure_reason
from .plain import action_text, tooltip
from .start_screen import remember_dossier

if TYPE_CHECKING:  # the controller pulls in the models (SQLAlchemy): not needed for the start screen
    from .controller import SaveState
    from ..models import DossierFile, LockHolder
    from .start_screen import NewDossierRequest

DOSSIERS_KEY = "dossiers"  # settings.ui: per-dossier geometry and last section


def crash_notice(last_change: str, today: datetime | None = None) -> str:
    """What the window says once after taking back the lock of its own killed process."""
    try:
        when = datetime.fromisoformat(last_change).astimezone()
    except (TypeError, ValueError):
        return ("L'application s'était fermée de façon inattendue ; tout ce qui avait été saisi "
                "avant sa fermeture a été conservé.")
    today = today or datetime.now().astimezone()
    at = (f"jusqu'à {when:%H:%M}" if when.date() == today.date()
          else f"jusqu'au {when:%d/%m/%Y} à {when:%H:%M}")
    return f"L'application s'était fermée de façon inattendue ; tout ce qui avait été saisi {at} a été conservé."


class DossierFilesMixin:
    """Opening, closing and saving copies of the window's dossier; mixed into ``MainWindow``."""

    # -- recent files ----------------------------------------------------------------------------

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for p in self.settings.recent_files:
            action = self.recent_menu.addAction(action_text(Path(p).name) + ("" if Path(p).exists() else " (introuvable)"))
            action.setToolTip(tooltip(p))
            action.triggered.connect(lambda _c=False, p=p: self.open_path(p))
        if not self.settings.recent_files:
            self.recent_menu.addAction("Aucun dossier récent").setEnabled(False)

    # -- opening and closing ---------------------------------------------------------------------

    def _save_settings(self) -> None:
        try:
            save_settings(self.settings)
        except OSError:
            pass  # settings are never worth interrupting the user

    def open_dialog(self) -> None:
        folder = self.settings.default_folder or (str(Path(self.settings.recent_files[0]).parent)
                                                  if self.settings.recent_files else "")
        path = dialogs.ask_open_path(self, folder)
        if path:
            self.open_path(path)

    def open_path(self, path: str | Path, *, read_only: bool = False) -> bool:
        """Open a .spie file in this window. True on success.

        The new file is opened (lock, checks, dialogs) before the current dossier is closed: a file
        that cannot be opened leaves the open dossier as it was.
        """
        path = Path(path)
        if self.controller is not None and self.controller.path.resolve() == path.resolve():
            return True
        return self._switch_to(path, read_only)

    def _switch_to(self, path: Path, read_only: bool) -> bool:
        opened = self._open_file(path, read_only)
        if opened is None:
            return False
        dossier, holder, crashed = opened
        if not self.close_dossier():  # the user chose to keep the current one (unsaved edits)
            dossier.close()
            return False
        self.load(dossier, lock_holder=holder)
        if crashed:
            self.info_banner.set_text(html.escape(crash_notice(dossier.info.updated_at), quote=False))
            self.info_banner.show()
        return True

    def _open_file(self, path: Path, read_only: bool) -> "tuple[DossierFile, LockHolder | None, bool] | None":
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
                    choice = dialogs.ask_lock_choice(self, exc)
                    if choice is dialogs.LockChoice.CANCEL:
                        return None
                    if choice is dialogs.LockChoice.READ_ONLY:
                        holder = exc.holder
                        dossier = open_dossier(path, read_only=True, author=author, organisation=org)
                    else:
                        dossier = open_dossier(path, break_stale_lock=exc.stale, force_lock=not exc.stale,
                                               author=author, organisation=org)
        except SaveFailed as exc:  # no lock can be written beside it: read-only place, full disk
            if read_only or not path.exists() or not dialogs.confirm(
                self, "Ouverture pour modification impossible",
                f"Le dossier « {path.name} » ne peut pas être ouvert pour modification : {exc.reason}. "
                "Voulez-vous l'ouvrir en lecture seule ?", "Ouvrir en lecture seule",
            ):
                return None
            return self._open_file(path, True)
        except (DossierError, LookupError) as exc:
            if not path.exists():
                self.settings.remove_recent(path)
                self.start.refresh()
            dialogs.show_error(self, str(exc), "Impossible d'ouvrir le dossier")
            return None
        except OSError as exc:  # the lock file cannot be written beside it: read-only place
            if read_only or not path.exists() or not dialogs.confirm(
                self, "Emplacement en lecture seule",
                f"Le dossier « {path.name} » ne peut pas être ouvert pour modification : {exc.strerror or exc}. "
                "Voulez-vous l'ouvrir en lecture seule ?", "Ouvrir en lecture seule",
            ):
                if read_only or not path.exists():
                    reason = exc.strerror or exc
                    dialogs.show_error(self, f"Le fichier « {path} » ne peut pas être ouvert : {reason}.",
                                       "Impossible d'ouvrir le dossier")
                return None
            return self._open_file(path, True)
        return dossier, holder, crashed

    def new_dossier(self) -> None:
        request = dialogs.ask_new_dossier(self, self.settings)
        if request is not None:
            self.create_dossier(request)

    def create_dossier(self, request: "NewDossierRequest") -> bool:
        from ..models import DossierError, DossierFile

        if not self.close_dossier():
            return False
        try:
            dossier = DossierFile.create(request.path, request.template, request.title,
                                         author=self.settings.author_name,
                                         organisation=self.settings.author_organisation)
        except (DossierError, OSError) as exc:
            dialogs.show_error(self, str(exc), "Impossible de créer le dossier")
            return False
        self.load(dossier)
        return True

    def open_example(self) -> bool:
        try:
            from ..interchange import create_example_copy

            path = create_example_copy()
        except Exception as exc:  # noqa: BLE001 - shown to the user, never a traceback
            dialogs.show_error(self, f"L'exemple n'a pas pu être préparé : {exc}", "Exemple indisponible")
            return False
        return self.open_path(path)

    def load(self, dossier: "DossierFile", *, lock_holder: "LockHolder | None" = None) -> None:
        """Show an opened dossier; the window now owns it (and closes it)."""
        from .controller import DossierController

        controller = DossierController(dossier, self)
        self.controller = controller
        self._lock_holder = lock_holder
        self._forms = {}
        self._section_id = None
        controller.saveStateChanged.connect(self._on_save_state)
        controller.saveFailed.connect(self._on_save_failed)
        controller.reportChanged.connect(self._on_report)
        controller.error.connect(self._on_error)
        controller.said.connect(lambda message, assertive: announce(self, message, assertive=assertive))
        template = dossier.template
        self.section_list.set_template(template)
        sizes = self.splitter.sizes()
        list_width = min(self.section_list.preferred_width(), max(self.width() // 3, 200))
        self.splitter.setSizes([list_width, max(sum(sizes) - list_width, 400)])
        if self.check_view is not None:
            self.check_view.set_template(template)
        self.save_banner.hide()
        self.notice_banner.hide()
        self.info_banner.hide()
        self._show_read_only_banner()
        self._update_header()
        self._on_save_state(controller.state)
        self.settings.add_recent(dossier.path)
        self._save_settings()
        remembered = self._remembered()
        geometry = remembered.get("geometry")
        if isinstance(geometry, str) and not self.isMaximized():
            self.restoreGeometry(QByteArray.fromHex(geometry.encode()))
        self.pages.setCurrentWidget(self.dossier_page)
        sections = [s.id for s in template.sections]
        last = remembered.get("section")
        self.show_section(last if last in sections else sections[0])
        self._on_report(controller.recheck())
        self._update_actions()

    def _remembered(self) -> dict:
        if self.controller is None:
            return {}
        entry = self.settings.ui.setdefault(DOSSIERS_KEY, {}).get(str(self.controller.path.resolve()))
        return entry if isinstance(entry, dict) else {}

    def _remember(self) -> None:
        c = self.controller
        if c is None:
            return
        store = self.settings.ui.setdefault(DOSSIERS_KEY, {})
        store[str(c.path.resolve())] = {
            "section": self._section_id,
            "geometry": bytes(self.saveGeometry().toHex()).decode(),
        }
        for k in list(store)[:-40]:  # keep the 40 most recent
            del store[k]
        report = c._report
        remember_dossier(self.settings, c.path, c.dossier.title, c.template.title,
                         report.progress if report is not None else None)

    def close_dossier(self) -> bool:
        """Flush and close the open dossier; False when the user chose to keep it open."""
        c = self.controller
        if c is None:
            return True
        self._remember()
        if not c.close():
            choice = dialogs.ask_unsaved_choice(self, c.last_error)
            if choice is dialogs.UnsavedChoice.CANCEL:
                return False
            if choice is dialogs.UnsavedChoice.SAVE_COPY and self._save_copy_then_discard() is None:
                return False
            if choice is dialogs.UnsavedChoice.DISCARD:
                c.discard_and_close()
        self._drop_controller()
        self.pages.setCurrentWidget(self.start)
        self.setWindowTitle(APP_NAME)
        self._save_settings()
        self.start.refresh()
        return True

    def _drop_controller(self) -> None:
        c = self.controller
        self.controller = None
        self._section_id = None
        for form in self._forms.values():
            self.forms.removeWidget(form)
            form.deleteLater()
        self._forms = {}
        if self.check_dock is not None:
            self.check_dock.hide()
        self.status_save.clear()
        if c is not None:
            c.deleteLater()
        self._update_actions()

    def _save_copy_then_discard(self) -> Path | None:
        """Put the pending edits in a copy chosen by the user, then let go of the original.

        Returns the copy's path, or None (nothing changed) when the user cancelled or the copy failed.
        """
        c = self.controller
        assert c is not None
        dest = dialogs.ask_save_path(self, dialogs.default_copy_name(c.path))
        if not dest:
            return None
        try:
            copy = c.save_copy(dest)
        except Exception as exc:  # noqa: BLE001 - DossierError or OSError: shown, nothing lost
            dialogs.show_error(self, str(exc), "La copie n'a pas pu être enregistrée")
            return None
        c.discard_and_close()
        self.settings.add_recent(copy)
        return copy

    def remove_recent(self, path: str) -> None:
        self.settings.remove_recent(path)
        self.settings.ui.get("recent_info", {}).pop(path, None)
        self._save_settings()
        self.start.refresh()

    def _reopen_writable(self) -> None:
        """« Rouvrir pour modifier »: the read-only view stays until the file really opened for writing."""
        if self.controller is not None:
            self._switch_to(self.controller.path, False)

    # -- saving ----------------------------------------------------------------------------------

    def _on_save_state(self, state: "SaveState") -> None:
        from .controller import SaveState

        self.header.set_save_state(state)
        if state is SaveState.SAVED and self.status_save.text() == SaveState.FAILED.value:
            announce(self, "Le dossier est de nouveau enregistré.")
        self.status_save.setText(state.value)
        self.setWindowModified(state is not SaveState.SAVED and state is not SaveState.READ_ONLY)
        if state is SaveState.SAVED:
            self.save_banner.hide()

    def _on_save_failed(self, message: str) -> None:
        reason = failure_reason(message)
        c = self.controller
        if c is not None and not c.path.exists():  # SQLite reports a removed file as read-only
            reason = f"le fichier « {c.path.name} » a été déplacé ou supprimé"
        self.save_banner.show_failure(reason)
        announce(self, f"Échec de l'enregistrement : {reason}. Vos modifications restent dans la fenêtre ; "
                       "enregistrez une copie pour les mettre à l'abri.", assertive=True)

    def _retry_save(self) -> None:
        if self.controller is not None:
            self.controller.flush()

    def _on_error(self, message: str) -> None:
        self.notice_banner.set_text(message)
        self.notice_banner.show()

    def save_copy_as(self) -> None:
        """Fichier › Enregistrer une copie sous…: after a failure, continue in the copy."""
        c = self.controller
        if c is None:
            return
        if c.state.name == "FAILED":
            self.save_copy_after_failure()
            return
        dest = dialogs.ask_save_path(self, dialogs.default_copy_name(c.path))
        if not dest:
            return
        try:
            c.save_copy(dest)
        except Exception as exc:  # noqa: BLE001
            dialogs.show_error(self, str(exc), "La copie n'a pas pu être enregistrée")
            return
        self.statusBar().showMessage(f"Copie enregistrée : {dest}", 8000)

    def save_copy_after_failure(self) -> None:
        """The file cannot be written: save everything into a copy and go on working in it."""
        c = self.controller
        if c is None:
            return
        section = self._section_id
        self._remember()
        copy = self._save_copy_then_discard()
        if copy is None:
            return
        self._drop_controller()
        if self.open_path(copy):
            if section:
                self.show_section(section)
            self.statusBar().showMessage(f"Vous travaillez désormais dans la copie : {copy}", 10000)
