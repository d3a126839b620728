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
    assert "#rowToggle" not in styled["linkButton"]


def test_a_row_card_paints_its_border_without_a_style_sheet(qtbot, controller):
    """Issue 14: a sheet on the card put every widget of the row through the style-sheet engine; the
    card paints its rounded border itself, wider while the row has problems."""
    from PySide6.QtGui import QPalette

    from spie_desktop.ui.fields.row_card import RowCard

    form = SectionForm(controller, controller.template.section("consortium"))
    qtbot.addWidget(form)
    form.resize(900, 700)
    form.show()
    rep = form.fields["consortium"]
    if not rep.cards:
        controller.add_row("consortium")
        qtbot.waitUntil(lambda: bool(rep.cards))
    card = next(iter(rep.cards.values()))
    assert isinstance(card, RowCard) and card.styleSheet() == "" and card.objectName() == "rowCard"
    mid = card.palette().color(QPalette.ColorRole.Mid)

    def border_rows() -> int:
        image = card.grab().toImage()
        x = image.width() // 2
        return sum(1 for y in range(4) if abs(image.pixelColor(x, y).lightness() - mid.lightness()) < 24)

    assert border_rows() == 1
    card.setProperty("problems", "true")
    assert border_rows() == 2


def test_the_rules_split_by_name_cover_the_whole_sheet():
    rules = style._rules_by_name(style.FORM_QSS)
    assert set(rules) == {
        "linkButton",
        "rowToggle",
        "explication",
        "dropZone",
        "sectionProblems",
        "budgetTotals",
        "undoBar",
        "attachmentRow",
    }
    assert "dashed" in rules["dropZone"]
    assert all(r.count("{") == r.count("}") for r in rules.values())
