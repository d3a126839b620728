"""The statements of one transaction, sent in bulk: runs of the same prepared statement become one
``executemany`` (issue 14: an import of 5 000 rows was 30 000 statements, each built and cache-keyed).

Only inserts and upserts that commute with each other are held (:meth:`PendingWrites.add`): a row,
an answer, a change-log row. Anything else (a delete, an update, a read of the file) is a barrier:
everything held runs first, in the order it was given, so the file ends exactly as one statement
at a time would have left it. The dossier row's ``updated_at``/``counter``, rewritten by every
logged edit, is written once, with its last value.

The statements are built once (module constants) and compiled once per ``executemany`` for the
connection's dialect; the driver gets the rows as plain tuples (SQLite) or dicts (named parameters).
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from .lazy_sql import sql

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection
    from sqlalchemy.sql.expression import Insert, TextClause, Update

    Executable = Insert | TextClause | Update

#: An answer written whatever it was before (SQLite ≥ 3.24 and PostgreSQL share this form).
UPSERT_ANSWER_SQL = (
    "INSERT INTO answer(path, value, updated_at) VALUES (:p, :v, :t) "
    "ON CONFLICT(path) DO UPDATE SET value=excluded.value, updated_at=excluded.updated_at"
)


@cache
def upsert_answer() -> Executable:
    """``{"p": path, "v": JSON text, "t": time}``."""
    return sql.sql_text(UPSERT_ANSWER_SQL)


@cache
def insert_change() -> Executable:
    """A change-log row: every column of :class:`~.schema.ChangeRow` but ``id``."""
    return sql.insert(sql.ChangeRow)


@cache
def insert_row() -> Executable:
    """A repetition row: ``id``, ``field_id``, ``position``, ``created_at``."""
    return sql.insert(sql.RepetitionRow)


@cache
def update_header() -> Executable:
    """The dossier row's ``{"t": updated_at, "n": counter}``."""
    return sql.update(sql.DossierRow).values(updated_at=sql.bindparam("t"), counter=sql.bindparam("n"))


class PendingWrites:
    """Held statements, grouped by statement in first-seen order, each group in the order given."""

    def __init__(self) -> None:
        self._groups: dict[int, tuple[Executable, list[dict[str, Any]]]] = {}
        self._header: dict[str, Any] | None = None

    def __bool__(self) -> bool:
        return bool(self._groups) or self._header is not None

    def add(self, statement: Executable, params: dict[str, Any]) -> None:
        """Hold one insert/upsert; ``statement`` must be one of this module's constants."""
        group = self._groups.get(id(statement))
        if group is None:
            self._groups[id(statement)] = (statement, [params])
        else:
            group[1].append(params)

    def header(self, updated_at: str, counter: int) -> None:
        self._header = {"t": updated_at, "n": counter}

    def flush(self, c: Connection) -> None:
        """Run everything held in ``c`` (each group one ``executemany``), then forget it."""
        groups, header = list(self._groups.values()), self._header
        self.clear()
        for statement, params in groups:
            if len(params) == 1:
                c.execute(statement, params[0])
                continue
            # compiled once for the connection's dialect, the rows handed to the driver's executemany as
            # they are: SQLAlchemy's per-row parameter processing cost more than SQLite's writing
            compiled = statement.compile(dialect=c.dialect, column_keys=list(params[0]))
            names = compiled.positiontup if compiled.positional else None
            rows: list[Any] = [tuple(p[n] for n in names) for p in params] if names else params
            c.exec_driver_sql(compiled.string, rows)
        if header is not None:
            c.execute(update_header(), header)

    def clear(self) -> None:
        self._groups.clear()
        self._header = None


__all__ = [
    "UPSERT_ANSWER_SQL",
    "PendingWrites",
    "insert_change",
    "insert_row",
    "update_header",
    "upsert_answer",
]
