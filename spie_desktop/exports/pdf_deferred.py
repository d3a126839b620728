"""What the review copy knows only once its last page is laid out — the page total of « page X / Y »
and the contents' page numbers — drawn in a single layout pass.

Each page (and each contents line) draws a named form XObject where the number goes; the forms are
written once the pass is over, just before the file is saved. A PDF may define a form after the
pages that use it, so nothing is laid out twice (``multiBuild`` laid the whole dossier out at least
twice, for the total and for the contents) and bookmarks still point at the page being drawn.

The contents' height does not depend on its page numbers: its titles are known before the pass
(every level-0 heading of the story), so its size is reserved exactly.
"""

from __future__ import annotations

from ast import literal_eval
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus.tableofcontents import TableOfContents

#: Forms are drawn wherever the current transformation puts them: their box is the whole page
#: and more on every side, so that nothing drawn in them is clipped.
_BOX = (-A4[0], -A4[1], 2 * A4[0], 2 * A4[1])
DOT = " . "


@dataclass
class _Number:
    """A contents line's leader dots and page number, drawn once its page is known."""

    form: str
    key: str
    style: Any
    x: float
    y: float
    avail_width: float
    dots: bool


@dataclass
class Deferred:
    """The numbers still to draw: one form per page footer, one per contents line."""

    pages: dict[str, int] = field(default_factory=dict)  # contents key → page of its heading
    numbers: list[_Number] = field(default_factory=list)
    page_forms: list[tuple[str, Any]] = field(default_factory=list)  # (form name, draw(canvas, total))

    def page_number(self, canvas: Canvas, name: str, draw: Any) -> None:
        """Draw form ``name`` here; ``draw(canvas, total)`` fills it in at the end."""
        canvas.doForm(name)
        self.page_forms.append((name, draw))

    def finish(self, canvas: Canvas, total: int) -> None:
        """Define every form used, now that the page total and every heading's page are known."""
        for name, draw in self.page_forms:
            canvas.beginForm(name, *_BOX)
            draw(canvas, total)
            canvas.endForm()
        for n in self.numbers:
            canvas.beginForm(n.form, *_BOX)
            _draw_number(canvas, n, self.pages.get(n.key))
            canvas.endForm()


def _draw_number(canvas: Canvas, n: _Number, page: int | None) -> None:
    """As reportlab's ``drawPageNumbers`` draws it (same dots, same place, same shrinking)."""
    text = str(page) if page is not None else "?"
    size = n.style.fontSize
    width = stringWidth(text, n.style.fontName, size)
    while width > n.avail_width - n.x and size >= 1.0:
        size *= 0.9
        width = stringWidth(text, n.style.fontName, size)
    count = 0
    dot_w = 0.0
    if n.dots:
        dot_w = stringWidth(DOT, n.style.fontName, size)
        count = int((n.avail_width - n.x - width) / dot_w)
    tx = canvas.beginText(n.avail_width - count * dot_w - width, n.y)
    tx.setFont(n.style.fontName, size)
    tx.setFillColor(n.style.textColor)
    tx.textLine(count * DOT + text)
    canvas.drawText(tx)


class Contents(TableOfContents):
    """reportlab's table of contents, filled before the pass, its page numbers deferred."""

    def __init__(self, deferred: Deferred, **kw: Any) -> None:
        super().__init__(**kw)
        self.deferred = deferred

    def set_entries(self, entries: list[tuple[int, str, str]]) -> None:
        """(level, markup, key) of every line, in order, before the pass (their pages come after)."""
        self._lastEntries = [(level, text, 0, key) for level, text, key in entries]
        self._entries = list(self._lastEntries)

    def isIndexing(self) -> int:
        return 0

    def beforeBuild(self) -> None:
        pass

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        size = super().wrap(availWidth, availHeight)
        self.canv.setNamedCB(
            "drawTOCEntryEnd", lambda canvas, kind, label: self._entry_end(canvas, label, availWidth)
        )
        return size

    def _entry_end(self, canvas: Canvas, label: str, avail_width: float) -> None:
        _, level_text, key_text = label.split(",")
        level, key = int(level_text), literal_eval(key_text)
        style = self.getLevelStyle(level)
        info = canvas._curr_tx_info  # the end of the entry's text, where reportlab draws the dots
        form = f"sommaire{len(self.deferred.numbers)}"
        self.deferred.numbers.append(
            _Number(
                form,
                key,
                style,
                info["cur_x"],
                info["cur_y"],
                avail_width,
                self.dotsMinLevel >= 0 and level >= self.dotsMinLevel,
            )
        )
        canvas.doForm(form)
        if key:  # the number is a link, as in reportlab's contents (wide enough for any page number)
            w = stringWidth("00000", style.fontName, style.fontSize)
            canvas.linkRect(
                "",
                key,
                (avail_width - w, info["cur_y"], avail_width, info["cur_y"] + style.leading),
                relative=1,
            )
