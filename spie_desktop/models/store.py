"""The state of one open dossier file: its connections, its in-memory caches, transactions, change log.

Every part of :class:`~spie_desktop.models.dossier_file.DossierFile` (rows, attachments, comments,
other copies' work) is given the same store and edits through :meth:`DossierStore.transaction`,
which commits one edit (or one batch) with its change-log row and turns a failed write into a
French :class:`SaveFailed`. Inside a batch, rows, answers and change-log rows are held and sent in
bulk (:meth:`DossierStore.writes`, pending.py). Reads go straight to sqlite3; the SQLAlchemy connection that writes
over the same sqlite3 connection is made at the first write (see lazy_sql.py).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ..forms import FieldPath, FieldSpec, FieldType, Template
from ..snapshot import AttachmentInfo, CommentInfo
from .connection import interrupted_reason, translate_write_error, was_interrupted
from .errors import DossierCorrupt, DossierError, DossierReadOnly, InvalidEdit
from .lazy_sql import sql
from .lock import FileLock
from .pending import PendingWrites, insert_change
from .records import HEADER_COLUMNS, ChangeRecord, Header
from .template_source import resolve_template
from .values import dump, load

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine


class StoreBackend(Protocol):
    """What a dossier kept elsewhere than in a .spie file (a PostgreSQL server) changes in the store."""

    def before_transaction(self) -> None:
        """Outside a batch, before an edit: reconnect when the server went away meanwhile."""

    def write_error(self, exc: BaseException) -> DossierError:
        """The French reason a write was refused or lost."""

    def before_set(self, c: Connection, path: str, old: Any, new: Any) -> None:
        """Inside the edit's transaction: refuse it when someone else changed ``path`` since ``old`` was read."""

    def save_copy(self, dest: Path, *, new_replica: bool) -> Path:
        """A local .spie copy of the dossier."""

    def signer(self) -> str:
        """Who this person's new comments are signed by: the role the server authenticated (the server
        stamps it on every comment, whatever name the client sends)."""

    def keep_authors(self, c: Connection, keep: bool) -> None:
        """Inside ``c``: comments adopted from another copy keep their own authors (``keep``), or not."""


class DossierStore:
    """Connections, caches (answers, rows, attachments, comments, entrusted sections), transactions, log.

    ``clock`` gives the time stamp of each edit (tests pass a controlled one).
    """

    def __init__(
        self,
        path: Path,
        raw: sqlite3.Connection,
        lock: FileLock | None,
        read_only: bool,
        *,
        clock: Callable[[], str],
    ) -> None:
        self.path = path
        self.read_only = read_only
        self.author = ""
        self.organisation = ""
        self.now = clock
        self.raw = raw
        self.lock = lock
        self.closed = False
        self.batch_depth = 0
        self.unlogged = 0
        self._engine: Engine | None = None
        self._sa: Connection | None = None
        self._template: Template | None = None
        self.answers: dict[str, Any] = {}
        self.rows: dict[str, list[str]] = {}
        self.row_field: dict[str, str] = {}  # row id -> its repetition: rows are unique across the dossier
        self.pending = PendingWrites()
        self.attachments: dict[int, AttachmentInfo] = {}
        self.comments: dict[str, CommentInfo] = {}
        self.entrusted: dict[str, str] = {}
        self.change_count = 0
        #: None for a .spie file; the server's rules for a dossier on PostgreSQL (spie_desktop/server).
        self.backend: StoreBackend | None = None
        self.header = self._read_all()

    # -- reading the file -----------------------------------------------------------------------

    def _read_all(self) -> Header:
        """Fill the caches from the file; DossierCorrupt when a table cannot be read."""
        q = self.raw.execute
        try:
            row = q(f"SELECT {', '.join(HEADER_COLUMNS)} FROM dossier").fetchone()
            self.answers = {p: load(v) for p, v in q("SELECT path, value FROM answer")}
            self.rows = {}
            self.row_field = {}
            for field_id, rid in q("SELECT field_id, id FROM row ORDER BY position"):
                self.rows.setdefault(field_id, []).append(rid)
                self.row_field[rid] = field_id
            self.attachments = {
                r[0]: AttachmentInfo(*r)
                for r in q("SELECT id, path, name, media_type, size, sha256, added_at FROM attachment")
            }
            self.comments = {
                r[0]: CommentInfo(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6]), r[7])
                for r in q(
                    "SELECT id, path, author, organisation, created_at, text, resolved, resolved_at "
                    "FROM comment"
                )
            }
            self.entrusted = dict(q("SELECT section_id, partner FROM entrusted_section").fetchall())
            self.change_count = q("SELECT count(*) FROM change").fetchone()[0]
            # a counter behind a recorded row of this copy would give the next change a used identity
            top = (
                q("SELECT max(counter) FROM change WHERE replica_id = ?", (row[7],)).fetchone()[0]
                if row
                else None
            )
        except (sqlite3.Error, ValueError, TypeError) as exc:
            reason = interrupted_reason() if was_interrupted(exc) else str(exc)[:80]
            raise DossierCorrupt(str(self.path), reason) from None
        if row is None:
            raise DossierCorrupt(str(self.path), "la fiche du dossier manque")
        header = Header(*row)
        if not isinstance(header.counter, int) or not all(
            isinstance(v, str) for v in (header.id, header.replica_id, header.title)
        ):
            raise DossierCorrupt(str(self.path), "la fiche du dossier est illisible")
        if isinstance(top, int) and top > header.counter:
            header = replace(header, counter=top)
        return header

    def reload(self) -> None:
        """Make the caches match the file again (after a rolled-back batch)."""
        self.pending.clear()
        self.header = self._read_all()

    @property
    def template(self) -> Template:
        if self._template is None:
            self._template = resolve_template(self.header, self.path)
        return self._template

    @template.setter
    def template(self, template: Template) -> None:
        self._template = template

    def forget_template(self) -> None:
        """The embedded form changed (linked to a démarche): resolve it again at the next read."""
        self._template = None

    def attachment_data(self, attachment_id: int) -> bytes:
        row = self.raw.execute("SELECT data FROM attachment WHERE id = ?", (attachment_id,)).fetchone()
        if row is None:
            raise DossierError("Cette pièce jointe n'existe plus dans le dossier.")
        data: bytes = row[0]
        return data

    def changes(self, path: str | None = None, *, since_id: int = 0) -> list[ChangeRecord]:
        self.flush()  # inside a batch: the change-log rows held so far are part of the answer
        query = (
            "SELECT id, at, author, organisation, op, path, old, new, replica_id, counter FROM change "
            "WHERE id > ?"
        )
        args: tuple[Any, ...] = (since_id,)
        if path is not None:
            query += " AND (path = ? OR substr(path, 1, ?) = ?)"
            args += (path, len(path) + 1, path + "[")
        try:
            return [
                ChangeRecord(r[0], r[1], r[2], r[3], r[4], r[5], _stored(r[6]), _stored(r[7]), r[8], r[9])
                for r in self.raw.execute(query + " ORDER BY id", args)
            ]
        except (sqlite3.Error, ValueError, TypeError) as exc:
            reason = (
                interrupted_reason() if was_interrupted(exc) else f"historique illisible : {str(exc)[:80]}"
            )
            raise DossierCorrupt(str(self.path), reason) from None

    def check_path(self, path: str) -> tuple[FieldPath, FieldSpec]:
        """The parsed path and the field it names; InvalidEdit (French) for a field or row that is not there."""
        try:
            p = FieldPath.parse(path)
        except ValueError as exc:
            raise InvalidEdit(str(exc)) from None
        try:
            spec = self.template.field(p.field)
        except KeyError:
            raise InvalidEdit(f"Le champ « {p.field} » n'existe pas dans ce formulaire.") from None
        if p.row is not None:
            if spec.type is not FieldType.REPETITION or self.row_field.get(p.row) != p.field:
                raise InvalidEdit(f"La ligne « {p.row} » de « {spec.label} » n'existe pas (ou plus).")
            try:
                spec = spec.child(p.child or "")
            except KeyError:
                raise InvalidEdit(f"« {p.child} » n'est pas un champ de « {spec.label} ».") from None
        return p, spec

    # -- writing --------------------------------------------------------------------------------

    @property
    def connection(self) -> Connection:
        """The SQLAlchemy connection over the same sqlite3 connection (made at the first write)."""
        if self._sa is None:
            raw = self.raw
            self.use_engine(sql.engine_for(lambda: raw))
        assert self._sa is not None
        return self._sa

    def use_engine(self, engine: Engine) -> None:
        """Write through ``engine`` (one over :attr:`raw`), e.g. the one that created the file."""
        self._engine, self._sa = engine, engine.connect()

    def use_connection(self, raw: sqlite3.Connection) -> None:
        """Read and write through ``raw`` from now on; the SQL layer is rebuilt over it at the next write."""
        if self._sa is not None:
            self._sa.close()
        if self._engine is not None:
            self._engine.dispose()
        self._sa = self._engine = None
        self.raw = raw

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Every edit inside the block is one transaction: all of them reach the file, or none."""
        if self.batch_depth:
            self.batch_depth += 1
            try:
                yield
            finally:
                self.batch_depth -= 1
            return
        with self.transaction():
            self.batch_depth = 1
            try:
                yield
                self.flush()
            except BaseException:
                self.batch_depth = 0
                self.pending.clear()
                self.connection.rollback()
                self.reload()  # the cache must match the file again
                raise
            finally:
                self.batch_depth = 0

    def _writable(self) -> None:
        if self.closed:
            raise DossierError("Ce dossier a été fermé.")
        if self.read_only:
            raise DossierReadOnly()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One committed edit (inside a batch: a part of it); SaveFailed when the file refuses it.

        Statements run in ``c`` come after every held one (:attr:`pending`), as they were asked for.
        """
        self._writable()
        c = self.connection
        if self.batch_depth:
            self.pending.flush(c)
            yield c
            return
        db_errors = (sql.DBAPIError, sqlite3.Error)
        backend = self.backend
        if backend is not None:
            backend.before_transaction()
            c = self.connection
        try:
            if c.in_transaction():
                c.commit()
            c.begin()
            yield c
            self.pending.flush(c)
            c.commit()
        except db_errors as exc:
            self.pending.clear()
            _rollback(c, db_errors)
            if backend is not None:
                raise backend.write_error(exc) from None
            raise translate_write_error(exc, self.path) from None
        except BaseException:
            self.pending.clear()
            _rollback(c, db_errors)
            raise
        self.refresh_lock()

    @contextmanager
    def writes(self) -> Iterator[PendingWrites]:
        """An edit whose inserts and upserts may be held and sent in bulk (pending.py).

        Outside a batch it is one committed transaction, as :meth:`transaction`; inside one, what it
        holds is sent at the next statement run directly, at a read of the log, or at the batch's end.
        """
        if not self.batch_depth:
            with self.transaction():
                yield self.pending
            return
        self._writable()
        yield self.pending

    def ordered(self) -> Connection:
        """Inside :meth:`writes`: the connection for a statement that must run now, after every held one."""
        self.flush()
        return self.connection

    def flush(self) -> None:
        """Send the held statements now (inside the open transaction)."""
        if self.pending:
            self.pending.flush(self.connection)

    def log(self, c: Connection | PendingWrites, now: str, op: str, path: str, old: Any, new: Any) -> None:
        """Write the change-log row of an edit made in ``c`` (nothing inside :attr:`unlogged`).

        The row is held with the edit's other writes and sent after the statements run in ``c``.
        """
        if self.unlogged:
            return
        counter = self.header.counter + 1
        self.pending.add(
            insert_change(),
            {
                "at": now,
                "author": self.author,
                "organisation": self.organisation,
                "op": op,
                "path": path,
                "old": None if old is None else dump(old),
                "new": None if new is None else dump(new),
                "replica_id": self.header.replica_id,
                "counter": counter,
            },
        )
        if (
            self.backend is None
        ):  # a server numbers its changes with a sequence: no lock on its one dossier row
            self.pending.header(now, counter)

    def after_log(self, now: str, count: int = 1) -> None:
        """Count ``count`` committed change-log rows in the cached header."""
        if self.unlogged:
            return
        self.header = self.header.advanced(now, count)
        self.change_count += count

    # -- the file's lifetime --------------------------------------------------------------------

    def refresh_lock(self) -> None:
        if self.lock:
            self.lock.refresh()

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        try:
            if self._sa is not None:
                self._sa.close()
            if self._engine is not None:
                self._engine.dispose()
            self.raw.close()
        except sqlite3.Error:
            pass
        finally:
            if self.lock:
                self.lock.release()


def _rollback(c: Connection, errors: tuple[type[BaseException], ...]) -> None:
    with suppress(*errors):
        c.rollback()


def _stored(text: Any) -> Any:
    """A change-log value; a row whose value is not stored JSON text is refused."""
    if text is None:
        return None
    if not isinstance(text, str):
        raise ValueError("une valeur de l'historique n'est pas du texte")
    return load(text)
