"""The words that differ between two versions of an answer, marked for the conflict dialog.

Plain-text safe: every piece of the answers is HTML-escaped before the marks are added, so an
answer containing « <b> » or « & » shows as typed. Marked words are underlined *and* shaded
(never colour alone).
"""

from __future__ import annotations

import html
import re
from difflib import SequenceMatcher

_TOKENS = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)
MARK_OPEN = '<span style="background-color:#ffe08a; color:#000000; text-decoration:underline;">'
MARK_CLOSE = "</span>"
MAX_COMPARED = (
    4_000_000  # pairs of pieces: a few tens of ms; beyond, a text from a file could stall the dialog
)


def tokens(text: str) -> list[str]:
    return _TOKENS.findall(text)


def _render(parts: list[tuple[str, bool]]) -> str:
    out = []
    for text, marked in parts:
        safe = html.escape(text, quote=False).replace("\n", "<br>")
        out.append(f"{MARK_OPEN}{safe}{MARK_CLOSE}" if marked and text.strip() else safe)
    return '<div style="white-space:pre-wrap;">' + "".join(out) + "</div>"


def diff_words(mine: str, theirs: str) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    """Each side as (piece, differs) runs, word by word (spaces and punctuation are pieces too)."""
    a, b = tokens(mine), tokens(theirs)
    if len(a) * len(b) > MAX_COMPARED:  # SequenceMatcher grows with the product: a huge text is marked whole
        return [(mine, mine != theirs)], [(theirs, mine != theirs)]
    left: list[tuple[str, bool]] = []
    right: list[tuple[str, bool]] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        same = op == "equal"
        if i2 > i1:
            left.append(("".join(a[i1:i2]), not same))
        if j2 > j1:
            right.append(("".join(b[j1:j2]), not same))
    return left, right


def diff_html(mine: str, theirs: str) -> tuple[str, str]:
    """Both versions as rich text with the differing words marked."""
    left, right = diff_words(mine, theirs)
    return _render(left), _render(right)
