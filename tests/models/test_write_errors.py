"""Why a write failed, told in French from SQLite's result code (issue 18), not from its message text."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError as WrappedError

from spie_desktop.models.connection import sqlite_error_code, translate_write_error

UNREACHABLE = "n'est plus accessible"
DAMAGED = "abîmé"


def _raised(action) -> sqlite3.Error:
    with pytest.raises(sqlite3.Error) as caught:
        action()
    return caught.value


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "t.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    return path


def _full(db: Path) -> sqlite3.Error:
    con = sqlite3.connect(db)
    pages = con.execute("PRAGMA page_count").fetchone()[0]
    con.execute(f"PRAGMA max_page_count={pages}")
    try:
        return _raised(lambda: con.execute("INSERT INTO t VALUES (?)", ("x" * 100_000,)))
    finally:
        con.close()


def _read_only(db: Path) -> sqlite3.Error:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return _raised(lambda: con.execute("INSERT INTO t VALUES (1)"))
    finally:
        con.close()


def _busy(db: Path) -> sqlite3.Error:
    holder, other = sqlite3.connect(db, timeout=0), sqlite3.connect(db, timeout=0)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        return _raised(lambda: other.execute("INSERT INTO t VALUES (1)"))
    finally:
        holder.rollback()
        holder.close()
        other.close()


def _not_a_database(db: Path) -> sqlite3.Error:
    db.write_bytes(b"ceci n'est pas une base " * 200)
    con = sqlite3.connect(db)
    try:
        return _raised(lambda: con.execute("SELECT * FROM sqlite_master"))
    finally:
        con.close()


def _cannot_open(db: Path) -> sqlite3.Error:
    return _raised(lambda: sqlite3.connect(db.parent / "absent" / "x.db"))


@pytest.mark.parametrize(
    ("make", "code", "reason"),
    [
        (_full, sqlite3.SQLITE_FULL, "le disque est plein"),
        (_read_only, sqlite3.SQLITE_READONLY, "lecture seule"),
        (_busy, sqlite3.SQLITE_BUSY, "occupé par un autre programme"),
        (_not_a_database, sqlite3.SQLITE_NOTADB, DAMAGED),
        (_cannot_open, sqlite3.SQLITE_CANTOPEN, UNREACHABLE),
    ],
)
def test_real_sqlite_errors_are_told_by_their_code(db, make, code, reason):
    exc = make(db)
    assert sqlite_error_code(exc) == code
    assert reason in str(translate_write_error(exc))
    # the same error as SQLAlchemy hands it over (wrapped, the sqlite3 one under .orig)
    assert reason in str(translate_write_error(WrappedError("INSERT", {}, exc)))


def test_a_message_that_only_mentions_a_full_table_is_not_a_full_disk(db):
    con = sqlite3.connect(db)
    exc = _raised(lambda: con.execute("SELECT * FROM full"))  # "no such table: full"
    con.close()
    message = str(translate_write_error(exc))
    assert "plein" not in message
    assert "SQLITE_ERROR" in message and "no such table" in message


def test_a_message_that_says_full_without_sqlite_code_is_not_taken_at_its_word():
    message = str(translate_write_error(sqlite3.OperationalError("database or disk is full")))
    assert "le disque est plein" not in message and "OperationalError" in message


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (sqlite3.SQLITE_IOERR, UNREACHABLE),
        (778, UNREACHABLE),  # SQLITE_IOERR_WRITE: an extended code keeps its primary code in the low byte
        (sqlite3.SQLITE_CORRUPT, DAMAGED),
        (sqlite3.SQLITE_LOCKED, "occupé"),
        (sqlite3.SQLITE_INTERRUPT, "une opération a dépassé"),
    ],
)
def test_codes_that_are_hard_to_provoke(code, reason):
    exc = sqlite3.OperationalError("message sans importance")
    exc.sqlite_errorcode = code  # type: ignore[attr-defined]  # sqlite3 sets it the same way
    assert reason in str(translate_write_error(exc))


def test_the_file_itself_is_looked_at_before_a_vague_code(tmp_path, db):
    exc = _read_only(db)
    gone = tmp_path / "parti.spie"
    assert "déplacé ou supprimé" in str(translate_write_error(exc, gone))
    assert "lecture seule" in str(translate_write_error(exc, db))  # present and writable: the code decides


def test_a_full_disk_from_the_operating_system():
    assert "le disque est plein" in str(translate_write_error(OSError(28, "No space left on device")))
