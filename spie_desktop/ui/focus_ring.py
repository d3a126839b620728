"""The keyboard focus, always visible: one ring drawn over whichever control has the focus.

Fusion shows focus as a one-pixel change of a line edit's frame (2.35:1 against the unfocused
frame) and, on radio buttons, links, combo boxes and tool buttons, barely or not at all; a default
button looks the same focused or not. Rather than restyling each kind of control, a single
transparent widget follows ``QApplication.focusChanged`` and draws a ``style.FOCUS_WIDTH`` ring
just inside the focused control's edge, in ``style.focus_color`` (at least 3:1 against the window,
input and button faces and the unfocused frame). It is a child of the control's window (never of
the control, whose children and layouts stay the form's own), follows its moves, scrolling and
resizing, is cut where a scroll area hides the control, and takes no mouse event and no focus.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QRectF, Qt
from PySide6.QtGui import QPainter, QPen
from PySide6.QtWidgets import QApplication, QCheckBox, QMenu, QMenuBar, QRadioButton, QTabBar, QWidget

from . import style


class FocusRing(QWidget):
    """The ring itself, a child of the focused control's window; ``target`` is the control."""

    def __init__(self, target: QWidget) -> None:
        super().__init__(target.window())
        self.setObjectName("focusRing")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
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
        """Over the target as its window shows it: cut where a scroll area hides part of it."""
        t, win = self.target, self.parentWidget()
        if not shiboken6.isValid(t) or win is None or not t.isVisible() or t.window() is not win:
            self.hide()
            return
        rect = self.ring_rect()
        shown = QRect(t.mapTo(win, rect.topLeft()), rect.size())
        p = t.parentWidget()
        while p is not None and p is not win:
            shown = shown.intersected(QRect(p.mapTo(win, QPoint(0, 0)), p.size()))
            p = p.parentWidget()
        if shown.width() <= 2 * style.FOCUS_WIDTH or shown.height() <= 2 * style.FOCUS_WIDTH:
            self.hide()
            return
        self.setGeometry(shown)
        self.raise_()
        self.show()
        self.update()

    def colour(self):
        """From the application's palette: a style sheet's ``background: transparent`` gives a
        control a transparent (black) window colour, which would make the theme look dark."""
        return style.focus_color(QApplication.palette())

    def paintEvent(self, _event) -> None:
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


_FOLLOWED = (QEvent.Type.Move, QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.Hide)


class FocusTracker(QObject):
    """Moves the ring to the focused widget and keeps it there as the widget, or anything it sits
    in (a scrolled form), moves, resizes, shows or hides; a tab bar's ring follows its current tab."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.ring: FocusRing | None = None
        self.watched: list[QWidget] = []
        app.focusChanged.connect(self._moved)

    def _unwatch(self) -> None:
        for w in self.watched:
            if shiboken6.isValid(w):
                w.removeEventFilter(self)
                if isinstance(w, QTabBar):
                    w.currentChanged.disconnect(self._follow)
        self.watched = []

    def _moved(self, _old: QWidget | None, new: QWidget | None) -> None:
        self._unwatch()
        ring = self.ring if self.ring is not None and shiboken6.isValid(self.ring) else None
        if not wants_ring(new):
            if ring is not None:
                ring.hide()
            return
        if ring is None or ring.parentWidget() is not new.window():
            if ring is not None:
                ring.hide()
                ring.deleteLater()
            ring = FocusRing(new)
            self.ring = ring
        ring.target = new
        w: QWidget | None = new
        while w is not None and w is not ring.parentWidget():
            w.installEventFilter(self)
            self.watched.append(w)
            w = w.parentWidget()
        if isinstance(new, QTabBar):
            new.currentChanged.connect(self._follow)
        ring.follow()

    def _follow(self, *_args) -> None:
        if self.ring is not None and shiboken6.isValid(self.ring):
            self.ring.follow()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() in _FOLLOWED:
            self._follow()
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
