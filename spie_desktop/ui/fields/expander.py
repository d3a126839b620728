"""The row expander: a button that folds or opens a repetition row, exposed to assistive
technologies as an expandable control with its expanded / collapsed state (issue 13), not as a
check box whose name ends in « (dépliée) ».

Qt gives a checkable tool button the check-box role; this button is not checkable, and an
accessibility factory gives it a button interface whose state carries ``expandable`` and
``expanded`` or ``collapsed`` (the AT-SPI bridge maps them to the same states). Each change is
announced with a state-change event, so a running screen reader hears « développé » / « réduit ».
The interface lives in :mod:`.expander_access`, loaded with the first expander: a section without
repetition rows (the window's first paint, issue 14) sets up none of Qt's accessibility classes.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QToolButton, QWidget


class RowExpander(QToolButton):
    """A tool button with an expanded state; ``expandedChanged(bool)`` follows ``set_expanded``."""

    expandedChanged = Signal(bool)
    ACCESSIBLE_EXPANDER = True  # what expander_access's factory looks for

    def __init__(self, parent: QWidget | None = None) -> None:
        from .expander_access import install_factory

        install_factory()
        super().__init__(parent)
        self._expanded = False

    def is_expanded(self) -> bool:
        return self._expanded

    def set_expanded(self, on: bool) -> None:
        if on == self._expanded:
            return
        self._expanded = on
        from PySide6.QtGui import QAccessible, QAccessibleStateChangeEvent

        if QAccessible.isActive():
            state = QAccessible.State()
            state.expanded = True
            state.collapsed = True
            QAccessible.updateAccessibility(QAccessibleStateChangeEvent(self, state))
        self.expandedChanged.emit(on)
