"""The word-processor tools of the window, in « Édition »: Rechercher, Remplacer, the spelling, zoom;
and « Imprimer… » in « Fichier ».

One object owned by the window (composition): it adds its actions to the window's menus, builds
its dock on first use and follows the window's dossier through :meth:`update_actions`, which the
window calls whenever a dossier opens or closes.

Import circle allowed: the window (:class:`.main_window.MainWindow`) is named for its type only,
under TYPE_CHECKING; the window composes these tools.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDockWidget, QMenu, QWidget

from .shortcuts import key

if TYPE_CHECKING:
    from ..search import SearchHit
    from .main_window import MainWindow
    from .search_panel import SearchPanel
    from .spelling_panel import SpellingPanel


class WritingTools:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.search_panel: SearchPanel | None = None
        self.search_dock: QDockWidget | None = None
        self.spelling_panel: SpellingPanel | None = None
        self.spelling_dock: QDockWidget | None = None
        menu = window.edit_menu
        first = menu.actions()[0] if menu.actions() else None
        self.act_find = window._action("&Rechercher…", lambda: self.show_search(replace=False), "find")
        self.act_replace = window._action("Re&mplacer…", lambda: self.show_search(replace=True), "replace")
        self.act_spelling = window._action(
            "Vérifier l'&orthographe du dossier", self.show_spelling, "spelling"
        )
        self.act_print = window._action("&Imprimer…", self.print_review_copy, "print")
        self.act_print.setStatusTip("La copie de relecture, envoyée à l'imprimante")
        window.file_menu.insertAction(window.act_close, self.act_print)
        window.file_menu.insertSeparator(window.act_close)
        self.dossier_actions = [self.act_find, self.act_replace, self.act_spelling, self.act_print]
        for a in self.dossier_actions[:3]:
            menu.insertAction(first, a)
            if a is self.act_replace:
                menu.insertSeparator(first)
        if first is not None:
            menu.insertSeparator(first)
        from .zoom import Zoom

        self.zoom = Zoom(window, window.settings, window._save_settings)
        self.zoom_menu = QMenu("&Taille du texte", window)
        self.act_zoom_in = window._action("&Agrandir", self.zoom.zoom_in, "zoom_in")
        self.act_zoom_in.setShortcuts([key("zoom_in"), QKeySequence("Ctrl+=")])
        self.act_zoom_out = window._action("&Réduire", self.zoom.zoom_out, "zoom_out")
        self.act_zoom_reset = window._action("Taille &normale", self.zoom.reset, "zoom_reset")
        for a in (self.act_zoom_in, self.act_zoom_out, self.act_zoom_reset):
            self.zoom_menu.addAction(a)
        menu.insertMenu(first, self.zoom_menu)
        if first is not None:
            menu.insertSeparator(first)
        self.apply_settings()

    def apply_settings(self) -> None:
        """After Préférences (and at start): spell checking on or off, the text size."""
        from .after_paint import later
        from .zoom import apply_text_size

        later(self._apply_spelling)  # at start-up, after the first paint: nothing is underlined before
        apply_text_size(self.window.settings.text_size)

    def _apply_spelling(self) -> None:
        from .spell_highlighter import SpellService

        SpellService.instance().set_enabled(self.window.settings.spell_check)

    def update_actions(self) -> None:
        c = self.window.controller
        for a in self.dossier_actions:
            a.setEnabled(c is not None)
        self.act_replace.setEnabled(c is not None and not c.read_only)
        for panel, dock in ((self.search_panel, self.search_dock), (self.spelling_panel, self.spelling_dock)):
            if panel is not None and panel.controller is not c:
                panel.set_controller(c)
                if c is None and dock is not None:
                    dock.hide()

    def _dock(self, title: str, name: str, panel: QWidget) -> QDockWidget:
        w = self.window
        dock = QDockWidget(title, w)
        dock.setObjectName(name)
        dock.setWidget(panel)
        dock.setAllowedAreas(
            Qt.DockWidgetArea.RightDockWidgetArea
            | Qt.DockWidgetArea.LeftDockWidgetArea
            | Qt.DockWidgetArea.BottomDockWidgetArea
        )
        w.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        dock.hide()
        self.zoom.watch_views(panel)
        return dock

    def _show_dock(self, dock: QDockWidget) -> None:
        w = self.window
        if not dock.isVisible():
            dock.show()
            w.resizeDocks(
                [dock],
                [max(w.width() // 3, w.fontMetrics().averageCharWidth() * 48)],
                Qt.Orientation.Horizontal,
            )
        dock.raise_()

    # -- search ----------------------------------------------------------------------------------

    def _ensure_search(self) -> SearchPanel:
        if self.search_panel is None:
            from .search_panel import SearchPanel

            panel = SearchPanel(self.window)
            panel.hitChosen.connect(self.go_to_hit)
            self.search_panel, self.search_dock = (
                panel,
                self._dock("Rechercher dans le dossier", "searchDock", panel),
            )
        return self.search_panel

    def show_search(self, *, replace: bool = False) -> None:
        w = self.window
        if w.controller is None:
            return
        panel = self._ensure_search()
        panel.set_controller(w.controller)
        panel.show_replace(replace or panel.replace_row.isVisible())
        self._show_dock(self.search_dock)
        field = panel.replacement if replace and panel.query.text() else panel.query
        field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        field.selectAll()

    def print_review_copy(self):
        from .print_dialog import print_review_copy

        return print_review_copy(self.window)

    # -- spelling --------------------------------------------------------------------------------

    def show_spelling(self) -> None:
        w = self.window
        if w.controller is None:
            return
        if self.spelling_panel is None:
            from .spelling_panel import SpellingPanel

            panel = SpellingPanel(w)
            panel.placeChosen.connect(self.go_to_hit)
            self.spelling_panel = panel
            self.spelling_dock = self._dock("Orthographe du dossier", "spellingDock", panel)
        w.controller.flush()
        self.spelling_panel.set_controller(w.controller)
        self._show_dock(self.spelling_dock)
        self.spelling_panel.refresh()
        self.spelling_panel.tree.setFocus()

    def go_to_hit(self, hit: SearchHit) -> bool:
        """Show the hit's field and select the match in it. True when the match is selected."""
        from .search_panel import select_match

        w = self.window
        if w.controller is None:
            return False
        if not w.go_to_path(hit.path, hit.section_id):
            return False
        form = w.current_form()
        widget = form.widget_for(hit.path) if form is not None and hasattr(form, "widget_for") else None
        return select_match(widget, hit)
