"""The row expander: a button that folds or opens a repetition row, exposed to assistive
technologies as an expandable control with its expanded / collapsed state (issue 13), not as a
check box whose name ends in « (dépliée) ».

Qt gives a checkable tool button the check-box role; this button is not checkable, and an
accessibility factory gives it a button interface whose state carries ``expandable`` and
``expanded`` or ``collapsed`` (the AT-SPI bridge maps them to the same states). Each change is
announced with a state-change event, so a running screen reader hears « développé » / « réduit ».
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import (
    QAccessible,
    QAccessibleActionInterface,
    QAccessibleInterface,
    QAccessibleStateChangeEvent,
)
from PySide6.QtWidgets import QAccessibleWidget, QToolButton, QWidget


class RowExpander(QToolButton):
    """A tool button with an expanded state; ``expandedChanged(bool)`` follows ``set_expanded``."""

    expandedChanged = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        install_factory()
        super().__init__(parent)
        self._expanded = False

    def is_expanded(self) -> bool:
        return self._expanded

    def set_expanded(self, on: bool) -> None:
        if on == self._expanded:
            return
        self._expanded = on
        if QAccessible.isActive():
            state = QAccessible.State()
            state.expanded = True
            state.collapsed = True
            QAccessible.updateAccessibility(QAccessibleStateChangeEvent(self, state))
        self.expandedChanged.emit(on)


class _ExpanderInterface(QAccessibleWidget):
    """A push button that says whether its row is open."""

    def __init__(self, button: RowExpander) -> None:
        super().__init__(button, QAccessible.Role.Button, "")
        self._button = button

    def state(self) -> QAccessible.State:
        s = super().state()
        s.expandable = True
        on = self._button.is_expanded()
        s.expanded = on
        s.collapsed = not on
        return s

    def text(self, kind: QAccessible.Text) -> str:
        b = self._button
        if kind == QAccessible.Text.Name:
            return b.accessibleName() or b.text().replace("&&", "&")
        if kind == QAccessible.Text.Description:
            return b.accessibleDescription() or b.toolTip()
        return super().text(kind)

    def actionNames(self) -> list[str]:
        return [QAccessibleActionInterface.pressAction()]

    def doAction(self, name: str) -> None:
        self._button.click()


_installed = False


def _factory(key: str, obj: QObject) -> QAccessibleInterface | None:
    if isinstance(obj, RowExpander):
        iface = _ExpanderInterface(obj)
        obj._a11y_interface = iface  # the wrapper lives as long as the button
        return iface
    return None


def install_factory() -> None:
    """Once per process; other widgets keep Qt's own interfaces (the factory answers None)."""
    global _installed
    if not _installed:
        QAccessible.installFactory(_factory)
        _installed = True
