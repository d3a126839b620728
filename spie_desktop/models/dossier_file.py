"""One dossier = one SQLite file. Every edit is one transaction with its change-log row.

The file keeps a rollback journal (nothing left beside it once closed, so users can copy and
email it), synchronous=FULL (a reported edit survives a crash), and a copy of its template (any
PC can open it). Answers are cached in memory; the file is the truth after every commit.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from ..forms import FieldPath, FieldType, Template
from ..forms.loader import load_template_text
from ..forms.paths import ROW_KEY
from ..snapshot import AttachmentInfo, CommentInfo, DossierInfo, DossierSnapshot
from .errors import DossierCorrupt, DossierError, DossierReadOnly, InvalidEdit, NotADossier, SaveFailed
from .connection import connect, interrupted_reason, translate_write_error, was_interrupted
from .constants import APPLICATION_ID, HEAD_REVISION, SCHEMA_VERSION
from .lock import FileLock
from .attachment_comment_edits import MAX_ATTACHMENT, AttachmentCommentEdits, AttachmentTooLarge
from .replica_edits import ReplicaEdits
from .row_edits import RowEdits
from .values import dump as _dump
from .values import is_empty as _is_empty
from .values import load as _load

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

#: The SQLAlchemy names used to write (models/sql.py), imported at the first write: see _sql().
S: Any = None


def _sql() -> Any:
    global S
    if S is None:
        from . import sql

        S = sql
    return S

EXTENSION = ".spie"


def utcnow() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


@dataclass
class _Info:
    id: str
    template_id: str
    template_version: str
    title: str
    created_at: str
    updated_at: str
    template_json: str
    replica_id: str
    counter: int


@dataclass(frozen=True)
class ChangeRecord:
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


class DossierFile(RowEdits, AttachmentCommentEdits, ReplicaEdits):
    """An open .spie file. Create with :meth:`create` or :func:`open_dossier`; close when done."""

    def __init__(self, path: Path, raw: sqlite3.Connection, lock: FileLock | None, read_only: bool) -> None:
        self.path = path
        self.read_only = read_only
        self.author = ""
        self.organisation = ""
        self._raw = raw  # reads go straight to sqlite3
        self._engine: Any = None  # SQLAlchemy, for writes, created at the first one
        self._sa: Connection | None = None
        self._lock = lock
        self._closed = False
        self._batch_depth = 0
        self._unlogged = 0
        self._load()

    @property
    def _conn(self) -> "Connection":
        """The SQLAlchemy connection wrapping the same sqlite3 connection (built at the first write)."""
        if self._sa is None:
            sql = _sql()
            raw = self._raw
            self._engine = sql.engine_for(lambda: raw)
            self._sa = self._engine.connect()
        return self._sa

    # -- creation -------------------------------------------------------------------------------

    @classmethod
    def create(
        cls, path: str | Path, template: Template, title: str, *, author: str = "", organisation: str = "",
        dossier_id: str | None = None, created_at: str | None = None,
    ) -> "DossierFile":
        """Make a new, empty dossier file; refuses to overwrite an existing one."""
        path = Path(path)
        if path.exists():
            raise DossierError(f"Le fichier « {path} » existe déjà : choisissez un autre nom.")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise SaveFailed(f"le dossier « {path.parent} » ne peut pas être créé ({exc.strerror})") from None
        lock = FileLock(path, author)
        sql = _sql()
        raw = connect(path, read_only=False)
        engine = sql.engine_for(lambda: raw)
        try:
            with engine.begin() as conn:
                conn.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
                conn.exec_driver_sql(f"PRAGMA user_version={SCHEMA_VERSION}")
                sql.Base.metadata.create_all(conn)
                conn.exec_driver_sql("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)")
                conn.exec_driver_sql(f"INSERT INTO alembic_version VALUES ('{HEAD_REVISION}')")
                now = created_at or utcnow()
                conn.execute(
                    sql.insert(sql.DossierRow).values(
                        id=dossier_id or str(uuid.uuid4()), template_id=template.id,
                        template_version=template.version, title=title, created_at=now, updated_at=now,
                        template_json=_dump(dict(template.raw)) if template.raw else "",
                        replica_id=str(uuid.uuid4()), counter=0,
                    )
                )
        except (sql.DBAPIError, sqlite3.Error) as exc:
            engine.dispose()
            raw.close()
            path.unlink(missing_ok=True)
            raise translate_write_error(exc) from None
        lock.acquire()
        df = cls(path, raw, lock, read_only=False)
        df._engine, df._sa = engine, engine.connect()
        df.author, df.organisation = author, organisation
        df._template = template
        return df

    # -- loading --------------------------------------------------------------------------------

    def _load(self) -> None:
        q = self._raw.execute
        fields = ", ".join(_Info.__dataclass_fields__)
        try:
            row = q(f"SELECT {fields} FROM dossier").fetchone()
            self._answers: dict[str, Any] = {p: _load(v) for p, v in q("SELECT path, value FROM answer")}
            self._rows: dict[str, list[str]] = {}
            for field_id, rid in q("SELECT field_id, id FROM row ORDER BY position"):
                self._rows.setdefault(field_id, []).append(rid)
            self._attachments = {
                r[0]: AttachmentInfo(*r)
                for r in q("SELECT id, path, name, media_type, size, sha256, added_at FROM attachment")
            }
            self._comments = {
                r[0]: CommentInfo(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6]), r[7])
                for r in q("SELECT id, path, author, organisation, created_at, text, resolved, resolved_at FROM comment")
            }
            self._entrusted = dict(q("SELECT section_id, partner FROM entrusted_section").fetchall())
            self._change_count = q("SELECT count(*) FROM change").fetchone()[0]
            # a counter behind a recorded row of this copy would give the next change a used identity
            top = q("SELECT max(counter) FROM change WHERE replica_id = ?", (row[7],)).fetchone()[0] if row else None
        except (sqlite3.Error, ValueError, TypeError) as exc:
            reason = interrupted_reason() if was_interrupted(exc) else str(exc)[:80]
            raise DossierCorrupt(str(self.path), reason) from None
        if row is None:
            raise DossierCorrupt(str(self.path), "la fiche du dossier manque")
        self._info = _Info(*row)
        if not isinstance(self._info.counter, int) or not all(
                isinstance(v, str) for v in (self._info.id, self._info.replica_id, self._info.title)):
            raise DossierCorrupt(str(self.path), "la fiche du dossier est illisible")
        if isinstance(top, int) and top > self._info.counter:
            self._info = _with(self._info, counter=top)
        self._template: Template | None = None

    @property
    def template(self) -> Template:
        if self._template is None:
            self._template = self._resolve_template()
        return self._template

    def _resolve_template(self) -> Template:
        from ..forms import registry

        info = self._info
        try:
            installed = registry.find(info.template_id, info.template_version)
            if installed.version == info.template_version or not info.template_json:
                return installed
        except LookupError:
            installed = None
        if info.template_json:
            try:
                return load_template_text(info.template_json, source=f"{self.path}, modèle intégré")
            except (ValueError, TypeError) as exc:
                if installed is None:
                    raise DossierCorrupt(str(self.path), f"modèle intégré illisible : {exc}") from None
        if installed is not None:
            return installed
        raise registry.UnknownTemplateError(info.template_id, info.template_version)

    @property
    def info(self) -> DossierInfo:
        i = self._info
        return DossierInfo(i.id, i.title, i.template_id, i.template_version, i.created_at, i.updated_at, i.replica_id)

    @property
    def title(self) -> str:
        return self._info.title

    @property
    def change_count(self) -> int:
        return self._change_count

    # -- reading --------------------------------------------------------------------------------

    def get(self, path: str) -> Any:
        return self._answers.get(path)

    def row_ids(self, field_id: str) -> list[str]:
        return list(self._rows.get(field_id, ()))

    def stored_answers(self) -> dict[str, Any]:
        """Every answer by stored path (``rep[rid].child`` inside rows): a copy, for comparing states."""
        return dict(self._answers)

    def answers(self) -> dict[str, Any]:
        """Nested answers: top-level values, and repetitions as lists of row dicts with "_id"."""
        out: dict[str, Any] = {}
        rows_by_id: dict[str, dict[str, Any]] = {}
        for field_id, ids in self._rows.items():
            rows = []
            for rid in ids:
                row = {ROW_KEY: rid}
                rows_by_id[rid] = row
                rows.append(row)
            out[field_id] = rows
        for path, value in self._answers.items():
            if "[" not in path:
                out[path] = value
                continue
            p = FieldPath.parse(path)
            row = rows_by_id.get(p.row or "")
            if row is not None:
                row[p.child] = value
        return out

    def attachments(self, path: str | None = None) -> list[AttachmentInfo]:
        items = list(self._attachments.values())
        return [a for a in items if a.path == path] if path is not None else items

    def attachment_data(self, attachment_id: int) -> bytes:
        row = self._raw.execute("SELECT data FROM attachment WHERE id = ?", (attachment_id,)).fetchone()
        if row is None:
            raise DossierError("Cette pièce jointe n'existe plus dans le dossier.")
        return row[0]

    def comments(self, path: str | None = None) -> list[CommentInfo]:
        items = sorted(self._comments.values(), key=lambda c: c.created_at)
        return [c for c in items if c.path == path] if path is not None else items

    def entrusted(self) -> dict[str, str]:
        return dict(self._entrusted)

    def snapshot(self) -> DossierSnapshot:
        return DossierSnapshot(
            template=self.template,
            info=self.info,
            answers=self.answers(),
            attachments=tuple(self._attachments.values()),
            comments=tuple(self.comments()),
            change_count=self._change_count,
            entrusted=dict(self._entrusted),
            read_attachment=self.attachment_data,
        )

    def changes(self, path: str | None = None, *, since_id: int = 0) -> list[ChangeRecord]:
        query = ("SELECT id, at, author, organisation, op, path, old, new, replica_id, counter FROM change "
                 "WHERE id > ?")
        args: tuple = (since_id,)
        if path is not None:
            query += " AND (path = ? OR substr(path, 1, ?) = ?)"
            args += (path, len(path) + 1, path + "[")
        try:
            return [
                ChangeRecord(r[0], r[1], r[2], r[3], r[4], r[5], _stored(r[6]), _stored(r[7]), r[8], r[9])
                for r in self._raw.execute(query + " ORDER BY id", args)
            ]
        except (sqlite3.Error, ValueError, TypeError) as exc:
            reason = interrupted_reason() if was_interrupted(exc) else f"historique illisible : {str(exc)[:80]}"
            raise DossierCorrupt(str(self.path), reason) from None

    # -- writing --------------------------------------------------------------------------------

    @contextmanager
    def batch(self) -> Iterator["DossierFile"]:
        """Make every edit inside the block one transaction: all of them reach the file, or none."""
        if self._batch_depth:
            self._batch_depth += 1
            try:
                yield self
            finally:
                self._batch_depth -= 1
            return
        with self._tx():
            self._batch_depth = 1
            try:
                yield self
            except BaseException:
                self._batch_depth = 0
                self._conn.rollback()
                self._load()  # the cache must match the file again
                raise
            finally:
                self._batch_depth = 0

    def set_timestamps(self, created_at: str | None = None, updated_at: str | None = None) -> None:
        """Keep the dates of a dossier brought in from an interchange file."""
        values = {k: v for k, v in (("created_at", created_at), ("updated_at", updated_at)) if v}
        if not values:
            return
        with self._tx() as c:
            c.execute(S.update(S.DossierRow).values(**values))
        self._info = _with(self._info, **values)

    @contextmanager
    def _tx(self) -> Iterator[Connection]:
        if self._closed:
            raise DossierError("Ce dossier a été fermé.")
        if self.read_only:
            raise DossierReadOnly()
        c = self._conn
        if self._batch_depth:
            yield c
            return
        db_errors = (S.DBAPIError, sqlite3.Error)
        try:
            if c.in_transaction():
                c.commit()
            c.begin()
            yield c
            c.commit()
        except db_errors as exc:
            try:
                c.rollback()
            except db_errors:
                pass
            raise translate_write_error(exc, self.path) from None
        except BaseException:
            try:
                c.rollback()
            except db_errors:
                pass
            raise
        if self._lock:
            self._lock.refresh()

    def _log(self, c: Connection, now: str, op: str, path: str, old: Any, new: Any) -> None:
        if self._unlogged:
            return
        counter = self._info.counter + 1
        c.execute(
            S.insert(S.ChangeRow).values(
                at=now, author=self.author, organisation=self.organisation, op=op, path=path,
                old=None if old is None else _dump(old), new=None if new is None else _dump(new),
                replica_id=self._info.replica_id, counter=counter,
            )
        )
        c.execute(S.update(S.DossierRow).values(updated_at=now, counter=counter))

    def _now(self) -> str:
        return utcnow()

    @staticmethod
    def _sql() -> Any:
        return _sql()

    def _after_log(self, now: str, count: int = 1) -> None:
        if self._unlogged:
            return
        self._info = _with(self._info, updated_at=now, counter=self._info.counter + count)
        self._change_count += count

    def _check_path(self, path: str) -> tuple[FieldPath, Any]:
        try:
            p = FieldPath.parse(path)
        except ValueError as exc:
            raise InvalidEdit(str(exc)) from None
        try:
            spec = self.template.field(p.field)
        except KeyError:
            raise InvalidEdit(f"Le champ « {p.field} » n'existe pas dans ce formulaire.") from None
        if p.row is not None:
            if spec.type is not FieldType.REPETITION or p.row not in self._rows.get(p.field, ()):
                raise InvalidEdit(f"La ligne « {p.row} » de « {spec.label} » n'existe pas (ou plus).")
            try:
                spec = spec.child(p.child or "")
            except KeyError:
                raise InvalidEdit(f"« {p.child} » n'est pas un champ de « {spec.label} ».") from None
        return p, spec

    def set_value(self, path: str, value: Any) -> bool:
        """Record one answer (None or "" clears it). False when nothing changed."""
        _, spec = self._check_path(path)
        if not spec.type.holds_answer or spec.type in (FieldType.REPETITION, FieldType.PIECE_JUSTIFICATIVE):
            raise InvalidEdit(f"« {spec.label} » ne prend pas de réponse directe.")
        if _is_empty(value):
            value = None
        old = self._answers.get(path)
        if old == value and type(old) is type(value):
            return False
        now = utcnow()
        with self._tx() as c:
            if value is None:
                c.execute(S.delete(S.AnswerRow).where(S.AnswerRow.path == path))
            else:
                c.execute(
                    S.sql_text("INSERT INTO answer(path, value, updated_at) VALUES (:p, :v, :t) "
                         "ON CONFLICT(path) DO UPDATE SET value=excluded.value, updated_at=excluded.updated_at"),
                    {"p": path, "v": _dump(value), "t": now},
                )
            self._log(c, now, "set", path, old, value)
        if value is None:
            self._answers.pop(path, None)
        else:
            self._answers[path] = value
        self._after_log(now)
        return True

    def set_title(self, title: str) -> None:
        title = title.strip()
        if not title or title == self._info.title:
            return
        now = utcnow()
        old = self._info.title
        with self._tx() as c:
            c.execute(S.update(S.DossierRow).values(title=title))
            self._log(c, now, "title", "", old, title)
        self._info = _with(self._info, title=title)
        self._after_log(now)

    def replace_template(self, raw: dict[str, Any], *, op: str, old: Any, new: Any) -> None:
        """Store a new copy of the form in the file (e.g. linked to the démarche), with its history row.

        The version must differ from the installed template's, or opening would prefer that one.
        """
        text = _dump(raw)
        load_template_text(text, source=str(self.path))  # never store a form that cannot be read back
        now = utcnow()
        version = str(raw["version"])
        with self._tx() as c:
            c.execute(S.update(S.DossierRow).values(template_json=text, template_version=version))
            self._log(c, now, op, "", old, new)
        self._info = _with(self._info, template_json=text, template_version=version)
        self._template = None
        self._after_log(now)

    def record_event(self, op: str, new: Any) -> None:
        """A history row for something done outside the answers (the dossier sent to the platform)."""
        now = utcnow()
        with self._tx() as c:
            self._log(c, now, op, "", None, new)
        self._after_log(now)

    # -- copies and closing ---------------------------------------------------------------------

    def save_copy(self, dest: str | Path, *, new_replica: bool = True) -> Path:
        """Write a consistent copy with SQLite's backup API, atomically (temporary file, then replace)."""
        from .copying import backup_to

        return backup_to(self._raw, Path(dest), new_replica=new_replica, in_batch=bool(self._batch_depth))

    def refresh_lock(self) -> None:
        if self._lock:
            self._lock.refresh()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            if self._sa is not None:
                self._sa.close()
                self._engine.dispose()
            self._raw.close()
        except sqlite3.Error:
            pass
        finally:
            if self._lock:
                self._lock.release()

    def __enter__(self) -> "DossierFile":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _stored(text: Any) -> Any:
    """A change-log value; a row whose value is not stored JSON text is refused."""
    if text is None:
        return None
    if not isinstance(text, str):
        raise ValueError("une valeur de l'historique n'est pas du texte")
    return _load(text)


def _with(obj: Any, **changes: Any) -> Any:
    """A copy of a dataclass instance with some attributes changed."""
    from dataclasses import replace

    return replace(obj, **changes)


# opening lives in opening.py; re-exported here, where callers have always found it
from .opening import UnknownTemplate, open_dossier, open_snapshot  # noqa: E402

__all__ = [
    "AttachmentTooLarge", "ChangeRecord", "DossierFile", "EXTENSION", "MAX_ATTACHMENT", "NotADossier",
    "RemovedRow", "UnknownTemplate", "open_dossier", "open_snapshot", "utcnow",
]
