"""Issue 8: hypothesis fuzzing of the PDF export, on the real 2021 template and the bundled example.

tests/exports/test_export_pdf.py already fuzzes three text fields of a small hand-made template
(and checks the text appears). This adds what a real dossier can hold: any text field or table
cell of the built-in template, the title, comments printed with ``--comments``, huge unbreakable
texts, markup, control and bidirectional characters, and values of the wrong type. ``write_pdf``
must succeed, pypdf must read every page, and nothing but the PDF is left in the folder.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
from faultkit import EXAMPLE_JSON
from hypothesis import HealthCheck, given, settings, strategies as st

from spie_desktop.exports.pdf import write_pdf
from spie_desktop.forms import FieldType
from spie_desktop.snapshot import CommentInfo

pypdf = pytest.importorskip("pypdf")

if not EXAMPLE_JSON.exists():  # pragma: no cover
    pytest.skip("le dossier d'exemple n'est pas dans resources/examples", allow_module_level=True)

from spie_desktop.interchange import snapshot_from_document  # noqa: E402

EXAMPLE = snapshot_from_document(json.loads(EXAMPLE_JSON.read_text(encoding="utf-8")))
TEXTUAL = (FieldType.TEXT, FieldType.TEXTAREA)
TOP_FIELDS = sorted(
    spec.id
    for _s, spec in EXAMPLE.template.iter_fields()
    if spec.type.holds_answer and not spec.is_repetition and spec.type is not FieldType.PIECE_JUSTIFICATIVE
)
TEXT_FIELDS = sorted(spec.id for _s, spec in EXAMPLE.template.iter_fields() if spec.type in TEXTUAL)
CELLS = sorted(
    (spec.id, child.id)
    for _s, spec in EXAMPLE.template.iter_fields()
    if spec.is_repetition
    for child in spec.children
    if child.type in TEXTUAL
)

NASTY = [
    "<b>",
    "</para>",
    "<font size=90 color=red>",
    "&amp;",
    "&#0;",
    "&",
    "<br/>",
    "<img src='x'/>",
    "\x00",
    "\x07",
    "\x0c",
    "\x1b[31m",
    "\r\n",
    "\t",
    "\u202e",
    "\u200b",
    "\u00ad",
    "\ufeff",
    "\u0301",
    "🚀",
    "👩‍👩‍👧",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "漢字",
    "عربى",
    "ﷺ",
    "\uffff",
    "%PDF",
    "(",
    ")",
    "\\",
    "€ 1 500,00",
]
pieces = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40) | st.sampled_from(NASTY)
texts = st.lists(pieces, max_size=25).map("".join)
huge = st.tuples(
    st.sampled_from(["A", "mot ", "é", "<b>", "https://exemple.fr/chemin/", "\u202e", "🚀"]),
    st.integers(200, 2500),
).map(lambda t: t[0] * t[1])
any_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | texts,
    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=5), c, max_size=3),
    max_leaves=5,
)


def _export(snapshot, *, comments: bool) -> None:
    folder = Path(tempfile.mkdtemp(prefix="fuzz-pdf-"))
    out = folder / "relecture.pdf"
    write_pdf(snapshot, out, include_comments=comments)
    assert [p.name for p in folder.iterdir()] == ["relecture.pdf"]
    reader = pypdf.PdfReader(out)
    assert len(reader.pages) >= 2
    for page in reader.pages:
        page.extract_text()
    out.unlink()
    folder.rmdir()


def _with_answers(answers: dict, data, values) -> dict:
    answers = {
        k: ([dict(r) for r in v] if isinstance(v, list) and v and isinstance(v[0], dict) else v)
        for k, v in answers.items()
    }
    for field in data.draw(st.lists(st.sampled_from(TEXT_FIELDS), max_size=5, unique=True)):
        answers[field] = data.draw(values)
    for field, child in data.draw(st.lists(st.sampled_from(CELLS), max_size=4, unique=True)):
        rows = answers.get(field) or [{"_id": "fuzzrow1"}]
        answers[field] = rows
        rows[data.draw(st.integers(0, len(rows) - 1))][child] = data.draw(values)
    return answers


@settings(
    max_examples=14, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(data=st.data(), title=texts | huge, comment=texts, with_comments=st.booleans())
def test_odd_text_anywhere_in_a_real_dossier_exports(data, title, comment, with_comments):
    answers = _with_answers(EXAMPLE.answers, data, texts | huge)
    comments = EXAMPLE.comments + (
        CommentInfo(
            "fuzz",
            data.draw(st.sampled_from(["", "porteur_nom"] + TEXT_FIELDS)),
            comment[:80] or "Anonyme",
            "Organisme " + comment[:30],
            "2022-03-01T10:00:00+00:00",
            comment or "(vide)",
        ),
    )
    snapshot = replace(
        EXAMPLE,
        answers=answers,
        comments=comments,
        info=replace(EXAMPLE.info, title=title.strip() or "Sans titre"),
    )
    _export(snapshot, comments=with_comments)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_values_of_the_wrong_type_still_export(data):
    """A value of another type (from an older template, a merge, a hand-edited file) must not stop the printout."""
    answers = {
        k: ([dict(r) for r in v] if isinstance(v, list) and v and isinstance(v[0], dict) else v)
        for k, v in EXAMPLE.answers.items()
    }
    for field in data.draw(st.lists(st.sampled_from(TOP_FIELDS), min_size=1, max_size=6, unique=True)):
        answers[field] = data.draw(any_json)
    _export(replace(EXAMPLE, answers=answers), comments=False)


def test_the_largest_texts_the_form_allows_and_far_beyond(tmp_path):
    """Every text field at ten times its limit, one unbreakable 30 000-character word, 200 table rows."""
    answers = dict(EXAMPLE.answers)
    for _s, spec in EXAMPLE.template.iter_fields():
        if spec.type in TEXTUAL:
            answers[spec.id] = ("Phrase d'essai à la limite, " * 400)[: 10 * (spec.character_limit or 300)]
    answers["resume"] = "X" * 30000
    field, child = CELLS[0]
    answers[field] = [{"_id": f"r{i}", child: f"Ligne {i} <{i}> & co"} for i in range(200)]
    out = tmp_path / "enorme.pdf"
    write_pdf(replace(EXAMPLE, answers=answers), out)
    assert len(pypdf.PdfReader(out).pages) > 20
