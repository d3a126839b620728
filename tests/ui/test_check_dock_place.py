"""The check panel is never put beside a form it would make scroll sideways (seen in the real window
at its default 1200 px on a 1366 × 768 screen: budget rows 448 px wide in a 441 px view)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from spie_desktop.interchange import create_example_copy
from test_window import settings, window  # noqa: F401 - the shared window fixtures


def _settle(qtbot) -> None:  # noqa: ANN001
    qtbot.wait(50)


def test_panel_goes_below_when_beside_it_the_form_would_scroll_sideways(window, qtbot, tmp_path):  # noqa: F811
    assert window.open_path(create_example_copy(tmp_path))
    window.resize(1200, 728)
    window.splitter.setSizes([335, 865])  # the section list as the real window lays it out
    window.show_section("budget")
    _settle(qtbot)
    window.show_check()
    _settle(qtbot)
    form = window.current_form()
    assert not form.horizontalScrollBar().isVisible()
    assert form.viewport().width() >= form.widget().minimumSizeHint().width()
    assert window.dockWidgetArea(window.check_dock) in (Qt.DockWidgetArea.BottomDockWidgetArea,
                                                        Qt.DockWidgetArea.NoDockWidgetArea)  # below, or floated


def test_panel_stays_beside_a_form_with_room(window, qtbot, tmp_path):  # noqa: F811
    assert window.open_path(create_example_copy(tmp_path))
    window.resize(1900, 1000)
    window.show_section("budget")
    _settle(qtbot)
    window.show_check()
    _settle(qtbot)
    assert window.dockWidgetArea(window.check_dock) == Qt.DockWidgetArea.RightDockWidgetArea
    assert not window.current_form().horizontalScrollBar().isVisible()
