"""Rows pasted from a spreadsheet into the budget: a TSV and an HTML table with French numbers give
the same rows, through the preview, written to the file; rows copied out read back the same."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, Qt
from PySide6.QtWidgets import QApplication
from writing_window import close_window, make_dossier, open_window, writing_settings  # noqa: F401

from spie_desktop.models import open_dossier
from spie_desktop.ui import dialogs, paste_rows_dialog
from spie_desktop.ui.paste_rows_dialog import PasteRowsDialog

TSV = (
    "Financeur\tNature du financement\tMontant\tStatut\n"
    "Département de la Drôme\tconseil departemental\t1 234,56\tobtenu\n"
    "CAF\tCaisse d'allocations familiales (CAF)\t12\u00a0500 €\tSollicité\n"
    "Mécénat\tDon du ciel\tbeaucoup\tObtenu\n"
)
HTML = (
    "<html><body><table><tr><td>Financeur</td><td>Nature du financement</td><td>Montant</td><td>Statut</td></tr>"
    "<tr><td>Département de la&nbsp;Drôme</td><td>CONSEIL DÉPARTEMENTAL</td><td>1234,56 €</td><td>Obtenu</td></tr>"
    "<tr><td>CAF</td><td>Caisse d'allocations familiales (CAF)</td><td>12 500</td><td>sollicite</td></tr>"
    "<tr><td>Mécénat</td><td>Don du ciel</td><td>beaucoup</td><td>Obtenu</td></tr></table></body></html>"
)
EXPECTED = [
    {
        "financeur": "Département de la Drôme",
        "nature": "Conseil départemental",
        "montant": "1234.56",
        "statut": "Obtenu",
    },
    {
        "financeur": "CAF",
        "nature": "Caisse d'allocations familiales (CAF)",
        "montant": "12500",
        "statut": "Sollicité",
    },
    {"financeur": "Mécénat", "nature": None, "montant": None, "statut": "Obtenu"},
]


@pytest.fixture
def window(qtbot, tmp_path, writing_settings):  # noqa: F811
    w = open_window(qtbot, writing_settings, make_dossier(tmp_path / "d.spie"))
    w.show_section("budget")
    yield w
    close_window(w)


@pytest.fixture(autouse=True)
def release_the_clipboard():
    yield
    paste_rows_dialog.release_clipboard()  # what the application does when it quits


def _put(text: str, markup: str | None = None) -> None:
    data = QMimeData()
    data.setText(text)
    if markup:
        data.setHtml(markup)
    QApplication.clipboard().setMimeData(data)


def _rows(d) -> list[dict]:
    return [
        {k: d.get(f"ressources[{rid}].{k}") for k in ("financeur", "nature", "montant", "statut")}
        for rid in d.row_ids("ressources")
    ]


def _through_preview(monkeypatch, seen: list) -> None:
    """The real preview dialog, built and accepted as the user would with its OK button."""

    def ask(parent, spec, cells):
        dialog = PasteRowsDialog(spec, cells, parent)
        seen.append((dialog.ok.text(), dialog.problems.text(), dialog.columns()))
        return dialog.plan

    monkeypatch.setattr(paste_rows_dialog, "ask_paste_rows", ask)


@pytest.mark.parametrize("kind", ["tsv", "html"])
def test_ctrl_v_on_the_budget_adds_the_rows_through_the_preview(window, qtbot, monkeypatch, kind):
    seen: list = []
    _through_preview(monkeypatch, seen)
    _put(TSV) if kind == "tsv" else _put("du texte sans tabulation", HTML)
    field = window.current_form().fields["ressources"]
    field.add_button.setFocus()
    qtbot.keyClick(field.add_button, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert seen, "Ctrl+V on the repetition opened no preview"
    ok_text, problems, columns = seen[0]
    assert ok_text == "Ajouter 3 lignes"
    assert columns == ["financeur", "nature", "montant", "statut"]
    assert "2 cases illisibles" in problems and "« beaucoup » n'est pas un nombre." in problems
    assert len(field.order) == 3
    path = window.controller.path
    close_window(window)
    with open_dossier(path) as d:
        assert _rows(d) == EXPECTED


def test_remapping_a_column_in_the_preview(qtbot, template_2021):
    spec = template_2021.field("ressources")
    dialog = PasteRowsDialog(spec, [["Région", "5 000"], ["État", "1 000,5"]])
    qtbot.addWidget(dialog)
    assert dialog.columns() == ["financeur", "nature"]  # by position: the amount lands in « Nature »
    assert "2 cases illisibles" in dialog.problems.text()
    dialog.combos[1].setCurrentIndex(dialog.combos[1].findData("montant"))
    assert dialog.plan.rows == (
        {"financeur": "Région", "montant": "5000"},
        {"financeur": "État", "montant": "1000.5"},
    )
    assert dialog.problems.text() == "Toutes les cases ont été lues."


def test_copy_rows_out_and_paste_them_back(window, qtbot, monkeypatch):
    c = window.controller
    for values in EXPECTED[:2]:
        c.add_row("ressources", {k: v for k, v in values.items() if v is not None})
    field = window.current_form().fields["ressources"]
    qtbot.mouseClick(field.copy_button, Qt.MouseButton.LeftButton)
    data = QApplication.clipboard().mimeData()
    assert data.text().splitlines()[1] == "Département de la Drôme\tConseil départemental\t1234,56\tObtenu"
    assert "<table>" in data.html()
    monkeypatch.setattr(
        paste_rows_dialog,
        "ask_paste_rows",
        lambda parent, spec, cells: PasteRowsDialog(spec, cells, parent).plan,
    )
    qtbot.mouseClick(field.paste_button, Qt.MouseButton.LeftButton)
    assert len(field.order) == 4
    c.flush()
    assert _rows(c.dossier)[2:] == _rows(c.dossier)[:2]


def test_an_empty_clipboard_says_what_to_do(window, monkeypatch):
    said = []
    monkeypatch.setattr(dialogs, "show_info", lambda parent, title, text: said.append(text))
    _put("")
    field = window.current_form().fields["ressources"]
    assert paste_rows_dialog.paste_rows(field) == 0
    assert "copiez d'abord des lignes" in said[0]


def test_ctrl_v_of_several_cells_in_an_amount_opens_the_preview(window, qtbot, monkeypatch):
    seen: list = []
    _through_preview(monkeypatch, seen)
    c = window.controller
    rid = c.add_row("ressources", {"financeur": "Région"})
    field = window.current_form().fields["ressources"]
    amount = field.widget_for(f"ressources[{rid}].montant").edit
    amount.setFocus()
    qtbot.waitUntil(amount.hasFocus)
    _put(TSV)
    qtbot.keyClick(amount, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert seen and amount.text() == ""  # the cells became rows, not one raw value
    assert len(field.order) == 4
    _put("1 500,00")
    qtbot.keyClick(amount, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert amount.text() == "1 500,00" and len(seen) == 1  # one cell pastes as usual
