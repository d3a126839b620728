"""A light table flowable for the review copy's repetitions and cards.

reportlab's Table re-derives a style per cell, re-measures its rows each time it is wrapped or split,
opens a text object per string and strokes each line apart: at 5 000 repetition rows it was a third
of the export. :class:`Grid` does what those tables need and no more: fixed column widths, rows that
never break inside (as ``Table`` with ``splitInRow=0``), header rows repeated on every piece,
plain-string cells drawn in one text object a row, flowable cells (paragraphs) drawn as Table draws
them, a background per row, a column background, a leading span, rules. Its geometry is Table's:
the same row heights, baselines, paddings and rules, so the page looks the same (but for a row whose
first cell spans the others: Table makes it as tall as the empty strings under the span in its
default 12-point leading; here the span's own content decides).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib.colors import Color
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

Cell = Any  # "" | str (lines separated by "\n") | Flowable | list[Flowable]


class GridStyle:
    """How a kind of grid looks: paddings, the font of each column's string cells, their alignment,
    the rules (``"grid"``: every cell boxed; ``"rows"``: a box and a rule under every body row) and
    a background for one column of the body rows."""

    __slots__ = ("align", "column_background", "fonts", "ink", "lines", "pad", "rule")

    def __init__(
        self,
        *,
        fonts: Sequence[tuple[str, float, float]],
        ink: Color,
        rule: tuple[float, Color],
        lines: str = "grid",
        pad: tuple[float, float, float, float] = (3, 3, 4, 4),
        align: Sequence[str] = (),
        column_background: tuple[int, Color] | None = None,
    ) -> None:
        self.fonts = list(fonts)  # (name, size, leading) per column
        self.ink = ink
        self.rule = rule
        self.lines = lines
        self.pad = pad  # top, bottom, left, right
        self.align = list(align) or ["LEFT"] * len(self.fonts)
        self.column_background = column_background


class GridRow:
    """One row: its cells, its background, how many leading cells make one (``span``), a rule
    drawn above it, and whether it is a body row (the column background and the rule under it)."""

    __slots__ = ("background", "body", "cells", "height", "measured", "rule_above", "span")

    def __init__(
        self,
        cells: list[Cell],
        *,
        background: Color | None = None,
        span: int = 1,
        rule_above: tuple[float, Color] | None = None,
        body: bool = True,
    ) -> None:
        self.cells = cells
        self.background = background
        self.span = max(1, span)
        self.rule_above = rule_above
        self.body = body
        self.height = 0.0
        self.measured: list[list[tuple[Flowable, float]] | None] = []


class Grid(Flowable):
    """Rows of cells in fixed columns; ``repeat`` header rows begin every piece it is split into."""

    def __init__(
        self,
        rows: list[GridRow],
        widths: Sequence[float],
        style: GridStyle,
        *,
        repeat: int = 1,
        h_align: str = "LEFT",
        _measured: bool = False,
        _total: float | None = None,
    ) -> None:
        super().__init__()
        self.rows = rows
        self.widths = list(widths)
        self.style = style
        self.repeat = repeat
        self.hAlign = h_align
        self._measured = _measured
        self._total: float | None = _total  # the rows' heights summed, once measured
        self.width = sum(self.widths)
        self.height = 0.0

    # -- geometry ------------------------------------------------------------------------------

    def _measure(self) -> None:
        """Each row's height as Table computes it: the tallest cell, strings a leading a line,
        flowables wrapped in the cell's inner width with their spaces between them."""
        if self._measured:
            return
        top, bottom, left, right = self.style.pad
        canv = getattr(self, "canv", None)
        fonts = self.style.fonts
        for row in self.rows:
            tallest = 0.0
            measured: list[list[tuple[Flowable, float]] | None] = []
            for j, cell in enumerate(row.cells):
                if j and j < row.span:  # hidden under the span
                    measured.append(None)
                    continue
                width = self._cell_width(j, row.span)
                if isinstance(cell, (list, tuple, Flowable)):
                    parts = list(cell) if isinstance(cell, (list, tuple)) else [cell]
                    placed, h = [], 0.0
                    first_before = last_after = 0.0
                    for k, f in enumerate(parts):
                        _, fh = f.wrapOn(canv, width - left - right, 72000 - top - bottom)
                        before, after = f.getSpaceBefore(), f.getSpaceAfter()
                        if k == 0:
                            first_before = before
                        last_after = after
                        h += fh + before + after
                        placed.append((f, fh))
                    h = h - first_before - last_after if parts else 0.0
                    measured.append(placed)
                else:
                    h = fonts[j][2] * (str(cell).count("\n") + 1)
                    measured.append(None)
                tallest = max(tallest, h + top + bottom)
            row.height = tallest
            row.measured = measured
        self._measured = True

    def _cell_width(self, j: int, span: int) -> float:
        return sum(self.widths[:span]) if j == 0 and span > 1 else self.widths[j]

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._measure()
        if self._total is None:
            self._total = sum(r.height for r in self.rows)
        self.height = self._total
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        """The rows that fit, then the header rows and the rest; nothing when no body row fits."""
        self._measure()
        used, fit = 0.0, 0
        for row in self.rows:
            if used + row.height > availHeight:
                break
            used += row.height
            fit += 1
        if fit <= self.repeat:
            return []
        if fit == len(self.rows):  # a total got by subtraction may exceed the rows' own sum by a hair
            self._total = used
            return [self]
        head = self.rows[: self.repeat]
        if self._total is None:
            self._total = sum(r.height for r in self.rows)
        rest = self._total - used + sum(r.height for r in head)  # no re-summing: linear in rows
        return [self._piece(self.rows[:fit], used), self._piece(head + self.rows[fit:], rest)]

    def _piece(self, rows: list[GridRow], total: float) -> Grid:
        return Grid(
            rows,
            self.widths,
            self.style,
            repeat=self.repeat,
            h_align=self.hAlign,
            _measured=True,
            _total=total,
        )

    # -- drawing -------------------------------------------------------------------------------

    def draw(self) -> None:
        canv, st = self.canv, self.style
        xs = [0.0]
        for w in self.widths:
            xs.append(xs[-1] + w)
        ys = [self.height]  # the top of each row, then the bottom of the last
        for row in self.rows:
            ys.append(ys[-1] - row.height)
        canv.saveState()
        self._backgrounds(xs, ys)
        canv.setFillColor(st.ink)
        for i, row in enumerate(self.rows):
            self._cells(row, xs, ys[i])
        self._rules(xs, ys)
        canv.restoreState()

    def _backgrounds(self, xs: list[float], ys: list[float]) -> None:
        canv = self.canv
        shaded = self.style.column_background
        for i, row in enumerate(self.rows):
            if row.background is not None:
                canv.setFillColor(row.background)
                canv.rect(0, ys[i + 1], xs[-1], row.height, stroke=0, fill=1)
            if shaded is not None and row.body:
                col, color = shaded
                canv.setFillColor(color)
                canv.rect(xs[col], ys[i + 1], xs[col + 1] - xs[col], row.height, stroke=0, fill=1)

    def _cells(self, row: GridRow, xs: list[float], top_y: float) -> None:
        """A row's cells left to right: strings into one text object (closed before a flowable,
        which opens its own), flowables where Table puts them (valign TOP)."""
        canv, st = self.canv, self.style
        top, _, left, right = st.pad
        text = None
        current = None
        for j, cell in enumerate(row.cells):
            if j and j < row.span:
                continue
            x0 = xs[j]
            width = self._cell_width(j, row.span)
            placed = row.measured[j]
            if placed is not None:
                if text is not None:
                    canv.drawText(text)
                    text, current = None, None
                y = top_y - top + (placed[0][0].getSpaceBefore() if placed else 0.0)
                for f, fh in placed:
                    y -= f.getSpaceBefore() + fh
                    f.drawOn(canv, x0 + left, y)
                    y -= f.getSpaceAfter()
                continue
            if cell == "":
                continue
            font = st.fonts[j]
            if text is None:
                text = canv.beginText()
            if current != font:
                text.setFont(*font)
                current = font
            name, size, leading = font
            y = top_y - top - size
            right_aligned = st.align[j] == "RIGHT"
            for line in str(cell).split("\n"):
                x = x0 + width - right - stringWidth(line, name, size) if right_aligned else x0 + left
                text.setTextOrigin(x, y)
                text._textOut(line, 0)
                y -= leading
        if text is not None:
            canv.drawText(text)

    def _rules(self, xs: list[float], ys: list[float]) -> None:
        """Every rule in one path (Table strokes them one by one, round caps and joins)."""
        canv, st = self.canv, self.style
        width, color = st.rule
        canv.setLineCap(1)
        canv.setLineJoin(1)
        canv.setStrokeColor(color)
        canv.setLineWidth(width)
        path = canv.beginPath()
        right = xs[-1]
        if st.lines == "grid":
            for y in ys:
                path.moveTo(0, y)
                path.lineTo(right, y)
            for j, x in enumerate(xs):
                self._vertical(path, j, x, ys)
        else:  # a box, and a rule under every body row
            for y in (ys[0], ys[-1]):
                path.moveTo(0, y)
                path.lineTo(right, y)
            for i, row in enumerate(self.rows):
                if row.body:
                    path.moveTo(0, ys[i + 1])
                    path.lineTo(right, ys[i + 1])
            for x in (xs[0], xs[-1]):
                path.moveTo(x, ys[0])
                path.lineTo(x, ys[-1])
        canv.drawPath(path, stroke=1, fill=0)
        for i, row in enumerate(self.rows):
            if row.rule_above is not None:
                w, c = row.rule_above
                canv.setLineWidth(w)
                canv.setStrokeColor(c)
                canv.line(0, ys[i], right, ys[i])

    def _vertical(self, path: Any, j: int, x: float, ys: list[float]) -> None:
        """The rule at column boundary ``j``, broken where a row's span covers it."""
        start = None
        for i, row in enumerate(self.rows):
            covered = 0 < j < row.span
            if covered:
                if start is not None:
                    path.moveTo(x, ys[start])
                    path.lineTo(x, ys[i])
                    start = None
            elif start is None:
                start = i
        if start is not None:
            path.moveTo(x, ys[start])
            path.lineTo(x, ys[-1])
