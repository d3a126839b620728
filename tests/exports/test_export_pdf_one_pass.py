"""The review copy is laid out once: the page total and the contents' page numbers are filled in at
the end, and plain table cells drawn as strings break exactly as reportlab's paragraphs would. Its
catalog says it is French and asks the viewer to show its title (issue 13)."""

from __future__ import annotations

import io
import random
import re

import pytest
from exportkit import ATTACHMENTS, COMMENTS, make_snapshot, pdf_text, report

from spie_desktop.exports.pdf import build_pdf, write_pdf
from spie_desktop.exports.pdf_layout import ReviewDoc
from spie_desktop.exports.pdf_style import FONT, FONT_BOLD, plain_lines, styles

pypdf = pytest.importorskip("pypdf")


def test_laid_out_in_one_pass(monkeypatch, tmp_path):
    builds = []
    original = ReviewDoc.handle_documentBegin

    def counted(self):
        builds.append(1)
        return original(self)

    monkeypatch.setattr(ReviewDoc, "handle_documentBegin", counted)
    write_pdf(make_snapshot(attachments=ATTACHMENTS, comments=COMMENTS), tmp_path / "d.pdf", report=report(1))
    assert builds == [1]


def test_page_total_and_contents_right_when_contents_span_two_pages(tmp_path):
    """Sixty sections: the contents take two pages, every footer still says the true total and every
    contents line the page its bookmark opens."""
    from exportkit import TEMPLATE

    from spie_desktop.forms import parse_template

    sections = [
        {
            "id": f"s{i}",
            "title": f"Section numéro {i}",
            "fields": [{"id": f"t{i}", "type": "textarea", "label": f"Question {i}", "required": False}],
        }
        for i in range(60)
    ]
    template = parse_template({**TEMPLATE, "sections": sections})
    answers = {f"t{i}": "Réponse assez longue. " * (40 if i % 7 == 0 else 3) for i in range(60)}
    out = tmp_path / "long.pdf"
    write_pdf(make_snapshot(answers, template=template), out, report=report(0))
    pages = pdf_text(out)
    assert "Section numéro 45" in pages[2]  # the contents continue on the third page
    for i, page in enumerate(pages, 1):
        assert f"page {i} / {len(pages)}" in page
    reader = pypdf.PdfReader(str(out))
    outline = {
        o.title: reader.get_destination_page_number(o) + 1 for o in reader.outline if not isinstance(o, list)
    }
    contents = pages[1] + pages[2]
    for i in range(60):
        title, page = f"Section numéro {i}", outline[f"Section numéro {i}"]
        assert title in pages[page - 1].split("\n")
        assert re.search(
            rf"(?:\b{page}\s*\n\s*{title}\s*$)|(?:^\s*{title}[ .]*{page}\s*$)", contents, re.M
        ), title


def test_catalog_declares_french_and_shows_the_title(tmp_path):
    snapshot = make_snapshot(title="Dossier SPIE du Morbihan")
    reader = pypdf.PdfReader(io.BytesIO(build_pdf(snapshot, report=report(0))))
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "fr-FR"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"] == pypdf.generic.BooleanObject(True)
    assert reader.metadata.title == "Dossier SPIE du Morbihan"


def reportlab_lines(text: str, width: float, style) -> list[str]:
    from reportlab.platypus import Paragraph

    p = Paragraph(text, style)
    p.wrap(width, 10_000)
    return [" ".join(words) for _, words in p.blPara.lines]


@pytest.mark.parametrize("style_name,font,size", [("cell", FONT, 8.4), ("cell_label", FONT_BOLD, 8.2)])
def test_plain_cells_break_exactly_like_a_paragraph(style_name, font, size):
    rng = random.Random(12)
    words = [
        "Personnel",
        "de",
        "coordination",
        "et",
        "pilotage",
        "45\u00a0000,00\u00a0€",
        "l'accompagnement",
        "référent",
        "unique",
        "«",
        "parcours",
        "»",
        "—",
        "M.",
        "Dupont-Lefèvre",
        "a",
        "i",
        "WWWW",
        "(2)",
    ]
    style = styles()[style_name]
    checked = 0
    for _ in range(400):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 30)))
        width = rng.uniform(60, 300)
        lines = plain_lines(text, width, font, size)
        if lines is None:
            continue
        checked += 1
        assert lines.split("\n") == reportlab_lines(text, width, style), (text, width)
    assert checked > 300


def test_plain_cells_refuse_what_only_a_paragraph_shows():
    assert plain_lines("deux  espaces", 200) is None
    assert plain_lines(" devant", 200) is None
    assert plain_lines("ligne\nautre", 200) is None
    assert plain_lines("x" * 200, 50) is None  # a word wider than the cell: reportlab cuts it
    assert plain_lines("fine\u2009espace", 200) is None
    assert plain_lines("", 200) is None


@pytest.mark.parametrize("style_name", ["answer", "help", "label", "row_label", "cell_label", "h1", "cell"])
def test_paragraphs_without_markup_get_the_parsers_fragments(style_name):
    """Para skips reportlab's parser for plain text and for a label followed by the required mark:
    its fragments must be the parser's, attribute for attribute."""
    from reportlab.platypus import Paragraph

    from spie_desktop.exports.pdf_style import REQUIRED_MARK, Para

    style = styles()[style_name]
    texts = [
        "Nom de la structure",
        "  espaces devant",
        "45\u00a0000,00\u00a0€",
        "a",
        "é « guillemets » —",
        "fin   ",
        "x" * 300,
    ]
    for text in texts + [t + REQUIRED_MARK for t in texts]:
        ours, theirs = Para(text, style).frags, Paragraph(text, style).frags
        assert [vars(f) for f in ours] == [vars(f) for f in theirs], text


@pytest.mark.parametrize("style_name", ["answer", "row_answer", "help", "empty", "note"])
def test_plain_paragraphs_break_and_split_like_reportlab(style_name):
    """PlainPara (plain answers and help texts) has the lines, height and page splits of the
    Paragraph it stands for; a word wider than the line goes to a real Paragraph."""
    from reportlab.platypus import Paragraph

    from spie_desktop.exports.pdf_plain import PlainPara, para

    rng = random.Random(7)
    words = [
        "Le",
        "Département",
        "mobilise",
        "référent",
        "unique",
        "45\u00a0000,00\u00a0€",
        "«",
        "»",
        "(5)",
        "l'accompagnement",
        "a",
        "WWWWWW",
        "—",
    ]
    style = styles()[style_name]
    for _ in range(150):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 120)))
        width, height = rng.uniform(120, 480), rng.uniform(5, 200)
        ours, theirs = para(text, style), Paragraph(text, style)
        assert isinstance(ours, PlainPara)
        assert ours.wrap(width, 1e6) == theirs.wrap(width, 1e6)
        assert [line for _, line in ours._lines] == [" ".join(w) for _, w in theirs.blPara.lines]
        a, b = ours.split(width, height), theirs.split(width, height)
        assert len(a) == len(b), (text, width, height)
        if len(a) == 2:
            assert a[0].wrap(width, 1e6) == b[0].wrap(width, 1e6)
    long_word = para("x" * 400, style)
    long_word.wrap(300, 1e6)
    assert long_word._fallback is not None


def test_markup_stays_a_paragraph():
    from spie_desktop.exports.pdf_plain import PlainPara, para

    st = styles()
    assert not isinstance(para("a<br/>b", st["answer"]), PlainPara)
    assert not isinstance(para("a &amp; b", st["answer"]), PlainPara)
    assert not isinstance(para("12,5", st["cell_num"]), PlainPara)  # right-aligned
    assert not isinstance(para("commentaire", st["comment"]), PlainPara)  # a background
