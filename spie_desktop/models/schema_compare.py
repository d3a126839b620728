"""The full comparison of a file's schema with the one this version writes, or an older one it can
migrate (:func:`~.schema_check.schema_problem` takes it for any file not exactly as made new):
objects, columns, defaults and indexes, and every word of every definition."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from functools import cache

from .new_file_schema import NEW_FILE_ROWS

_V2 = "".join(
    f"{sql};\n"
    for _kind, _name, _table, sql in sorted(NEW_FILE_ROWS[2], key=lambda r: (r[0] != "table", r[1]))
    if sql
)

# Format 1 (migrations/versions/0001_initial.py), which this version upgrades.
_V1 = """
CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc
  PRIMARY KEY (version_num));
CREATE TABLE dossier (id VARCHAR(36) NOT NULL, template_id VARCHAR(100) NOT NULL,
  template_version VARCHAR(50) NOT NULL, title TEXT NOT NULL, created_at VARCHAR(40) NOT NULL,
  updated_at VARCHAR(40) NOT NULL, template_json TEXT DEFAULT '' NOT NULL, PRIMARY KEY (id));
CREATE TABLE answer (path VARCHAR(200) NOT NULL, value TEXT NOT NULL, updated_at VARCHAR(40) NOT NULL,
  PRIMARY KEY (path));
CREATE TABLE "row" (id VARCHAR(40) NOT NULL, field_id VARCHAR(64) NOT NULL, position INTEGER NOT NULL,
  created_at VARCHAR(40) NOT NULL, PRIMARY KEY (id));
CREATE INDEX ix_row_field_id ON "row" (field_id);
CREATE TABLE change (id INTEGER NOT NULL, at VARCHAR(40) NOT NULL, author TEXT NOT NULL,
  organisation TEXT NOT NULL, op VARCHAR(20) NOT NULL, path VARCHAR(200) NOT NULL, old TEXT, new TEXT,
  PRIMARY KEY (id));
CREATE INDEX ix_change_path ON change (path);
CREATE TABLE attachment (id INTEGER NOT NULL, path VARCHAR(200) NOT NULL, name TEXT NOT NULL,
  media_type VARCHAR(100) NOT NULL, size INTEGER NOT NULL, sha256 VARCHAR(64) NOT NULL,
  added_at VARCHAR(40) NOT NULL, data BLOB NOT NULL, PRIMARY KEY (id));
CREATE INDEX ix_attachment_path ON attachment (path);
CREATE TABLE comment (id VARCHAR(36) NOT NULL, path VARCHAR(200) NOT NULL, author TEXT NOT NULL,
  organisation TEXT NOT NULL, created_at VARCHAR(40) NOT NULL, text TEXT NOT NULL, resolved BOOLEAN NOT NULL,
  resolved_at VARCHAR(40), PRIMARY KEY (id));
CREATE INDEX ix_comment_path ON comment (path);
"""

_SCRIPTS = {1: _V1, 2: _V2}

#: The only words a table or index definition may hold besides its own names (no CHECK, DEFAULT
#: expression, COLLATE, GENERATED, REFERENCES, ON CONFLICT, WHERE, function call…).
_WORDS = frozenset(
    {
        "CREATE",
        "TABLE",
        "INDEX",
        "ON",
        "NOT",
        "NULL",
        "PRIMARY",
        "KEY",
        "DEFAULT",
        "CONSTRAINT",
        "VARCHAR",
        "TEXT",
        "INTEGER",
        "BLOB",
        "BOOLEAN",
    }
)
_TOKEN = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|`[^`]*`|\[[^\]]*\]|[A-Za-z_][A-Za-z0-9_]*|-?\d+|\S")
_LITERAL_DEFAULT = re.compile(r"^(?:'[^']{0,20}'|-?\d{1,20})$")


@dataclass(frozen=True)
class _Table:
    """One table as a dossier file of this version declares it."""

    columns: tuple[tuple[str, str, int], ...]  # (name, declared type, position in the primary key)


@dataclass(frozen=True)
class _Index:
    """One index as a dossier file of this version declares it."""

    table: str
    columns: tuple[str, ...]
    unique: bool


@dataclass(frozen=True)
class Expected:
    """The tables and indexes a dossier file of this version has, and no others."""

    tables: dict[str, _Table]
    indexes: dict[str, _Index]  # including SQLite's automatic indexes of text primary keys


def _read(conn: sqlite3.Connection, tables: list[str]) -> Expected:
    out_t: dict[str, _Table] = {}
    out_i: dict[str, _Index] = {}
    for t in tables:
        cols = conn.execute(
            "SELECT name, upper(type), pk FROM pragma_table_xinfo(?) ORDER BY cid", (t,)
        ).fetchall()
        out_t[t] = _Table(tuple((str(n), str(ty), int(pk)) for n, ty, pk in cols))
        for name, unique, _origin, _partial in conn.execute(
            'SELECT name, "unique", origin, partial FROM pragma_index_list(?)', (t,)
        ).fetchall():
            cols_i = conn.execute("SELECT name FROM pragma_index_info(?) ORDER BY seqno", (name,)).fetchall()
            out_i[str(name)] = _Index(t, tuple(str(c[0]) for c in cols_i), bool(unique))
    return Expected(out_t, out_i)


@cache
def expected_schema(version: int) -> Expected:
    """The tables and indexes of a file of schema ``version``, read from an in-memory reference."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.executescript(_SCRIPTS[version])
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return _read(conn, tables)
    finally:
        conn.close()


def shown_name(name: object) -> str:
    """An object name from the file, short and printable, for a message."""
    text = "".join(ch if ch.isprintable() else "?" for ch in str(name))
    return text if len(text) <= 40 else text[:39] + "…"


def _definition_problem(kind: str, name: str, sql: str | None, known: set[str]) -> str | None:
    """A word in a CREATE statement that this application never writes, if any."""
    for token in _TOKEN.findall(sql or ""):
        first = token[0]
        if first == "'" or token in "(),;" or token.lstrip("-").isdigit():
            continue
        word = token[1:-1].replace('""', '"') if first in '"`[' else token
        if word.upper() in _WORDS or word.lower() in known:
            continue
        return f"la définition de {kind} « {shown_name(name)} » contient « {shown_name(word)} », que l'application n'écrit jamais"
    return None


def full_problem(conn: sqlite3.Connection, version: int, rows: list[tuple]) -> str | None:
    """:func:`~.schema_check.schema_problem` for a file whose ``sqlite_master`` ``rows`` are not a new
    file's: every object, column, default and index compared with the reference of ``version``."""
    expected = expected_schema(version)
    seen_tables: list[str] = []
    seen_indexes: set[str] = set()
    for kind, name, table, sql in rows:
        shown = shown_name(name)
        if kind == "trigger":
            return f"il contient un déclencheur (trigger) « {shown} », du code qui s'exécuterait à chaque modification"
        if kind == "view":
            return f"il contient une vue « {shown} », une requête qui s'exécuterait à la lecture"
        if kind == "table":
            if (sql or "").lstrip().upper().startswith("CREATE VIRTUAL"):
                return f"il contient une table virtuelle « {shown} »"
            if name not in expected.tables:
                return f"il contient une table inconnue « {shown} »"
            seen_tables.append(name)
        elif kind == "index":
            if name not in expected.indexes or expected.indexes[name].table != table:
                return f"il contient un index inconnu « {shown} »"
            seen_indexes.add(name)
        else:
            return f"il contient un objet inconnu « {shown} » ({shown_name(kind)})"
    for t in expected.tables:
        if t not in seen_tables:
            return f"la table « {t} » manque"
    found = _read(conn, seen_tables)
    for t, want in expected.tables.items():
        got = found.tables[t]
        if got.columns != want.columns:
            return (
                f"les colonnes de la table « {t} » ne sont pas celles attendues "
                f"({_columns(got)} au lieu de {_columns(want)})"
            )
    known = set(expected.tables) | {c[0] for t in expected.tables.values() for c in t.columns}
    known |= set(expected.indexes) | {"alembic_version_pkc"}
    for kind, name, _table, sql in rows:
        problem = _definition_problem("la table" if kind == "table" else "l'index", name, sql, known)
        if problem:
            return problem
    for t in expected.tables:
        for name, dflt in conn.execute("SELECT name, dflt_value FROM pragma_table_xinfo(?)", (t,)):
            if dflt is not None and not _LITERAL_DEFAULT.match(str(dflt)):
                return (
                    f"la colonne « {shown_name(name)} » de la table « {t} » a une valeur par défaut calculée"
                )
        hidden = conn.execute(
            "SELECT count(*) FROM pragma_table_xinfo(?) WHERE hidden != 0", (t,)
        ).fetchone()[0]
        if hidden:
            return f"la table « {t} » a des colonnes cachées ou calculées"
    for i, want_i in expected.indexes.items():
        if i not in seen_indexes:
            return f"l'index « {i} » manque"
        if found.indexes.get(i) != want_i:
            return f"l'index « {i} » ne porte pas sur les colonnes attendues"
    return None


def _columns(table: _Table) -> str:
    return f"{len(table.columns)} colonnes : " + ", ".join(f"{n} {ty}" for n, ty, _ in table.columns)[:200]
