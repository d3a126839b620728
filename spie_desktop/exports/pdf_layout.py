"""The page: A4 frames, header and footer ("page X / Y"), the draft mark, outline and contents.

One layout pass: "page X / Y" and the contents' page numbers are known only at the end, so they
are drawn as form XObjects filled in before the file is saved (:mod:`.pdf_deferred`). What every
page repeats (the header, the footer's text) is one form drawn on each page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from . import ExportCancelled
from .pdf_deferred import Deferred
from .pdf_style import ACCENT, FONT, FONT_BOLD, MISSING, MUTED, RULE, clean

DRAFT_MARK = "BROUILLON — copie de relecture"


@dataclass(frozen=True)
class PageDecor:
    header_left: str  # the dossier's title
    header_right: str  # the call
    footer_left: str  # "Exporté le …"
    draft: bool
    wide_margins: bool


def margins(wide: bool) -> tuple[float, float, float, float]:
    """(left, right, top, bottom): wide margins leave a 7 cm column for handwritten notes."""
    return (2.0 * cm, 7.0 * cm if wide else 2.0 * cm, 2.3 * cm, 2.0 * cm)


def _fit(text: str, font: str, size: float, width: float) -> str:
    text = clean(text).replace("\n", " ")
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[: max(1, int(len(text) * 0.9)) - 1] if len(text) > 80 else text[:-1]
    return text + "…"


def _draft_mark(canvas: Canvas) -> None:
    w, h = A4
    canvas.saveState()
    canvas.setFillColor(MISSING)
    canvas.setFillAlpha(0.11)
    canvas.setFont(FONT_BOLD, 38)
    canvas.translate(w / 2, h / 2)
    canvas.rotate(54)
    canvas.drawCentredString(0, -13, DRAFT_MARK)
    canvas.restoreState()
    canvas.saveState()  # a readable strip at the top too, for photocopies that lose the tint
    canvas.setFillColor(MISSING)
    canvas.setFont(FONT_BOLD, 7.5)
    canvas.drawCentredString(w / 2, h - 0.75 * cm, DRAFT_MARK.upper())
    canvas.restoreState()


def _header(canvas: Canvas, decor: PageDecor) -> None:
    w, h = A4
    left, right, top, _ = margins(decor.wide_margins)
    y = h - top + 0.75 * cm
    usable = w - left - right
    canvas.saveState()
    canvas.setFont(FONT_BOLD, 8)
    canvas.setFillColor(ACCENT)
    canvas.drawString(left, y, _fit(decor.header_left, FONT_BOLD, 8, usable * 0.58))
    canvas.setFont(FONT, 7.5)
    canvas.setFillColor(MUTED)
    canvas.drawRightString(w - right, y, _fit(decor.header_right, FONT, 7.5, usable * 0.4))
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(left, y - 4, w - right, y - 4)
    canvas.restoreState()


def _footer(canvas: Canvas, decor: PageDecor) -> None:
    """The footer's rule and text, the same on every page (the page number is drawn apart)."""
    w, _ = A4
    left, right, _, bottom = margins(decor.wide_margins)
    y = bottom - 0.95 * cm
    canvas.saveState()
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(left, y + 10, w - right, y + 10)
    canvas.setFont(FONT, 7.5)
    canvas.setFillColor(MUTED)
    canvas.drawString(left, y, _fit(decor.footer_left, FONT, 7.5, (w - left - right) * 0.7))
    canvas.restoreState()


def _page_number(canvas: Canvas, decor: PageDecor, page: int, total: int | None) -> None:
    w, _ = A4
    _, right, _, bottom = margins(decor.wide_margins)
    canvas.saveState()
    canvas.setFont(FONT_BOLD, 8)
    canvas.setFillColor(ACCENT)
    canvas.drawRightString(w - right, bottom - 0.95 * cm, f"page {page} / {total if total else '?'}")
    canvas.restoreState()


def _body_decor(canvas: Canvas, decor: PageDecor) -> None:
    _header(canvas, decor)
    _footer(canvas, decor)


class ReviewDoc(BaseDocTemplate):
    """A4 document: a cover page, then body pages with header; TOC entries and outline per heading."""

    def __init__(
        self,
        out: Any,
        decor: PageDecor,
        *,
        progress: Callable[[int, int], None] | None,
        cancel: Callable[[], bool] | None,
        expected: int,
        **kw: Any,
    ) -> None:
        left, right, top, bottom = margins(decor.wide_margins)
        super().__init__(
            out, pagesize=A4, leftMargin=left, rightMargin=right, topMargin=top, bottomMargin=bottom, **kw
        )
        self.decor = decor
        self.progress = progress
        self.cancel = cancel
        self.expected = max(1, expected)
        self.done = 0
        self.deferred = Deferred()  # page total and contents page numbers, drawn at the end
        self.current_field = ""  # the question being laid out, for a French message if it cannot be
        frame = Frame(
            left,
            bottom,
            A4[0] - left - right,
            A4[1] - top - bottom,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        cover_frame = Frame(
            left,
            bottom,
            A4[0] - left - right,
            A4[1] - top - bottom - 1.5 * cm,
            id="cover",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        self.addPageTemplates(
            [
                PageTemplate(id="cover", frames=[cover_frame], onPage=self._decorate_cover),
                PageTemplate(id="body", frames=[frame], onPage=self._decorate_body),
            ]
        )

    def _decorate(self, canvas: Canvas, form: str) -> None:
        if self.decor.draft:  # drawn on the page: reportlab's forms carry no transparency
            _draft_mark(canvas)
        canvas.doForm(form)  # the page's fixed decoration, one form for all pages
        page = self.page
        self.deferred.page_number(
            canvas, f"page{page}", lambda c, total: _page_number(c, self.decor, page, total)
        )

    def _decorate_cover(self, canvas: Canvas, doc: Any) -> None:
        self._decorate(canvas, "decor-cover")

    def _decorate_body(self, canvas: Canvas, doc: Any) -> None:
        self._decorate(canvas, "decor-body")

    def _endBuild(self) -> None:
        """The last page is done: draw what only the end knows, then save."""
        self._doSave = 0
        super()._endBuild()
        canvas = self.canv
        total = self.page
        for name, draw in (("decor-cover", _footer), ("decor-body", _body_decor)):
            canvas.beginForm(name)
            draw(canvas, self.decor)
            canvas.endForm()
        self.deferred.finish(canvas, total)
        canvas.save()

    def afterFlowable(self, flowable: Any) -> None:
        label = getattr(flowable, "field_label", None)
        if label is not None:
            self.current_field = label
        entry = getattr(flowable, "toc_entry", None)
        if entry is not None:
            level, text, key = entry
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(text, key, level=level, closed=level > 0)
            if level == 0:
                self.deferred.pages[key] = self.page
        self.done += 1
        if self.cancel is not None and self.done % 20 == 0 and self.cancel():
            raise ExportCancelled()
        if self.progress is not None and self.done % 10 == 0:
            self.progress(min(self.done, self.expected - 1), self.expected)
