"""The review copy's layout on the bundled example: hashes and file names never break mid-token, and
a heading is never the last line of a page (it stays with its first row)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from exportkit import ROOT, pdf_text

from spie_desktop.exports.pdf import write_pdf
from spie_desktop.exports.pdf_story import HASH_SHOWN
from spie_desktop.exports.pdf_style import safe_breaks

pytest.importorskip("pypdf")
EXAMPLE_JSON = ROOT / "resources" / "examples" / "exemple-dossier.json"


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    from spie_desktop.interchange import snapshot_from_document

    snapshot = snapshot_from_document(json.loads(EXAMPLE_JSON.read_text(encoding="utf-8")))
    out = Path(tmp_path_factory.mktemp("pdf")) / "exemple.pdf"
    write_pdf(snapshot, out)
    return snapshot, pdf_text(out)


def files_page(pages: list[str]) -> str:
    return next(p for p in pages if "empreinte SHA-256" in p)


def test_the_hash_is_printed_whole_on_one_line(example):
    snapshot, pages = example
    text = files_page(pages)
    assert snapshot.attachments
    for a in snapshot.attachments:
        assert f"{a.sha256[:HASH_SHOWN]}…" in text.split("\n") or re.search(
            rf"(^|\s){a.sha256[:HASH_SHOWN]}…($|\s)", text
        ), a.name


def test_file_names_break_only_after_a_dash_or_an_underscore(example):
    snapshot, pages = example
    text = files_page(pages)
    joined = re.sub(r"(?<=[-_])\n", "", text)  # undo the allowed breaks only
    for a in snapshot.attachments:
        assert a.name in joined, a.name
    assert "permanente.p\n" not in text


def test_safe_breaks_never_cuts_inside_a_token():
    assert (
        safe_breaks("deliberation-commission-permanente.pdf", 80)
        == "deliberation-\ncommission-\npermanente.pdf"
    )
    assert safe_breaks("court.pdf", 200) == "court.pdf"
    assert all(line for line in safe_breaks("x" * 300, 60).split("\n"))  # no safe point: cut by width


def test_a_section_heading_shares_its_page_with_its_first_row(example):
    snapshot, pages = example
    body = pages[2:]  # after the cover and the contents
    for section in snapshot.template.sections:
        at = [i for i, p in enumerate(body) if section.title in p.split("\n")]
        assert at, section.title
        page = body[at[0]]
        after = page.split(section.title, 1)[1]
        first = next(f for f in section.fields if f.type.holds_answer)
        assert first.label[:25] in after, f"« {section.title} » est seul en bas de page"
    consortium = next(p for p in body if "D. Consortium" in p.split("\n"))
    assert "Membre 1" in consortium.split("D. Consortium", 1)[1]
