"""Zoom: Ctrl++ / Ctrl+- / Ctrl+0 and Ctrl+wheel change the application's text size, kept after a restart."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication
from writing_window import close_window, make_dossier, open_window, writing_settings  # noqa: F401

from spie_desktop.settings import Settings, load_settings
from spie_desktop.ui import dialogs
from spie_desktop.ui.zoom import apply_text_size, system_points


@pytest.fixture(autouse=True)
def system_size_afterwards():
    yield
    apply_text_size(0)  # other tests see the usual size


def _activate(qtbot, w) -> None:
    """Window shortcuts fire only in the active window."""
    w.raise_()
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)


def points() -> float:
    return QApplication.font().pointSizeF()


def test_zoom_keys_are_kept_after_a_restart(qtbot, tmp_path, writing_settings):  # noqa: F811
    base = system_points()
    w = open_window(qtbot, writing_settings, make_dossier(tmp_path / "d.spie"))
    label = w.current_form().findChildren(type(w.position_label))[0]
    _activate(qtbot, w)
    before = label.font().pointSizeF()
    qtbot.keyClick(w, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(w, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(w, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(w, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert points() == round(base) + 2
    assert label.font().pointSizeF() == pytest.approx(before * (round(base) + 2) / base, rel=0.01)
    assert load_settings().text_size == round(base) + 2  # saved at once
    close_window(w)
    w.close()
    apply_text_size(0)
    assert points() == base
    again = open_window(qtbot, load_settings())  # a new session reads the setting
    assert points() == round(base) + 2
    _activate(qtbot, again)
    qtbot.keyClick(again, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert points() == base and load_settings().text_size == 0


def _wheel(target, delta: int = 120, ctrl: bool = True) -> bool:
    """A wheel notch sent to ``target`` (what a real wheel reaches first); whether it was taken."""
    event = QWheelEvent(
        QPointF(10, 10),
        QPointF(target.mapToGlobal(QPoint(10, 10))),
        QPoint(0, 0),
        QPoint(0, delta),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.ControlModifier if ctrl else Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(target, event)
    return event.isAccepted()


def test_ctrl_wheel_zooms_and_preferences_set_a_size(qtbot, monkeypatch, writing_settings):  # noqa: F811
    base = system_points()
    w = open_window(qtbot, writing_settings)
    _wheel(w.start.recent.viewport())  # a view of the start screen: watched
    _wheel(w)  # a wheel no widget under the mouse took reaches the window
    assert points() == round(base) + 2

    def prefs(parent, settings, **kwargs):
        from spie_desktop.ui.preferences import PreferencesDialog

        dialog = PreferencesDialog(settings, parent)
        assert dialog.text_size.value() == round(base) + 2
        dialog.text_size.setValue(16)
        dialog.accept()
        return True

    monkeypatch.setattr(dialogs, "ask_author", prefs)
    w.edit_preferences()
    assert points() == 16 and w.settings.text_size == 16
    assert isinstance(w.settings, Settings)


def test_ctrl_wheel_over_a_form_its_text_areas_and_late_views_zooms(qtbot, tmp_path, writing_settings):  # noqa: F811
    """The zoom watches the window and its views (no application-wide filter, issue 14): a form's
    view, a text area (which leaves Ctrl + wheel to its form), a check panel built later; a plain
    wheel still scrolls the form."""
    from spie_desktop.ui.fields.text import GrowingTextEdit

    base = system_points()
    w = open_window(qtbot, writing_settings, make_dossier(tmp_path / "d.spie"))
    w.show_section("territoire")  # built after the zoom: watched when made
    form = w.current_form()
    bar = form.verticalScrollBar()
    assert bar.maximum() > 0
    assert _wheel(form.viewport(), -120, ctrl=False) and bar.value() > 0  # scrolls
    assert _wheel(form.viewport())
    assert points() == round(base) + 1 and bar.value() > 0
    area = next(e for e in form.findChildren(GrowingTextEdit) if e.isVisible())
    own = area.font().pointSizeF()
    assert not _wheel(area.viewport())  # not its own zoom: left to the form (a real wheel goes on)
    assert area.font().pointSizeF() == own
    _wheel(form.verticalScrollBar())
    assert points() == round(base) + 2
    w.show_check()
    _wheel(w.check_view.tree.viewport(), -120)
    assert points() == round(base) + 1
