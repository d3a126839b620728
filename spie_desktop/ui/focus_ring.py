"""The keyboard focus, always visible: one ring drawn over whichever control has the focus.

Fusion shows focus as a one-pixel change of a line edit's frame (2.35:1 against the unfocused
frame) and, on radio buttons, links, combo boxes and tool buttons, barely or not at all; a default
button looks the same focused or not. Rather than restyling each kind of control, a single
transparent child widget follows ``QApplication.focusChanged`` and draws a ``style.FOCUS_WIDTH``
ring just inside the focused control's edge, in ``style.focus_color`` (at least 3:1 against the
window, input and button faces and the unfocused frame). Being a child of the control, it scrolls
and clips with it; it takes no mouse event and no focus.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, QRect, QRectF, Qt
from PySide6.QtGui import QPainter, QPen
from PySide6.QtWidgets import QApplication, QCheckBox, QMenu, QMenuBar, QRadioButton, QTabBar, QWidget

from . import style


class FocusRing(QWidget):
    """The ring itself; ``target`` is the control it surrounds."""

    def __init__(self, target: QWidget) -> None:
        super().__init__(target)
        self.setObjectName("focusRing")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAccessibleName("")
        self.target = target

    def ring_rect(self) -> QRect:
        """Where the ring goes, in the target's coordinates: the current tab of a tab bar, the
        box and words of a check box or radio button (not the empty room a layout gave it)."""
        t = self.target
        if isinstance(t, QTabBar) and t.currentIndex() >= 0:
            return t.tabRect(t.currentIndex())
        rect = t.rect()
        if isinstance(t, (QCheckBox, QRadioButton)):
            rect.setWidth(min(rect.width(), t.sizeHint().width() + 2 * style.FOCUS_WIDTH))
        return rect

    def follow(self) -> None:
        self.setGeometry(self.ring_rect())
        self.raise_()
        self.update()

    def colour(self):  # noqa: ANN201 - QColor
        """From the application's palette: a style sheet's ``background: transparent`` gives a
        control a transparent (black) window colour, which would make the theme look dark."""
        return style.focus_color(QApplication.palette())

    def paintEvent(self, _event) -> None:  # noqa: N802, ANN001 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        width = style.FOCUS_WIDTH
        pen = QPen(self.colour(), width)
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        half = width / 2
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(half, half, -half, -half), 3, 3)


def wants_ring(widget: QWidget | None) -> bool:
    """Menus show their own highlighted item; a widget too small to hold a ring is left alone."""
    if widget is None or isinstance(widget, (QMenu, QMenuBar)) or widget.objectName() == "focusRing":
        return False
    return widget.width() > 2 * style.FOCUS_WIDTH + 2 and widget.height() > 2 * style.FOCUS_WIDTH + 2


class FocusTracker(QObject):
    """Moves the ring to the focused widget and keeps it on the widget's size and current tab."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.ring: FocusRing | None = None
        self.watched: QWidget | None = None
        app.focusChanged.connect(self._moved)

    def _moved(self, _old: QWidget | None, new: QWidget | None) -> None:
        if self.watched is not None and shiboken6.isValid(self.watched):
            self.watched.removeEventFilter(self)
            if isinstance(self.watched, QTabBar):
                self.watched.currentChanged.disconnect(self._retab)
        self.watched = None
        ring = self.ring if self.ring is not None and shiboken6.isValid(self.ring) else None
        if not wants_ring(new):
            if ring is not None:
                ring.hide()
            return
        if ring is None or ring.target is not new:
            if ring is not None:
                ring.deleteLater()
            ring = FocusRing(new)
            self.ring = ring
        self.watched = new
        new.installEventFilter(self)
        if isinstance(new, QTabBar):
            new.currentChanged.connect(self._retab)
        ring.follow()
        ring.show()

    def _retab(self, _index: int) -> None:
        if self.ring is not None and shiboken6.isValid(self.ring):
            self.ring.follow()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if obj is self.watched and event.type() in (QEvent.Type.Resize, QEvent.Type.ChildAdded,
                                                     QEvent.Type.LayoutRequest):
            ring = self.ring
            if ring is not None and shiboken6.isValid(ring) and event.type() != QEvent.Type.ChildAdded:
                ring.follow()
            elif ring is not None and shiboken6.isValid(ring):
                ring.raise_()
        return False


def install(app: QApplication) -> FocusTracker:
    """Once per application (``create_application`` does it)."""
    tracker = getattr(app, "_spie_focus_tracker", None)
    if tracker is None:
        tracker = FocusTracker(app)
        app._spie_focus_tracker = tracker
    return tracker


def ring_of(app: QApplication) -> FocusRing | None:
    """The ring shown now (tests, screenshots), or None."""
    tracker = getattr(app, "_spie_focus_tracker", None)
    ring = tracker.ring if tracker is not None else None
    return ring if ring is not None and shiboken6.isValid(ring) and ring.isVisible() else None
