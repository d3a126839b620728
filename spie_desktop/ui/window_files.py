"""The dossier files of the main window: opening (with the lock choices), creating, loading, closing,
remembering, and saving a copy when the file cannot be written.

A mixin of :class:`~spie_desktop.ui.main_window.MainWindow`: it relies on the window's widgets
(start screen, banners, section list, pages) and keeps the window's public names.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray

from .. import APP_NAME
from ..settings import save_settings
from . import dialogs
from .banners import failure_reason
from .plain import action_text, tooltip
from .start_screen import remember_dossier

if TYPE_CHECKING:  # the controller pulls in the models (SQLAlchemy): not needed for the start screen
    from .controller import SaveState
    from ..models import DossierFile, LockHolder
    from .start_screen import NewDossierRequest

DOSSIERS_KEY = "dossiers"  # settings.ui: per-dossier geometry and last section


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
        """Open a .spie file in this window (closing the current dossier first). True on success."""
        from ..models import DossierError, DossierLocked, SaveFailed, open_dossier

        path = Path(path)
        if self.controller is not None and self.controller.path.resolve() == path.resolve():
            return True
        if not self.close_dossier():
            return False
        author, org = self.settings.author_name, self.settings.author_organisation
        holder = None
        try:
            try:
                dossier = open_dossier(path, read_only=read_only, author=author, organisation=org)
            except DossierLocked as exc:
                choice = dialogs.ask_lock_choice(self, exc)
                if choice is dialogs.LockChoice.CANCEL:
                    return False
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
                return False
            return self.open_path(path, read_only=True)
        except (DossierError, LookupError) as exc:
            if not path.exists():
                self.settings.remove_recent(path)
                self.start.refresh()
            dialogs.show_error(self, str(exc), "Impossible d'ouvrir le dossier")
            return False
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
                return False
            return self.open_path(path, read_only=True)
        self.load(dossier, lock_holder=holder)
        return True

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
        template = dossier.template
        self.section_list.set_template(template)
        sizes = self.splitter.sizes()
        list_width = min(self.section_list.preferred_width(), max(self.width() // 3, 200))
        self.splitter.setSizes([list_width, max(sum(sizes) - list_width, 400)])
        if self.check_view is not None:
            self.check_view.set_template(template)
        self.save_banner.hide()
        self.notice_banner.hide()
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
        if self.controller is not None:
            path = self.controller.path
            if self.close_dossier():
                self.open_path(path)

    # -- saving ----------------------------------------------------------------------------------

    def _on_save_state(self, state: "SaveState") -> None:
        from .controller import SaveState

        self.header.set_save_state(state)
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
