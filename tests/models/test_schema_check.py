"""The schema check and the hardened connections (issue 11): what a received file may not do."""

from __future__ import annotations

import shutil
import sqlite3
import sys
from pathlib import Path

import pytest

from spie_desktop.models import DossierFile, open_dossier, schema_compare
from spie_desktop.models.connection import (
    GuardedConnection,
    connect,
    open_guarded,
    translate_write_error,
)
from spie_desktop.models.errors import DossierTampered
from spie_desktop.models.new_file_schema import NEW_FILE_ROWS
from spie_desktop.models.schema_check import schema_problem, verify_schema

FORMAT1 = Path(__file__).parent / "fixtures" / "dossier-format1.spie"


def _problem(path: Path, version: int) -> str | None:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return schema_problem(con, version)
    finally:
        con.close()


def test_the_reference_is_what_this_version_writes_and_migrates(tmp_path, template_2021):
    fresh = tmp_path / "neuf.spie"
    DossierFile.create(fresh, template_2021, "Neuf").close()
    assert _problem(fresh, 2) is None
    assert _problem(fresh, 1) is not None  # the references differ: a check that can fail
    old = tmp_path / "ancien.spie"
    shutil.copyfile(FORMAT1, old)
    assert _problem(old, 1) is None
    assert _problem(old, 2) is not None
    open_dossier(old).close()  # upgraded in place
    assert _problem(old, 2) is None


def _master_rows(path: Path) -> list[tuple]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    finally:
        con.close()


def test_a_new_file_is_known_by_its_rows_without_the_full_comparison(tmp_path, template_2021, monkeypatch):
    fresh = tmp_path / "neuf.spie"
    DossierFile.create(fresh, template_2021, "Neuf").close()
    rows = _master_rows(fresh)
    assert set(rows) == NEW_FILE_ROWS[2], (
        "the tables of a new file changed: NEW_FILE_ROWS[2] in models/new_file_schema.py must become "
        + repr(sorted(rows))
    )

    def full(*args):
        raise AssertionError("the full comparison ran")

    monkeypatch.setattr(schema_compare, "full_problem", full)
    verify_schema(fresh, 2)  # its rows alone accept it


def test_a_file_one_character_away_from_new_gets_the_full_comparison(tmp_path, template_2021):
    """The known rows only shorten the check of a file exactly as made new: any change in its
    definitions, even one the full comparison accepts, takes the long way and is judged by it."""
    path = tmp_path / "retouche.spie"
    DossierFile.create(path, template_2021, "Retouché").close()
    con = sqlite3.connect(path)
    con.execute("DROP INDEX ix_row_field_id")
    con.execute('CREATE INDEX ix_row_field_id ON "row"  (field_id)')  # one more space
    con.commit()
    con.close()
    assert set(_master_rows(path)) != NEW_FILE_ROWS[2]
    assert _problem(path, 2) is None  # the same index: accepted, by the full comparison
    con = sqlite3.connect(path)
    con.execute("DROP INDEX ix_row_field_id")
    con.execute('CREATE INDEX ix_row_field_id ON "row" (position)')
    con.commit()
    con.close()
    assert "ix_row_field_id" in (_problem(path, 2) or "")


def test_a_refused_file_names_the_cause_and_is_untouched(tmp_path, template_2021):
    path = tmp_path / "piege.spie"
    DossierFile.create(path, template_2021, "Piège").close()
    con = sqlite3.connect(path)
    con.execute("CREATE TRIGGER t AFTER INSERT ON answer BEGIN DELETE FROM change; END")
    con.commit()
    con.close()
    before = path.read_bytes()
    with pytest.raises(DossierTampered, match=r"déclencheur.*« t »"):
        verify_schema(path, 2)
    for read_only in (True, False):
        with pytest.raises(DossierTampered):
            open_dossier(path, read_only=read_only)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["piege.spie"]


def _regexp_trigger(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute(
        "CREATE TRIGGER r BEFORE INSERT ON change BEGIN "
        "SELECT RAISE(ABORT, 'la fonction regexp a tourné') WHERE 'a' REGEXP 'a'; END"
    )
    con.commit()
    con.close()


def test_no_python_function_of_sqlalchemy_is_reachable_from_a_trigger(tmp_path, template_2021):
    """Even past the schema check, a trigger calling REGEXP cannot run SQLAlchemy's Python regexp()."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import StaticPool

    from spie_desktop.models import sql

    path = tmp_path / "regexp.spie"
    DossierFile.create(path, template_2021, "Regexp").close()
    _regexp_trigger(path)
    insert = text(
        "INSERT INTO change (at, author, organisation, op, path, replica_id, counter) "
        "VALUES ('t', '', '', 'set', 'p', 'r', 1)"
    )
    plain_raw = sqlite3.connect(path)
    plain = create_engine("sqlite+pysqlite://", creator=lambda: plain_raw, poolclass=StaticPool)
    with pytest.raises(sql.DBAPIError, match="regexp a tourné"), plain.begin() as c:  # what SQLAlchemy allows
        c.execute(insert)
    plain.dispose()
    plain_raw.close()
    raw = connect(path, read_only=False)
    ours = sql.engine_for(lambda: raw)
    with pytest.raises(sql.DBAPIError) as caught, ours.begin() as c:
        c.execute(insert)
    assert "regexp a tourné" not in str(caught.value)
    with ours.connect() as c:
        assert c.exec_driver_sql("PRAGMA trusted_schema").scalar() == 0
    ours.dispose()
    raw.close()


def test_a_statement_running_too_long_is_stopped_with_a_french_reason(monkeypatch):
    monkeypatch.setattr(GuardedConnection, "limit", 0.2)
    con = open_guarded(":memory:")
    endless = "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT count(*) FROM n"
    with pytest.raises(sqlite3.OperationalError, match="interrupted") as caught:
        con.execute(endless).fetchone()
    assert con.timed_out
    assert "piégé ou abîmé : une opération a dépassé 5 s" in str(translate_write_error(caught.value))
    assert con.execute("SELECT 1").fetchone() == (1,)  # the clock starts again for the next statement
    cur = con.cursor()  # SQLAlchemy's way: through a cursor
    with pytest.raises(sqlite3.OperationalError, match="interrupted"):
        cur.execute(endless).fetchone()
    con.close()


@pytest.mark.skipif(
    sys.version_info < (3, 12), reason="Connection.setconfig n'existe qu'à partir de Python 3.12"
)
def test_connections_are_defensive_where_python_allows_it():
    con = open_guarded(":memory:")
    assert con.getconfig(sqlite3.SQLITE_DBCONFIG_DEFENSIVE)  # type: ignore[attr-defined]
    con.close()
