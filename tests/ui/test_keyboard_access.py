"""Issue 13: keys a keyboard user needs — F10, Escape / Ctrl+Maj+F7 on the check panel and its
focusable title buttons, the character counter tied to its text area, announcements emitted."""

from __future__ import annotations

import pytest
from blank_window import blank_window
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication

from spie_desktop.ui import announce
from spie_desktop.ui.fields.text import TextAreaField
from spie_desktop.ui.keyboard_access import DOCK_BUTTON_NAMES


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    yield from blank_window(qtbot, tmp_path, monkeypatch)


def test_f10_opens_the_first_menu(window, qtbot):
    QTest.keyClick(window, Qt.Key.Key_F10)
    qtbot.waitUntil(lambda: window.file_menu.isVisible(), timeout=2000)
    QTest.keyClick(window.file_menu, Qt.Key.Key_Escape)


def _open_check(window, qtbot):
    window.show_section("porteur")
    window._focus_first_input(window.current_form())
    before = QApplication.focusWidget()
    assert before is not None and window.current_form().isAncestorOf(before)
    QTest.keyClick(before, Qt.Key.Key_F7)
    qtbot.waitUntil(lambda: window.check_dock is not None and window.check_dock.isVisible(), timeout=2000)
    assert window.check_view.tree.hasFocus()
    return before


def test_escape_closes_the_check_panel_and_the_cursor_goes_back(window, qtbot):
    before = _open_check(window, qtbot)
    QTest.keyClick(window.check_view.tree, Qt.Key.Key_Escape)
    assert not window.check_dock.isVisible()
    assert QApplication.focusWidget() is before


def test_a_shortcut_closes_it_too_and_is_in_the_dossier_menu(window, qtbot):
    _open_check(window, qtbot)
    QTest.keyClick(
        window.check_view.tree,
        Qt.Key.Key_F7,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert not window.check_dock.isVisible()
    assert window.act_close_check in window.dossier_menu.actions()


def test_the_panel_close_and_float_buttons_take_the_focus_and_are_named(window, qtbot):
    _open_check(window, qtbot)
    buttons = [
        b for b in window.check_dock.findChildren(QAbstractButton) if b.objectName() in DOCK_BUTTON_NAMES
    ]
    assert len(buttons) == 2
    for b in buttons:
        assert b.focusPolicy() & Qt.FocusPolicy.TabFocus
        assert b.accessibleName() == DOCK_BUTTON_NAMES[b.objectName()]
    close = next(b for b in buttons if "close" in b.objectName())
    close.setFocus(Qt.FocusReason.TabFocusReason)
    assert close.hasFocus()
    QTest.keyClick(close, Qt.Key.Key_Space)
    assert not window.check_dock.isVisible()


def test_the_character_counter_labels_its_text_area(window, qtbot):
    window.show_section("territoire")
    area = next(f for f in window.current_form().findChildren(TextAreaField) if f.spec.character_limit)
    assert area.counter.buddy() is area.edit
    assert "Compteur : " in area.edit.accessibleDescription()
    assert area.counter.text() in area.edit.accessibleDescription()


def test_a_removed_row_is_announced(window, qtbot):
    from spie_desktop.ui.fields.repetition import RepetitionField

    window.show_section("territoire")
    rep = next(f for f in window.current_form().findChildren(RepetitionField))
    row = window.controller.add_row(rep.spec.id)
    announce.recent.clear()
    rep.remove(row)
    assert announce.recent[-1][0].startswith(f"Ligne supprimée de « {rep.spec.label} »")
    rep.undo_remove()
    assert announce.recent[-1][0].startswith("Ligne rétablie")


def test_open_with_no_viewer_is_said_in_french_and_aloud(ui, controller_all, monkeypatch):
    from spie_desktop.ui.fields import attachment as attachment_module

    monkeypatch.setattr(attachment_module, "viewer_available", lambda path: False)
    controller_all.dossier.add_attachment(
        "piece", b"%PDF-1.7\n" + b"0" * 200, name="rib.pdf", media_type="application/pdf"
    )
    form = ui.show_form(controller_all, "tout")
    field = form.fields["piece"]
    [info] = controller_all.attachments("piece")
    announce.recent.clear()
    field.open(info.id, info.name)
    assert announce.recent[-1][0].startswith(
        "Aucune application installée sur cet ordinateur n'ouvre un document PDF"
    )
