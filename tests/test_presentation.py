"""One way to say answers, amounts, character counts and plurals (spie_desktop/presentation.py)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from spie_desktop import presentation
from spie_desktop.exports.text import count_label
from spie_desktop.forms import FieldSpec, FieldType
from spie_desktop.presentation import (
    CountLevel,
    amount_text,
    character_count,
    display_value,
    plural,
    short_answer,
)

NBSP = "\u00a0"
ROOT = Path(__file__).resolve().parents[1]


def spec(kind: FieldType, unit: str = "", label: str = "Question") -> FieldSpec:
    return FieldSpec(id="q", type=kind, label=label, unit=unit)


def test_an_amount_has_two_decimals_and_the_euro_sign_everywhere():
    money = spec(FieldType.DECIMAL_NUMBER, "€")
    assert amount_text("1234.5") == f"1{NBSP}234,50{NBSP}€"
    assert display_value(money, "1234.5") == f"1{NBSP}234,50{NBSP}€"
    assert short_answer(money, "1234.5") == display_value(money, "1234.5")  # one rule for €, row headers too
    assert amount_text("douze euros") == "douze euros"  # as typed


def test_a_short_answer_is_one_line():
    assert short_answer(spec(FieldType.DATE), "2021-10-11") == "11/10/2021"
    assert short_answer(spec(FieldType.YES_NO, label="Salarié"), True) == "Salarié : Oui"
    assert short_answer(spec(FieldType.YES_NO), None) == ""
    assert short_answer(spec(FieldType.INTEGER_NUMBER, "ETP"), "3") == f"3{NBSP}ETP"
    long = "x" * 80
    assert short_answer(spec(FieldType.TEXT), long) == "x" * 59 + "…"
    assert short_answer(spec(FieldType.TEXT), "") == ""


def test_a_character_count_is_counted_like_the_platform_and_said_one_way():
    count = character_count("é" * 300, 400)
    assert (count.count, count.limit, count.level, count.over) == (600, 400, CountLevel.OVER, True)
    assert count.text() == "600 / 400 caractères — au-delà de la limite"
    assert count.text(how_counted=True) == (
        "600 / 400 caractères (comptés comme la plateforme) — au-delà de la limite"
    )
    assert count_label("é" * 300, 400) == count.text(how_counted=True)  # the text export and the PDF
    near = character_count("a" * 95, 100, near_share=0.9)
    assert near.level is CountLevel.NEAR and near.text() == "95 / 100 caractères — proche de la limite"
    assert character_count("a" * 95, 100).level is CountLevel.UNDER  # no share given: never « near »
    assert character_count("a", None).text() == "1 caractère"
    assert character_count("ab", None).text() == "2 caractères"
    assert character_count("", 2000).text() == f"0 / 2{NBSP}000 caractères"


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "0 réponse"),
        (1, "1 réponse"),
        (2, "2 réponses"),
        (1234, f"1{NBSP}234 réponses"),
    ],
)
def test_french_plurals(n, expected):
    assert plural(n, "réponse") == expected


def test_a_group_of_words_takes_the_plural_each_and_an_irregular_one_is_given():
    assert plural(3, "fichier enregistré") == "3 fichiers enregistrés"
    assert plural(1, "fichier enregistré") == "1 fichier enregistré"
    assert plural(2, "travail", "travaux") == "2 travaux"


def test_presentation_is_core_no_qt():
    tree = ast.parse(Path(presentation.__file__).read_text(encoding="utf-8"))
    names = {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    names |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not any("PySide6" in n or n.startswith(".ui") for n in names)


def test_no_other_plural_helper_and_no_inline_plural():
    for path in sorted((ROOT / "spie_desktop").rglob("*.py")):
        if path.name in ("row_card.py", "repetition.py"):  # being rewritten on the « rows » branch
            continue
        if path.name == "formatting.py":  # below presentation (which builds on it): « 1 octet », its own unit
            continue
        text = path.read_text(encoding="utf-8")
        assert "def plural(" not in text or path.name == "presentation.py", path
        assert "def _plural(" not in text, path
        assert "'s' if" not in text and '"s" if' not in text, path
        assert '"au-delà" in' not in text, path
