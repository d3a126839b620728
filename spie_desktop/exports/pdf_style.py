"""Fonts, paragraph styles, and turning what the user typed into safe Paragraph markup.

Whatever the user typed must come out literally: markup characters are escaped, control
characters dropped, U+202F (which reportlab would break) becomes U+00A0, and characters the
embedded font lacks become U+FFFD instead of crashing or vanishing.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph
from reportlab.platypus.paragraph import cleanBlockQuotedText

from ..resources_path import resource

FONT = "SpieSans"
FONT_BOLD = "SpieSans-Bold"
FONT_ITALIC = "SpieSans-Oblique"
FONT_BOLD_ITALIC = "SpieSans-BoldOblique"
SUBSTITUTE = "\ufffd"

INK = colors.HexColor("#1d1d1f")
ACCENT = colors.HexColor("#1f3a5f")
MUTED = colors.HexColor("#5f6368")
MISSING = colors.HexColor("#b00020")
RULE = colors.HexColor("#c9d1dc")
ZEBRA = colors.HexColor("#f3f5f8")
TOTAL_BG = colors.HexColor("#e3e9f1")
OK = colors.HexColor("#1e7b34")

_FILES = {
    FONT: "DejaVuSans.ttf",
    FONT_BOLD: "DejaVuSans-Bold.ttf",
    FONT_ITALIC: "DejaVuSans-Oblique.ttf",
    FONT_BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
}


class _RememberingTTFont(TTFont):
    """A TrueType font that splits each distinct string into its subsets once per document.

    reportlab's ``splitString`` maps a string to subset codes character by character in Python,
    every time the string is drawn; a review copy draws the same labels, numbers and years
    thousands of times (a third of its strings are new at 100× the example). Once a string's
    characters have their codes they never change within a document, so the split is kept with
    the document's font state, which reportlab drops with the document."""

    def splitString(self, text: Any, doc: Any, encoding: str = "utf-8") -> list[tuple[int, bytes]]:
        state = self.state.get(doc)
        memo: dict[Any, list[tuple[int, bytes]]] | None = getattr(state, "spie_splits", None)
        if memo is not None:
            found = memo.get(text)
            if found is not None:
                return found
        result: list[tuple[int, bytes]] = super().splitString(text, doc, encoding)
        if memo is None:
            memo = self.state[doc].spie_splits = {}
        memo[text] = result
        return result


@lru_cache(maxsize=1)
def register_fonts() -> frozenset[int]:
    """Register the DejaVu family once; return the code points all four faces can draw."""
    cover: set[int] | None = None
    for name, filename in _FILES.items():
        font = _RememberingTTFont(name, str(resource("fonts", filename)))
        pdfmetrics.registerFont(font)
        keys = {
            c for c in font.face.charToGlyph if c < 0x10000
        }  # reportlab mis-encodes ToUnicode beyond the BMP
        cover = keys if cover is None else cover & keys
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD_ITALIC
    )
    return frozenset(cover or ())


_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x85]")
_ASCII_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean(text: object) -> str:
    """Plain text the font can draw: newlines kept, controls dropped, missing glyphs replaced."""
    s = _NEWLINES.sub("\n", str(text)).replace("\t", "    ")
    s = s.replace("\u202f", "\u00a0").replace("\u2007", "\u00a0")
    if s.isascii():
        return _ASCII_CONTROLS.sub("", s)
    if not _undrawable().search(s):
        return s
    cover = register_fonts()
    out = []
    for ch in s:
        if ch == "\n" or ord(ch) in cover:
            out.append(ch)
            continue
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Cf") or 0xFE00 <= ord(ch) <= 0xFE0F or 0xE0100 <= ord(ch) <= 0xE01EF:
            continue  # controls, zero-width and direction marks, variation selectors: nothing to draw
        if cat == "Mn":
            continue  # a combining mark the font lacks: keep the base letter alone
        out.append(SUBSTITUTE)
    return "".join(out)


@lru_cache(maxsize=1)
def _undrawable() -> re.Pattern[str]:
    """Matches any character the font cannot draw (controls included): the fast path of clean()."""
    cover = sorted(c for c in register_fonts() if c >= 0x20 and not 0x7F <= c <= 0x9F)
    ranges: list[tuple[int, int]] = []
    for c in cover:
        if ranges and c == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], c)
        else:
            ranges.append((c, c))
    body = "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges
    )
    return re.compile(f"[^\n{body}]")


_RUN_OF_SPACES = re.compile(r"(?<= ) +|^ +", re.M)

#: Words longer than this are cut into line-wide pieces here, in linear time: reportlab's own
#: splitting of a long word measures every prefix (quadratic: a 2 M-character word took minutes).
LONG_WORD = 200
_LONG_WORD = re.compile(rf"[^ \n]{{{LONG_WORD + 1},}}")
#: A paragraph longer than this becomes several (reportlab re-breaks a whole paragraph on every page
#: it continues on: quadratic in its length). Ordinary answers are far shorter.
PARAGRAPH_CHARS = 6000
#: The width a long word is cut to when the caller does not know its column (a narrow table cell).
DEFAULT_CUT_WIDTH = 300.0
_NBSP_RUNS = re.compile("\u00a0+")


@lru_cache(maxsize=4096)
def _char_width(ch: str) -> float:
    register_fonts()
    return pdfmetrics.stringWidth(ch, FONT_BOLD, 10.0)  # the widest face, at 10 pt


def cut_word(word: str, width: float, size: float = 10.0) -> list[str]:
    """``word`` in pieces no wider than ``width`` points at ``size`` (greedy, one pass)."""
    budget = width * 10.0 / max(size, 1.0)
    pieces, start, used = [], 0, 0.0
    for i, ch in enumerate(word):
        w = _char_width(ch)
        if used + w > budget and i > start:
            pieces.append(word[start:i])
            start, used = i, 0.0
        used += w
    pieces.append(word[start:])
    return pieces


_SAFE_POINT = re.compile(r"(?<=[-_,;/])|(?=[(\[])")


def safe_breaks(text: object, width: float, font: str = FONT, size: float = 8.4) -> str:
    """Plain text whose words wider than ``width`` are broken only at safe points (after « - _ , ; / »,
    before a bracket) into lines; a piece still too wide is cut by width. With a style that never
    splits words itself, « permanente.pdf » can no longer come out as « permanente.p / df »."""
    out_lines = []
    for line in clean(text).split("\n"):
        words = []
        for word in line.split(" "):
            if pdfmetrics.stringWidth(word, font, size) <= width:
                words.append(word)
                continue
            pieces, current = [], ""
            for token in (t for t in _SAFE_POINT.split(word) if t):
                if pdfmetrics.stringWidth(current + token, font, size) <= width:
                    current += token
                    continue
                if current:
                    pieces.append(current)
                if pdfmetrics.stringWidth(token, font, size) > width:
                    *whole, token = cut_word(token, width * 0.95, size)
                    pieces += whole
                current = token
            pieces.append(current)
            words.append("\n".join(pieces))
        out_lines.append(" ".join(words))
    return "\n".join(out_lines)


def _cut_long_words(s: str, width: float | None, size: float) -> str:
    if len(s) <= LONG_WORD or not _LONG_WORD.search(s):
        return s
    return _LONG_WORD.sub(lambda m: "\n".join(cut_word(m.group(), width or DEFAULT_CUT_WIDTH, size)), s)


#: Whitespace reportlab's Paragraph breaks lines at, but the plain space (and the newline, refused apart).
_OTHER_SPACES = re.compile("[\t\x0b\x0c\r\x1c-\x1f\x85\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000]")


def plain_lines(text: str, width: float, font: str = FONT, size: float = 8.4) -> str | None:
    """``text`` (already :func:`clean`) broken into lines exactly as a one-font Paragraph breaks it
    in ``width`` points, for a table cell drawn as a plain string: the same on paper, several times
    cheaper to lay out and draw. None when only a Paragraph can show it: line breaks, runs of
    spaces, other spaces, or a word wider than the cell."""
    if (
        not text
        or "\n" in text
        or "  " in text
        or text[0] == " "
        or text[-1] == " "
        or _OTHER_SPACES.search(text)
    ):
        return None
    lines = break_plain(text, width, font, size)
    return None if lines is None else "\n".join(line for _, line in lines)


def break_plain(text: str, width: float, font: str, size: float) -> list[tuple[float, str]] | None:
    """(room left, line) of plain ``text`` broken as reportlab's Paragraph breaks one fragment (its
    greedy test, its start at minus a space, its space shrinkage); None if a word is wider than
    ``width``. ``text`` has single plain spaces only (see :func:`plain_lines`)."""
    space = _width(" ", font, size)
    shrink = rl_config.spaceShrinkage * space  # each space of a line may shrink that much to make it fit
    lines: list[tuple[float, str]] = []
    line: list[str] = []
    used = -space
    for word in text.split(" "):
        w = _width(word, font, size)
        if w > width:
            return None
        if used + space + w <= width + shrink * len(line) or not line:
            line.append(word)
            used += space + w
        else:
            lines.append((width - used, " ".join(line)))
            line, used = [word], w
    lines.append((width - used, " ".join(line)))
    return lines


#: Word widths by (font, size): a review copy measures the same words thousands of times (each
#: call into reportlab costs a font lookup and a C call; a dict hit a tenth of that). Bounded.
_WIDTHS: dict[tuple[str, float], dict[str, float]] = {}
_WIDTHS_MAX = 200_000


def _width(word: str, font: str, size: float) -> float:
    table = _WIDTHS.get((font, size))
    if table is None:
        table = _WIDTHS[(font, size)] = {}
    w = table.get(word)
    if w is None:
        if len(table) >= _WIDTHS_MAX:
            table.clear()
        w = table[word] = pdfmetrics.stringWidth(word, font, size)
    return w


#: The most characters a table cell shows: a table row cannot continue on the next page, so a cell
#: taller than a page cannot be laid out at all (reportlab's LayoutError).
CELL_MAX_CHARS = 1500


def capped(text: object, limit: int = CELL_MAX_CHARS) -> str:
    """``text``, cut at ``limit`` characters with a visible note saying so."""
    s = str(text)
    if len(s) <= limit:
        return s
    from ..formatting import format_integer

    return s[:limit] + f" [texte tronqué dans la copie PDF, {format_integer(len(s))} caractères]"


def markup(text: object, width: float | None = None, size: float = 10.0) -> str:
    """Paragraph markup showing ``text`` literally, line breaks and runs of spaces included; a word
    longer than ``LONG_WORD`` is cut into pieces of ``width`` points (at ``size``) on their own lines."""
    s = _cut_long_words(clean(text), width, size)
    s = escape(s)
    s = _RUN_OF_SPACES.sub(lambda m: "\u00a0" * len(m.group()), s)
    return s.replace("\n", "<br/>")


def _chunks(p: str) -> list[str]:
    """A paragraph of plain text cut into pieces of at most ``PARAGRAPH_CHARS``, at a line break or a
    space when there is one."""
    if len(p) <= PARAGRAPH_CHARS:
        return [p]
    out, start = [], 0
    while len(p) - start > PARAGRAPH_CHARS:
        end = start + PARAGRAPH_CHARS
        cut = p.rfind("\n", start + PARAGRAPH_CHARS // 2, end)
        if cut < 0:
            cut = p.rfind(" ", start + PARAGRAPH_CHARS // 2, end)
        cut = end if cut < 0 else cut + 1
        out.append(p[start:cut].rstrip("\n"))
        start = cut
    out.append(p[start:])
    return [c for c in out if c.strip()] or [p[:PARAGRAPH_CHARS]]


def paragraphs(text: object, width: float | None = None, size: float = 10.0) -> list[str]:
    """The answer's paragraphs (split at blank lines, and overlong ones into pieces), each as markup
    with its line breaks."""
    s = clean(text).strip("\n")
    s = _cut_long_words(s, width, size)
    parts = [c for p in re.split(r"\n[ \t]*\n+", s) if p.strip() for c in _chunks(p)]
    return [markup(p, width, size) for p in parts] or [markup(s, width, size)]


class Para(Paragraph):
    """A Paragraph that skips reportlab's markup parser when there is no markup, and breaks its lines
    once per width.

    Text without tags, entities or line breaks parses to one fragment of the style's font, always
    the same but for its text: that fragment is cloned (the parser, built on html.parser, was a
    fifth of the export). Platypus wraps most flowables two or three times (a group kept together
    is measured, then each of its parts is placed), and Paragraph breaks its lines anew each time;
    the lines depend on the width only."""

    def __init__(self, text: str, style: ParagraphStyle, **kw: Any) -> None:
        if not kw and "&" not in text and "\n" not in text:
            if "<" not in text:
                text = cleanBlockQuotedText(text)
                kw["frags"] = [_fragments(style, "")[0].clone(text=text)]
            elif text.endswith(REQUIRED_MARK) and "<" not in text[: -len(REQUIRED_MARK)]:
                text = cleanBlockQuotedText(text)
                head, mark = _fragments(style, REQUIRED_MARK)
                kw["frags"] = [head.clone(text=text[: -len(REQUIRED_MARK)] + " "), mark.clone()]
        super().__init__(text, style, **kw)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        memo = self.__dict__.get("_wrapped")
        if memo is not None and memo[0] == availWidth:
            _, self.width, self.height, self.blPara = memo
            return self.width, self.height
        size = super().wrap(availWidth, availHeight)
        self._wrapped = (availWidth, self.width, self.height, self.blPara)
        return size


#: The red asterisk after the label of a required question.
REQUIRED_MARK = ' <font color="#b00020">*</font>'
_FRAGMENTS: dict[tuple[int, str], tuple[ParagraphStyle, list[Any]]] = {}


def _fragments(style: ParagraphStyle, suffix: str) -> list[Any]:
    """What reportlab's parser makes of plain text followed by ``suffix`` in ``style`` (kept with
    its style, so that the id stays that style's)."""
    held = _FRAGMENTS.get((id(style), suffix))
    if held is None or held[0] is not style:
        held = _FRAGMENTS[(id(style), suffix)] = (style, Paragraph("x" + suffix, style).frags)
    return held[1]


@lru_cache(maxsize=1)
def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = ParagraphStyle("base", fontName=FONT, fontSize=10, leading=13.6, textColor=INK, splitLongWords=1)

    def s(name: str, **kw: object) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **kw)

    return {
        "base": base,
        "cover_kicker": s("cover_kicker", fontName=FONT_BOLD, fontSize=9, textColor=MUTED, spaceAfter=6),
        "cover_call": s("cover_call", fontSize=13, leading=17, textColor=ACCENT, spaceAfter=18),
        "cover_title": s("cover_title", fontName=FONT_BOLD, fontSize=24, leading=30, spaceAfter=24),
        "cover_key": s("cover_key", fontName=FONT_BOLD, fontSize=9.5, leading=12.5, textColor=MUTED),
        "cover_value": s("cover_value", fontSize=10.5, leading=14),
        "cover_note": s("cover_note", fontSize=8.5, leading=11.5, textColor=MUTED, spaceBefore=24),
        "h1": s(
            "h1", fontName=FONT_BOLD, fontSize=16, leading=20, textColor=ACCENT, spaceBefore=6, spaceAfter=8
        ),
        "h2": s(
            "h2",
            fontName=FONT_BOLD,
            fontSize=12.5,
            leading=16,
            textColor=ACCENT,
            spaceBefore=12,
            spaceAfter=4,
        ),
        "h3": s(
            "h3", fontName=FONT_BOLD, fontSize=11, leading=14, textColor=ACCENT, spaceBefore=10, spaceAfter=2
        ),
        "row_title": s(
            "row_title",
            fontName=FONT_BOLD,
            fontSize=9.5,
            leading=12.5,
            textColor=ACCENT,
            spaceBefore=8,
            spaceAfter=2,
            leftIndent=10,
        ),
        "label": s("label", fontName=FONT_BOLD, fontSize=9.5, leading=12.5, spaceBefore=9, spaceAfter=1),
        "row_label": s(
            "row_label", fontName=FONT_BOLD, fontSize=8.8, leading=11.5, spaceBefore=4, leftIndent=10
        ),
        "help": s(
            "help",
            fontName=FONT_ITALIC,
            fontSize=8.3,
            leading=10.8,
            textColor=MUTED,
            spaceAfter=1,
        ),
        "note": s(
            "note",
            fontName=FONT_ITALIC,
            fontSize=8.8,
            leading=11.5,
            textColor=MUTED,
            spaceBefore=4,
            spaceAfter=2,
        ),
        "answer": s("answer", leftIndent=10, spaceBefore=2, spaceAfter=2),
        "row_answer": s("row_answer", fontSize=9.5, leading=12.8, leftIndent=20, spaceAfter=1),
        "missing": s("missing", fontName=FONT_BOLD_ITALIC, textColor=MISSING, leftIndent=10, spaceBefore=2),
        "empty": s("empty", textColor=MUTED, leftIndent=10, spaceBefore=2),
        "meta": s("meta", fontSize=7.8, leading=10, textColor=MUTED, leftIndent=10),
        "row_meta": s("row_meta", fontSize=7.8, leading=10, textColor=MUTED, leftIndent=20),
        "meta_over": s("meta_over", fontSize=7.8, leading=10, textColor=MISSING, leftIndent=10),
        "problem": s("problem", fontSize=8.3, leading=10.8, textColor=MISSING, leftIndent=10),
        "comment": s(
            "comment",
            fontSize=8.5,
            leading=11,
            leftIndent=16,
            borderPadding=(3, 4, 3, 4),
            backColor=colors.HexColor("#fff8d6"),
            spaceBefore=5,
            spaceAfter=3,
        ),
        "cell": s("cell", fontSize=8.4, leading=10.6, alignment=TA_LEFT),
        "cell_name": s("cell_name", fontSize=8.4, leading=10.6, alignment=TA_LEFT, splitLongWords=0),
        "cell_hash": s("cell_hash", fontSize=7.6, leading=10.6, alignment=TA_LEFT, splitLongWords=0),
        "cell_num": s("cell_num", fontSize=8.4, leading=10.6, alignment=TA_RIGHT),
        "cell_head": s("cell_head", fontName=FONT_BOLD, fontSize=8.2, leading=10.2, textColor=colors.white),
        "cell_head_num": s(
            "cell_head_num",
            fontName=FONT_BOLD,
            fontSize=8.2,
            leading=10.2,
            textColor=colors.white,
            alignment=TA_RIGHT,
        ),
        "cell_label": s("cell_label", fontName=FONT_BOLD, fontSize=8.2, leading=10.6),
        "cell_meta": s("cell_meta", fontSize=7.2, leading=9.5, textColor=MUTED),
        "row_missing": s(
            "row_missing", fontName=FONT_BOLD_ITALIC, textColor=MISSING, leftIndent=20, spaceBefore=1
        ),
        "row_empty": s("row_empty", textColor=MUTED, leftIndent=20, spaceBefore=1),
        "cell_total": s("cell_total", fontName=FONT_BOLD, fontSize=8.4, leading=10.6),
        "cell_total_num": s(
            "cell_total_num", fontName=FONT_BOLD, fontSize=8.4, leading=10.6, alignment=TA_RIGHT
        ),
        "cell_missing": s(
            "cell_missing", fontName=FONT_BOLD_ITALIC, fontSize=8.2, leading=10.6, textColor=MISSING
        ),
        "toc0": s("toc0", fontSize=10.5, leading=15, leftIndent=0, firstLineIndent=0),
        "toc1": s("toc1", fontSize=9.3, leading=12.5, leftIndent=14, firstLineIndent=0, textColor=MUTED),
    }
