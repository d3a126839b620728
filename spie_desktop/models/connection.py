"""The sqlite3 connection of a dossier: pragmas, crash recovery, and French names for write errors."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from urllib.parse import quote

from .errors import SaveFailed


def connect(path: Path, read_only: bool) -> sqlite3.Connection:
    """A connection in the file's journal mode: rollback journal, synchronous=FULL."""
    target = str(path.resolve())
    if read_only:
        conn = sqlite3.connect(f"file:{quote(target)}?mode=ro", uri=True, check_same_thread=False)
    else:
        conn = sqlite3.connect(target, check_same_thread=False)
    if not read_only:
        conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA busy_timeout=2000")
    return conn


def hot_journal(path: Path) -> bool:
    journal = path.with_name(path.name + "-journal")
    try:
        return journal.stat().st_size > 0
    except OSError:
        return False


def recover(path: Path) -> None:
    """Let SQLite roll back the journal a crash left, restoring the last committed state.

    A read-only connection cannot do it; the caller holds the dossier's lock meanwhile.
    """
    conn = sqlite3.connect(str(path))
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    finally:
        conn.close()


def translate_write_error(exc: BaseException, path: Path | None = None) -> SaveFailed:
    """The French reason a write did not reach the disk, looking at the file when SQLite is vague."""
    msg = str(getattr(exc, "orig", exc)).lower()
    if "full" in msg or "no space" in msg or getattr(exc, "errno", None) == 28:
        return SaveFailed("le disque est plein")
    if path is not None and not path.exists():
        return SaveFailed("le fichier a été déplacé ou supprimé pendant qu'il était ouvert")
    if path is not None and (not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK)):
        return SaveFailed("le fichier ou son dossier est en lecture seule")
    if "readonly" in msg or "read-only" in msg or "attempt to write" in msg:
        return SaveFailed("le fichier ou le disque est en lecture seule")
    if "locked" in msg or "busy" in msg:
        return SaveFailed("le fichier est occupé par un autre programme")
    if "disk i/o" in msg or "unable to open" in msg:
        return SaveFailed("le fichier n'est plus accessible (clé USB retirée, partage réseau coupé ?)")
    return SaveFailed(f"erreur du fichier ({msg[:120]})")
