"""The accessibility interface of :class:`~.expander.RowExpander`: a push button whose state says
``expandable`` and ``expanded`` or ``collapsed``, installed as a factory with the first expander.

The factory knows an expander by its ``ACCESSIBLE_EXPANDER`` mark (importing the class back would
close an import circle)."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QAccessible, QAccessibleActionInterface, QAccessibleInterface
from PySide6.QtWidgets import QAccessibleWidget


class _ExpanderInterface(QAccessibleWidget):
    """A push button that says whether its row is open."""

    def __init__(self, button: Any) -> None:  # a RowExpander
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


def _factory(key: str, obj: Any) -> QAccessibleInterface | None:  # any QObject Qt asks about
    if getattr(obj, "ACCESSIBLE_EXPANDER", False):
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
