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


def test_ctrl_wheel_zooms_and_preferences_set_a_size(qtbot, monkeypatch, writing_settings):  # noqa: F811
    base = system_points()
    w = open_window(qtbot, writing_settings)
    target = w.start
    for delta in (120, 120):
        event = QWheelEvent(
            QPointF(10, 10),
            QPointF(target.mapToGlobal(QPoint(10, 10))),
            QPoint(0, 0),
            QPoint(0, delta),
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.ControlModifier,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        QApplication.sendEvent(target, event)
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
