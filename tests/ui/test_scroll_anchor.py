"""Nothing moves under the cursor when problem lines appear above it (issue 12: clicks landed in the
wrong field). The window is small, so the section scrolls; lines appear above the focused input."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QApplication
from test_window import make_dossier, settings, window  # noqa: F401 - the shared window fixtures

from spie_desktop.ui.fields.attention import reveal_all


def _open_scrolled(window, qtbot, tmp_path):  # noqa: F811
    QCursor.setPos(QPoint(-50, -50))  # the pointer away from the page: the focused input is the anchor
    window.resize(900, 520)
    assert window.open_path(make_dossier(tmp_path / "d.spie"))
    best = None
    for section_id in window.section_list.section_ids():  # the section with the most plain inputs
        window.show_section(section_id)
        form = window.current_form()
        qtbot.waitExposed(form)
        qtbot.waitUntil(lambda form=form: form.fully_built)  # the fields below the first screenful too
        inputs = [
            w
            for w in form.fields.values()
            if w.spec.type.holds_answer and w.isVisible() and type(w).__name__ != "RepetitionField"
        ]
        if best is None or len(inputs) > len(best[2]):
            best = (section_id, form, inputs)
    section_id, form, inputs = best
    window.show_section(section_id)
    qtbot.waitExposed(form)
    assert len(inputs) >= 4
    return form, inputs


def _y(form, widget) -> int:
    return widget.mapTo(form.viewport(), QPoint(0, 0)).y()


def test_lines_shown_above_the_focused_input_do_not_move_it(window, qtbot, tmp_path):  # noqa: F811
    form, inputs = _open_scrolled(window, qtbot, tmp_path)
    last = inputs[-1]
    assert last.focus_input()
    bar = form.verticalScrollBar()
    bar.setValue(bar.maximum())
    qtbot.wait(20)
    focused = QApplication.focusWidget()
    assert focused is not None and last.isAncestorOf(focused)
    before, value = _y(form, focused), bar.value()
    reveal_all(window.controller)  # as after « Vérifier le dossier »: every empty field shows its problem
    form.reveal_problems()
    above = [w for w in inputs[:-1] if w.problems]
    assert above, "the empty dossier has required questions above the last one"
    qtbot.waitUntil(lambda: any(w.problem_line.isVisible() for w in above))
    qtbot.wait(20)
    assert bar.value() > value  # the view followed the lines that appeared above
    assert _y(form, focused) == before


def test_leaving_a_field_for_one_below_keeps_the_one_below_in_place(window, qtbot, tmp_path):  # noqa: F811
    form, inputs = _open_scrolled(window, qtbot, tmp_path)
    first = next(w for w in inputs if w.problems)
    below = inputs[inputs.index(first) + 1]
    assert first.focus_input()
    qtbot.wait(20)
    assert not first.problem_line.isVisible()  # untouched: not red yet
    before = _y(form, below)
    assert below.focus_input()  # the click into the next field: the first one is left, its line shows
    qtbot.waitUntil(lambda: first.problem_line.isVisible())
    qtbot.wait(20)
    assert first.problem_line.height() > 0
    assert _y(form, below) == before


def test_a_scroll_by_the_user_is_not_undone_by_a_held_anchor(window, qtbot, tmp_path):  # noqa: F811
    from PySide6.QtWidgets import QAbstractSlider

    from spie_desktop.ui import scroll_anchor

    form, inputs = _open_scrolled(window, qtbot, tmp_path)
    assert inputs[1].focus_input()
    qtbot.wait(20)
    bar = form.verticalScrollBar()
    scroll_anchor.hold(inputs[0])  # a line is about to change above the focused field
    bar.triggerAction(QAbstractSlider.SliderAction.SliderPageStepAdd)  # the user scrolls at once
    moved = bar.value()
    assert moved > 0
    qtbot.wait(20)
    assert bar.value() == moved
