"""One dossier = one SQLite file. Every edit is one transaction with its change-log row.

The file keeps a rollback journal (nothing left beside it once closed, so users can copy and
email it), synchronous=FULL (a reported edit survives a crash), and a copy of its template (any
PC can open it). Answers are cached in memory; the file is the truth after every commit.

:class:`DossierFile` is the one object callers hold. It is built from parts that share one
:class:`~.store.DossierStore` (connections, caches, transactions, change log): answers
(answers.py), rows (rows.py), attachments (attachments.py), comments and entrusted sections
(review.py), and other copies' work (replicas.py). Opening an existing file is in opening.py.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..forms import FieldPath, Template
from ..forms.paths import ROW_KEY
from ..snapshot import AttachmentInfo, CommentInfo, DossierInfo, DossierSnapshot
from .answers import Answers
from .attachments import MAX_ATTACHMENT, Attachments, AttachmentTooLarge
from .creation import create_file
from .errors import NotADossier
from .lock import FileLock
from .records import ChangeRecord, RemovedRow, utcnow
from .replicas import ReplicaWork
from .review import Review
from .rows import Rows
from .store import DossierStore

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

EXTENSION = ".spie"


def _clock() -> str:
    """This module's ``utcnow``, looked up at each edit so a test can put its own clock there."""
    return utcnow()


class DossierFile:
    """An open .spie file. Create with :meth:`create` or :func:`~.opening.open_dossier`; close when done."""

    def __init__(self, path: Path, raw: sqlite3.Connection, lock: FileLock | None, read_only: bool) -> None:
        self.store = DossierStore(path, raw, lock, read_only, clock=_clock)
        self._answers = Answers(self.store)
        self._attachments = Attachments(self.store)
        self._rows = Rows(self.store, self._attachments)
        self._review = Review(self.store)
        self._replicas = ReplicaWork(self.store)

    @classmethod
    def create(
        cls,
        path: str | Path,
        template: Template,
        title: str,
        *,
        author: str = "",
        organisation: str = "",
        dossier_id: str | None = None,
        created_at: str | None = None,
    ) -> DossierFile:
        """Make a new, empty dossier file (or one on a server, at a ``postgresql://`` address); never overwrites."""
        from ..server import names_server

        if names_server(path):
            from ..server.address import address_of
            from ..server.dossiers import create_server_dossier

            return create_server_dossier(
                address_of(path),
                template,
                title,
                author=author,
                organisation=organisation,
                dossier_id=dossier_id,
                created_at=created_at or utcnow(),
            )
        path = Path(path)
        raw, engine, lock = create_file(
            path, template, title, lock_owner=author, now=created_at or utcnow(), dossier_id=dossier_id
        )
        df = cls(path, raw, lock, read_only=False)
        df.store.use_engine(engine)
        df.author, df.organisation = author, organisation
        df.store.template = template
        return df

    # -- who edits, where -----------------------------------------------------------------------

    @property
    def path(self) -> Path:
        return self.store.path

    @property
    def read_only(self) -> bool:
        return self.store.read_only

    @property
    def author(self) -> str:
        """Written into the change log with every edit made through this object."""
        return self.store.author

    @author.setter
    def author(self, value: str) -> None:
        self.store.author = value

    @property
    def comment_author(self) -> str:
        """Who this object's new comments are signed by: :attr:`author` in a file; on a server, the role it
        authenticated (the server decides, as for the change log)."""
        backend = self.store.backend
        return self.store.author if backend is None else backend.signer()

    @property
    def organisation(self) -> str:
        return self.store.organisation

    @organisation.setter
    def organisation(self, value: str) -> None:
        self.store.organisation = value

    @property
    def _closed(self) -> bool:  # read by tests that check a window let go of its dossier
        return self.store.closed

    @property
    def _conn(self) -> Connection:  # the SQLAlchemy connection, for fault-injection tests
        return self.store.connection

    # -- reading --------------------------------------------------------------------------------

    @property
    def template(self) -> Template:
        return self.store.template

    @property
    def info(self) -> DossierInfo:
        h = self.store.header
        return DossierInfo(
            h.id, h.title, h.template_id, h.template_version, h.created_at, h.updated_at, h.replica_id
        )

    @property
    def title(self) -> str:
        return self.store.header.title

    @property
    def change_count(self) -> int:
        return self.store.change_count

    def get(self, path: str) -> Any:
        return self.store.answers.get(path)

    def row_ids(self, field_id: str) -> list[str]:
        return list(self.store.rows.get(field_id, ()))

    def stored_answers(self) -> dict[str, Any]:
        """Every answer by stored path (``rep[rid].child`` inside rows): a copy, for comparing states."""
        return dict(self.store.answers)

    def answers(self) -> dict[str, Any]:
        """Nested answers: top-level values, and repetitions as lists of row dicts with "_id"."""
        out: dict[str, Any] = {}
        rows_by_id: dict[str, dict[str, Any]] = {}
        for field_id, ids in self.store.rows.items():
            rows = []
            for rid in ids:
                row: dict[str, Any] = {ROW_KEY: rid}
                rows_by_id[rid] = row
                rows.append(row)
            out[field_id] = rows
        for path, value in self.store.answers.items():
            if "[" not in path:
                out[path] = value
                continue
            p = FieldPath.parse(path)
            found = rows_by_id.get(p.row or "")
            if found is not None and p.child is not None:
                found[p.child] = value
        return out

    def attachments(self, path: str | None = None) -> list[AttachmentInfo]:
        items = list(self.store.attachments.values())
        return [a for a in items if a.path == path] if path is not None else items

    def attachment_data(self, attachment_id: int) -> bytes:
        return self.store.attachment_data(attachment_id)

    def comments(self, path: str | None = None) -> list[CommentInfo]:
        items = sorted(self.store.comments.values(), key=lambda c: c.created_at)
        return [c for c in items if c.path == path] if path is not None else items

    def entrusted(self) -> dict[str, str]:
        return dict(self.store.entrusted)

    def snapshot(self) -> DossierSnapshot:
        return DossierSnapshot(
            template=self.template,
            info=self.info,
            answers=self.answers(),
            attachments=tuple(self.store.attachments.values()),
            comments=tuple(self.comments()),
            change_count=self.store.change_count,
            entrusted=dict(self.store.entrusted),
            read_attachment=self.attachment_data,
        )

    def changes(self, path: str | None = None, *, since_id: int = 0) -> list[ChangeRecord]:
        return self.store.changes(path, since_id=since_id)

    # -- editing --------------------------------------------------------------------------------

    @contextmanager
    def batch(self) -> Iterator[DossierFile]:
        """Make every edit inside the block one transaction: all of them reach the file, or none."""
        with self.store.batch():
            yield self

    def set_value(self, path: str, value: Any) -> bool:
        """Record one answer (None or "" clears it). False when nothing changed."""
        return self._answers.set_value(path, value)

    def set_title(self, title: str) -> None:
        self._answers.set_title(title)

    def set_timestamps(self, created_at: str | None = None, updated_at: str | None = None) -> None:
        """Keep the dates of a dossier brought in from an interchange file."""
        self._answers.set_timestamps(created_at, updated_at)

    def add_row(
        self,
        field_id: str,
        values: dict[str, Any] | None = None,
        *,
        index: int | None = None,
        row_id: str | None = None,
    ) -> str:
        """Append (or insert at ``index``) a row, optionally with its children's values."""
        return self._rows.add(field_id, values, index=index, row_id=row_id)

    def row_values(self, field_id: str, row_id: str) -> dict[str, Any]:
        return self._rows.values(field_id, row_id)

    def remove_row(self, field_id: str, row_id: str) -> RemovedRow:
        """Remove a row with its answers and attachments; the change log keeps what it held."""
        return self._rows.remove(field_id, row_id)

    def restore_row(self, removed: RemovedRow) -> str:
        """Undo a removal: the same row id, values and attachments at the same place."""
        return self._rows.restore(removed)

    def duplicate_row(self, field_id: str, row_id: str) -> str:
        """A copy of a row's answers (not its attachments) right after it."""
        return self._rows.duplicate(field_id, row_id)

    def move_row(self, field_id: str, row_id: str, new_index: int) -> None:
        self._rows.move(field_id, row_id, new_index)

    def add_attachment(
        self, path: str, source: bytes | str | Path, *, name: str | None = None, media_type: str | None = None
    ) -> AttachmentInfo:
        """Store a file inside the dossier at a piece_justificative field (≤ 200 MB)."""
        return self._attachments.add(path, source, name=name, media_type=media_type)

    def remove_attachment(self, attachment_id: int) -> None:
        self._attachments.remove(attachment_id)

    def add_comment(self, path: str, text_: str, *, comment_id: str | None = None) -> CommentInfo:
        return self._review.add_comment(path, text_, comment_id=comment_id)

    def set_comment_resolved(self, comment_id: str, resolved: bool = True) -> None:
        self._review.set_comment_resolved(comment_id, resolved)

    def entrust_section(self, section_id: str, partner: str | None) -> None:
        self._review.entrust_section(section_id, partner)

    # -- other copies' work (collab/merge.py) ---------------------------------------------------

    @contextmanager
    def unlogged(self) -> Iterator[DossierFile]:
        """Inside :meth:`batch`: edits change the dossier without change-log rows (see replicas.py)."""
        with self._replicas.unlogged():
            yield self

    def record_changes(self, records: Iterable[ChangeRecord]) -> int:
        """Append changes made in another copy, keeping their identity (copy, counter, author, time)."""
        return self._replicas.record_changes(records)

    def record_change(self, op: str, path: str, old: Any, new: Any) -> None:
        """Log a change made here that no edit method describes (a merge, a conflict resolution)."""
        self._replicas.record_change(op, path, old, new)

    def reorder_rows(self, field_id: str, ids: list[str]) -> None:
        """Put a repetition's rows in the given order (same rows), unlogged."""
        self._replicas.reorder_rows(field_id, ids)

    def adopt_comment(self, info: CommentInfo) -> None:
        """Insert a comment written in another copy as it is (author, time, state), unlogged."""
        self._replicas.adopt_comment(info)

    def replace_template(self, raw: dict[str, Any], *, op: str, old: Any, new: Any) -> None:
        """Store a new copy of the form in the file (linked to a démarche), with its history row."""
        self._answers.replace_template(raw, op=op, old=old, new=new)

    def record_event(self, op: str, new: Any) -> None:
        """A history row for something done outside the answers (the dossier sent to the platform)."""
        self._answers.record_event(op, new)

    # -- copies and closing ---------------------------------------------------------------------

    def save_copy(self, dest: str | Path, *, new_replica: bool = True) -> Path:
        """Write a consistent copy with SQLite's backup API, atomically (temporary file, then replace)."""
        from .copying import backup_to

        s = self.store
        s.flush()  # inside a batch: what it holds (pending.py) belongs in the copy, as before
        if s.backend is not None:  # a dossier on a server: a local .spie made from its tables
            return s.backend.save_copy(Path(dest), new_replica=new_replica)
        return backup_to(s.raw, Path(dest), new_replica=new_replica, in_batch=bool(s.batch_depth))

    def refresh_lock(self) -> None:
        self.store.refresh_lock()

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> DossierFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


__all__ = [
    "EXTENSION",
    "MAX_ATTACHMENT",
    "AttachmentTooLarge",
    "ChangeRecord",
    "DossierFile",
    "NotADossier",
    "RemovedRow",
    "utcnow",
]
