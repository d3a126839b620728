"""Texts a screen reader reads, kept current while it runs (issue 13).

Qt tells the accessibility bus when a widget's accessible name or description is set, but not when
a tab's text changes: a running screen reader kept announcing « Réponses à reporter (0 / 261
copiées) » after copies. These helpers change the text and send the event Qt leaves out.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAccessibleEvent
from PySide6.QtWidgets import QLineEdit, QTabWidget, QToolButton, QTreeWidgetItem


def set_tab_text(tabs: QTabWidget, index: int, text: str) -> None:
    """Change a tab's text and tell the accessibility bus that the tab's name changed."""
    if tabs.tabText(index) == text:
        return
    tabs.setTabText(index, text)
    if QAccessible.isActive():
        event = QAccessibleEvent(tabs.tabBar(), QAccessible.Event.NameChanged)
        event.setChild(index)
        QAccessible.updateAccessibility(event)


def with_clear_button(edit: QLineEdit, name: str = "Effacer le texte") -> None:
    """Qt's clear button of a line edit, named (it was a nameless button for a screen reader)."""
    edit.setClearButtonEnabled(True)
    for button in edit.findChildren(QToolButton):
        if not button.accessibleName():
            button.setAccessibleName(name)


def name_empty_cells(item: QTreeWidgetItem, text: str) -> None:
    """A tree line's empty cells say ``text`` to a screen reader instead of nothing."""
    tree = item.treeWidget()
    for column in range(max(item.columnCount(), tree.columnCount() if tree is not None else 0)):
        if not item.text(column).strip():
            item.setData(column, Qt.ItemDataRole.AccessibleTextRole, text)
