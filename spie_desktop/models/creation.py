"""Writing a new, empty dossier file: header pragmas, tables, migration stamp, the dossier row."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from ..forms import Template
from .connection import GuardedConnection, connect, translate_write_error
from .constants import APPLICATION_ID, HEAD_REVISION, SCHEMA_VERSION
from .errors import DossierError, SaveFailed
from .lazy_sql import sql
from .lock import FileLock
from .values import dump

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


def create_file(
    path: Path, template: Template, title: str, *, lock_owner: str, now: str, dossier_id: str | None = None
) -> tuple[GuardedConnection, Engine, FileLock]:
    """The new file's connection, the engine that wrote it, and its acquired lock.

    Refuses to overwrite an existing file; a failed creation leaves nothing behind.
    """
    if path.exists():
        raise DossierError(f"Le fichier « {path} » existe déjà : choisissez un autre nom.")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SaveFailed(f"le dossier « {path.parent} » ne peut pas être créé ({exc.strerror})") from None
    import uuid  # here: it loads platform and its regular expressions, which opening a dossier does not need

    lock = FileLock(path, lock_owner)
    raw = connect(path, read_only=False)
    engine = sql.engine_for(lambda: raw)
    try:
        with engine.begin() as conn:
            # one transaction for the tables too: sqlite3 would run each CREATE on its own, a sync each
            conn.exec_driver_sql("BEGIN")
            conn.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
            conn.exec_driver_sql(f"PRAGMA user_version={SCHEMA_VERSION}")
            sql.Base.metadata.create_all(conn)
            conn.exec_driver_sql(
                "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)"
            )
            conn.exec_driver_sql(f"INSERT INTO alembic_version VALUES ('{HEAD_REVISION}')")
            conn.execute(
                sql.insert(sql.DossierRow).values(
                    id=dossier_id or str(uuid.uuid4()),
                    template_id=template.id,
                    template_version=template.version,
                    title=title,
                    created_at=now,
                    updated_at=now,
                    template_json=dump(dict(template.raw)) if template.raw else "",
                    replica_id=str(uuid.uuid4()),
                    counter=0,
                )
            )
    except (sql.DBAPIError, sqlite3.Error) as exc:
        engine.dispose()
        raw.close()
        path.unlink(missing_ok=True)
        raise translate_write_error(exc) from None
    lock.acquire()
    return raw, engine, lock
