"""Seeing the others live: LISTEN/NOTIFY on the dossier's channel, and who has the dossier open.

Every change committed on the server notifies the channel named like the dossier's schema with
« <change id> <backend pid> » (the trigger of rights.py). A :class:`Watcher` listens on its own
connection; :meth:`Watcher.wait` returns the changes made by other sessions, and the caller reads the
dossier again (``ServerBackend.refresh``). The window can watch :meth:`Watcher.fileno` with a
QSocketNotifier, so nothing polls.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .address import ServerAddress
from .connect import application_name, connect, read_error

if TYPE_CHECKING:
    from ..models.dossier_file import DossierFile


@dataclass(frozen=True)
class Heard:
    change_id: int
    backend_pid: int


class Watcher:
    """Listens to one dossier's changes; ``own_pid`` (the editing connection's backend) is left out."""

    def __init__(self, address: ServerAddress, own_pid: int | None = None) -> None:
        from psycopg import sql as pgsql

        self.address = address
        self.own_pid = own_pid
        self.conn = connect(address, autocommit=True)
        try:
            self.conn.execute(pgsql.SQL("LISTEN {}").format(pgsql.Identifier(address.schema)))
        except Exception as exc:  # noqa: BLE001
            self.conn.close()
            raise read_error(exc) from None

    @classmethod
    def of(cls, df: DossierFile) -> Watcher:
        backend = df.store.backend
        if backend is None:
            raise ValueError("not a dossier on a server")
        return cls(backend.address, backend.raw.conn.info.backend_pid)  # type: ignore[attr-defined]

    def fileno(self) -> int:
        return self.conn.fileno()

    def wait(self, timeout: float) -> list[Heard]:
        """The others' changes heard within ``timeout`` seconds (returns at the first batch heard)."""
        import psycopg

        out: list[Heard] = []
        try:
            for n in self.conn.notifies(timeout=timeout, stop_after=1):
                out.extend(_parse(n.payload))
            for n in self.conn.notifies(timeout=0):  # whatever else already arrived
                out.extend(_parse(n.payload))
        except psycopg.Error as exc:
            raise read_error(exc) from None
        return [h for h in out if h.backend_pid != self.own_pid]

    def present(self) -> list[str]:
        """The other roles that have this dossier open now (not this watcher's sessions)."""
        try:
            rows = self.conn.execute(
                "SELECT DISTINCT usename::text FROM pg_stat_activity WHERE application_name = %s "
                "AND datname = current_database() AND pid <> pg_backend_pid() AND pid <> %s "
                "AND usename <> current_user ORDER BY 1",
                (application_name(self.address), self.own_pid or 0),
            ).fetchall()
        except Exception as exc:  # noqa: BLE001
            raise read_error(exc) from None
        return [r[0] for r in rows]

    def close(self) -> None:
        self.conn.close()


def _parse(payload: str) -> list[Heard]:
    parts = payload.split()
    if len(parts) == 2 and all(p.isdigit() for p in parts):
        return [Heard(int(parts[0]), int(parts[1]))]
    return []


def present(address: ServerAddress) -> list[str]:
    """The roles that have this dossier open now (each session of the application names its dossier)."""
    conn = connect(address, autocommit=True)
    try:
        rows = conn.execute(
            "SELECT DISTINCT usename::text FROM pg_stat_activity WHERE application_name = %s "
            "AND datname = current_database() AND pid <> pg_backend_pid() ORDER BY 1",
            (application_name(address),),
        ).fetchall()
    except Exception as exc:  # noqa: BLE001
        raise read_error(exc) from None
    finally:
        conn.close()
    return [r[0] for r in rows]
