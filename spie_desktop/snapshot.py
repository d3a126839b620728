"""A dossier's content as plain immutable values: what checks and exports are functions of.

The dossier file (models/) produces snapshots; checks, exports and merges consume them, so
none of those needs a database, a window or the disk.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .forms.paths import ROW_KEY, FieldPath
from .forms.types import Template


@dataclass(frozen=True)
class DossierInfo:
    """A dossier's identity: id, title, form and dates."""

    id: str
    title: str
    template_id: str
    template_version: str
    created_at: str  # ISO 8601, UTC
    updated_at: str
    replica_id: str = ""


@dataclass(frozen=True)
class AttachmentInfo:
    """One attached file, as stored in the dossier (its bytes are read on demand)."""

    id: int
    path: str  # stored field path, with the row id inside repetitions
    name: str
    media_type: str
    size: int
    sha256: str
    added_at: str = ""


@dataclass(frozen=True)
class CommentInfo:
    """One comment on an answer or on the whole dossier."""

    id: str
    path: str  # stored field path ("" for the whole dossier)
    author: str
    organisation: str
    created_at: str
    text: str
    resolved: bool = False
    resolved_at: str | None = None


@dataclass(frozen=True)
class DossierSnapshot:
    """Everything of a dossier at one moment, read-only: its form, answers, files and comments."""

    template: Template
    info: DossierInfo
    answers: Mapping[str, Any]  # {"field": value, "repetition": [{"_id": row id, "child": value}, ...]}
    attachments: tuple[AttachmentInfo, ...] = ()
    comments: tuple[CommentInfo, ...] = ()
    change_count: int = 0
    entrusted: Mapping[str, str] = field(default_factory=dict)  # section id -> partner
    read_attachment: Callable[[int], bytes] | None = field(default=None, compare=False, repr=False)

    def value(self, path: str | FieldPath) -> Any:
        p = FieldPath.parse(path) if isinstance(path, str) else path
        if p.row is None:
            return self.answers.get(p.field)
        for row in self.answers.get(p.field) or ():
            if row.get(ROW_KEY) == p.row:
                return row.get(p.child)
        return None

    def rows(self, field_id: str) -> list[Mapping[str, Any]]:
        value = self.answers.get(field_id)
        return list(value) if isinstance(value, list) else []

    def row_index(self, field_id: str, row_id: str) -> int | None:
        for i, row in enumerate(self.rows(field_id)):
            if row.get(ROW_KEY) == row_id:
                return i
        return None

    def display_path(self, path: str) -> str:
        """The stored path with the row id replaced by the row's 0-based position."""
        p = FieldPath.parse(path)
        if p.row is None:
            return path
        index = self.row_index(p.field, p.row)
        return str(FieldPath(p.field, str(index if index is not None else "?"), p.child))

    def attachments_at(self, path: str) -> list[AttachmentInfo]:
        return [a for a in self.attachments if a.path == path]
