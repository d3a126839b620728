"""Zoom: the text size of the whole application (Ctrl++ / Ctrl+- / Ctrl+0, Ctrl+molette, Préférences),
kept in the settings between sessions.

The size is applied as the application font's point size; widgets that set a size of their own
(bold labels, titles: :func:`style.scaled_font`) are scaled by the same ratio, so proportions hold.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFont, QWheelEvent
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QPlainTextEdit, QWidget

from ..settings import Settings

MIN_POINTS, MAX_POINTS = 7, 28
SYSTEM = 0  # settings.text_size: the system's own size
WATCHED = "spieZoomWatched"  # a view's property once its wheel is watched


def system_points() -> float:
    """The application font's size before any zoom (remembered on the application the first time)."""
    app = QApplication.instance()
    base = app.property("spieSystemPoints")
    if not base:
        base = app.font().pointSizeF()
        if base <= 0:
            base = 10.0
        app.setProperty("spieSystemPoints", base)
    return float(base)


def current_points() -> float:
    return QApplication.instance().font().pointSizeF()


def clamp(points: float) -> float:
    return max(MIN_POINTS, min(MAX_POINTS, points))


def apply_text_size(size: int) -> float:
    """Set the application font to ``size`` points (``SYSTEM``: the system's); the size applied."""
    app = QApplication.instance()
    target = system_points() if size == SYSTEM else clamp(size)
    old = current_points()
    if abs(target - old) < 0.01:
        return target
    ratio = target / old if old > 0 else 1.0
    own = [
        (w, w.font().pointSizeF())
        for w in app.allWidgets()
        if w.testAttribute(Qt.WidgetAttribute.WA_SetFont) and w.font().pointSizeF() > 0
    ]
    font = QFont(app.font())
    font.setPointSizeF(target)
    app.setFont(font)
    for w, points in own:  # sizes of their own (titles, bold labels): scaled, not replaced
        f = w.font()
        f.setPointSizeF(points * ratio)
        w.setFont(f)
    return target


class Zoom(QObject):
    """The window's zoom: steps of one point, stored in ``settings.text_size`` and saved at once."""

    def __init__(self, window: QWidget, settings: Settings, save) -> None:
        super().__init__(window)
        self.window = window
        self.settings = settings
        self._save = save
        system_points()
        apply_text_size(settings.text_size)
        from .after_paint import later

        # Where the wheel is watched (issue 14): a filter on the whole application saw every event
        # of every widget in Python (2 to 7 µs each, a fifth of a section's first visit, and of every
        # keystroke's handling). The wheel goes to the widget under the mouse, then up to its parents
        # while none takes it: the window sees it unless a view scrolls with it, so the window and
        # each view (its viewport and scroll bars: :meth:`watch`) are watched; the text areas and
        # combo boxes of the forms leave Ctrl + wheel to their view (fields/text.py, choices.py).
        # At start-up after the first paint: no wheel can reach a window not yet shown.
        self._started = False
        later(self._watch_wheel)

    def _watch_wheel(self) -> None:
        self._started = True
        self.window.installEventFilter(self)
        self.watch_views(self.window)

    def watch_views(self, root: QWidget) -> None:
        """Watch every view in ``root`` (and ``root`` if it is one): a form, a panel built late."""
        areas = root.findChildren(QAbstractScrollArea)
        if isinstance(root, QAbstractScrollArea):
            areas.insert(0, root)
        for area in areas:
            if not isinstance(area, QPlainTextEdit):  # a form's text areas: their form's view
                self.watch(area)

    def watch(self, area: QAbstractScrollArea) -> None:
        """Ctrl + wheel over ``area`` (a view that scrolls with the wheel) zooms too."""
        if not self._started or area.property(WATCHED):
            return  # before the first paint: :meth:`_watch_wheel` finds it
        area.setProperty(WATCHED, True)  # on the view itself: gone with it
        for part in (area.viewport(), area.verticalScrollBar(), area.horizontalScrollBar()):
            part.installEventFilter(self)

    def set_points(self, points: float) -> None:
        size = round(clamp(points))
        stored = SYSTEM if abs(size - system_points()) < 0.5 else size
        apply_text_size(stored)
        if stored != self.settings.text_size:
            self.settings.text_size = stored
            self._save()

    def zoom_in(self) -> None:
        self.set_points(round(current_points()) + 1)

    def zoom_out(self) -> None:
        self.set_points(round(current_points()) - 1)

    def reset(self) -> None:
        self.set_points(system_points())

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        """Ctrl + molette anywhere in this window zooms (instead of scrolling)."""
        # isinstance first: asking every event its type() builds a Python enum (the window's and
        # each view's events come here, issue 14).
        if (
            isinstance(event, QWheelEvent)
            and event.type() == QEvent.Type.Wheel
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
            and isinstance(obj, QWidget)
            and obj.window() is self.window
        ):
            delta = event.angleDelta().y()
            if delta:
                self.zoom_in() if delta > 0 else self.zoom_out()
            return True
        return False
