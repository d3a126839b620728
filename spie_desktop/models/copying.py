"""Consistent copies of an open dossier through SQLite's backup API, written atomically."""

from __future__ import annotations

import errno
import os
import sqlite3
import tempfile
import uuid
from pathlib import Path

from ..atomic import give_file_mode
from .connection import open_guarded, sqlite_error_code
from .errors import SaveFailed


def backup_sqlite(src: sqlite3.Connection, dest: Path, *, new_replica: bool) -> Path:
    """Copy ``src`` to ``dest`` via a temporary file beside it; the copy is a new replica if asked."""
    dest = Path(dest)
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
        os.close(fd)
        give_file_mode(tmp)  # a copy for a colleague: the umask's permissions, not mkstemp's 0600
    except OSError as exc:
        raise SaveFailed(f"impossible d'écrire dans « {dest.parent} » ({exc.strerror})") from None
    try:
        target = open_guarded(tmp)
        try:
            src.backup(target)
            if new_replica:
                target.execute("UPDATE dossier SET replica_id = ?, counter = 0", (str(uuid.uuid4()),))
            target.commit()
            target.execute("PRAGMA journal_mode=DELETE")
        finally:
            target.close()
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, dest)
    except (sqlite3.Error, OSError) as exc:
        Path(tmp).unlink(missing_ok=True)
        if sqlite_error_code(exc) == sqlite3.SQLITE_FULL or getattr(exc, "errno", None) == errno.ENOSPC:
            raise SaveFailed("le disque de destination est plein") from None
        raise SaveFailed(f"la copie n'a pas pu être écrite ({exc})") from None
    return dest


def backup_to(conn: sqlite3.Connection, dest: Path, *, new_replica: bool, in_batch: bool = False) -> Path:
    """Copy an open dossier; outside a batch its committed state, the same the file holds."""
    if conn.in_transaction and not in_batch:
        conn.commit()
    return backup_sqlite(conn, dest, new_replica=new_replica)
