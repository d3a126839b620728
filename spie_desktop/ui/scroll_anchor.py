"""Nothing moves under the pointer when a message line appears or goes away above it.

Leaving a field shows its problem under it; a typing pause re-checks and adds or removes lines on
other fields. Each line pushes what is below it down by one line: the field one is clicking into
jumps away between the press and the release, and the next click lands in the wrong field.

Browsers solve this with *scroll anchoring*: when content above the anchor (what is under the
pointer, else the focused input) changes height, the view scrolls by the same amount, so the anchor
stays where it was on screen. :func:`hold` records the anchor before a change; the position is put
back as soon as the page has been laid out again (its resize), again when the scroll bar's range has
followed (scrolled to the end, the first put-back is cut at the old end), and once more at the next
turn of the event loop. A new line reaches the page's size through a few turns of the event loop (the
field's layout, then the page's), so the anchor is held until the page has resized, for at most
``SETTLE_TURNS`` turns. A deliberate scroll (a jump to a field, a row added) calls :func:`release` first.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, QPoint, QTimer
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget

_ANCHOR_PROPERTY = "_spie_scroll_anchor"
SETTLE_TURNS = 10  # turns of the event loop the anchor waits for the page's resize


class _Anchor(QObject):
    """The held position of one scroll area's anchor widget, put back after the page moved."""

    def __init__(self, area: QScrollArea) -> None:
        super().__init__(area)
        self.area = area
        self.target: QWidget | None = None
        self.y = 0
        self._watched: QWidget | None = None
        self._turns = 0
        self._resized = False
        bar = area.verticalScrollBar()
        bar.rangeChanged.connect(self._range_changed)
        bar.actionTriggered.connect(self._scrolled)  # the user's wheel, keys or drag win over the hold

    def hold(self, source: QWidget | None) -> None:
        if _alive(self.target):
            return  # already holding for this turn of the event loop
        page = self.area.widget()
        if page is None or not self.area.isVisible():
            return
        anchor = _pick(page, source)
        if anchor is None:
            return
        self.target = anchor
        self.y = _viewport_y(self.area, anchor)
        if not _alive(self._watched) or self._watched is not page:
            page.installEventFilter(self)
            self._watched = page
        self._turns, self._resized = 0, False
        QTimer.singleShot(0, self._finish)

    def release(self) -> None:
        self.target = None

    def restore(self) -> None:
        anchor = self.target
        if not _alive(anchor):
            self.target = None
            return
        try:
            delta = _viewport_y(self.area, anchor) - self.y
        except RuntimeError:  # the anchor went away (a row removed)
            self.target = None
            return
        if delta:
            bar = self.area.verticalScrollBar()
            bar.setValue(bar.value() + delta)

    def _finish(self) -> None:
        self.restore()
        self._turns += 1
        if self.target is not None and not self._resized and self._turns < SETTLE_TURNS:
            QTimer.singleShot(0, self._finish)  # the page has not been laid out again yet
            return
        self.target = None

    def _scrolled(self, _action: int) -> None:
        self.release()

    def _range_changed(self, _low: int, _high: int) -> None:
        if self.target is not None:
            self.restore()  # the page's resize put back what the old range allowed

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and self.target is not None:
            self._resized = True
            self.restore()  # the page's layout has already placed its children for the new size
        return False


def _alive(widget: QWidget | None) -> bool:
    return widget is not None and shiboken6.isValid(widget)


def _viewport_y(area: QScrollArea, widget: QWidget) -> int:
    return widget.mapTo(area.viewport(), QPoint(0, 0)).y()


def _pick(page: QWidget, source: QWidget | None) -> QWidget | None:
    """What must not move: the widget under the pointer, else the focused one, inside the page."""
    under = QApplication.widgetAt(QCursor.pos())
    for candidate in (under, QApplication.focusWidget()):
        if candidate is not None and candidate is not source and page.isAncestorOf(candidate):
            if source is not None and (candidate.isAncestorOf(source) or source.isAncestorOf(candidate)):
                continue  # the field that changes: its own top does not move
            return candidate
    return None


def _area_of(widget: QWidget) -> QScrollArea | None:
    w = widget.parentWidget()
    while w is not None:
        if isinstance(w, QScrollArea) and w.widget() is not None and w.widget().isAncestorOf(widget):
            return w
        w = w.parentWidget()
    return None


def _anchor_for(area: QScrollArea) -> _Anchor:
    anchor = area.findChild(_Anchor, _ANCHOR_PROPERTY)
    if anchor is None:
        anchor = _Anchor(area)
        anchor.setObjectName(_ANCHOR_PROPERTY)
    return anchor


def hold(source: QWidget) -> None:
    """``source`` is about to grow or shrink: keep what is under the pointer (or focused) in place."""
    area = source if isinstance(source, QScrollArea) else _area_of(source)
    if area is not None:
        _anchor_for(area).hold(None if area is source else source)


def release(area: QScrollArea) -> None:
    """A deliberate scroll follows (a jump, a row added): do not put the old position back."""
    anchor = area.findChild(_Anchor, _ANCHOR_PROPERTY)
    if anchor is not None:
        anchor.release()
