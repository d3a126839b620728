"""Verify a file's SQL schema before anything reads or writes its tables.

A received .spie file is untrusted: a trigger would run on the recipient's own edits, a view in
place of a table can loop forever, a virtual table runs module code, an extra column or index
changes what statements do. The file's ``sqlite_master`` is read (nothing the file defines is
run: SQLite only parses the CREATE statements) and compared with the schema this version writes,
or an older one it can migrate. Anything else is refused with the cause named, in French.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import quote

from .connection import (
    STATEMENT_LIMIT,
    interrupted_reason,
    open_guarded,
    was_interrupted,
)
from .errors import DossierCorrupt, DossierTampered
from .new_file_schema import NEW_FILE_ROWS


def schema_problem(conn: sqlite3.Connection, version: int) -> str | None:
    """Why the schema of ``conn``'s file is not that of a SPIE file of ``version``; None when it is."""
    rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    new = NEW_FILE_ROWS.get(version)
    if new is not None and len(rows) == len(new) and set(rows) == new:
        return None  # a new file's schema, character for character, each object once
    from .schema_compare import full_problem  # the long way: only for a file not exactly as made new

    return full_problem(conn, version, rows)


def verify_schema(path: Path, version: int) -> None:
    """Raise DossierTampered (or DossierCorrupt) unless ``path`` has the schema of ``version``.

    Read-only, through a hardened connection: nothing is written beside the file or into it.
    """
    target = f"file:{quote(str(Path(path).resolve()))}?mode=ro"
    try:
        conn = open_guarded(target, uri=True)
    except sqlite3.Error as exc:
        raise DossierCorrupt(str(path), str(exc)[:80]) from None
    try:
        problem = schema_problem(conn, version)
    except sqlite3.Error as exc:
        text = str(exc)
        if was_interrupted(exc):
            reason = interrupted_reason(STATEMENT_LIMIT)
        elif text.startswith("malformed database schema"):
            from .schema_compare import shown_name

            reason = f"sa structure SQL est incohérente, objet « {shown_name(text.partition('(')[2].rstrip(')'))} »"
        else:
            reason = text[:80]
        raise DossierCorrupt(str(path), reason) from None
    finally:
        conn.close()
    if problem:
        raise DossierTampered(str(path), problem)
