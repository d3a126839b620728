"""The main window's size and arrangement on small screens and with large text: a default size
within the screen, the section list at most about a quarter of the width, and the check panel
beside the form only when both keep a readable width (below it otherwise).

Import circle allowed: the window (:class:`.main_window.MainWindow`) is named for its type only,
under TYPE_CHECKING; these functions are the window's own, cut out of main_window.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget

if TYPE_CHECKING:
    from .main_window import MainWindow

#: Below this width (in average characters) beside the check panel, the panel goes under the form.
READABLE_FORM_CHARS = 70

#: Room left for a window frame before the window manager says how big it is.
FRAME_ROOM = QSize(16, 40)


def default_size(window: QWidget) -> QSize:
    """1200 × 820, or less on a smaller screen (a 1366 × 768 laptop, 1280 × 720 at 150 %)."""
    screen = window.screen() or QApplication.primaryScreen()
    if screen is None:
        return QSize(1200, 820)
    avail = screen.availableGeometry()
    # the frame (title bar, borders) is not known before the window manager has shown the window:
    # leave it room, so that the status bar is not below the screen's edge
    return QSize(
        min(1200, avail.width() - FRAME_ROOM.width()), min(820, avail.height() - FRAME_ROOM.height())
    )


def restore(window: QWidget, saved: object) -> bool:
    """The window as ``saved`` (``saveGeometry``'s bytes in hex); False when there is none, or when
    Qt refuses it: it does for a window saved on a screen more than 25 % wider or narrower in logical
    pixels, which is the same screen at another scale (saved at 200 %, 683 pixels wide, reopened at
    100 %, 1366). The window then keeps its size, which the caller sets (the default, not Qt's
    640 × 480 of a window never sized)."""
    if not isinstance(saved, str):
        return False
    try:
        data = QByteArray.fromHex(saved.encode("ascii"))
    except UnicodeEncodeError:
        return False
    return bool(data) and window.restoreGeometry(data)


def fit_to_screen(window: QWidget) -> None:
    """A window restored from a bigger screen (or a default too big) shrinks to the screen, its
    frame (title bar, borders) included: the window manager's once it has given one, FRAME_ROOM
    before. (Qt's restoreGeometry clamps a saved window to the whole screen height: at 1366 × 768
    and 200 %, 384 logical pixels, the title bar then pushed the status bar below the screen.)"""
    screen = window.screen() or QApplication.primaryScreen()
    if screen is None:
        return
    avail = screen.availableGeometry()
    frame = window.frameGeometry().size() - window.geometry().size()
    if frame.width() <= 0 and frame.height() <= 0:  # no frame yet: leave it the room default_size does
        frame = FRAME_ROOM
    room = QSize(avail.width() - frame.width(), avail.height() - frame.height())
    if window.width() > room.width() or window.height() > room.height():
        window.resize(min(window.width(), room.width()), min(window.height(), room.height()))
    outer = window.frameGeometry()
    if window.isVisible() and not avail.contains(outer):
        window.move(
            max(avail.left(), min(outer.x(), avail.right() - outer.width())),
            max(avail.top(), min(outer.y(), avail.bottom() - outer.height())),
        )


def fit_section_list(window: MainWindow) -> None:
    """The section list takes at most about a quarter of the window (its titles wrap), so the
    form keeps a readable width with large text or on a small screen."""
    sizes = window.splitter.sizes()
    if len(sizes) != 2 or sum(sizes) <= 0:
        return
    avg = window.fontMetrics().averageCharWidth()
    most = max(avg * 20, min(avg * 38, round(sum(sizes) * 0.26)))
    if sizes[0] > most:
        window.splitter.setSizes([most, sum(sizes) - most])


AUTO_FLOAT = "spieFloatedForRoom"


def place_check_dock(window: MainWindow) -> None:
    """Right of the form when both keep a readable width, else below the form (a floated panel
    stays where the user put it)."""
    dock = window.check_dock
    if dock is None:
        return
    if dock.isFloating():
        floated_at = dock.property(AUTO_FLOAT)
        if not floated_at:
            return  # floated by the user: it stays where they put it
        if window.width() <= floated_at.width() and window.height() <= floated_at.height():
            return  # floated for want of room, and the window has not grown since
    avg = window.fontMetrics().averageCharWidth()
    side = max(window.width() // 3, avg * 44)
    form_room = window.width() - side - window.section_list.width() - _form_chrome(window)
    form = window.current_form()
    content = (
        form.widget().minimumSizeHint().width() if isinstance(form, QScrollArea) and form.widget() else 0
    )
    # beside only when the window, as wide as it is, holds both: else Qt would widen it
    beside = (
        form_room >= max(avg * READABLE_FORM_CHARS, content)
        and _without_dock(window).width() + _panel_width(window, dock) <= window.width()
    )
    area = Qt.DockWidgetArea.RightDockWidgetArea if beside else Qt.DockWidgetArea.BottomDockWidgetArea
    if area == Qt.DockWidgetArea.BottomDockWidgetArea and not _room_below(window, dock):
        if _room_beside(window, dock):
            area = Qt.DockWidgetArea.RightDockWidgetArea
        else:  # a tiny screen in logical pixels (1366 × 768 at 200 %): the panel floats beside
            if not dock.isFloating():
                _float(window, dock)
            return
    if dock.isFloating():  # floated by us for want of room, and there is room now: docked again
        dock.setFloating(False)
        dock.setProperty(AUTO_FLOAT, None)
    if window.dockWidgetArea(dock) != area:
        shown = dock.isVisible()
        window.removeDockWidget(dock)  # hides it
        window.addDockWidget(area, dock)
        dock.setVisible(shown)
    if area == Qt.DockWidgetArea.RightDockWidgetArea:
        window.resizeDocks([dock], [side], Qt.Orientation.Horizontal)
    else:
        window.resizeDocks(
            [dock], [max(window.height() // 4, window.fontMetrics().height() * 5)], Qt.Orientation.Vertical
        )


def _form_chrome(window: QWidget) -> int:
    """What a section's scroll area takes around its text: the splitter handle, frames and the
    vertical scroll bar (the form's own margins are in its content's minimum width)."""
    style = window.style()
    metric = style.PixelMetric  # through the style: no QStyle import at start-up (ui/style.tone_icon)
    return (
        style.pixelMetric(metric.PM_ScrollBarExtent)
        + 2 * style.pixelMetric(metric.PM_DefaultFrameWidth)
        + style.pixelMetric(metric.PM_SplitterWidth)
        + 8
    )


#: The screen the layout tour stands for (its window maximised on a screen of that size); None: the real one.
simulated_screen: QSize | None = None


def _screen_room(window: QWidget) -> QSize:
    if simulated_screen is not None:
        return QSize(simulated_screen)
    screen = window.screen() or QApplication.primaryScreen()
    if screen is None:
        return QSize(10**6, 10**6)
    avail = screen.availableGeometry()
    return QSize(avail.width() - FRAME_ROOM.width(), avail.height() - FRAME_ROOM.height())


def _without_dock(window: MainWindow) -> QSize:
    central = window.centralWidget().minimumSizeHint()
    bars = window.menuBar().sizeHint().height() + window.statusBar().sizeHint().height()
    return QSize(central.width(), central.height() + bars)


def _room(window: QWidget) -> QSize:
    """Where the panel may go: inside the window as the person sized it, never past the screen.
    Docking it where the window has no room would make Qt grow the window (past the screen's
    edge on a small one: 468 px of a 384 px high screen at 1366 × 768 and 200 %)."""
    return _screen_room(window).boundedTo(window.size())


def _room_below(window: MainWindow, dock) -> bool:
    need = (
        _without_dock(window).height() + dock.minimumSizeHint().height() + window.fontMetrics().height() * 4
    )
    return need <= _room(window).height()


def _panel_width(window: MainWindow, dock) -> int:
    return max(dock.minimumSizeHint().width(), window.fontMetrics().averageCharWidth() * 30)


def _room_beside(window: MainWindow, dock) -> bool:
    need = _without_dock(window).width() + _panel_width(window, dock)
    return need <= _room(window).width()


def _float(window: MainWindow, dock) -> None:
    """The panel as its own window over the right part of the main window (within the screen),
    movable, dockable again."""
    screen = window.screen() or QApplication.primaryScreen()
    dock.setFloating(True)
    dock.setProperty(
        AUTO_FLOAT, QSize(window.size())
    )  # not the user's choice: docked again once the window grows
    if not dock.property("spieWatchesFloat"):  # docked by the user: their next float is theirs
        dock.topLevelChanged.connect(lambda floating, d=dock: floating or d.setProperty(AUTO_FLOAT, None))
        dock.setProperty("spieWatchesFloat", True)
    if screen is not None:
        avail = screen.availableGeometry() if simulated_screen is None else window.geometry()
        over = avail.intersected(window.geometry())
        area = over if over.width() > 0 and over.height() > 0 else avail
        width = min(max(dock.minimumSizeHint().width(), area.width() * 2 // 5), area.width())
        height = min(max(dock.minimumSizeHint().height(), area.height() * 4 // 5), area.height())
        dock.setGeometry(area.right() + 1 - width, area.bottom() + 1 - height, width, height)
