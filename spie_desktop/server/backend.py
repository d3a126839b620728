"""A dossier kept on a PostgreSQL server, behind the same DossierFile API as a .spie file.

The store reads through :class:`~.connect.PgRaw` and writes through SQLAlchemy's ``postgresql+psycopg``
dialect over the same connection (the search path is the dossier's schema, so the models of
models/schema.py name the same tables). :class:`ServerBackend` is what differs from a file: the
server's refusals in French, a reconnection after the server went away, an edit refused when
someone else changed the field meanwhile, and « Emporter une copie » as a local .spie.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..models.errors import DossierError
from ..models.values import dump, load
from .address import ServerAddress
from .connect import (
    EditConflict,
    PgRaw,
    ServerLost,
    ServerUnreachable,
    connect,
    looks_dead,
    read_error,
    write_error,
)
from .queue import ReplayReport
from .rights import KEEP_AUTHOR

if TYPE_CHECKING:
    import psycopg
    from sqlalchemy.engine import Connection, Engine

    from ..forms import Template
    from ..models.store import DossierStore


def set_search_path(conn: psycopg.Connection[Any], schema: str) -> None:
    from psycopg import sql as pgsql

    conn.execute(pgsql.SQL("SET search_path TO {}").format(pgsql.Identifier(schema)))
    conn.commit()


def engine_over(conn: psycopg.Connection[Any]) -> Engine:
    """A SQLAlchemy engine whose one connection is ``conn`` (the store's reads see its writes)."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import StaticPool

    return create_engine("postgresql+psycopg://", creator=lambda: conn, poolclass=StaticPool)


class ServerBackend:
    def __init__(self, store: DossierStore, address: ServerAddress, raw: PgRaw) -> None:
        self.store = store
        self.address = address
        self.raw = raw
        self._top: int | None = None  # the last change id seen by refresh()
        #: what the opening sent from this computer's queue of unsent edits (server/queue.py)
        self.replayed = ReplayReport()
        #: the role the server authenticated (``current_user``): who signs this person's comments
        self.role = ""

    # -- connection -------------------------------------------------------------------------------

    def before_transaction(self) -> None:
        if looks_dead(self.raw.conn):
            try:
                self.reconnect()
            except ServerUnreachable as exc:  # while editing: a save failure, so the edit is kept and resent
                raise ServerLost(exc.detail) from None

    def reconnect(self) -> None:
        """A new connection after the server went away; the caches are read again from the server."""
        conn = connect(self.address)
        try:
            set_search_path(conn, self.address.schema)
        except Exception as exc:  # noqa: BLE001
            conn.close()
            raise read_error(exc) from None
        s = self.store
        old_sa, old_engine = s._sa, s._engine
        for closing in (getattr(old_sa, "close", None), getattr(old_engine, "dispose", None)):
            try:
                if closing is not None:
                    closing()
            except Exception:  # noqa: BLE001 - the old connection is gone, that is why we are here
                pass
        try:
            self.raw.conn.close()
        except Exception:  # noqa: BLE001
            pass
        self.raw.conn = conn
        s.raw = self.raw  # type: ignore[assignment]
        s.use_engine(engine_over(conn))
        s.reload()
        self.fix_header()

    def write_error(self, exc: BaseException) -> DossierError:
        return write_error(exc)

    # -- who signs ---------------------------------------------------------------------------------

    def read_role(self) -> None:
        row = self.raw.execute("SELECT current_user").fetchone()
        self.role = str(row[0]) if row else ""

    def signer(self) -> str:
        """The connected role: the server stamps it on each new comment (rights.py), whatever is sent."""
        return self.role

    def keep_authors(self, c: Connection, keep: bool) -> None:
        """A merge's adopted comments keep their authors — the server allows it to a coordinator only."""
        from sqlalchemy import text

        c.execute(text("SELECT set_config(:k, :v, true)"), {"k": KEEP_AUTHOR, "v": "on" if keep else ""})

    def fix_header(self) -> None:
        """« Modifié le »: edits do not touch the dossier's row on a server (no lock shared by all), so it
        is the latest of the dates last set and of the changes made since."""
        from dataclasses import replace

        s = self.store
        row = self.raw.execute(
            "SELECT max(at) FROM change WHERE id > (SELECT dates_after FROM dossier)"
        ).fetchone()
        latest = row[0] if row else None
        if isinstance(latest, str) and latest > s.header.updated_at:
            s.header = replace(s.header, updated_at=latest)

    # -- edits made by others meanwhile ---------------------------------------------------------

    def before_set(self, c: Connection, path: str, old: Any, new: Any) -> None:
        """The server's value of ``path`` must still be the one this edit replaces; else refuse it."""
        from sqlalchemy import text

        c.execute(text("SELECT pg_advisory_xact_lock(hashtext(current_schema() || :p))"), {"p": path})
        # the lock above orders writers of this path: the value read is the last one committed
        row = c.execute(text("SELECT value FROM answer WHERE path = :p"), {"p": path}).fetchone()
        theirs = None if row is None else load(row[0])
        if theirs == old and type(theirs) is type(old):
            return
        s = self.store
        if theirs is None:
            s.answers.pop(path, None)
        else:
            s.answers[path] = theirs  # the form shows their value now; the message shows both
        try:
            label = s.check_path(path)[1].label
        except DossierError:
            label = path
        raise EditConflict(path, new, theirs, label)

    def refresh(self) -> bool:
        """Read the dossier again when others changed it; True when something changed."""
        s = self.store
        row = self.raw.execute("SELECT count(*), coalesce(max(id), 0) FROM change").fetchone()
        seen = (s.change_count, self._top)
        if row is None or (row[0], row[1]) == seen:
            return False
        s.reload()
        self.fix_header()
        self._top = row[1]
        return True

    def template_changed(self, c: Connection, template: Template) -> None:
        """The form was replaced (« Associer à une démarche »): the server's field → section map follows it
        in the same transaction, so each role's rights hold for the new fields at once, without ``server init``."""
        from .dossiers import write_field_sections

        write_field_sections(c, self.address.schema, template)

    # -- what this role may write (the server's own answer: its policies decide) ----------------

    def merge_rights(self, fields: set[str]) -> tuple[str, bool, dict[str, bool]]:
        """(connected role, coordinator?, {field: may write}) asked of the server itself (``may_write``)."""
        row = self.raw.execute(
            "SELECT current_user, pg_has_role(current_user, 'spie_coordinator', 'MEMBER'), "
            "pg_has_role(current_user, 'spie_partner', 'MEMBER')"
        ).fetchone()
        role, coordinator = str(row[0]), bool(row[1])
        if coordinator or not row[2] or not fields:
            return role, coordinator, dict.fromkeys(sorted(fields), coordinator)
        # One question for every field (a merge of 4 000 changes asked 4 000 times before).
        rows = self.raw.execute(
            "SELECT f, may_write(f) FROM unnest(?::text[]) AS f", (sorted(fields),)
        ).fetchall()
        may = {str(f): bool(ok) for f, ok in rows}
        return role, coordinator, {f: may.get(f, False) for f in sorted(fields)}

    # -- a local copy ---------------------------------------------------------------------------

    def save_copy(self, dest: Path, *, new_replica: bool) -> Path:
        from .take import take_copy

        return take_copy(self.store, dest, new_replica=new_replica)


__all__ = ["ServerBackend", "dump", "engine_over", "set_search_path"]
