"""What a logged change touches ("unit"), and a dossier side read as plain values for merging.

A unit is the smallest thing two copies can disagree on: one answer path, one row's existence,
one attachment (path + content hash), one comment's state, the title, one section's partner.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..forms.paths import ROW_KEY
from ..forms.types import Template
from ..models.dossier_file import ChangeRecord, DossierFile
from ..snapshot import AttachmentInfo, CommentInfo

_ROW_PATH = re.compile(r"^(?P<field>[a-z][a-z0-9_]*)\[(?P<row>[A-Za-z0-9_-]+)\]$")
#: Ops that describe an event (a merge, a copy) rather than a change of content.
EVENT_OPS = frozenset({"merge", "copy"})
STRUCTURAL_OPS = frozenset({"row_add", "row_remove", "row_move"})

Unit = tuple


def identity(c: ChangeRecord) -> tuple[str, int]:
    return (c.replica_id, c.counter)


def lww_key(c: ChangeRecord) -> tuple[str, str, int]:
    """Order of concurrent changes for last-writer-wins: time, then copy, then counter."""
    return (c.at, c.replica_id, c.counter)


def row_path_of(path: str) -> str | None:
    """``rep[rid]`` for ``rep[rid]`` and ``rep[rid].child``; None for a top-level path."""
    i = path.find("]")
    return path[: i + 1] if i > 0 else None


def split_row_path(row_path: str) -> tuple[str, str]:
    m = _ROW_PATH.match(row_path)
    if not m:
        raise ValueError(row_path)
    return m["field"], m["row"]


def is_row_path(path: str) -> bool:
    return bool(_ROW_PATH.match(path))


def unit_of(c: ChangeRecord) -> Unit | None:
    op = c.op
    if op == "set":
        return ("v", c.path)
    if op == "resolve":
        if c.path == "":
            return ("title",)
        return ("row", c.path) if is_row_path(c.path) else ("v", c.path)
    if op == "title":
        return ("title",)
    if op in ("row_add", "row_remove"):
        return ("row", c.path)
    if op == "row_move":
        return ("move", split_row_path(c.path)[0])
    if op in ("attach", "detach"):
        meta = c.new if op == "attach" else c.old
        return ("att", c.path, (meta or {}).get("sha256", ""))
    if op == "comment":
        return ("comment", (c.new or {}).get("id", ""))
    if op == "comment_state":
        return ("cstate", (c.new or {}).get("id", ""))
    if op == "entrust":
        return ("entrust", c.path)
    return None


def structural_field(c: ChangeRecord) -> str | None:
    """The repetition whose row order this change affects, if any."""
    if c.op in STRUCTURAL_OPS or (c.op == "resolve" and is_row_path(c.path)):
        return split_row_path(c.path)[0]
    return None


@dataclass
class Lacks:
    """Changes one side has and the other lacks, indexed the ways the merge asks for them."""

    changes: list[ChangeRecord] = field(default_factory=list)
    by_unit: dict[Unit, list[ChangeRecord]] = field(default_factory=dict)
    row_edits: dict[str, list[ChangeRecord]] = field(default_factory=dict)  # row path -> child edits
    row_resolves: dict[str, list[ChangeRecord]] = field(default_factory=dict)
    structural: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, changes: list[ChangeRecord]) -> Lacks:
        out = cls(changes=changes)
        for c in changes:
            unit = unit_of(c)
            if unit is None:
                continue
            out.by_unit.setdefault(unit, []).append(c)
            if unit[0] in ("v", "att"):
                rp = row_path_of(c.path)
                if rp is not None:
                    out.row_edits.setdefault(rp, []).append(c)
            elif unit[0] == "row" and c.op == "resolve":
                out.row_resolves.setdefault(c.path, []).append(c)
            f = structural_field(c)
            if f is not None:
                out.structural.add(f)
        return out

    def get(self, unit: Unit) -> list[ChangeRecord]:
        return self.by_unit.get(unit, [])

    def on_value(self, path: str) -> list[ChangeRecord]:
        """Changes to an answer: its own, and a conflict resolution that rewrote its whole row."""
        own = self.by_unit.get(("v", path), [])
        rp = row_path_of(path)
        return own + self.row_resolves.get(rp, []) if rp else own


@dataclass
class Side:
    """One copy's content and log, as plain values."""

    replica_id: str
    dossier_id: str
    title: str
    changes: list[ChangeRecord]
    values: dict[str, Any]  # flat: "field" and "rep[rid].child"
    rows: dict[str, list[str]]  # repetition field -> row ids in order
    attachments: list[AttachmentInfo]
    comments: dict[str, CommentInfo]
    entrusted: dict[str, str]
    author: str = ""
    organisation: str = ""

    @classmethod
    def read(cls, df: DossierFile) -> Side:
        template = df.template
        values: dict[str, Any] = {}
        rows: dict[str, list[str]] = {}
        for key, value in df.answers().items():
            try:
                rep = template.field(key).is_repetition
            except KeyError:
                rep = isinstance(value, list) and all(isinstance(r, dict) for r in value)
            if not rep:
                values[key] = value
                continue
            ids = rows[key] = []
            for row in value:
                rid = row[ROW_KEY]
                ids.append(rid)
                for child, v in row.items():
                    if child != ROW_KEY:
                        values[f"{key}[{rid}].{child}"] = v
        return cls(
            replica_id=df.info.replica_id,
            dossier_id=df.info.id,
            title=df.title,
            changes=df.changes(),
            values=values,
            rows=rows,
            attachments=df.attachments(),
            comments={c.id: c for c in df.comments()},
            entrusted=df.entrusted(),
            author=df.author,
            organisation=df.organisation,
        )

    def __post_init__(self) -> None:
        self._row_paths = {f"{f}[{r}]" for f, ids in self.rows.items() for r in ids}
        self._children: dict[str, dict[str, Any]] = {}
        for path, value in self.values.items():
            rp = row_path_of(path)
            if rp is not None:
                self._children.setdefault(rp, {})[path[len(rp) + 1 :]] = value

    def has_row(self, row_path: str) -> bool:
        return row_path in self._row_paths

    def row_values(self, row_path: str) -> dict[str, Any] | None:
        """A row's children values, or None when this side has no such row."""
        if row_path not in self._row_paths:
            return None
        return dict(self._children.get(row_path, {}))


def field_label(template: Template, path: str, rows: dict[str, list[str]] | None = None) -> str:
    """A French label for a stored path: "Membres du consortium › ligne 2 › Structure"."""
    if path == "":
        return "Titre du dossier"
    rp = row_path_of(path)
    fid = path.split("[", 1)[0]
    try:
        spec = template.field(fid)
    except KeyError:
        return path
    if rp is None:
        return spec.label
    _, rid = split_row_path(rp)
    ids = (rows or {}).get(fid, [])
    where = f"ligne {ids.index(rid) + 1}" if rid in ids else "ligne supprimée"
    label = f"{spec.label} › {where}"
    if "." in path[len(rp) :]:
        child = path[len(rp) + 1 :]
        try:
            label += f" › {spec.child(child).label}"
        except KeyError:
            label += f" › {child}"
    return label
