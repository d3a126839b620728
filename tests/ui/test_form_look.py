"""The form's frames keep their look with the style sheet scoped to them (issue 14: a page-wide
sheet made Qt polish every widget of a form with the style-sheet engine)."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QPushButton

from spie_desktop.ui import style
from spie_desktop.ui.section_form import SectionForm


def test_every_named_rule_of_the_form_sheet_reaches_a_widget_and_the_page_has_none(qtbot, controller):
    template = controller.template
    forms = [SectionForm(controller, s) for s in template.sections]
    for form in forms:
        qtbot.addWidget(form)
        assert form.widget().styleSheet() == ""  # no sheet over the whole page
    styled = {
        w.objectName(): w.styleSheet()
        for form in forms
        for w in form.findChildren(QFrame) + form.findChildren(QPushButton)
        if w.styleSheet()
    }
    for name in ("linkButton", "explication", "sectionProblems"):
        assert name in styled, name
        assert f"#{name}" in styled[name]
    # each widget carries only its own rules
    assert "#rowCard" not in styled["linkButton"]


def test_the_rules_split_by_name_cover_the_whole_sheet():
    rules = style._rules_by_name(style.FORM_QSS)
    assert set(rules) == {
        "rowCard",
        "linkButton",
        "rowToggle",
        "explication",
        "dropZone",
        "sectionProblems",
        "budgetTotals",
        "undoBar",
        "attachmentRow",
    }
    assert '[problems="true"]' in rules["rowCard"] and "dashed" in rules["dropZone"]
    assert all(r.count("{") == r.count("}") for r in rules.values())
