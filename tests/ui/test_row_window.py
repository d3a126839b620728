"""A long repetition builds only the rows near the view (issue 14) and still edits, moves, deletes
with undo, takes comments, is reachable by keyboard and exposed to accessibility; no timing here."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication

from spie_desktop.checks.report import CompletenessReport, Problem, Severity
from spie_desktop.ui.fields.row_window import MAX_BUILT

ROWS = 200


@pytest.fixture
def long_form(ui, controller):
    ids = [
        controller.add_row("consortium", {"structure": f"Structure {i}", "role": "Partenaire"})
        for i in range(ROWS)
    ]
    form = ui.show_form(controller, "consortium")
    return form, form.fields["consortium"], ids


def fully_visible(form, widget) -> bool:
    vp = form.viewport()
    return QRect(0, 0, vp.width(), vp.height()).contains(QRect(widget.mapTo(vp, QPoint(0, 0)), widget.size()))


def scroll_to_bottom(form) -> None:
    """As a reader does: a view at a time, every row on the way built as it passes."""
    bar = form.verticalScrollBar()
    while bar.value() < bar.maximum():
        bar.setValue(bar.value() + form.viewport().height())
        QApplication.processEvents()


def test_only_the_rows_near_the_view_are_built(long_form):
    form, rep, ids = long_form
    assert 0 < len(rep.cards) < MAX_BUILT
    assert set(rep.cards) <= set(ids[:MAX_BUILT])
    assert rep.rows.height() > form.viewport().height() * 5  # the page is as tall as all its rows
    scroll_to_bottom(form)
    last = rep.cards.get(ids[-1])
    assert last is not None and fully_visible(form, last.toggle)
    assert last.toggle.text() == f"Membre {ROWS} — Structure {ROWS - 1}"
    assert len(rep.cards) <= MAX_BUILT  # the ones far behind were let go
    assert ids[0] not in rep.cards


def test_a_row_let_go_comes_back_open_as_it_was(long_form):
    form, rep, ids = long_form
    rep.card(ids[0]).set_expanded(True)
    rep.card(ids[-1])  # the last row asked for stays built; the first may go now
    scroll_to_bottom(form)
    assert ids[0] not in rep.cards  # dropped while far away
    form.verticalScrollBar().setValue(0)
    QApplication.processEvents()
    card = rep.cards[ids[0]]
    assert card.expanded and card.children_widgets["structure"].edit.text() == "Structure 0"


def test_the_check_panel_jump_builds_row_n_and_shows_the_field_whole(long_form, controller):
    form, rep, ids = long_form
    path = f"consortium[{ids[170]}].contact_nom"
    problem = Problem(
        Severity.BLOQUANT,
        "consortium",
        path,
        path,
        "Personne à contacter",
        "Indiquez la personne à contacter.",
        "required",
        row_index=170,
        missing=True,
    )
    form.apply_report(CompletenessReport((problem,), ()))
    assert form.focus_path(path)
    QApplication.processEvents()
    card = rep.card(ids[170])
    assert card.expanded and card.problem_text.text() == "1 problème"
    child = card.children_widgets["contact_nom"]
    assert QApplication.focusWidget() is child.edit
    assert fully_visible(form, child.edit)
    assert child.problem_texts() == ["Indiquez la personne à contacter."]


def test_edit_a_cell_far_down_and_the_folded_header_follows_at_once(long_form, controller, ui):
    form, rep, ids = long_form
    card = rep.card(ids[150])
    assert not card.expanded
    controller.set_value(f"consortium[{ids[150]}].type_structure", "Pôle emploi")
    assert card.summary.text() == "Pôle emploi"  # a folded row says what it now holds (issue 12)
    form.focus_path(f"consortium[{ids[150]}].structure")
    edit = card.children_widgets["structure"].edit
    edit.selectAll()
    ui.type_into(edit, "Mission locale")
    assert card.toggle.text() == "Membre 151 — Mission locale"
    ui.leave(form)
    assert controller.dossier.get(f"consortium[{ids[150]}].structure") == "Mission locale"


def test_add_at_the_end_of_a_long_list_is_in_view_with_the_cursor(long_form, qtbot, controller):
    form, rep, _ids = long_form
    form.ensureWidgetVisible(rep.add_button)
    QApplication.processEvents()
    qtbot.mouseClick(rep.add_button, Qt.MouseButton.LeftButton)
    QApplication.processEvents()
    rid = controller.row_ids("consortium")[-1]
    card = rep.cards[rid]
    focus = QApplication.focusWidget()
    assert focus is card.children_widgets["structure"].edit and fully_visible(form, focus)


def test_duplicate_move_delete_and_undo_in_the_middle(long_form, qtbot, controller):
    form, rep, ids = long_form
    form.focus_path(f"consortium[{ids[150]}].structure")
    card = rep.card(ids[150])
    qtbot.mouseClick(card.buttons["duplicate"], Qt.MouseButton.LeftButton)
    now = controller.row_ids("consortium")
    assert now[151] not in ids and controller.value(f"consortium[{now[151]}].structure") == "Structure 150"
    qtbot.mouseClick(rep.card(ids[150]).buttons["down"], Qt.MouseButton.LeftButton)
    assert controller.row_ids("consortium")[151] == ids[150]
    assert rep.card(ids[150]).toggle.text() == "Membre 152 — Structure 150"
    moved = rep.card(ids[150])
    assert moved.y() > rep.card(now[151]).y()  # shown in its new place
    qtbot.mouseClick(moved.buttons["remove"], Qt.MouseButton.LeftButton)
    assert ids[150] not in controller.row_ids("consortium")
    assert (
        rep.undo_bar.isVisible() and rep.undo_text.text() == "Membre 152 — Structure 150 : ligne supprimée."
    )
    above = rep.card(now[151])
    assert above.geometry().bottom() < rep.undo_bar.y()
    assert rep.card(ids[150]) is None
    qtbot.mouseClick(rep.undo_button, Qt.MouseButton.LeftButton)
    assert controller.row_ids("consortium")[151] == ids[150]
    assert not rep.undo_bar.isVisible()
    assert rep.card(ids[150]).toggle.text() == "Membre 152 — Structure 150"


def test_arrow_keys_walk_the_row_headers_and_tab_reaches_the_row_actions(long_form, ui):
    form, rep, ids = long_form
    first = rep.card(ids[0])
    first.toggle.setFocus()
    for _ in range(40):  # beyond the rows built when the form opened
        ui.press(QApplication.focusWidget(), Qt.Key.Key_Down)
    card = rep.cards[ids[40]]
    assert QApplication.focusWidget() is card.toggle and fully_visible(form, card.toggle)
    ui.press(card.toggle, Qt.Key.Key_Up)
    assert QApplication.focusWidget() is rep.cards[ids[39]].toggle
    toggle = rep.cards[ids[39]].toggle
    form.update_tab_order()
    ui.press(toggle, Qt.Key.Key_Tab, "\t")
    assert QApplication.focusWidget() is rep.cards[ids[39]].buttons["duplicate"]
    assert QApplication.focusWidget().accessibleName() == "Dupliquer : Membre 40 — Structure 39"
    toggle.setFocus()
    ui.press(toggle, Qt.Key.Key_Space, " ")
    assert rep.cards[ids[39]].expanded  # opened from the keyboard


def test_the_expander_is_an_expandable_control_with_its_state(long_form):
    _form, rep, ids = long_form
    card = rep.card(ids[3])
    iface = QAccessible.queryAccessibleInterface(card.toggle)
    assert iface.role() == QAccessible.Role.Button  # not a check box
    assert iface.text(QAccessible.Text.Name) == "Membre 4 — Structure 3"  # no « (repliée) » in the name
    state = iface.state()
    assert state.expandable and state.collapsed and not state.expanded
    card.toggle.click()
    state = QAccessible.queryAccessibleInterface(card.toggle).state()
    assert state.expanded and not state.collapsed
    names = [
        QAccessible.queryAccessibleInterface(b).text(QAccessible.Text.Name) for b in card.buttons.values()
    ]
    assert names == [
        f"{verb} : Membre 4 — Structure 3" for verb in ("Dupliquer", "Monter", "Descendre", "Supprimer")
    ]


def test_a_comment_on_a_row_far_down_shows_when_it_comes_into_view(long_form, controller):
    form, rep, ids = long_form
    assert ids[180] not in rep.cards
    controller.add_comment(f"consortium[{ids[180]}].role", "Préciser le rôle.")
    scroll_to_bottom(form)
    card = rep.card(ids[180])
    assert card.comment_marker is not None and card.comment_marker.text() == "1"
