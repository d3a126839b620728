"""Keys the window owes a keyboard user: F10 opens the menu bar; Escape, Ctrl+Maj+F7 or
« Dossier › Fermer la vérification » close the check panel, whose close and float buttons take the
focus like any button (Qt leaves a dock's title buttons out of the Tab order).

Import circle allowed: the window (:class:`.main_window.MainWindow`) is named for its type only,
under ``TYPE_CHECKING``; the window installs these keys on itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractButton, QDockWidget, QWidget

from .shortcuts import key

if TYPE_CHECKING:
    from .main_window import MainWindow

#: the names said for a dock's own title buttons (Qt's private QDockWidgetTitleButton)
DOCK_BUTTON_NAMES = {
    "qt_dockwidget_closebutton": "Fermer le panneau de vérification",
    "qt_dockwidget_floatbutton": "Détacher ou rattacher le panneau de vérification",
}


def install(window: MainWindow) -> None:
    """F10 and the « Fermer la vérification » action (call once the menus are built)."""
    f10 = QShortcut(QKeySequence(Qt.Key.Key_F10), window)
    f10.setContext(Qt.ShortcutContext.WindowShortcut)
    f10.activated.connect(lambda: open_menu_bar(window))
    window._f10_shortcut = f10
    action = QAction("&Fermer la vérification", window)
    action.setShortcut(key("close_check"))
    action.triggered.connect(lambda _checked=False: close_check(window))
    window.addAction(action)
    entries = window.dossier_menu.actions()
    after = entries.index(window.act_check) + 1
    window.dossier_menu.insertAction(entries[after] if after < len(entries) else None, action)
    window.act_close_check = action


def open_menu_bar(window: MainWindow) -> None:
    """F10, as in GNOME and Windows: the first menu opens, the arrows go through the others."""
    bar = window.menuBar()
    first = next((a for a in bar.actions() if a.isVisible() and a.isEnabled() and a.menu() is not None), None)
    if first is not None:
        bar.setFocus(Qt.FocusReason.ShortcutFocusReason)
        bar.setActiveAction(first)


def dock_keys(window: MainWindow, dock: QDockWidget) -> None:
    """Escape closes the panel; its title buttons are named and reachable with Tab."""
    for button in dock.findChildren(QAbstractButton):
        name = DOCK_BUTTON_NAMES.get(button.objectName())
        if name is not None:
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            button.setAccessibleName(name)
            button.setToolTip(name)
    escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), dock)
    escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    escape.activated.connect(lambda: close_check(window))
    dock._escape_shortcut = escape


def close_check(window: MainWindow) -> None:
    """Hide the check panel; the cursor goes back where it was in the form (or to the sections)."""
    dock = window.check_dock
    if dock is None or not dock.isVisible():
        return
    had_focus = dock.isAncestorOf(window.focusWidget()) or dock.isActiveWindow()
    dock.hide()
    if had_focus:
        form = window.current_form()
        target: QWidget | None = form.focusWidget() if form is not None else None
        if target is None or not target.isVisible():
            target = window.section_list
        window.activateWindow()
        target.setFocus(Qt.FocusReason.OtherFocusReason)
