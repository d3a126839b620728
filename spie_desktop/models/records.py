"""The plain records a dossier file hands out and keeps: change-log rows, removed rows, its header.

A leaf module (it imports nothing from models/), so every part of the dossier file can use them
without an import circle.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ..snapshot import AttachmentInfo


def utcnow() -> str:
    """The time stamp of an edit: UTC, ISO 8601, milliseconds."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class Header:
    """The ``dossier`` table's one row: identity, title, dates, embedded template, this copy's counter."""

    id: str
    template_id: str
    template_version: str
    title: str
    created_at: str
    updated_at: str
    template_json: str
    replica_id: str
    counter: int

    def advanced(self, updated_at: str, count: int) -> Header:
        """This header after ``count`` more changes of this copy (``dataclasses.replace`` is slower, per edit)."""
        return Header(
            self.id,
            self.template_id,
            self.template_version,
            self.title,
            self.created_at,
            updated_at,
            self.template_json,
            self.replica_id,
            self.counter + count,
        )


#: The columns of :class:`Header`, in order, as the ``dossier`` table names them.
HEADER_COLUMNS = tuple(Header.__dataclass_fields__)


@dataclass(frozen=True)
class ChangeRecord:
    """One change-log row: who changed what, when, in which copy (``replica_id``, ``counter``)."""

    id: int
    at: str
    author: str
    organisation: str
    op: str
    path: str
    old: Any
    new: Any
    replica_id: str
    counter: int


@dataclass(frozen=True)
class RemovedRow:
    """What a row removal took away, so the window can undo it."""

    field_id: str
    index: int
    values: dict[str, Any]  # children values, with the row id under "_id"
    attachments: tuple[tuple[AttachmentInfo, bytes], ...]
