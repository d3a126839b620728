"""Upgrade a dossier written by an older version: backup copy first, then Alembic.

Opening a current file never imports Alembic: the schema generation sits in PRAGMA user_version,
read from the header (models/sniff.py).
"""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import quote

from .constants import HEAD_REVISION, REVISION_FOR_VERSION, SCHEMA_VERSION
from .copying import backup_sqlite
from .errors import DossierCorrupt, SaveFailed

log = logging.getLogger(__name__)
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def backup_path(path: Path, from_version: int) -> Path:
    """``dossier.spie`` → ``dossier.avant-mise-a-jour-format1.spie`` (still a dossier anyone can open)."""
    return path.with_name(f"{path.stem}.avant-mise-a-jour-format{from_version}{path.suffix}")


def alembic_config():
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def upgrade_file(path: Path, from_version: int) -> Path:
    """Bring ``path`` to the current schema; returns the backup copy's path."""
    from alembic import command

    from .connection import open_guarded
    from .sql import NullPool, engine_for

    if from_version not in REVISION_FOR_VERSION:
        raise DossierCorrupt(str(path), f"format {from_version} inconnu")
    backup = backup_path(path, from_version)
    src = open_guarded(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True)
    try:
        backup_sqlite(src, backup, new_replica=False)
    finally:
        src.close()
    engine = engine_for(lambda: open_guarded(str(path)), poolclass=NullPool)
    try:
        with engine.begin() as conn:
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, HEAD_REVISION)
            conn.exec_driver_sql(f"PRAGMA user_version={SCHEMA_VERSION}")
    except Exception as exc:  # the backup copy is intact; say where it is
        log.exception("mise à jour du format %d vers %d échouée", from_version, SCHEMA_VERSION)
        raise SaveFailed(
            f"la mise à jour du dossier a échoué ({exc.__class__.__name__}) ; une copie de sauvegarde "
            f"intacte est dans « {backup.name} »"
        ) from None
    finally:
        engine.dispose()
    log.info(
        "dossier mis à jour du format %d vers %d (copie de sauvegarde faite)", from_version, SCHEMA_VERSION
    )
    return backup
