"""Two copies' edits of one long text combined, when they touched different paragraphs (issue 17).

A three-way merge of lines (a paragraph of a text area is a line) from the text both copies had
when they parted: the lines only one side changed are taken from it, the lines both changed the
same way once. Changes to the same or touching lines are a conflict: the caller asks, as before.
The ``merge3`` library does the diffing (the algorithm of Bazaar and Breezy); this is deterministic.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..forms import FieldType
from ..models.records import ChangeRecord

#: The answers a text merge applies to: free text; a drop-down, a date or an amount stays one value.
TEXT_TYPES = frozenset({FieldType.TEXT, FieldType.TEXTAREA})
#: Lines beyond which a text is not merged but asked about, as before: a real answer has a few dozen
#: paragraphs, and the line diff must stay quick on a hostile copy's text of a million characters.
MAX_LINES = 2000


def merge_texts(base: str, mine: str, theirs: str) -> str | None:
    """``mine`` and ``theirs`` combined from ``base``; None when their changes overlap (a conflict)."""
    from merge3 import Merge3  # imported at the first merge of texts, not at start-up

    lines_base, lines_mine, lines_theirs = (
        base.splitlines(True),
        mine.splitlines(True),
        theirs.splitlines(True),
    )
    if max(len(lines_base), len(lines_mine), len(lines_theirs)) > MAX_LINES:
        return None
    out: list[str] = []
    for region in Merge3(lines_base, lines_mine, lines_theirs).merge_regions():
        kind, start, end = region[0], region[1], region[2]
        if kind == "unchanged":
            out.extend(lines_base[start:end])
        elif kind in ("a", "same"):
            out.extend(lines_mine[start:end])
        elif kind == "b":
            out.extend(lines_theirs[start:end])
        else:  # "conflict"
            return None
    return "".join(out)


def common_base(path: str, mine_news: Sequence[ChangeRecord], theirs_news: Sequence[ChangeRecord]) -> Any:
    """The value both copies had at ``path`` when they parted, or None when the logs do not say.

    Each side's first change the other lacks started from that value (its ``old``); both must be
    plain edits of this answer and agree, or nothing is assumed.
    """
    if not mine_news or not theirs_news:
        return None
    first_mine, first_theirs = mine_news[0], theirs_news[0]
    for c in (first_mine, first_theirs):
        if c.path != path or c.op not in ("set", "resolve"):
            return None
    base_m, base_t = first_mine.old, first_theirs.old
    if base_m != base_t or type(base_m) is not type(base_t):
        return None
    return base_m


def combine(
    field_type: FieldType | None,
    path: str,
    mine: Any,
    theirs: Any,
    mine_news: Sequence[ChangeRecord],
    theirs_news: Sequence[ChangeRecord],
) -> str | None:
    """The combined text of an answer both copies changed, or None when it stays a conflict."""
    if field_type not in TEXT_TYPES or not isinstance(mine, str) or not isinstance(theirs, str):
        return None
    base = common_base(path, mine_news, theirs_news)
    if not isinstance(base, str) or not base:
        return None  # no common text known (or none at all): both wrote from scratch, a real conflict
    return merge_texts(base, mine, theirs)


__all__ = ["MAX_LINES", "TEXT_TYPES", "combine", "common_base", "merge_texts"]
