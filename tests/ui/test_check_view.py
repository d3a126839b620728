"""« Vérifier le dossier »: problems by section, a click (or Enter) puts the cursor in the field."""

from __future__ import annotations

import pytest
from blank_window import blank_window
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from spie_desktop.app import create_application
from spie_desktop.checks.report import CompletenessReport, Problem, SectionProgress, SectionState, Severity
from spie_desktop.ui.check_view import CheckView, problem_text


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    yield from blank_window(qtbot, tmp_path, monkeypatch, wait_active=False)


def item_for(view: CheckView, path: str, rule: str = "required"):
    for item in view.problem_items():
        p = item.data(0, Qt.ItemDataRole.UserRole + 1)
        if p.path == path and p.rule_id == rule:
            return item
    raise AssertionError(f"aucun problème {rule} pour {path}")


def focus_is_in(widget) -> bool:
    focused = QApplication.focusWidget()
    return focused is not None and (focused is widget or widget.isAncestorOf(focused))


def click(qtbot, view: CheckView, item) -> None:
    view.tree.scrollToItem(item)
    rect = view.tree.visualItemRect(item)
    qtbot.mouseClick(view.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_problems_grouped_by_section_blocking_first(window, qtbot):
    window.act_check.trigger()
    view = window.check_view
    assert window.check_dock.isVisible()
    assert (
        "problèmes bloquants" in view.summary.text()
        and "ne peut pas encore être déposé" in view.summary.text()
    )
    groups = [view.tree.topLevelItem(i).text(0) for i in range(view.tree.topLevelItemCount())]
    titles = [s.title for s in window.controller.template.sections]
    order = [
        next(i for i, t in enumerate(titles) if g.startswith(t))
        for g in groups
        if not g.startswith("Ensemble")
    ]
    assert order == sorted(order)  # form order
    for i in range(view.tree.topLevelItemCount()):
        group = view.tree.topLevelItem(i)
        kinds = [
            group.child(j).data(0, Qt.ItemDataRole.UserRole + 1).blocking for j in range(group.childCount())
        ]
        assert kinds == sorted(kinds, reverse=True)  # blocking before warnings
        for j in range(group.childCount()):  # severity said in words, not only by the icon
            assert group.child(j).text(0).split(" — ")[0] in ("Bloquant", "Avertissement")
            assert not group.child(j).icon(0).isNull()


def test_click_problem_focuses_top_level_field(window, qtbot):
    window.act_check.trigger()
    view = window.check_view
    click(qtbot, view, item_for(view, "porteur_siret"))
    assert window._section_id == "porteur"
    assert window.section_list.current_section() == "porteur"
    assert focus_is_in(window.current_form().widget_for("porteur_siret"))


def test_enter_on_problem_focuses_field_inside_repetition_row(window, qtbot):
    c = window.controller
    first = c.add_row("consortium", {"structure": "Conseil départemental"})
    second = c.add_row("consortium", {"structure": "Pôle emploi"})
    assert first and second
    c.recheck()
    window.act_check.trigger()
    view = window.check_view
    target = f"consortium[{second}].contact_email"
    item = item_for(view, target)
    assert "Membre 2" in item.text(0)
    view.tree.setFocus()
    view.tree.setCurrentItem(item)
    qtbot.keyClick(view.tree, Qt.Key.Key_Return)
    assert window._section_id == "consortium"
    row_widget = window.current_form().widget_for(target)
    assert row_widget is not None and row_widget.isVisibleTo(window.current_form())
    assert focus_is_in(row_widget)
    assert not focus_is_in(window.current_form().widget_for(f"consortium[{first}].contact_email"))


def test_view_section_states_and_progress_follow_typing(window, qtbot):
    window.act_check.trigger()
    view = window.check_view
    window.show_section("porteur")
    before = len(view.problem_items())
    progress_before = window.header.progress.value()
    assert "Non commencée" in window.section_list.item_text("porteur")
    field = window.current_form().widget_for("porteur_nom")
    edit = next(i for i in field.inputs() if isinstance(i, QLineEdit))
    edit.setFocus()
    qtbot.keyClicks(edit, "Departement de la Drome")
    # re-checked shortly after typing, without saving first
    qtbot.waitUntil(lambda: len(view.problem_items()) == before - 1, timeout=2000)
    assert all(i.data(0, Qt.ItemDataRole.UserRole + 1).path != "porteur_nom" for i in view.problem_items())
    assert "En cours" in window.section_list.item_text("porteur")
    assert window.controller.report.answered == 1
    assert window.header.progress.format().startswith("1 / ")
    assert "1 réponse obligatoire donnée sur " in window.header.progress.accessibleDescription()
    assert window.header.progress_label.text().startswith("Pas encore prêt à déposer : ")
    assert window.header.progress.value() >= progress_before


def test_check_view_keeps_selection_across_reports(qtbot):
    create_application()
    view = CheckView()
    qtbot.addWidget(view)

    def report(*problems):
        progress = SectionProgress(
            "s", "S. Section", 0, 2, sum(p.blocking for p in problems), 0, SectionState.PROBLEMS
        )
        return CompletenessReport(problems, (progress,))

    a = Problem(Severity.AVERTISSEMENT, "s", "a", "a", "Champ A", "Vérifiez A.", "r1")
    b = Problem(Severity.BLOQUANT, "s", "b", "b", "Champ B", "Corrigez B.", "r2", location="Ligne 2")
    view.apply_report(report(a, b))
    items = view.problem_items()
    assert [i.text(0) for i in items] == [problem_text(b), problem_text(a)]
    assert items[0].text(0) == "Bloquant — Champ B (Ligne 2)\nCorrigez B."
    view.tree.setCurrentItem(items[1])
    view.apply_report(report(a, b))  # same problems: the list is left as it is
    assert view.problem_items()[1] is items[1]
    c = Problem(Severity.BLOQUANT, "s", "c", "c", "Champ C", "Renseignez C.", "required", missing=True)
    view.apply_report(report(a, b, c))  # rebuilt, the chosen problem stays chosen
    assert len(view.problem_items()) == 3
    assert view.tree.currentItem().text(0) == problem_text(a)
    chosen = []
    view.problemChosen.connect(chosen.append)
    view._on_item(view.tree.currentItem())
    assert chosen == [a]
    view.apply_report(CompletenessReport((), (SectionProgress("s", "S", 2, 2, 0, 0, SectionState.COMPLETE),)))
    assert view.problem_items() == [] and view.summary.text().startswith("Aucun problème")
