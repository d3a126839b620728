"""A received dossier holding one word of 2 M characters opens in the window: the text area then
wraps anywhere (Qt's word-boundary wrapping is quadratic on a word it cannot break). No timing here:
benchmarks/bench_sizes.py measures it."""

from __future__ import annotations

from itertools import pairwise

import pytest
from PySide6.QtGui import QTextOption

from spie_desktop.forms import parse_template
from spie_desktop.models import DossierFile

TEMPLATE = {
    "format": "spie-template",
    "format_version": 1,
    "id": "tailles",
    "version": "1",
    "title": "Tailles",
    "description": "",
    "deadline": None,
    "platform": {},
    "parameters": {},
    "sections": [
        {
            "id": "s",
            "title": "Section",
            "description": "",
            "fields": [
                {"id": "texte", "type": "textarea", "label": "Texte", "character_limit": 2000},
                {"id": "court", "type": "textarea", "label": "Court"},
                {
                    "id": "lignes",
                    "type": "repetition",
                    "label": "Lignes",
                    "row_label": "Ligne",
                    "children": [
                        {"id": "nom", "type": "text", "label": "Nom"},
                        {"id": "role", "type": "textarea", "label": "Rôle"},
                    ],
                },
            ],
        }
    ],
}
WORD = "é" + "A" * 1_999_999


@pytest.fixture
def controller(qtbot, tmp_path):
    from spie_desktop.ui.controller import DossierController

    d = DossierFile.create(tmp_path / "grand.spie", parse_template(TEMPLATE), "Grand")
    d.set_value("texte", WORD)
    d.set_value("court", "Des mots ordinaires, qui se coupent entre eux.")
    d.add_row("lignes", {"nom": WORD, "role": WORD})
    c = DossierController(d)
    yield c
    c._save_timer.stop()
    c._check_timer.stop()
    c.discard_and_close()


def test_a_two_million_character_word_opens_in_the_form(qtbot, controller):
    from spie_desktop.ui.section_form import SectionForm

    form = SectionForm(controller, controller.template.section("s"))
    qtbot.addWidget(form)
    form.resize(1000, 800)
    form.show()
    qtbot.waitExposed(form)
    big = form.fields["texte"]
    assert big.edit.toPlainText() == WORD
    assert big.edit.wordWrapMode() == QTextOption.WrapMode.WrapAnywhere
    assert "2 000 001" in big.counter_text().replace("\u202f", " ").replace("\u00a0", " ")
    assert form.fields["court"].edit.wordWrapMode() == QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere
    big.edit.setPlainText("Retour à des mots")  # the user replaces it: words wrap at word boundaries again
    assert big.edit.wordWrapMode() == QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere


def test_a_pasted_long_word_switches_the_wrapping_before_it_is_laid_out(qtbot, controller):
    from PySide6.QtCore import QMimeData

    from spie_desktop.ui.fields.text import GrowingTextEdit

    edit = GrowingTextEdit()
    qtbot.addWidget(edit)
    edit.show()
    mime = QMimeData()
    mime.setText("B" * 500_000)
    edit.insertFromMimeData(mime)
    assert edit.wordWrapMode() == QTextOption.WrapMode.WrapAnywhere
    assert len(edit.toPlainText()) == 500_000


def test_many_rows_set_the_tab_order_without_walking_the_chain_per_widget(qtbot, tmp_path, monkeypatch):
    """QWidget.setTabOrder walks the whole focus chain: calling it per widget made 2 000 rows quadratic."""
    from spie_desktop.ui import tab_order
    from spie_desktop.ui.controller import DossierController
    from spie_desktop.ui.section_form import SectionForm

    d = DossierFile.create(tmp_path / "lignes.spie", parse_template(TEMPLATE), "Lignes")
    for i in range(300):
        d.add_row("lignes", {"nom": f"Structure {i}", "role": "Rôle"})
    controller = DossierController(d)
    calls: list = []
    real = tab_order.QWidget.setTabOrder
    monkeypatch.setattr(
        tab_order.QWidget, "setTabOrder", staticmethod(lambda a, b: calls.append(1) or real(a, b))
    )
    try:
        form = SectionForm(controller, controller.template.section("s"))
        qtbot.addWidget(form)
        form.show()
        qtbot.waitExposed(form)
        assert len(calls) < 30  # a handful of widgets out of place, not one call per widget (> 1 500)

        def stops() -> list:
            return [
                x
                for w in form.fields.values()
                for x in w.tab_chain()
                if x.focusPolicy() & tab_order.Qt.FocusPolicy.TabFocus
            ]

        # only the rows near the view are built (ui/fields/row_window.py, issue 14): those in view
        # before the first paint, half a view more on each side after it
        qtbot.waitUntil(lambda: len(stops()) >= 10)
        assert len(calls) < 30
        chain = stops()
        position = {w: i for i, w in enumerate(chain)}
        qtbot.waitUntil(  # the rows built at the first show join the Tab order (scheduled)
            lambda: all(tab_order._next_stop(a, position) is b for a, b in pairwise(chain))
        )
    finally:
        controller._save_timer.stop()
        controller._check_timer.stop()
        controller.discard_and_close()
