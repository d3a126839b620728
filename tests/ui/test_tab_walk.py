"""Issue 13: Tab walks the main window as the eye reads — the section list, the form's fields, then
Précédent / Suivant and the check panel — with the section's scroll area never a stop (it shows no
focus), whichever order the forms, the panel and the rows were built in. Keys only (QTest)."""

from __future__ import annotations

import pytest
from blank_window import blank_window
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QComboBox, QLineEdit, QWidget

from spie_desktop.ui.main_window import MainWindow

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    yield from blank_window(qtbot, tmp_path, monkeypatch)


def focus() -> QWidget:
    w = QApplication.focusWidget()
    assert w is not None, "plus rien n'a le focus"
    return w


def tab_walk(window: MainWindow, limit: int = 200) -> list[QWidget]:
    """Tab from the section list until it comes back to it: every stop on the way."""
    window.section_list.setFocus(Qt.FocusReason.TabFocusReason)
    seen: list[QWidget] = []
    for _ in range(limit):
        QTest.keyClick(focus(), Qt.Key.Key_Tab)
        if focus() is window.section_list:
            return seen
        seen.append(focus())
    raise AssertionError(
        f"Tab ne revient pas à la liste des sections : {[w.accessibleName() for w in seen[-10:]]}"
    )


def assert_reading_order(window: MainWindow, stops: list[QWidget]) -> None:
    form = window.current_form()
    assert form not in stops  # the scroll area is never a stop
    inside = [i for i, w in enumerate(stops) if form.isAncestorOf(w)]
    assert inside and inside == list(range(len(inside))), [w.accessibleName() for w in stops]
    rest = stops[len(inside) :]
    assert rest[:2] == [window.prev_button, window.next_button], [w.accessibleName() for w in rest]
    if window.check_dock is not None and window.check_dock.isVisible():
        assert rest[2] is window.check_view.tree


def test_the_scroll_area_takes_no_focus_and_tab_reads_in_order(window):
    window.show_section("porteur")
    assert window.current_form().focusPolicy() == Qt.FocusPolicy.NoFocus
    assert_reading_order(window, tab_walk(window))


def test_a_form_built_after_the_check_panel_still_comes_right_after_the_list(window):
    window.show_section("porteur")
    window.show_check()  # the panel's title buttons are built before the next form
    window.show_section("territoire")
    assert_reading_order(window, tab_walk(window))
    window.show_section("porteur")  # and back to a form built before the panel
    assert_reading_order(window, tab_walk(window))


def test_rows_added_once_the_section_is_shown_come_before_the_buttons(window):
    window.show_check()
    window.show_section("consortium")
    form = window.current_form()
    for _ in range(2):
        add = next(
            b
            for b in form.findChildren(QAbstractButton)
            if b.isVisible() and b.accessibleName().startswith("Ajouter un membre")
        )
        add.setFocus(Qt.FocusReason.TabFocusReason)
        QTest.keyClick(add, Qt.Key.Key_Space)
        QApplication.processEvents()  # the form sets its Tab order once the row is in (a 0 ms timer)
    stops = tab_walk(window)
    assert_reading_order(window, stops)
    names = [w.accessibleName() for w in stops]
    assert any(n.endswith("Membre 2") for n in names), names


def test_the_jump_to_a_problem_focuses_the_field_in_view(window, qtbot):
    window.show_section("porteur")
    window.show_check()
    tree = window.check_view.tree
    assert tree.hasFocus()
    for _ in range(60):
        QTest.keyClick(tree, Qt.Key.Key_Down)
        item = tree.currentItem()
        problem = item.data(0, Qt.ItemDataRole.UserRole + 1) if item is not None else None
        if problem is not None and problem.path and problem.section_id not in ("", "porteur"):
            break
    QTest.keyClick(tree, Qt.Key.Key_Return)
    form = window.current_form()
    qtbot.waitUntil(lambda: form.isAncestorOf(QApplication.focusWidget()), timeout=3000)
    QApplication.processEvents()
    field = focus()
    top = field.mapTo(form.viewport(), QPoint(0, 0)).y()
    assert top >= 0 and top + field.height() <= form.viewport().height()


def test_page_keys_scroll_from_an_input_and_ctrl_page_down_reaches_the_first_input(window):
    window.show_section("territoire")
    form = window.current_form()
    form.resize(form.width(), 300)  # taller than its view: there is something to scroll
    QApplication.processEvents()
    edit = next(  # a plain one-line answer (a combo box's own line takes the page keys)
        w
        for w in form.findChildren(QLineEdit)
        if w.isVisible() and not isinstance(w.parentWidget(), QComboBox)
    )
    edit.setFocus(Qt.FocusReason.TabFocusReason)
    bar = form.verticalScrollBar()
    bar.setValue(0)
    assert bar.maximum() > 0
    QTest.keyClick(edit, Qt.Key.Key_PageDown)
    assert bar.value() > 0
    QTest.keyClick(focus(), Qt.Key.Key_PageUp)
    assert bar.value() == 0
    page = form.widget()  # the wheel over the form, the cursor still in the answer
    at = QPointF(page.width() - 2, 10)
    wheel = QWheelEvent(
        at,
        page.mapToGlobal(at),
        QPoint(),
        QPoint(0, -120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(form.viewport(), wheel)
    assert bar.value() > 0 and focus() is edit
    bar.setValue(0)
    QTest.keyClick(focus(), Qt.Key.Key_PageDown, CTRL)
    assert window._section_id == "consortium"
    first = window.current_form().tab_stops()[0]
    assert focus() is first or first.isAncestorOf(focus())
