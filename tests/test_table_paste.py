"""Cells pasted from a spreadsheet: TSV and HTML tables, columns by header or position, French
numbers, dates and drop-down values read, what cannot be read reported."""

from __future__ import annotations

import pytest

from spie_desktop.table_paste import (
    parse_html_table,
    parse_tsv,
    plan_paste,
    read_cell,
    read_clipboard,
    read_number,
    rows_as_table,
)

TSV = (
    "Financeur\tNature du financement\tMontant\tStatut\n"
    "Département de la Drôme\tconseil departemental\t1 234,56\tobtenu\n"
    "CAF\tCaisse d'allocations familiales (CAF)\t12\u00a0500 €\tSollicité\n"
)
HTML = """<html><body><!--StartFragment--><table border=0><col width=120>
<tr><td>Financeur</td><td>Nature du financement</td><td>Montant</td><td>Statut</td></tr>
<tr><td>Département de la&nbsp;Drôme</td><td>CONSEIL DÉPARTEMENTAL</td><td align=right>1234,56 €</td><td>Obtenu</td></tr>
<tr><td>CAF</td><td>Caisse d&#39;allocations familiales (CAF)</td><td>12 500</td><td>sollicite</td></tr>
</table><!--EndFragment--></body></html>"""


@pytest.fixture
def ressources(template_2021):
    return template_2021.field("ressources")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1 234,56", "1234.56"),
        ("1234,56 €", "1234.56"),
        ("12 500", "12500"),
        ("12\u202f500\u00a0€", "12500"),
        ("1.234,56", "1234.56"),
        ("1,234.56", "1234.56"),
        ("-3,5", "-3.5"),
        ("1.234", "1234"),
        ("2.5", "2.5"),
        ("12 500 euros", "12500"),
    ],
)
def test_french_numbers(text, expected):
    assert format(read_number(text), "f") == expected


def test_unreadable_numbers():
    assert read_number("beaucoup") is None and read_number("12 €/mois") is None


def test_tsv_with_quoted_cells_and_crlf():
    assert parse_tsv('a\t"deux\nlignes"\t"dit ""oui"""\r\n\r\nb\t\tc\r\n') == [
        ["a", "deux\nlignes", 'dit "oui"'],
        ["b", "", "c"],
    ]


def test_html_table_cells_with_breaks_and_spans():
    assert parse_html_table(
        "<table><tr><th colspan=2>Titre</th><td>x<br>y</td></tr>"
        "<tr><td> a  b </td><td>&eacute;</td><td></td></tr></table><table><tr><td>z</td></tr></table>"
    ) == [["Titre", "", "x\ny"], ["a b", "é", ""]]


def test_tsv_and_html_give_the_same_rows(ressources):
    from_tsv = plan_paste(ressources, read_clipboard(TSV))
    from_html = plan_paste(ressources, read_clipboard("ignored", HTML))
    assert from_tsv.header_row and from_html.header_row
    expected = (
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
    )
    assert from_tsv.rows == expected and from_html.rows == expected
    assert from_tsv.problems == () and from_html.problems == ()


def test_columns_by_header_in_any_order_else_by_position(ressources):
    plan = plan_paste(ressources, parse_tsv("montant\tFINANCEUR\tAutre colonne\n100\tRégion\tx\n"))
    assert plan.columns == ("montant", "financeur", None)
    assert plan.rows == ({"montant": "100", "financeur": "Région"},)
    plan = plan_paste(ressources, parse_tsv("Région\tRégion\t5 000\tObtenu\n"))
    assert not plan.header_row and plan.columns == ("financeur", "nature", "montant", "statut")
    assert plan.rows == ({"financeur": "Région", "nature": "Région", "montant": "5000", "statut": "Obtenu"},)


def test_what_cannot_be_read_is_reported_per_cell(ressources):
    plan = plan_paste(ressources, parse_tsv("Mécénat\tDon du ciel\tbeaucoup\tObtenu\n"))
    assert [(p.row, p.column) for p in plan.problems] == [(0, 1), (0, 2)]
    assert "n'est pas un choix possible" in plan.problems[0].message
    assert plan.problems[1].message == "« beaucoup » n'est pas un nombre."
    assert plan.rows == ({"financeur": "Mécénat", "statut": "Obtenu"},)


def test_dates_and_other_option(template_2021):
    jalons = template_2021.field("jalons")
    plan = plan_paste(jalons, parse_tsv("31/12/2023\tBilan\n1/2/24\tLancement\n31/02/2023\tFaux\n"))
    assert plan.rows[:2] == (
        {"date": "2023-12-31", "libelle": "Bilan"},
        {"date": "2024-02-01", "libelle": "Lancement"},
    )
    assert plan.problems[0].row == 2 and "n'est pas une date" in plan.problems[0].message
    categorie = template_2021.field("depenses").child("categorie")
    assert read_cell(categorie, "evaluation") == ("Évaluation", "")
    assert read_cell(categorie, "Loyers") == ("Loyers", "")  # « Autre » is allowed for this list


def test_rows_copied_out_read_back_the_same(ressources):
    rows = [
        {"financeur": 'Fondation "Agir"', "nature": "Région", "montant": "1234.5", "statut": "Obtenu"},
        {"financeur": "État", "montant": "20000"},
    ]
    tsv, markup = rows_as_table(ressources, rows)
    assert tsv.splitlines()[1] == '"Fondation ""Agir"""\tRégion\t1234,5\tObtenu'
    back_tsv = plan_paste(ressources, parse_tsv(tsv)).rows
    back_html = plan_paste(ressources, parse_html_table(markup)).rows
    assert list(back_tsv) == rows and list(back_html) == rows
