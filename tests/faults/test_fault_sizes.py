"""Sizes from a received file (issue 11): one word of 2 M characters, a 20 000-character budget year.
No timing here (benchmarks/bench_sizes.py measures linearity): the export must succeed, or end in a
French message, never in reportlab's English ``LayoutError``."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "exports"))
from exportkit import make_snapshot

from spie_desktop.exports import ExportError
from spie_desktop.exports.pdf import build_pdf

pypdf = pytest.importorskip("pypdf")


def budget(year: str) -> dict:
    return {
        "depenses": [
            {"_id": "r1", "categorie": "Personnel", "annee": year, "montant": "1000.00"},
            {"_id": "r2", "categorie": "Frais", "annee": "2023", "montant": "250.00"},
        ]
    }


def test_a_word_of_two_million_characters_exports():
    word = "é" + "A" * 1_999_998 + "Z"
    data = build_pdf(make_snapshot({"diagnostic": word}), check=False)
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) > 100
    first = reader.pages[2].extract_text() + reader.pages[3].extract_text()
    assert "éAAAA" in first.replace("\n", "")


@pytest.mark.parametrize("year", ["2" * 20_000, "2022 " * 4_000, "<b>" * 7_000])
def test_a_twenty_thousand_character_budget_year_gives_a_pdf(year):
    data = build_pdf(make_snapshot(budget(year)), check=False)
    text = " ".join("".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages).split())
    assert re.search(r"\[texte tronqué dans la copie PDF, 2\d[\s\u00a0\u202f]?\d{3} caractères\]", text)


def test_what_cannot_be_laid_out_is_a_french_message_naming_the_question(monkeypatch):
    from spie_desktop.exports import pdf_repetition

    monkeypatch.setattr(pdf_repetition, "capped", lambda text, limit=0: str(text))  # as before the cap
    with pytest.raises(ExportError) as caught:
        build_pdf(make_snapshot(budget("2" * 20_000)), check=False)
    message = str(caught.value)
    assert "« Dépenses »" in message and "trop grand pour tenir sur une page" in message
    assert "LayoutError" not in message and "Flowable" not in message


def test_a_long_table_is_printed_whole_in_pieces():
    rows = [
        {
            "_id": f"r{i}",
            "categorie": f"Poste {i}",
            "annee": "2022" if i % 2 else "2023",
            "montant": f"{i}.50",
        }
        for i in range(2_000)
    ]
    data = build_pdf(make_snapshot({"depenses": rows}), check=False)
    pages = [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages]
    text = "".join(pages)
    assert all(f"Poste {i}\n" in text or f"Poste {i} " in text for i in (0, 39, 40, 999, 1999))
    with_rows = [page for page in pages if "Poste " in page]
    assert len(with_rows) > 20
    # every page the table runs on begins with its header, and only there: no header mid-page
    assert all(page.count("Catégorie") == 1 for page in with_rows)
    assert all(page.index("Catégorie") < page.index("Poste ") for page in with_rows)
    assert "Total général" in text
