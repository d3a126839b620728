"""Say a change aloud to a screen reader: Qt's accessibility announcements (Qt ≥ 6.8).

Something that changes away from the focus — an error appearing under the field one just left, a
row removed or put back, a file attached, the dossier failing to save — is otherwise silent for a
screen reader user. ``announce`` sends a ``QAccessibleAnnouncementEvent`` (AT-SPI
``object:announcement``, read by Orca; UIA notifications on Windows): *polite* waits for the
current speech to end, *assertive* interrupts it (a save failing, an error the user must fix).

The last announcements are kept in ``recent`` (newest last) so that tests and the keyboard-only
check can tell what was said without a screen reader.
"""

from __future__ import annotations

from collections import deque

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QWidget

#: (message, assertive) of the latest announcements, newest last.
recent: deque[tuple[str, bool]] = deque(maxlen=50)


def _target(source: QObject | None) -> QObject | None:
    """The accessible object the announcement comes from: the widget concerned while it is shown,
    else the focused widget, else the active window."""
    if isinstance(source, QWidget) and source.isVisible():
        return source
    return (
        QApplication.focusWidget()
        or QApplication.activeWindow()
        or (source.window() if isinstance(source, QWidget) else None)
    )


def announce(source: QObject | None, message: str, *, assertive: bool = False) -> None:
    """Say ``message`` (French, one or two short sentences); never raises, never blocks."""
    message = " ".join(message.split())
    if not message:
        return
    recent.append((message, assertive))
    target = _target(source)
    if target is None or QApplication.instance() is None:
        return
    # imported here: nothing is said before the first paint (their Python classes, issue 14)
    from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent

    event = QAccessibleAnnouncementEvent(target, message)
    politeness = QAccessible.AnnouncementPoliteness
    event.setPoliteness(politeness.Assertive if assertive else politeness.Polite)
    QAccessible.updateAccessibility(event)


def field_problems(field: QWidget, label: str, before: list[str], after: list[str]) -> None:
    """Problems newly shown under a field the user has left: said politely, with the field's name
    (the focus is elsewhere by now, so the listener must know which field it is)."""
    new = [text for text in after if text not in before]
    if not new:
        return
    focus = QApplication.focusWidget()
    if focus is not None and (focus is field or field.isAncestorOf(focus)):
        return  # still typing in it: the description carries the problem, no interruption
    announce(field, f"{label} : {' '.join(new)}")
