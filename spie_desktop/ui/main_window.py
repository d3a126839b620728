"""The main window: the start screen, or an open dossier with its sections, form and save state.

The window's :class:`~spie_desktop.ui.dossier_session.DossierSession` opens, creates and closes the
dossier and owns its :class:`DossierController` (one at a time); the window shows what the session
tells it and never writes the file itself. It flushes pending edits when the user changes section or
closes, says honestly when saving fails (banner + "Enregistrer une copie sous…"), and remembers
geometry and last section per dossier.

Import circle allowed: the window's parts (:mod:`.window_geometry`, :mod:`.writing_tools`,
:mod:`.print_dialog`) name :class:`MainWindow` for their argument's type only (TYPE_CHECKING).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from .. import APP_NAME
from ..formatting import format_datetime
from ..settings import Settings, remember_dossier
from . import after_paint, dialogs, gc_pauses, keyboard_access, window_geometry
from .announce import announce
from .banners import Banner, BannerKind, HeaderBar, SaveFailedBanner, failure_reason
from .dossier_session import DossierSession
from .icons import app_icon
from .keyboard_access import DOCK_BUTTON_NAMES
from .plain import action_text, escape, short, tooltip, window_title
from .refused_banner import RefusedBanner
from .section_list import SectionList
from .shortcuts import key

if TYPE_CHECKING:  # the controller pulls in the models (SQLAlchemy): not needed for the start screen
    from ..checks.report import CompletenessReport, Problem
    from ..forms import Section
    from ..models import DossierFile, LockHolder
    from .check_view import CheckView
    from .controller import DossierController, SaveState
    from .start_screen import NewDossierRequest, StartScreen

DOSSIERS_KEY = "dossiers"  # settings.ui: per-dossier geometry and last section
#: the save state while the team server is away and the edits are kept on this computer (nothing failed)
WAITING_FOR_SERVER = "En attente du serveur"

#: The « Exporter » menu is built by this module when it exists: ``build_export_menu(window) -> QMenu | None``
#: (keep its import light: reportlab and the like load when an export runs). Without it, no menu.
EXPORT_MENU_MODULE = "spie_desktop.ui.export_menu"


def make_section_form(
    controller: DossierController, section: Section, parent: QWidget | None = None
) -> QWidget:
    """The scrollable form of one section (imported on first use: not needed for the start screen)."""
    from .section_form import SectionForm

    return SectionForm(controller, section, parent)


def _export_menu_builder() -> Callable[[MainWindow], QMenu | None] | None:
    import importlib
    import importlib.util

    if importlib.util.find_spec(EXPORT_MENU_MODULE) is None:
        return None
    return getattr(importlib.import_module(EXPORT_MENU_MODULE), "build_export_menu", None)


def _is_spie(path: str) -> bool:
    return path.lower().endswith(".spie")


class MainWindow(QMainWindow):
    """The start screen or an open dossier; the dossier files themselves are the session's."""

    def __init__(
        self, settings: Settings, parent: QWidget | None = None, *, start_screen: bool = True
    ) -> None:
        """``start_screen=False``: the start screen is built when first shown (a window opened on a
        dossier at start-up does not need it before its first paint, issue 14)."""
        super().__init__(parent)
        self.settings = settings
        self.session = DossierSession(settings, self)
        self.session.opened.connect(self._show_dossier)
        self.session.crashRecovered.connect(self._show_crash_notice)
        self.session.closing.connect(self._remember)
        self.session.closed.connect(self._forget_dossier)
        after_paint.later(self._bind_file_dialogs)  # no file dialog opens before the first paint
        self._forms: dict[str, QWidget] = {}
        self._section_id: str | None = None
        self._fitted_once = False
        self.setWindowTitle(APP_NAME)
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)

        self._start: StartScreen | None = None
        self.session.recentChanged.connect(self._refresh_start)
        self._build_dossier_page()
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.dossier_page)
        self.setCentralWidget(self.pages)
        if start_screen:
            self.show_start()

        self.check_view: CheckView | None = None  # built the first time « Vérifier le dossier » is used
        self.check_dock: QDockWidget | None = None

        self.status_save = QLabel(self)
        self._failing = ""  # the save state's words while saving fails (said when it is over)
        self.status_save.setTextFormat(Qt.TextFormat.PlainText)
        self.status_save.setAccessibleDescription(
            "État de l'enregistrement"
        )  # its name: its text, « Enregistré »
        self.statusBar().addPermanentWidget(self.status_save)
        self._build_menus()
        after_paint.later(self._build_export_menu)  # at start-up after the first paint (~0.15 s of imports)
        if not window_geometry.restore(self, settings.ui.get("geometry")):
            self.resize(window_geometry.default_size(self))
        self.fit_to_screen()
        self._initial_size = self.size()  # a size someone set afterwards is theirs: not refitted
        self._update_actions()

    # -- building -------------------------------------------------------------------------------

    def _bind_file_dialogs(self) -> None:
        from . import file_dialogs

        file_dialogs.bind_settings(
            self.settings.ui, self._save_settings
        )  # the attachment folder survives a restart

    @property
    def start(self) -> StartScreen:
        """The start screen (new, open, the example, the recent dossiers), built on first use."""
        if self._start is None:
            from .start_screen import StartScreen

            start = StartScreen(self.settings, self)
            start.newRequested.connect(self.new_dossier)
            start.openRequested.connect(self.open_dialog)
            start.exampleRequested.connect(self.open_example)
            start.pathChosen.connect(self.open_path)
            start.recentRemoved.connect(self.remove_recent)
            self.pages.insertWidget(0, start)
            self._start = start
            self.watch_views(start)
        return self._start

    def watch_views(self, root: QWidget) -> None:
        """Ctrl + wheel over the views of a part built after the window zooms too (ui/zoom.py)."""
        writing = getattr(self, "writing", None)  # before the menus are filled, the zoom finds them
        if writing is not None:
            writing.zoom.watch_views(root)

    def show_start(self) -> None:
        """Show the start screen (no dossier open)."""
        self.pages.setCurrentWidget(self.start)

    def _refresh_start(self) -> None:
        if self._start is not None:
            self._start.refresh()

    def _build_dossier_page(self) -> None:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.header = HeaderBar(page)
        layout.addWidget(self.header)
        banners = QVBoxLayout()
        banners.setContentsMargins(8, 0, 8, 4)
        self.save_banner = SaveFailedBanner(self.save_copy_after_failure, self._retry_save, page)
        self.read_only_banner = Banner(BannerKind.READ_ONLY, page)
        self.reopen_button = self.read_only_banner.add_button("Rouvrir pour modifier", self._reopen_writable)
        self.notice_banner = Banner(BannerKind.WARNING, page, closable=True)
        self.info_banner = Banner(BannerKind.INFO, page, closable=True)  # said once: after a crash, for one
        self.refused_banner = RefusedBanner(page)  # « Garder la mienne » after a same-field refusal
        for b in (
            self.save_banner,
            self.read_only_banner,
            self.refused_banner,
            self.notice_banner,
            self.info_banner,
        ):
            banners.addWidget(b)
        layout.addLayout(banners)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, page)
        self.section_list = SectionList(self.splitter)
        self.section_list.sectionChosen.connect(self.show_section)
        centre = QWidget(self.splitter)
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        self.forms = QStackedWidget(centre)
        centre_layout.addWidget(self.forms, 1)
        nav = QHBoxLayout()
        nav.setContentsMargins(12, 6, 12, 8)
        self.prev_button = QPushButton("← Précédent", centre)
        self.next_button = QPushButton("Suivant →", centre)
        self.prev_button.clicked.connect(self.previous_section)
        self.next_button.clicked.connect(self.next_section)
        self.position_label = QLabel(centre)
        self.position_label.setTextFormat(Qt.TextFormat.PlainText)
        self.position_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.position_label.setWordWrap(True)
        nav.addWidget(self.prev_button)
        nav.addWidget(self.position_label, 1)
        nav.addWidget(self.next_button)
        centre_layout.addLayout(nav)
        self.splitter.addWidget(self.section_list)
        self.splitter.addWidget(centre)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(0, False)
        self.splitter.setSizes([self.fontMetrics().averageCharWidth() * 38, 800])
        layout.addWidget(self.splitter, 1)
        self.dossier_page = page

    def _action(self, text: str, slot: Callable, shortcut: str | QKeySequence | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(key(shortcut) if isinstance(shortcut, str) else shortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _build_menus(self) -> None:
        """The menu bar's four menus; their actions once the window has painted (start-up, issue 14).

        The bar shows its titles at the first paint; the ~60 actions, the undo and writing tools, the
        zoom and F10 come one event-loop turn later (10 ms less before the window shows; at once
        outside a start-up). The text size is the user's from the first paint on.
        """
        bar = self.menuBar()
        self.file_menu = bar.addMenu("&Fichier")
        self.edit_menu = bar.addMenu("É&dition")
        self.dossier_menu = bar.addMenu("&Dossier")
        self.help_menu = bar.addMenu("&Aide")
        self._menus_filled = False
        from .zoom import apply_text_size, system_points

        system_points()  # the system's size, remembered before any zoom
        apply_text_size(self.settings.text_size)  # before anything is measured or painted
        after_paint.later(self._fill_menus)

    def _fill_menus(self) -> None:
        self.act_new = self._action("&Nouveau…", self.new_dossier, "new")
        self.act_open = self._action("&Ouvrir…", self.open_dialog, "open")
        self.act_open_server = self._action("Ouvrir depuis le &serveur…", self.open_server_dialog)
        self.recent_menu = QMenu("Ouvrir un dossier &récent", self)
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self.act_save_copy = self._action("Enregistrer une &copie sous…", self.save_copy_as, "save_copy")
        self.act_fresh_example = self._action("Repartir d'un &exemple neuf", self.open_fresh_example)
        self.act_close = self._action("&Fermer", self.close_dossier, "close")
        self.act_quit = self._action("&Quitter", self.close, "quit")
        self.act_quit.setMenuRole(QAction.MenuRole.QuitRole)
        for a in (self.act_new, self.act_open, self.act_open_server):
            self.file_menu.addAction(a)
        self.file_menu.addMenu(self.recent_menu)
        self.file_menu.addAction(self.act_fresh_example)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.act_save_copy)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.act_close)
        self.file_menu.addAction(self.act_quit)

        self.act_prefs = self._action("&Préférences…", self.edit_preferences, "preferences")
        self.act_prefs.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.edit_menu.addAction(self.act_prefs)
        from .undo_actions import install_undo_actions  # Annuler / Rétablir, first in Édition

        self.undo_actions = install_undo_actions(self, self.edit_menu, lambda: self.controller)

        from .writing_tools import WritingTools  # Rechercher, Remplacer, orthographe, zoom, Imprimer

        self.writing = WritingTools(self)

        self.act_check = self._action("&Vérifier le dossier", self.show_check, "check")
        self.act_prev = self._action("Section &précédente", self.previous_section, "previous")
        self.act_next = self._action("Section &suivante", self.next_section, "next")
        self.act_sections = self._action(
            "Aller à la &liste des sections", self.section_list.setFocus, "sections"
        )
        self.act_rename = self._action("&Renommer…", self.rename, "rename")
        self.act_info = self._action("&Informations", self.show_information, "info")
        for a in (
            self.act_check,
            None,
            self.act_prev,
            self.act_next,
            self.act_sections,
            None,
            self.act_rename,
            self.act_info,
        ):
            self.dossier_menu.addSeparator() if a is None else self.dossier_menu.addAction(a)
        self.dossier_menu.addSeparator()
        # partners: copies, merge, entrusting, history; at start-up after the first paint (its dialogs'
        # code is not needed to show the window, and the menu is closed then)
        after_paint.later(self._build_collab_menu)

        self.act_shortcuts = self._action(
            "&Raccourcis clavier", lambda: dialogs.show_shortcuts(self), "shortcuts"
        )
        self.act_about = self._action("À &propos", lambda: dialogs.show_about(self))
        self.act_about.setMenuRole(QAction.MenuRole.AboutRole)
        self.help_menu.addAction(self.act_shortcuts)
        self.help_menu.addAction(self.act_about)
        keyboard_access.install(self)  # F10, « Fermer la vérification »
        self._menus_filled = True
        self._update_actions()

    def _build_collab_menu(self) -> None:
        from .collab_dialogs import install_collab_menu

        self.collab_actions = install_collab_menu(
            self,
            self.dossier_menu,
            lambda: self.controller,
            current_section=self.section_list.current_section,
            after_change=self._update_header,  # a merge or a restore can change the title
        )

    def _build_export_menu(self) -> None:
        builder = _export_menu_builder()
        menu = builder(self) if builder is not None else None
        if menu is not None:
            self.add_export_menu(menu)

    def add_export_menu(self, menu: QMenu) -> None:
        """Put the exports' menu (« Exporter ») between Dossier and Aide; enabled while a dossier is open."""
        self.menuBar().insertMenu(self.help_menu.menuAction(), menu)
        self.dossier_actions = getattr(self, "dossier_actions", []) + [menu.menuAction()]
        self._update_actions()

    def _update_actions(self) -> None:
        if not self._menus_filled:  # start-up: _fill_menus brings them up to date
            return
        has = self.controller is not None
        for a in (
            self.act_save_copy,
            self.act_close,
            self.act_check,
            self.act_prev,
            self.act_next,
            self.act_sections,
            self.act_info,
            *getattr(self, "dossier_actions", []),
        ):
            if shiboken6.isValid(a):  # the window being torn down: its menus' actions may already be gone
                a.setEnabled(has)
        self.undo_actions.follow(self.controller)
        self.act_rename.setEnabled(has and not self.controller.read_only)
        self.writing.update_actions()
        if has:
            ids = self.section_list.section_ids()
            i = ids.index(self._section_id) if self._section_id in ids else 0
            self.act_prev.setEnabled(i > 0)
            self.act_next.setEnabled(i < len(ids) - 1)

    # -- sections --------------------------------------------------------------------------------

    def current_form(self) -> QWidget | None:
        return self._forms.get(self._section_id or "")

    def show_section(self, section_id: str) -> None:
        c = self.controller
        if c is None:
            return
        if section_id == self._section_id:
            self.section_list.select_section(section_id)
            return
        c.flush()
        old = self.current_form()
        had_focus = old is not None and old.isAncestorOf(QApplication.focusWidget())
        form = self._forms.get(section_id)
        if form is None:
            form = make_section_form(c, c.template.section(section_id), self.forms)
            self._forms[section_id] = form
            self.forms.addWidget(form)
            self.watch_views(form)
            if hasattr(form, "tabOrderChanged"):  # a row added: the buttons after it again
                form.tabOrderChanged.connect(partial(self._order_tabs, form))
            built = True
        else:
            built = False
        self._section_id = section_id
        if c.last_report is not None and hasattr(form, "apply_report"):
            form.apply_report(c.last_report)
        self.forms.setCurrentWidget(form)
        self._order_tabs(form)
        self.section_list.select_section(section_id)
        self._update_nav()
        if built:
            gc_pauses.settle()  # the new form is long-lived: full collections stop walking it
        if had_focus:
            if hasattr(form, "focus_first"):
                if not form.focus_first():
                    self._focus_first_input(form)
            else:
                self._focus_first_input(form)

    def _order_tabs(self, form: QWidget) -> None:
        """Tab goes as the eye reads: list → the form's fields → Précédent / Suivant below them → the check
        panel beside or below (forms and the panel are built later than the buttons).

        The form's scroll area takes no focus, so Qt's ``setTabOrder`` would ignore it: the form is
        moved as one compound stop (``as_one_stop``), its fields with it, right after the list, and the
        buttons go after its last field. Widgets built since (the panel's title buttons) no longer sit
        between the list and the fields."""
        from .tab_order import as_one_stop, follow_with

        if form is not self.current_form():
            return
        after: list[QWidget] = [self.prev_button, self.next_button]
        if self.check_view is not None and self.check_dock is not None:
            after.append(self.check_view.tree)
            after += [
                b
                for b in self.check_dock.findChildren(QAbstractButton)
                if b.objectName() in DOCK_BUTTON_NAMES
            ]
        after = [w for w in after if w.window() is self]  # a floating panel is a window of its own
        stops = form.tab_stops() if hasattr(form, "tab_stops") else []
        if not stops:
            follow_with(self.section_list, after)
            return
        with as_one_stop(form, stops[0]):
            QWidget.setTabOrder(self.section_list, form)
            follow_with(form, after)

    @staticmethod
    def _focus_first_input(form: QWidget) -> None:
        for w in form.findChildren(QWidget):
            if w.focusPolicy() & Qt.FocusPolicy.TabFocus and w.isVisibleTo(form) and w.isEnabled():
                w.setFocus(Qt.FocusReason.TabFocusReason)
                return

    def _update_nav(self) -> None:
        c = self.controller
        if c is None:
            return
        sections = c.template.sections
        ids = [s.id for s in sections]
        i = ids.index(self._section_id)
        self.prev_button.setEnabled(i > 0)
        self.next_button.setEnabled(i < len(ids) - 1)
        prev_title = sections[i - 1].title if i > 0 else ""
        next_title = sections[i + 1].title if i < len(ids) - 1 else ""
        # The name says the words on the button (WCAG 2.5.3), then where it goes; the description is
        # set, not left to the tooltip, so that a running screen reader hears it change (issue 13).
        for button, word, title in (
            (self.prev_button, "Précédent", prev_title),
            (self.next_button, "Suivant", next_title),
        ):
            button.setAccessibleName(f"{word} : {title}" if title else word)
            button.setAccessibleDescription(f"Aller à la section {title}" if title else "")
            button.setToolTip(tooltip(title))
        self.position_label.setText(f"Section {i + 1} sur {len(ids)} : {sections[i].title}")
        self._update_actions()

    def _step(self, delta: int) -> None:
        if self.controller is None or self._section_id is None:
            return
        ids = [s.id for s in self.controller.template.sections]
        i = ids.index(self._section_id) + delta
        if 0 <= i < len(ids):
            self.show_section(ids[i])

    def next_section(self) -> None:
        self._step(1)

    def previous_section(self) -> None:
        self._step(-1)

    # -- checking --------------------------------------------------------------------------------

    def _on_report(self, report: CompletenessReport | None) -> None:
        self.section_list.apply_report(report)
        self.header.set_report(report)
        form = self.current_form()
        if report is not None and form is not None and hasattr(form, "apply_report"):
            form.apply_report(report)
        if self.check_dock is not None and self.check_dock.isVisible():
            self.check_view.apply_report(report)

    # -- the example -------------------------------------------------------------------------------

    def existing_example(self) -> Path | None:
        """The user's copy of the example from an earlier « Voir l'exemple » (the newest one)."""
        return self.session.existing_example()

    def open_example(self) -> bool:
        """« Voir l'exemple » reopens the copy one has already explored (no new 300 Ko file, no
        twin in the recent list); « Repartir d'un exemple neuf » makes a fresh one."""
        existing = self.existing_example()
        if existing is not None and self.open_path(existing):
            self.statusBar().showMessage(
                "Copie de l'exemple rouverte. Pour repartir de zéro : Fichier › Repartir d'un exemple neuf.",
                10000,
            )
            return True
        return self.session.open_example()

    def open_fresh_example(self) -> bool:
        return self.session.open_example()

    # -- the dossier session: opening, closing, recent files ---------------------------------------

    @property
    def controller(self) -> DossierController | None:
        """The open dossier's controller (the session's), or None on the start screen."""
        return self.session.controller

    @controller.setter
    def controller(self, controller: DossierController | None) -> None:
        self.session.controller = controller

    @property
    def _lock_holder(self) -> LockHolder | None:
        return self.session.lock_holder

    def open_dialog(self) -> None:
        self.session.open_dialog()

    def open_path(self, path: str | Path, *, read_only: bool = False) -> bool:
        """Open a .spie file in this window. True on success (see :meth:`DossierSession.open_path`)."""
        return self.session.open_path(path, read_only=read_only)

    def new_dossier(self) -> None:
        self.session.new_dossier()

    def create_dossier(self, request: NewDossierRequest) -> bool:
        return self.session.create_dossier(request)

    def load(self, dossier: DossierFile, *, lock_holder: LockHolder | None = None) -> None:
        """Show an opened dossier; the window's session now owns it (and closes it)."""
        self.session.load(dossier, lock_holder=lock_holder)

    def open_server_dialog(self) -> None:
        """Fichier › Ouvrir depuis le serveur… (the server is remembered, never the password)."""
        from .server_dialog import ask_server_address

        address = ask_server_address(self, self.settings)
        self._save_settings()
        if address:
            self.open_path(address)

    def close_dossier(self, *, write_settings: bool = True, to_start: bool = True) -> bool:
        """Flush and close the open dossier; False when the user chose to keep it open.
        ``write_settings=False``: the caller saves the settings itself (quitting: one write, not two).
        ``to_start=False``: stay off the start screen (the window is closing: it would not be seen)."""
        return self.session.close(write_settings=write_settings, to_start=to_start)

    def remove_recent(self, path: str) -> None:
        self.session.remove_recent(path)

    def _save_settings(self) -> None:
        self.session.save_settings()

    def _reopen_writable(self) -> None:
        self.session.reopen_writable()

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for p in self.session.recent_files():
            action = self.recent_menu.addAction(
                action_text(Path(p).name) + ("" if Path(p).exists() else " (introuvable)")
            )
            action.setToolTip(tooltip(p))
            action.triggered.connect(lambda _c=False, p=p: self.open_path(p))
        if not self.session.recent_files():
            self.recent_menu.addAction("Aucun dossier récent").setEnabled(False)

    def _show_dossier(self, controller: DossierController) -> None:
        """The session opened a dossier: show it, where the user left it."""
        self._forms = {}
        self._section_id = None
        controller.saveStateChanged.connect(self._on_save_state)
        controller.saveFailed.connect(self._on_save_failed)
        controller.reportChanged.connect(self._on_report)
        controller.error.connect(self._on_error)
        controller.said.connect(lambda message, assertive: announce(self, message, assertive=assertive))
        template = controller.template
        self.section_list.set_template(template)
        sizes = self.splitter.sizes()
        list_width = min(self.section_list.preferred_width(), max(self.width() // 3, 200))
        self.splitter.setSizes([list_width, max(sum(sizes) - list_width, 400)])
        if self.check_view is not None:
            self.check_view.set_template(template)
        self.save_banner.hide()
        self.notice_banner.hide()
        self.info_banner.hide()
        self.refused_banner.bind(controller)
        self._show_read_only_banner()
        self._update_header()
        self._on_save_state(controller.state)
        if (
            controller.dossier.store.backend is not None
        ):  # a dossier on a server: the others' edits appear live
            from ..models import DossierError
            from .server_live import LiveServer

            try:
                controller.live = LiveServer(controller, self._update_header, self.statusBar())
            except DossierError:
                pass  # no live view; each save still reads what it overwrites
            replayed = getattr(controller.dossier.store.backend, "replayed", None)
            for message in getattr(replayed, "messages", ()):  # edits kept here while it was away
                controller.error.emit(message)
        remembered = self._remembered()
        geometry = remembered.get("geometry")
        if not self.isMaximized() and window_geometry.restore(self, geometry):
            self.fit_to_screen()  # saved on another screen
        self.pages.setCurrentWidget(self.dossier_page)
        sections = [s.id for s in template.sections]
        last = remembered.get("section")
        self.show_section(last if last in sections else sections[0])
        # The first focus is the section list's, as in a window without banners: a banner shown at the
        # opening (a refused value) comes first in the Tab chain, and Space would close it unread.
        focus = self.focusWidget()
        if focus is None or not (self.forms.isAncestorOf(focus) or focus is self.section_list):
            self.section_list.setFocus(Qt.FocusReason.OtherFocusReason)
        # Start-up (issue 14): the first check waits for the first paint (ui/after_paint.py; at once
        # outside a start-up).
        after_paint.later(lambda: self._first_check(controller))
        # In the idle time once it is shown, what the first visit of its other sections would import.
        after_paint.later(lambda: QTimer.singleShot(0, lambda: self._preload(controller)))
        self._update_actions()
        self.fit_section_list()

    def _preload(self, controller: DossierController) -> None:
        if controller is self.controller:
            from .section_form import preload

            preload(controller.template)

    def _first_check(self, controller: DossierController) -> None:
        """The check of a dossier just shown (deferred past the first paint at start-up)."""
        if controller is self.controller:
            self._on_report(controller.recheck())

    def _show_crash_notice(self, text: str) -> None:
        self.info_banner.set_text(text)
        self.info_banner.show()

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
        report = c.last_report
        remember_dossier(
            self.settings,
            c.path,
            c.dossier.title,
            c.template.title,
            report.progress if report is not None else None,
        )

    def _forget_dossier(self, to_start: bool) -> None:
        """The session closed the dossier: its forms go; back to the start screen unless another opens."""
        self._section_id = None
        for form in self._forms.values():
            self.forms.removeWidget(form)
            form.deleteLater()
        self._forms = {}
        gc_pauses.release()  # what the closed dossier left in cycles can be freed
        if self.check_dock is not None:
            self.check_dock.hide()
        self.status_save.clear()
        self._failing = ""
        self._update_actions()
        if to_start:
            self.show_start()
            self.setWindowTitle(APP_NAME)

    # -- saving ----------------------------------------------------------------------------------

    def _on_save_state(self, state: SaveState) -> None:
        from .controller import SaveState

        c = self.controller
        kept = state is SaveState.FAILED and c is not None and c.kept_here
        text = WAITING_FOR_SERVER if kept else state.value  # a server away: nothing failed, all is kept
        self.header.set_save_state(state, text, icon_name="severity-warning" if kept else None)
        # said once it is over (a retry passes through « Enregistrement… » first)
        if state is SaveState.FAILED:
            self._failing = text
        elif state is SaveState.SAVED and self._failing:
            announce(
                self,
                "Le serveur répond : vos saisies gardées sur ce poste lui ont été envoyées."
                if self._failing == WAITING_FOR_SERVER
                else "Le dossier est de nouveau enregistré.",
            )
            self._failing = ""
        self.status_save.setText(text)
        self.setWindowModified(state is not SaveState.SAVED and state is not SaveState.READ_ONLY)
        if state is SaveState.SAVED:
            self.save_banner.hide()

    def _on_save_failed(self, message: str) -> None:
        reason = failure_reason(message)
        c = self.controller
        if c is not None and c.kept_here:  # a server away: the edits are safe on this computer
            self.save_banner.show_kept(message)
            announce(self, f"{message}.", assertive=True)
            return
        if c is not None and not c.path.exists():  # SQLite reports a removed file as read-only
            reason = f"le fichier « {c.path.name} » a été déplacé ou supprimé"
        self.save_banner.show_failure(reason)
        announce(
            self,
            f"Échec de l'enregistrement : {reason}. Vos modifications restent dans la fenêtre ; "
            "enregistrez une copie pour les mettre à l'abri.",
            assertive=True,
        )

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
        section = self._section_id
        copy = self.session.continue_in_copy()
        if copy is None:
            return
        if section:
            self.show_section(section)
        self.statusBar().showMessage(f"Vous travaillez désormais dans la copie : {copy}", 10000)

    # -- geometry ---------------------------------------------------------------------------------

    def fit_to_screen(self) -> None:
        window_geometry.fit_to_screen(self)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._fitted_once:  # the window manager's frame is known only now
            self._fitted_once = True
            QTimer.singleShot(0, self._fit_after_show)

    def _fit_after_show(self) -> None:
        if self.size() == self._initial_size:
            self.fit_to_screen()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit_section_list()

    def fit_section_list(self) -> None:
        window_geometry.fit_section_list(self)

    def place_check_dock(self) -> None:
        window_geometry.place_check_dock(self)

    def _ensure_check_dock(self) -> QDockWidget:
        if self.check_dock is None:
            from .check_view import CheckView

            self.check_view = CheckView(self)
            self.check_view.problemChosen.connect(self.go_to_problem)
            self.watch_views(self.check_view)
            dock = QDockWidget("Vérification du dossier", self)
            dock.setObjectName("checkDock")
            dock.setWidget(self.check_view)
            dock.setAllowedAreas(
                Qt.DockWidgetArea.RightDockWidgetArea | Qt.DockWidgetArea.BottomDockWidgetArea
            )
            self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
            dock.hide()
            keyboard_access.dock_keys(self, dock)  # Escape closes it; its buttons take the focus
            self.check_dock = dock
        return self.check_dock

    def show_check(self) -> None:
        c = self.controller
        if c is None:
            return
        self._ensure_check_dock()
        from .fields.attention import reveal_all

        reveal_all(c)  # from now on every field shows its problems, reached or not
        for form in self._forms.values():
            if hasattr(form, "reveal_problems"):
                form.reveal_problems()
        self.check_view.set_template(c.template)
        if not self.check_dock.isVisible():
            self.place_check_dock()  # before showing it: the window must not grow past the screen
            self.check_dock.show()
            self.place_check_dock()
        self.check_dock.raise_()
        self.check_view.apply_report(c.recheck())
        form = self.current_form()
        if form is not None:
            self._order_tabs(form)  # the panel's list comes after the form and its buttons
        self.check_view.tree.setFocus()

    def go_to_problem(self, problem: Problem) -> bool:
        """Show the problem's section and put the cursor in its field (inside its row). True if focused."""
        return self.go_to_path(problem.path, problem.section_id)

    def go_to_path(self, path: str, section_id: str = "") -> bool:
        """Show the section of a stored path and put the cursor in its field. True if focused."""
        c = self.controller
        if c is None:
            return False
        if not section_id and path:
            try:
                section_id = c.template.section_of(path.split("[")[0]).id
            except KeyError:
                section_id = ""
        if section_id:
            self.show_section(section_id)
        form = self.current_form()
        if path and form is not None and hasattr(form, "focus_path"):
            if form.focus_path(path):
                return True
            self.statusBar().showMessage(
                "Ce champ n'est pas affiché : il dépend d'une autre réponse de la section.", 8000
            )
        return False

    # -- dossier ---------------------------------------------------------------------------------

    def _update_header(self) -> None:
        c = self.controller
        if c is None:
            return
        title = c.dossier.title or "Dossier sans titre"
        self.header.title.setText(title)
        where, described = _where(c.path)
        self.header.subtitle.setText(f"{c.template.title} · {where}")
        self.header.subtitle.setToolTip(str(c.path))  # the folder too, on demand
        self.header.subtitle.setAccessibleDescription(described)
        self.setWindowTitle(f"{window_title(title)}[*] — {APP_NAME}")

    def _show_read_only_banner(self) -> None:
        c = self.controller
        if c is None or not c.read_only:
            self.read_only_banner.hide()
            return
        h = self._lock_holder
        if h is not None:
            since = format_datetime(h.since) if h.since else "une date inconnue"
            text = (
                f"<b>Lecture seule</b> — ouvert par {escape(short(h.who))} depuis le {escape(since)}. Vous pouvez lire le "
                "dossier et le vérifier ; pour le modifier, attendez qu'il soit fermé de l'autre côté."
            )
        else:
            text = "<b>Lecture seule</b> — ce dossier est ouvert sans possibilité de modification."
        self.read_only_banner.set_rich(text)
        self.read_only_banner.show()

    def rename(self) -> None:
        c = self.controller
        if c is None or c.read_only:
            return
        title = dialogs.ask_text(self, "Renommer le dossier", "Nouveau titre du dossier :", c.dossier.title)
        if title and title != c.dossier.title:
            c.set_title(title)
            self._update_header()

    def show_information(self) -> None:
        c = self.controller
        if c is None:
            return
        d = c.dossier
        info = d.info
        lines = [
            d.title,
            f"Formulaire : {c.template.title} (version {c.template.version})",
            _where(c.path)[1],
            f"Créé le {format_datetime(info.created_at)}, modifié le {format_datetime(info.updated_at)}",
            f"Modifications enregistrées : {d.change_count}",
            f"Identifiant : {info.id}",
        ]
        if c.template.deadline:
            from ..formatting import format_date

            lines.append(f"Date limite de dépôt : {format_date(c.template.deadline)}")
        dialogs.show_info(self, "Informations sur le dossier", "\n".join(lines))

    def edit_preferences(self) -> None:
        if dialogs.ask_author(self, self.settings):
            self._save_settings()
            self.writing.apply_settings()
            if self.controller is not None:
                self.controller.set_author(self.settings.author_name, self.settings.author_organisation)

    # -- window ----------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.close_dossier(write_settings=False, to_start=False):
            event.ignore()
            return
        self.settings.ui["geometry"] = bytes(self.saveGeometry().toHex()).decode()
        self._save_settings()  # one fsynced write: close_dossier's own save is skipped when quitting
        event.accept()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        urls = event.mimeData().urls()
        if any(u.isLocalFile() and _is_spie(u.toLocalFile()) for u in urls):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        for url in event.mimeData().urls():
            if url.isLocalFile() and _is_spie(url.toLocalFile()):
                event.acceptProposedAction()
                self.open_path(url.toLocalFile())
                return
        event.ignore()


def _where(path: Path) -> tuple[str, str]:
    """(short, long) words for where the dossier lives: a file's name and « Fichier : … », or for a
    team-server dossier its id on its server (not « <id>.spie »: there is no such file)."""
    from ..server import names_server  # a file's name does not load server/address.py

    if names_server(path):
        from ..server.address import ServerPath

        if isinstance(path, ServerPath):
            a = path.address
            host = a.host if a.host and not a.host.startswith("/") else "ce poste"
            return (
                f"dossier «\u00a0{a.dossier}\u00a0» sur le serveur {host}",  # never broken inside « »
                f"Dossier sur le serveur d'équipe : {path}",
            )
    return path.name, f"Fichier : {path}"
