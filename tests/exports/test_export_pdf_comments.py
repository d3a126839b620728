"""Review comments in the PDF copy: each one printed once, next to what it is about."""

from __future__ import annotations

import io
from dataclasses import replace

from pypdf import PdfReader

from spie_desktop.exports.pdf import build_pdf
from spie_desktop.interchange import snapshot_from_document
from spie_desktop.snapshot import CommentInfo


def test_a_row_comment_is_printed_once_in_block_layout(example_document):
    snap = snapshot_from_document(example_document)
    row = snap.rows("consortium")[0]["_id"]  # consortium rows have long text: laid out as blocks
    note = CommentInfo(
        "c1",
        f"consortium[{row}].role",
        "Camille Relectrice",
        "DDETS",
        "2021-09-20T10:00:00+00:00",
        "Préciser le nombre de référents mobilisés",
    )
    snap = replace(snap, comments=(note,))
    pdf = build_pdf(snap, include_comments=True)
    text = " ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(pdf)).pages)
    text = " ".join(text.split())
    assert text.count("Préciser le nombre de référents mobilisés") == 1
    without = " ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(build_pdf(snap))).pages)
    assert "Préciser le nombre" not in without
