"""The review copy's own table flowable (exports/pdf_grid.Grid): the geometry of reportlab's Table,
its header on every page it runs on, rows that never break, strings placed where Table puts them."""

from __future__ import annotations

import io
import re

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.platypus import LayoutError, Paragraph, SimpleDocTemplate, Table, TableStyle

from spie_desktop.exports.pdf_grid import Grid, GridRow, GridStyle
from spie_desktop.exports.pdf_style import ACCENT, FONT, INK, RULE, TOTAL_BG, register_fonts, styles

pypdf = pytest.importorskip("pypdf")


@pytest.fixture(scope="module")
def st():
    register_fonts()
    return styles()


def style(columns: int, **kw) -> GridStyle:
    return GridStyle(fonts=[(FONT, 8.4, 10.6)] * columns, ink=INK, rule=(0.4, RULE), **kw)


def build(*flowables) -> pypdf.PdfReader:
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4).build(list(flowables))
    return pypdf.PdfReader(io.BytesIO(out.getvalue()))


def cells(st, n: int) -> list[list]:
    long = "un texte assez long pour passer sur plusieurs lignes dans une colonne étroite " * 2
    return [
        [str(i), f"ligne {i}\nsuite", Paragraph(long if i % 3 else "court", st["cell"]), "1 234,56 €"]
        for i in range(n)
    ]


def test_rows_are_as_tall_as_reportlab_table_makes_them(st):
    widths = [30, 80, 200, 70]
    data = cells(st, 12)
    table = Table(data, colWidths=widths)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 8.4, 10.6),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    table.wrap(500, 800)
    grid = Grid([GridRow(c) for c in cells(st, 12)], widths, style(4))
    width, height = grid.wrap(500, 800)
    assert width == sum(widths)
    assert [round(r.height, 3) for r in grid.rows] == [round(h, 3) for h in table._rowHeights]
    assert height == pytest.approx(sum(table._rowHeights))


def test_a_long_grid_repeats_its_header_at_the_top_of_every_page_and_nowhere_else(st):
    head = GridRow(
        [Paragraph("N°", st["cell_head"]), Paragraph("Intitulé", st["cell_head"])], background=ACCENT
    )
    rows = [head] + [GridRow([str(i), f"Poste {i}"]) for i in range(1, 301)]
    pages = [p.extract_text() for p in build(Grid(rows, [40, 300], style(2))).pages]
    assert len(pages) > 3
    for page in pages:
        assert page.count("Intitulé") == 1
        assert page.index("Intitulé") < page.index("Poste ")
    text = "\n".join(pages)
    for i in range(1, 301):  # every row once, in order, its number before its text
        assert text.count(f"{i} Poste {i}\n") + text.endswith(f"{i} Poste {i}") == 1
    assert text.index("Poste 299") < text.index("Poste 300")


def test_a_row_taller_than_a_page_is_refused_rather_than_cut(st):
    head = GridRow(["N°", "Texte"], body=False)
    tall = GridRow(["1", "\n".join(["ligne"] * 200)])
    with pytest.raises(LayoutError):
        build(Grid([head, tall], [40, 300], style(2)))


def test_right_aligned_strings_end_at_the_cell_padding(st):
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen.canvas import Canvas

    grid = Grid(
        [GridRow(["a", "1 234,56 €"]), GridRow(["b", "7 €"])], [100, 120], style(2, align=["LEFT", "RIGHT"])
    )
    canvas = Canvas(io.BytesIO())
    grid.wrapOn(canvas, 500, 500)
    grid.drawOn(canvas, 0, 0)
    code = "\n".join(canvas._code)
    # each row's text object: BT (its origin at 0 0), then an origin per cell
    origins = [float(x) for x in re.findall(r"(?<!BT )1 0 0 1 ([-\d.]+) [-\d.]+ Tm", code)]
    assert len(origins) == 4
    assert origins[0] == pytest.approx(4) and origins[2] == pytest.approx(4)  # left: after the padding
    for x, text in ((origins[1], "1 234,56 €"), (origins[3], "7 €")):
        assert x + stringWidth(text, FONT, 8.4) == pytest.approx(220 - 4, abs=0.01)


def test_a_spanning_total_row_shows_its_label_once_and_its_amount_in_its_column(st):
    rows = [
        GridRow(["N°", "Poste", "Montant"], body=False),
        GridRow(["1", "Coordination", "10 €"]),
        GridRow(
            [Paragraph("Total", st["cell_total"]), "", Paragraph("10 €", st["cell_total_num"])],
            background=TOTAL_BG,
            span=2,
            rule_above=(1, ACCENT),
        ),
    ]
    text = build(Grid(rows, [40, 200, 80], style(3))).pages[0].extract_text()
    assert text.count("Total") == 1
    assert text.index("Coordination") < text.index("Total") < text.rindex("10 €")


def test_splitting_a_long_grid_page_after_page_reads_each_row_a_bounded_number_of_times(st):
    """Linear in rows: a piece's height is carried over from the split, not summed again on every
    page (20 000 rows would re-read 4 million heights)."""

    class Counted(GridRow):
        reads = 0

        @property  # type: ignore[override]
        def height(self) -> float:
            Counted.reads += 1
            return self._h

        @height.setter
        def height(self, value: float) -> None:
            self._h = value

    n = 2_000
    rows = [Counted(["N°", "Poste"], body=False)] + [Counted([str(i), f"Poste {i}"]) for i in range(n)]
    grid = Grid(rows, [40, 300], style(2))
    pages = 0
    grid.wrap(340, 700)
    while True:
        parts = grid.split(340, 700)
        pages += 1
        if len(parts) == 1:
            break
        first, grid = parts
        first.wrap(340, 700)
        grid.wrap(340, 700)
    assert pages > 20
    assert Counted.reads < 6 * n
