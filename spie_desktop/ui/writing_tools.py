"""The word-processor tools of the window: Rechercher / Remplacer in « Édition » (more join later).

One object owned by the window (composition): it adds its actions to the window's menus, builds
its dock on first use and follows the window's dossier through :meth:`update_actions`, which the
window calls whenever a dossier opens or closes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget

from ..search import SearchHit

if TYPE_CHECKING:
    from .main_window import MainWindow
    from .search_panel import SearchPanel


class WritingTools:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.search_panel: SearchPanel | None = None
        self.search_dock: QDockWidget | None = None
        menu = window.edit_menu
        first = menu.actions()[0] if menu.actions() else None
        self.act_find = window._action("&Rechercher…", lambda: self.show_search(replace=False), "find")
        self.act_replace = window._action("Re&mplacer…", lambda: self.show_search(replace=True), "replace")
        self.dossier_actions = [self.act_find, self.act_replace]
        for a in self.dossier_actions:
            menu.insertAction(first, a)
        if first is not None:
            menu.insertSeparator(first)

    def update_actions(self) -> None:
        c = self.window.controller
        for a in self.dossier_actions:
            a.setEnabled(c is not None)
        self.act_replace.setEnabled(c is not None and not c.read_only)
        if self.search_panel is not None and self.search_panel.controller is not c:
            self.search_panel.set_controller(c)
            if c is None and self.search_dock is not None:
                self.search_dock.hide()

    # -- search ----------------------------------------------------------------------------------

    def _ensure_search(self) -> SearchPanel:
        if self.search_panel is None:
            from .search_panel import SearchPanel

            w = self.window
            panel = SearchPanel(w)
            panel.hitChosen.connect(self.go_to_hit)
            dock = QDockWidget("Rechercher dans le dossier", w)
            dock.setObjectName("searchDock")
            dock.setWidget(panel)
            dock.setAllowedAreas(Qt.DockWidgetArea.RightDockWidgetArea | Qt.DockWidgetArea.LeftDockWidgetArea
                                 | Qt.DockWidgetArea.BottomDockWidgetArea)
            w.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
            dock.hide()
            self.search_panel, self.search_dock = panel, dock
        return self.search_panel

    def show_search(self, *, replace: bool = False) -> None:
        w = self.window
        if w.controller is None:
            return
        panel = self._ensure_search()
        panel.set_controller(w.controller)
        panel.show_replace(replace or panel.replace_row.isVisible())
        dock = self.search_dock
        if not dock.isVisible():
            dock.show()
            w.resizeDocks([dock], [max(w.width() // 3, w.fontMetrics().averageCharWidth() * 48)],
                          Qt.Orientation.Horizontal)
        dock.raise_()
        field = panel.replacement if replace and panel.query.text() else panel.query
        field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        field.selectAll()

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
