"""The sqlite3 connection of a dossier: pragmas, hardening, crash recovery, and French names for write errors.

A received file is untrusted: every connection runs with ``trusted_schema=OFF``, in defensive mode
where the sqlite3 module offers it (Python 3.12+), with no application SQL function (SQLAlchemy's
``regexp``/``floor`` are removed) and with a progress handler that interrupts any statement running
longer than :data:`STATEMENT_LIMIT` seconds.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .errors import SaveFailed

#: Seconds a single statement may run before it is interrupted (an honest one takes milliseconds).
STATEMENT_LIMIT = 5.0
#: SQLite virtual-machine steps between two looks at the clock.
_PROGRESS_STEPS = 20_000
#: Functions SQLAlchemy's pysqlite dialect registers on every connection (Python code a trigger could call).
APPLICATION_FUNCTIONS = (("regexp", 2), ("floor", 1))
INTERRUPTED_REASON = "le fichier semble piégé ou abîmé : une opération a dépassé {limit:g} s"


class GuardedConnection(sqlite3.Connection):
    """A sqlite3 connection whose every statement starts a clock that the progress handler watches."""

    started: float = 0.0
    limit: float = STATEMENT_LIMIT
    timed_out: bool = False

    def _start(self) -> None:
        self.started = time.monotonic()
        self.timed_out = False

    def execute(self, *args: Any, **kwargs: Any) -> sqlite3.Cursor:
        self._start()
        return super().execute(*args, **kwargs)

    def executemany(self, *args: Any, **kwargs: Any) -> sqlite3.Cursor:
        self._start()
        return super().executemany(*args, **kwargs)

    def executescript(self, *args: Any, **kwargs: Any) -> sqlite3.Cursor:
        self._start()
        return super().executescript(*args, **kwargs)

    def cursor(self, factory: Any = None) -> sqlite3.Cursor:  # type: ignore[override]
        return super().cursor(factory or _GuardedCursor)

    def _progress(self) -> int:
        if time.monotonic() - self.started > self.limit:
            self.timed_out = True
            return 1  # SQLite stops the statement with "interrupted"
        return 0


class _GuardedCursor(sqlite3.Cursor):
    """SQLAlchemy runs its statements through cursors: start the connection's clock there too."""

    def execute(self, *args: Any, **kwargs: Any) -> sqlite3.Cursor:  # type: ignore[override]
        _start_clock(self.connection)
        return super().execute(*args, **kwargs)

    def executemany(self, *args: Any, **kwargs: Any) -> sqlite3.Cursor:  # type: ignore[override]
        _start_clock(self.connection)
        return super().executemany(*args, **kwargs)


def _start_clock(conn: sqlite3.Connection) -> None:
    if isinstance(conn, GuardedConnection):
        conn._start()


def open_guarded(target: str, *, uri: bool = False) -> GuardedConnection:
    """``sqlite3.connect`` with the hardening every dossier connection gets."""
    conn = sqlite3.connect(target, uri=uri, check_same_thread=False, factory=GuardedConnection)
    assert isinstance(conn, GuardedConnection)
    harden(conn)
    return conn


def harden(conn: sqlite3.Connection) -> None:
    """Nothing a file's schema names may run application code or outlive the time limit."""
    if hasattr(conn, "setconfig") and hasattr(sqlite3, "SQLITE_DBCONFIG_DEFENSIVE"):  # Python 3.12+
        conn.setconfig(sqlite3.SQLITE_DBCONFIG_DEFENSIVE, True)
    conn.execute("PRAGMA trusted_schema=OFF")
    conn.execute("PRAGMA cell_size_check=ON")
    drop_application_functions(conn)
    if isinstance(conn, GuardedConnection):
        conn.set_progress_handler(conn._progress, _PROGRESS_STEPS)


def drop_application_functions(conn: sqlite3.Connection) -> None:
    """Remove the Python SQL functions SQLAlchemy registers (a file's trigger could call them)."""
    for name, nargs in APPLICATION_FUNCTIONS:
        conn.create_function(name, nargs, None)


def connect(path: Path, read_only: bool) -> GuardedConnection:
    """A hardened connection in the file's journal mode: rollback journal, synchronous=FULL."""
    target = str(path.resolve())
    if read_only:
        conn = open_guarded(f"file:{quote(target)}?mode=ro", uri=True)
    else:
        conn = open_guarded(target)
    if not read_only:
        conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA busy_timeout=2000")
    return conn


def sqlite_error_code(exc: BaseException) -> int | None:
    """SQLite's primary result code (``sqlite3.SQLITE_FULL``…) behind an error, SQLAlchemy's wrapper or not.

    None for an error SQLite did not raise (the sqlite3 module's own misuse checks, an OSError).
    """
    code = getattr(getattr(exc, "orig", exc), "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None  # extended codes keep the primary in the low byte


def was_interrupted(exc: BaseException) -> bool:
    """True when SQLite stopped a statement because the progress handler saw it run too long."""
    return sqlite_error_code(exc) == sqlite3.SQLITE_INTERRUPT


def interrupted_reason(limit: float = STATEMENT_LIMIT) -> str:
    return INTERRUPTED_REASON.format(limit=limit)


def hot_journal(path: Path) -> bool:
    journal = path.with_name(path.name + "-journal")
    try:
        return journal.stat().st_size > 0
    except OSError:
        return False


def recover(path: Path) -> None:
    """Let SQLite roll back the journal a crash left, restoring the last committed state.

    A read-only connection cannot do it; the caller holds the dossier's lock meanwhile. Rolling
    back restores pages: nothing the file defines runs.
    """
    conn = open_guarded(str(path))
    try:
        conn.execute("PRAGMA schema_version").fetchone()
    finally:
        conn.close()


#: What a failed write means for each of SQLite's result codes a user can meet, checked after the file.
_WRITE_ERRORS = {
    sqlite3.SQLITE_READONLY: "le fichier ou le disque est en lecture seule",
    sqlite3.SQLITE_BUSY: "le fichier est occupé par un autre programme",
    sqlite3.SQLITE_LOCKED: "le fichier est occupé par un autre programme",
    sqlite3.SQLITE_IOERR: "le fichier n'est plus accessible (clé USB retirée, partage réseau coupé ?)",
    sqlite3.SQLITE_CANTOPEN: "le fichier n'est plus accessible (clé USB retirée, partage réseau coupé ?)",
    sqlite3.SQLITE_CORRUPT: "le fichier est abîmé ; rouvrez-le, ou enregistrez une copie",
    sqlite3.SQLITE_NOTADB: "le fichier est abîmé ; rouvrez-le, ou enregistrez une copie",
}


def translate_write_error(exc: BaseException, path: Path | None = None) -> SaveFailed:
    """The French reason a write did not reach the disk, from SQLite's result code and the file itself.

    A full disk and an interrupted statement are SQLite's to tell; a file moved away or made
    read-only is looked at on the disk first, since SQLite reports those vaguely (I/O error, read-only).
    """
    code = sqlite_error_code(exc)
    if code == sqlite3.SQLITE_INTERRUPT:
        return SaveFailed(interrupted_reason())
    if code == sqlite3.SQLITE_FULL or getattr(exc, "errno", None) == errno.ENOSPC:
        return SaveFailed("le disque est plein")
    if path is not None and not path.exists():
        return SaveFailed("le fichier a été déplacé ou supprimé pendant qu'il était ouvert")
    if path is not None and (not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK)):
        return SaveFailed("le fichier ou son dossier est en lecture seule")
    if code in _WRITE_ERRORS:
        return SaveFailed(_WRITE_ERRORS[code])
    original = getattr(exc, "orig", exc)
    name = getattr(original, "sqlite_errorname", None) or type(original).__name__
    return SaveFailed(f"erreur du fichier ({name} : {str(original)[:120]})")
