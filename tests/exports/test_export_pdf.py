"""The PDF review copy: everything typed appears literally, pages are numbered, the draft mark is honest."""

from __future__ import annotations

import json
import re
import subprocess

import pytest
from exportkit import ANSWERS, ATTACHMENTS, ROOT, has_qpdf, make_snapshot, pdf_text, report

from spie_desktop.exports import ExportCancelled
from spie_desktop.exports.pdf import write_pdf
from spie_desktop.exports.pdf_layout import DRAFT_MARK
from spie_desktop.exports.pdf_style import SUBSTITUTE, clean, markup
from spie_desktop.exports.text import answer_text, child_path, row_children, visible_fields

pypdf = pytest.importorskip("pypdf")

_PAGE_FURNITURE = re.compile(r"^(page \d+ / \d+|Copie de relecture exportée le .*|BROUILLON — .*)$", re.I)


def squash(text: str) -> str:
    """Compare text regardless of line wrapping: drop every kind of space."""
    return re.sub(r"[\s\u00a0\u202f\u200b]+", "", text)


def body_text(pages: list[str], snapshot) -> str:
    """All pages' text without header, footer and draft mark, so answers spanning pages join up."""
    heads = {snapshot.info.title[:25], snapshot.template.title[:25]}
    kept = []
    for page in pages:
        for line in page.splitlines():
            s = line.strip()
            if _PAGE_FURNITURE.match(s) or any(s.startswith(h) for h in heads if h):
                continue
            kept.append(s)
    return squash("\n".join(kept))


def expected_answers(snapshot) -> list[str]:
    out = []
    for section in snapshot.template.sections:
        for spec in visible_fields(snapshot, section):
            if spec.is_repetition:
                for row in snapshot.rows(spec.id):
                    for child in row_children(spec, snapshot, row):
                        text = answer_text(snapshot, child, row.get(child.id), child_path(spec, row, child))
                        if text:
                            out.append(text)
            elif spec.type.holds_answer:
                text = answer_text(snapshot, spec, snapshot.answers.get(spec.id), spec.id)
                if text:
                    out.append(text)
    return out


@pytest.fixture
def example_snapshot():
    interchange = pytest.importorskip("spie_desktop.interchange", reason="module d'échange pas encore livré")
    path = ROOT / "resources" / "examples" / "exemple-dossier.json"
    if not path.exists():
        pytest.skip("dossier d'exemple pas encore livré")
    return interchange.snapshot_from_document(json.loads(path.read_text(encoding="utf-8")))


def test_every_answer_of_the_example_appears(example_snapshot, tmp_path):
    out = tmp_path / "exemple.pdf"
    write_pdf(example_snapshot, out)
    pages = pdf_text(out)
    text = body_text(pages, example_snapshot)
    expected = expected_answers(example_snapshot)
    assert len(expected) > 100
    missing = [e for e in expected if squash(clean(e)) not in text]
    assert missing == []
    for a in example_snapshot.attachments:
        assert squash(a.name) in text


def test_pages_numbered_x_of_y(snapshot, tmp_path):
    out = tmp_path / "d.pdf"
    write_pdf(snapshot, out, report=report(1))
    pages = pdf_text(out)
    assert len(pages) >= 4
    for i, page in enumerate(pages, 1):
        assert f"page {i} / {len(pages)}" in page


def test_contents_and_bookmarks_list_the_sections(snapshot, tmp_path):
    out = tmp_path / "d.pdf"
    write_pdf(snapshot, out, report=report(0))
    pages = pdf_text(out)
    toc = pages[1]
    assert "Sommaire" in toc
    reader = pypdf.PdfReader(str(out))
    outline = {
        o.title: reader.get_destination_page_number(o) + 1 for o in reader.outline if not isinstance(o, list)
    }
    titles = [s.title for s in snapshot.template.sections] + [
        "Pièces jointes",
        "Annexe — rapport de complétude",
    ]
    for title in titles:
        page = outline[title]
        assert title in pages[page - 1]
        # the contents show the same page number, before or after the title depending on extraction order
        t = re.escape(title)
        assert re.search(rf"(?:\b{page}\s*\n\s*{t}\s*$)|(?:^\s*{t}[ .]*{page}\s*$)", toc, re.M), (
            title,
            page,
            toc,
        )


def test_draft_mark_only_while_something_blocks(snapshot, tmp_path):
    blocked, ready = tmp_path / "b.pdf", tmp_path / "r.pdf"
    write_pdf(snapshot, blocked, report=report(blocking=2, warnings=1))
    write_pdf(snapshot, ready, report=report(blocking=0, warnings=1))
    assert all(DRAFT_MARK in page for page in pdf_text(blocked))
    assert not any("BROUILLON" in page.upper() for page in pdf_text(ready))
    cover = pdf_text(ready)[0]
    assert "Prêt à être déposé" in cover and "42" in cover


def test_adversarial_answers_appear_literally(tmp_path):
    long_text = " ".join(f"mot{i}" for i in range(8000))[:50000]
    url = "https://exemple.fr/" + "chemin-tres-long/" * 150
    answers = dict(ANSWERS)
    answers.update(
        {
            "nom_structure": "<b>Gras</b> & <i>co</i> </para> &amp; <font color=red>x</font> \x00\x07fin\x1b",
            "commentaire": long_text,
            "diagnostic": url + "\nligne\u202f2\t« œ € ’ … »\r\nfin",
            "depenses": [
                {
                    "_id": f"r{i}",
                    "categorie": f"Catégorie <{i}> & co",
                    "annee": "2022" if i % 2 else "2023",
                    "montant": f"{i * 10}.50",
                }
                for i in range(300)
            ],
            "epci": "Emoji 😀🚀 et \u200bzéro",
        }
    )
    snap = make_snapshot(answers, attachments=ATTACHMENTS)
    out = tmp_path / "adv.pdf"
    write_pdf(snap, out, report=report(1))
    pages = pdf_text(out)
    text = body_text(pages, snap)
    assert squash("<b>Gras</b> & <i>co</i> </para> &amp; <font color=red>x</font> fin") in text
    assert squash(long_text) in text
    assert squash(url) in text
    assert squash("« œ € ’ … »") in text
    for i in range(300):
        assert squash(f"Catégorie <{i}> & co") in text
    assert squash("Total général") in text
    total = sum(i * 10 + 0.5 for i in range(300))
    assert squash(f"{int(total):,}".replace(",", " ") + ",00 €") in text
    assert (
        squash(f"Emoji {SUBSTITUTE}{SUBSTITUTE} et zéro") in text
    )  # glyphs the font lacks: a visible substitute


def test_markup_escapes_and_keeps_spacing():
    assert markup("a < b & c > d") == "a &lt; b &amp; c &gt; d"
    assert markup("1\u202f000 €") == "1\u00a0000 €"
    assert markup("l1\r\nl2") == "l1<br/>l2"
    assert markup("a\x00b\x1fc") == "abc"
    assert markup("a   b") == "a \u00a0\u00a0b"


@pytest.mark.skipif(not has_qpdf(), reason="qpdf absent (paquet Debian qpdf)")
def test_qpdf_check_passes(snapshot, tmp_path):
    out = tmp_path / "d.pdf"
    write_pdf(snapshot, out, report=report(1, 1), include_comments=True, wide_margins=True)
    result = subprocess.run(["qpdf", "--check", str(out)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_comments_only_when_asked(snapshot, tmp_path):
    with_c, without = tmp_path / "c.pdf", tmp_path / "n.pdf"
    write_pdf(snapshot, with_c, report=report(0), include_comments=True)
    write_pdf(snapshot, without, report=report(0))
    needle = squash("Citer la source des chiffres <INSEE> & de la CAF.")
    assert needle in squash("".join(pdf_text(with_c)))
    assert needle not in squash("".join(pdf_text(without)))


def test_missing_required_shown_and_wide_margins(snapshot, tmp_path):
    out = tmp_path / "w.pdf"
    write_pdf(snapshot, out, report=report(1), wide_margins=True)
    reader = pypdf.PdfReader(str(out))
    text = "".join(p.extract_text() for p in reader.pages)
    assert "Non renseigné" in text  # "Précisions" is required and empty
    assert len(reader.pages) >= 4


def test_cancel_writes_nothing_and_progress_reaches_the_end(snapshot, tmp_path):
    out = tmp_path / "d.pdf"
    out.write_bytes(b"previous")
    calls = []
    with pytest.raises(ExportCancelled):
        write_pdf(
            snapshot,
            out,
            report=report(0),
            cancel=lambda: len(calls) > 0,
            progress=lambda d, t: calls.append((d, t)),
        )
    assert out.read_bytes() == b"previous"
    assert list(tmp_path.iterdir()) == [out]

    seen = []
    write_pdf(snapshot, out, report=report(0), progress=lambda d, t: seen.append((d, t)))
    assert seen and seen[-1][0] == seen[-1][1]
    assert all(d <= t for d, t in seen)
    assert out.read_bytes().startswith(b"%PDF")


def test_uses_the_check_engine_when_no_report_given(snapshot, tmp_path):
    pytest.importorskip("spie_desktop.checks.engine", reason="moteur de complétude pas encore livré")
    out = tmp_path / "d.pdf"
    write_pdf(snapshot, out)
    assert "rapport de complétude" in "".join(pdf_text(out))


def test_oversized_title_and_invalid_numbers_do_not_break_the_layout(tmp_path):
    answers = dict(ANSWERS)
    answers["depenses"] = [{"_id": "r1", "categorie": "x", "annee": "2022", "montant": "9" * 300}]
    answers["nb_rsa"] = "beaucoup " * 200
    snap = make_snapshot(answers, title="Titre très long " * 800)
    out = tmp_path / "t.pdf"
    write_pdf(snap, out, report=report(1))
    text = body_text(pdf_text(out), snap)
    assert squash("9" * 300) in text
    assert squash("beaucoup " * 200) in text


from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

_LATIN = st.text(
    alphabet=st.sampled_from(list("abcdefghijkl éèàçœ€«»’…<>&;/\"'#*_-0123456789\n\t")),
    min_size=1,
    max_size=300,
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(anything=st.text(max_size=400), latin=_LATIN)
def test_any_text_builds_and_typed_text_appears(tmp_path, anything, latin):
    answers = dict(ANSWERS, nom_structure=anything, diagnostic=latin, epci=anything)
    snap = make_snapshot(answers)
    out = tmp_path / "h.pdf"
    write_pdf(snap, out, report=report(0))
    assert squash(clean(latin)) in body_text(pdf_text(out), snap)
