"""Plain text in one font as a light flowable that breaks, splits and draws its lines exactly as
reportlab's Paragraph would (same lines, same baselines, same word spacing), without its fragment
machinery: most answers and help texts of a dossier are plain, and Paragraph was half the export."""

from __future__ import annotations

from typing import Any

from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable
from reportlab.platypus.paragraph import cleanBlockQuotedText

from .pdf_style import _OTHER_SPACES, Para, break_plain

_SIMPLE: dict[int, tuple[ParagraphStyle, bool]] = {}


def _simple_style(style: ParagraphStyle) -> bool:
    """A style whose Paragraph is drawn as plain lines: left-aligned, no first-line indent, no box."""
    held = _SIMPLE.get(id(style))
    if held is None or held[0] is not style:
        g = lambda name, default=None: getattr(style, name, default)  # noqa: E731
        simple = (
            g("alignment") == TA_LEFT
            and not g("firstLineIndent")
            and not g("rightIndent")
            and not g("backColor")
            and not g("borderWidth")
            and not g("bulletText")
            and g("autoLeading") in ("", "off", None)
            and not g("wordWrap")
            and not g("endDots")
            and not g("allowOrphans", 0)
            and g("allowWidows", 1)
            and not g("textTransform")
        )
        held = _SIMPLE[id(style)] = (style, bool(simple))
    return held[1]


def para(text: str, style: ParagraphStyle) -> Flowable:
    """``text`` (Paragraph markup) as a :class:`PlainPara` when it is plain, else as a Paragraph."""
    if "<" in text or "&" in text or "\n" in text or not _simple_style(style):
        return Para(text, style)
    text = cleanBlockQuotedText(text)
    if not text or "  " in text or text[0] == " " or text[-1] == " " or _OTHER_SPACES.search(text):
        return Para(text, style)
    return PlainPara(text, style)


class PlainPara(Flowable):
    def __init__(
        self,
        text: str,
        style: ParagraphStyle,
        lines: list[tuple[float, str]] | None = None,
        width: float | None = None,
    ) -> None:
        super().__init__()
        self.text = text
        self.style = style
        self._lines = lines  # (room left, line) as reportlab's breakLines gives them
        self._for = width  # the width those lines were broken for
        self._fallback: Any = None

    def getSpaceBefore(self) -> float:
        return self.style.spaceBefore

    def getSpaceAfter(self) -> float:
        return self.style.spaceAfter

    def _break(self, avail: float) -> bool:
        if self._for != avail:
            st = self.style
            lines = break_plain(self.text, avail - st.leftIndent, st.fontName, st.fontSize)
            if lines is None:  # a word wider than the line: reportlab cuts it, let it
                self._fallback = Para(self.text, st)
                for name in ("keep_with_next", "field_label", "toc_entry"):
                    if hasattr(self, name):
                        setattr(self._fallback, name, getattr(self, name))
                return False
            self._fallback = None
            self._lines, self._for = lines, avail
        return self._fallback is None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if not self._break(availWidth):
            self.width, self.height = self._fallback.wrapOn(
                getattr(self, "canv", None), availWidth, availHeight
            )
            return self.width, self.height
        assert self._lines is not None  # broken by _break
        self.width, self.height = availWidth, len(self._lines) * self.style.leading
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        if not self._break(availWidth):
            return self._fallback.splitOn(getattr(self, "canv", None), availWidth, availHeight)
        assert self._lines is not None  # broken by _break
        fit = int(availHeight / float(self.style.leading))
        if fit <= 1:  # reportlab leaves no orphan line at the foot of a page
            return []
        if len(self._lines) <= fit:
            return [self]
        first = PlainPara(self.text, self.style, self._lines[:fit], availWidth)
        rest = PlainPara(self.text, self.style, self._lines[fit:], availWidth)
        return [first, rest]

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        if self._fallback is not None:
            self._fallback.drawOn(canvas, x, y, _sW)
            return
        super().drawOn(canvas, x, y, _sW)

    def draw(self) -> None:
        st, canvas = self.style, self.canv
        canvas.saveState()
        canvas.setFillColor(st.textColor)
        tx = canvas.beginText(st.leftIndent, self.height - st.fontSize)
        tx.setFont(st.fontName, st.fontSize, st.leading)
        for room, line in self._lines or ():
            spaces = line.count(" ") + line.count("\u00a0")
            if room > -1e-8 or spaces <= 0:
                tx._textOut(line, 1)
            else:  # a line fitted by shrinking its spaces, as reportlab draws it
                tx.setWordSpace(room / float(spaces))
                tx._textOut(line, 1)
                tx.setWordSpace(0)
        canvas.drawText(tx)
        canvas.restoreState()
