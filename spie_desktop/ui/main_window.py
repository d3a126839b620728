"""The main window: the start screen, or an open dossier with its sections, form and save state.

The window owns one :class:`DossierController` at a time and never writes the file itself. It
flushes pending edits when the user changes section or closes, says honestly when saving fails
(banner + "Enregistrer une copie sous…"), and remembers geometry and last section per dossier.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import QByteArray, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication, QDockWidget, QHBoxLayout, QLabel, QMainWindow, QMenu, QPushButton, QSplitter, QStackedWidget,
    QVBoxLayout, QWidget,
)

from .. import APP_NAME
from ..formatting import format_datetime
from ..settings import Settings
from . import dialogs, keyboard_access, window_geometry
from .banners import Banner, BannerKind, HeaderBar, SaveFailedBanner
from .icons import app_icon
from .plain import escape, short, tooltip, window_title
from .section_list import SectionList
from .shortcuts import key
from .start_screen import StartScreen
from .window_files import DossierFilesMixin

if TYPE_CHECKING:  # the controller pulls in the models (SQLAlchemy): not needed for the start screen
    from ..checks.report import CompletenessReport, Problem
    from .check_view import CheckView
    from .controller import DossierController
    from ..forms import Section
    from ..models import LockHolder

#: The « Exporter » menu is built by this module when it exists: ``build_export_menu(window) -> QMenu | None``
#: (keep its import light: reportlab and the like load when an export runs). Without it, no menu.
EXPORT_MENU_MODULE = "spie_desktop.ui.export_menu"


def make_section_form(controller: "DossierController", section: "Section", parent: QWidget | None = None) -> QWidget:
    """The scrollable form of one section (imported on first use: not needed for the start screen)."""
    from .section_form import SectionForm

    return SectionForm(controller, section, parent)


def _export_menu_builder() -> Callable[["MainWindow"], "QMenu | None"] | None:
    import importlib
    import importlib.util

    if importlib.util.find_spec(EXPORT_MENU_MODULE) is None:
        return None
    return getattr(importlib.import_module(EXPORT_MENU_MODULE), "build_export_menu", None)


def _is_spie(path: str) -> bool:
    return path.lower().endswith(".spie")


class MainWindow(DossierFilesMixin, QMainWindow):
    """The start screen or an open dossier; the dossier files themselves are handled by the mixin."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.controller: "DossierController | None" = None
        self._forms: dict[str, QWidget] = {}
        self._section_id: str | None = None
        self._lock_holder: "LockHolder | None" = None
        self._fitted_once = False
        self.setWindowTitle(APP_NAME)
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)

        self.start = StartScreen(settings, self)
        self.start.newRequested.connect(self.new_dossier)
        self.start.openRequested.connect(self.open_dialog)
        self.start.exampleRequested.connect(self.open_example)
        self.start.pathChosen.connect(self.open_path)
        self.start.recentRemoved.connect(self.remove_recent)
        self._build_dossier_page()
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.start)
        self.pages.addWidget(self.dossier_page)
        self.setCentralWidget(self.pages)

        self.check_view: "CheckView | None" = None  # built the first time « Vérifier le dossier » is used
        self.check_dock: QDockWidget | None = None

        self.status_save = QLabel(self)
        self.status_save.setTextFormat(Qt.TextFormat.PlainText)
        self.status_save.setAccessibleName("État de l'enregistrement")
        self.statusBar().addPermanentWidget(self.status_save)
        self._build_menus()
        keyboard_access.install(self)  # F10, « Fermer la vérification »
        builder = _export_menu_builder()
        menu = builder(self) if builder is not None else None
        if menu is not None:
            self.add_export_menu(menu)
        geometry = settings.ui.get("geometry")
        if isinstance(geometry, str):
            self.restoreGeometry(QByteArray.fromHex(geometry.encode()))
        else:
            self.resize(window_geometry.default_size(self))
        self.fit_to_screen()
        self._initial_size = self.size()  # a size someone set afterwards is theirs: not refitted
        self._update_actions()

    # -- building -------------------------------------------------------------------------------

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
        for b in (self.save_banner, self.read_only_banner, self.notice_banner, self.info_banner):
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
        bar = self.menuBar()
        self.file_menu = bar.addMenu("&Fichier")
        self.act_new = self._action("&Nouveau…", self.new_dossier, "new")
        self.act_open = self._action("&Ouvrir…", self.open_dialog, "open")
        self.recent_menu = QMenu("Ouvrir un dossier &récent", self)
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self.act_save_copy = self._action("Enregistrer une &copie sous…", self.save_copy_as, "save_copy")
        self.act_fresh_example = self._action("Repartir d'un &exemple neuf", self.open_fresh_example)
        self.act_close = self._action("&Fermer", self.close_dossier, "close")
        self.act_quit = self._action("&Quitter", self.close, "quit")
        self.act_quit.setMenuRole(QAction.MenuRole.QuitRole)
        for a in (self.act_new, self.act_open):
            self.file_menu.addAction(a)
        self.file_menu.addMenu(self.recent_menu)
        self.file_menu.addAction(self.act_fresh_example)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.act_save_copy)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.act_close)
        self.file_menu.addAction(self.act_quit)

        self.edit_menu = bar.addMenu("É&dition")
        self.act_prefs = self._action("&Préférences…", self.edit_preferences, "preferences")
        self.act_prefs.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.edit_menu.addAction(self.act_prefs)
        from .undo_actions import install_undo_actions  # Annuler / Rétablir, first in Édition

        self.undo_actions = install_undo_actions(self, self.edit_menu, lambda: self.controller)

        from .writing_tools import WritingTools  # Rechercher, Remplacer, orthographe, zoom, Imprimer

        self.writing = WritingTools(self)

        self.dossier_menu = bar.addMenu("&Dossier")
        self.act_check = self._action("&Vérifier le dossier", self.show_check, "check")
        self.act_prev = self._action("Section &précédente", self.previous_section, "previous")
        self.act_next = self._action("Section &suivante", self.next_section, "next")
        self.act_sections = self._action("Aller à la &liste des sections", self.section_list.setFocus, "sections")
        self.act_rename = self._action("&Renommer…", self.rename, "rename")
        self.act_info = self._action("&Informations", self.show_information, "info")
        for a in (self.act_check, None, self.act_prev, self.act_next, self.act_sections, None, self.act_rename,
                  self.act_info):
            self.dossier_menu.addSeparator() if a is None else self.dossier_menu.addAction(a)
        self.dossier_menu.addSeparator()
        from .collab_dialogs import install_collab_menu  # partners: copies, merge, entrusting, history

        self.collab_actions = install_collab_menu(
            self, self.dossier_menu, lambda: self.controller,
            current_section=self.section_list.current_section,
            after_change=self._update_header,  # a merge or a restore can change the title
        )

        self.help_menu = bar.addMenu("&Aide")
        self.act_shortcuts = self._action("&Raccourcis clavier", lambda: dialogs.show_shortcuts(self), "shortcuts")
        self.act_about = self._action("À &propos", lambda: dialogs.show_about(self))
        self.act_about.setMenuRole(QAction.MenuRole.AboutRole)
        self.help_menu.addAction(self.act_shortcuts)
        self.help_menu.addAction(self.act_about)

    def add_export_menu(self, menu: QMenu) -> None:
        """Put the exports' menu (« Exporter ») between Dossier and Aide; enabled while a dossier is open."""
        self.menuBar().insertMenu(self.help_menu.menuAction(), menu)
        self.dossier_actions = getattr(self, "dossier_actions", []) + [menu.menuAction()]
        self._update_actions()

    def _update_actions(self) -> None:
        has = self.controller is not None
        for a in (self.act_save_copy, self.act_close, self.act_check, self.act_prev, self.act_next,
                  self.act_sections, self.act_info, *getattr(self, "dossier_actions", [])):
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
        self._section_id = section_id
        if c._report is not None and hasattr(form, "apply_report"):
            form.apply_report(c._report)
        self.forms.setCurrentWidget(form)
        self._order_tabs(form)
        self.section_list.select_section(section_id)
        self._update_nav()
        if had_focus:
            if hasattr(form, "focus_first"):
                if not form.focus_first():
                    self._focus_first_input(form)
            else:
                self._focus_first_input(form)

    def _order_tabs(self, form: QWidget) -> None:
        """Tab goes list → the form's fields → Précédent / Suivant (forms are built later than the buttons)."""
        QWidget.setTabOrder(self.section_list, form)
        last, w = form, form.nextInFocusChain()
        while w is not form and form.isAncestorOf(w):
            last, w = w, w.nextInFocusChain()
        QWidget.setTabOrder(last, self.prev_button)
        QWidget.setTabOrder(self.prev_button, self.next_button)

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
        self.prev_button.setAccessibleName(f"Section précédente : {prev_title}".rstrip(" :"))
        self.next_button.setAccessibleName(f"Section suivante : {next_title}".rstrip(" :"))
        self.prev_button.setToolTip(tooltip(prev_title))
        self.next_button.setToolTip(tooltip(next_title))
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

    def _on_report(self, report: "CompletenessReport | None") -> None:
        self.section_list.apply_report(report)
        self.header.set_report(report)
        form = self.current_form()
        if report is not None and form is not None and hasattr(form, "apply_report"):
            form.apply_report(report)
        if self.check_dock is not None and self.check_dock.isVisible():
            self.check_view.apply_report(report)

    # -- the example -------------------------------------------------------------------------------

    def existing_example(self) -> "Path | None":
        """The user's copy of the example from an earlier « Voir l'exemple » (the newest one)."""
        from ..settings import data_dir

        try:
            copies = [p for p in (data_dir() / "exemples").glob("exemple-*.spie") if p.is_file()]
        except OSError:
            return None
        return max(copies, key=lambda p: p.stat().st_mtime_ns, default=None)

    def open_example(self) -> bool:
        """« Voir l'exemple » reopens the copy one has already explored (no new 300 Ko file, no
        twin in the recent list); « Repartir d'un exemple neuf » makes a fresh one."""
        existing = self.existing_example()
        if existing is not None and self.open_path(existing):
            self.statusBar().showMessage(
                "Votre copie de l'exemple est rouverte. Pour repartir de zéro : Fichier › Repartir d'un exemple neuf.",
                10000)
            return True
        return super().open_example()

    def open_fresh_example(self) -> bool:
        return super().open_example()

    def load(self, dossier, **kwargs) -> None:  # noqa: ANN001, ANN003
        super().load(dossier, **kwargs)
        self.fit_section_list()

    # -- geometry ---------------------------------------------------------------------------------

    def fit_to_screen(self) -> None:
        window_geometry.fit_to_screen(self)

    def showEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt override
        super().showEvent(event)
        if not self._fitted_once:  # the window manager's frame is known only now
            self._fitted_once = True
            QTimer.singleShot(0, self._fit_after_show)

    def _fit_after_show(self) -> None:
        if self.size() == self._initial_size:
            self.fit_to_screen()

    def resizeEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt override
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
            dock = QDockWidget("Vérification du dossier", self)
            dock.setObjectName("checkDock")
            dock.setWidget(self.check_view)
            dock.setAllowedAreas(Qt.DockWidgetArea.RightDockWidgetArea | Qt.DockWidgetArea.BottomDockWidgetArea)
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
        self.check_view.tree.setFocus()

    def go_to_problem(self, problem: "Problem") -> bool:
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
                "Ce champ n'est pas affiché : il dépend d'une autre réponse de la section.", 8000)
        return False

    # -- dossier ---------------------------------------------------------------------------------

    def _update_header(self) -> None:
        c = self.controller
        if c is None:
            return
        title = c.dossier.title or "Dossier sans titre"
        self.header.title.setText(title)
        self.header.subtitle.setText(f"{c.template.title} · {c.path}")
        self.setWindowTitle(f"{window_title(title)}[*] — {APP_NAME}")

    def _show_read_only_banner(self) -> None:
        c = self.controller
        if c is None or not c.read_only:
            self.read_only_banner.hide()
            return
        h = self._lock_holder
        if h is not None:
            since = format_datetime(h.since) if h.since else "une date inconnue"
            text = (f"<b>Lecture seule</b> — ouvert par {escape(short(h.who))} depuis le {escape(since)}. Vous pouvez lire le "
                    "dossier et le vérifier ; pour le modifier, attendez qu'il soit fermé de l'autre côté.")
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
            f"Fichier : {c.path}",
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
                self.controller.dossier.author = self.settings.author_name
                self.controller.dossier.organisation = self.settings.author_organisation

    # -- window ----------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.close_dossier():
            event.ignore()
            return
        self.settings.ui["geometry"] = bytes(self.saveGeometry().toHex()).decode()
        self._save_settings()
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
