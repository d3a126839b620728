"""Rechercher / Remplacer over a dossier snapshot: answers (inside repetition rows too), labels,
help texts and review comments, with accents and case folded.

Folding keeps a map back to the original text, so a hit carries offsets the window can select.
Pure functions of a snapshot: usable from the command line and from tests without a window.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from typing import Any

from .forms.paths import ROW_KEY, FieldPath
from .forms.types import FieldSpec, FieldType, Section
from .snapshot import DossierSnapshot

#: Only free-text answers are replaced: a drop-down value or an identifier rewritten by a search
#: would no longer be one of its options or formats.
REPLACEABLE_TYPES = frozenset({FieldType.TEXT, FieldType.TEXTAREA})
EXCERPT_CONTEXT = 40
_SPACES = re.compile(r"\s+")
_EXTRA_FOLDS = {"œ": "oe", "æ": "ae", "’": "'", "\u2018": "'", "\u00a0": " ", "\u202f": " ", "\u02bc": "'"}


class HitKind(Enum):
    ANSWER = "Réponse"
    LABEL = "Intitulé"
    HELP = "Aide"
    COMMENT = "Commentaire"


@dataclass(frozen=True)
class Folded:
    """A folded text and, for each folded character, the index of the original one it came from."""

    text: str
    origin: tuple[int, ...]


def fold_char(ch: str) -> str:
    if ch in _EXTRA_FOLDS:
        return _EXTRA_FOLDS[ch]
    low = ch.casefold()
    if low in _EXTRA_FOLDS:
        return _EXTRA_FOLDS[low]
    decomposed = unicodedata.normalize("NFD", low)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str) -> Folded:
    """Lower case without accents (« Élus » → « elus », « œuvre » → « oeuvre »), with the offset map."""
    out: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        if ch.isascii():
            f = ch.lower()
        else:
            f = fold_char(ch)
        out.append(f)
        origin.extend([i] * len(f))
    return Folded("".join(out), tuple(origin))


def fold_text(text: str) -> str:
    return fold(text).text


def find_spans(text: str, query: str, *, exact: bool = False) -> list[tuple[int, int]]:
    """(start, end) offsets in ``text`` of every non-overlapping occurrence of ``query``."""
    if not query or not text:
        return []
    if exact:
        spans, i = [], text.find(query)
        while i >= 0:
            spans.append((i, i + len(query)))
            i = text.find(query, i + len(query))
        return spans
    needle = fold_text(query)
    if not needle:
        return []
    folded = fold(text)
    spans = []
    i = folded.text.find(needle)
    while i >= 0:
        j = i + len(needle)
        start = folded.origin[i]
        end = folded.origin[j - 1] + 1
        if not spans or start >= spans[-1][1]:
            spans.append((start, end))
        i = folded.text.find(needle, j)
    return spans


@dataclass(frozen=True)
class SearchHit:
    kind: HitKind
    section_id: str
    section_title: str
    question: str  # the field's label (the child's inside a row)
    path: str  # stored path (with the row id), or the field id for labels of a repetition's children
    text: str  # the whole searched text
    start: int  # offsets of the match in ``text``
    end: int
    location: str = ""  # « Ligne 2 » inside a repetition
    replaceable: bool = False

    @property
    def match(self) -> str:
        return self.text[self.start : self.end]

    def excerpt(self, context: int = EXCERPT_CONTEXT) -> tuple[str, str, str]:
        """(before, match, after) on one line, cut around the match with « … »."""
        before = self.text[max(0, self.start - context) : self.start]
        after = self.text[self.end : self.end + context]
        if self.start > context:
            before = "…" + before.lstrip()
        if self.end + context < len(self.text):
            after = after.rstrip() + "…"
        return _flat(before), _flat(self.match), _flat(after)

    def excerpt_text(self) -> str:
        b, m, a = self.excerpt()
        return f"{b}« {m} »{a}"


def _flat(text: str) -> str:
    return _SPACES.sub(" ", text)


def _answer_text(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ", ".join(value)
    return None


def _field_texts(
    snapshot: DossierSnapshot,
    section: Section,
    spec: FieldSpec,
) -> Iterator[tuple[HitKind, str, str, str, str, bool]]:
    """(kind, question, path, text, location, replaceable) of one top-level field, rows included."""
    yield HitKind.LABEL, spec.label, spec.id, spec.label, "", False
    if spec.description:
        yield HitKind.HELP, spec.label, spec.id, spec.description, "", False
    if not spec.is_repetition:
        text = _answer_text(snapshot.answers.get(spec.id))
        if text is not None:
            yield (
                HitKind.ANSWER,
                spec.label,
                spec.id,
                text,
                "",
                spec.type in REPLACEABLE_TYPES and isinstance(snapshot.answers.get(spec.id), str),
            )
        return
    for child in spec.children:
        yield HitKind.LABEL, child.label, spec.id, child.label, spec.label, False
        if child.description:
            yield HitKind.HELP, child.label, spec.id, child.description, spec.label, False
    noun = spec.row_label or "Ligne"
    for index, row in enumerate(snapshot.rows(spec.id), start=1):
        rid = row.get(ROW_KEY)
        if not isinstance(rid, str):
            continue
        for child in spec.children:
            value = row.get(child.id)
            text = _answer_text(value)
            if text is not None:
                path = str(FieldPath(spec.id, rid, child.id))
                yield (
                    HitKind.ANSWER,
                    child.label,
                    path,
                    text,
                    f"{noun} {index}",
                    child.type in REPLACEABLE_TYPES and isinstance(value, str),
                )


def search(
    snapshot: DossierSnapshot, query: str, *, exact: bool = False, kinds: frozenset[HitKind] | None = None
) -> list[SearchHit]:
    """Every occurrence of ``query``, in form order (section, field, row), then comments."""
    if not query.strip():
        return []
    hits: list[SearchHit] = []
    sections: dict[str, Section] = {}
    for section in snapshot.template.sections:
        sections[section.id] = section
        for spec in section.fields:
            for kind, question, path, text, location, replaceable in _field_texts(snapshot, section, spec):
                if kinds is not None and kind not in kinds:
                    continue
                for start, end in find_spans(text, query, exact=exact):
                    hits.append(
                        SearchHit(
                            kind,
                            section.id,
                            section.title,
                            question,
                            path,
                            text,
                            start,
                            end,
                            location,
                            replaceable,
                        )
                    )
    if kinds is None or HitKind.COMMENT in kinds:
        hits += _comment_hits(snapshot, query, exact)
    return hits


def _comment_hits(snapshot: DossierSnapshot, query: str, exact: bool) -> list[SearchHit]:
    out = []
    index = snapshot.template.field_index()
    for c in snapshot.comments:
        section_id, section_title, question, location = "", "Ensemble du dossier", "Commentaire", ""
        if c.path:
            try:
                p = FieldPath.parse(c.path)
                section, spec = index[p.field]
            except (ValueError, KeyError):
                pass
            else:
                section_id, section_title, question = section.id, section.title, spec.label
                if p.row is not None and p.child:
                    row_index = snapshot.row_index(p.field, p.row)
                    location = f"{spec.row_label or 'Ligne'} {row_index + 1}" if row_index is not None else ""
                    try:
                        question = spec.child(p.child).label
                    except KeyError:
                        pass
        for start, end in find_spans(c.text, query, exact=exact):
            out.append(
                SearchHit(
                    HitKind.COMMENT,
                    section_id,
                    section_title,
                    question,
                    c.path,
                    c.text,
                    start,
                    end,
                    location or c.author,
                )
            )
    return out


@dataclass(frozen=True)
class Replacement:
    """The new text of one answer once every match in it is replaced."""

    hit_count: int
    path: str
    question: str
    location: str
    old: str
    new: str


def replace_spans(text: str, spans: list[tuple[int, int]], replacement: str) -> str:
    parts, last = [], 0
    for start, end in spans:
        parts += [text[last:start], replacement]
        last = end
    parts.append(text[last:])
    return "".join(parts)


def plan_replacements(
    snapshot: DossierSnapshot, query: str, replacement: str, *, exact: bool = False
) -> list[Replacement]:
    """One :class:`Replacement` per text answer holding ``query``, in form order; nothing is written."""
    by_path: dict[str, list[SearchHit]] = {}
    for hit in search(snapshot, query, exact=exact, kinds=frozenset({HitKind.ANSWER})):
        if hit.replaceable:
            by_path.setdefault(hit.path, []).append(hit)
    out = []
    for path, hits in by_path.items():
        text = hits[0].text
        new = replace_spans(text, [(h.start, h.end) for h in hits], replacement)
        if new != text:
            out.append(Replacement(len(hits), path, hits[0].question, hits[0].location, text, new))
    return out
