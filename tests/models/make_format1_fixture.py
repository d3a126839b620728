"""Build tests/models/fixtures/dossier-format1.spie: a dossier as version 0.0 of the application wrote it.

Run once and commit the result; the migration test opens a copy of it. It goes through Alembic's
first revision only, exactly as a file of format 1 was laid out.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

from spie_desktop.models.migrate import alembic_config
from spie_desktop.models.schema import APPLICATION_ID

OUT = Path(__file__).parent / "fixtures" / "dossier-format1.spie"


def main() -> None:
    OUT.unlink(missing_ok=True)
    engine = create_engine(
        "sqlite+pysqlite://", creator=lambda: sqlite3.connect(str(OUT)), poolclass=NullPool
    )
    with engine.begin() as conn:
        conn.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
        conn.exec_driver_sql("PRAGMA user_version=1")
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001_initial")
        t = "2021-09-01T08:00:00.000+00:00"
        conn.exec_driver_sql(
            "INSERT INTO dossier VALUES ('6a1f0c2e-8d1b-4c39-9a57-3f1e2d4b5c6a', 'ami-spie-2021-vague2', '1.0', "
            f"'Dossier de format 1', '{t}', '{t}', '')"
        )
        answers = {
            "porteur_nom": "Département de la Haute-Vallée",
            "nb_allocataires_rsa": 12450,
            "consortium[r000000000001].structure": "Pôle emploi Haute-Vallée",
            "consortium[r000000000001].type_structure": "Pôle emploi",
        }
        conn.exec_driver_sql(f"INSERT INTO row VALUES ('r000000000001', 'consortium', 0, '{t}')")
        for path, value in answers.items():
            v = json.dumps(value, ensure_ascii=False)
            conn.exec_driver_sql("INSERT INTO answer VALUES (?, ?, ?)", (path, v, t))
            conn.exec_driver_sql(
                "INSERT INTO change(at, author, organisation, op, path, old, new) VALUES (?, 'Claire', 'CD', 'set', ?, NULL, ?)",
                (t, path, v),
            )
    engine.dispose()
    print(f"écrit : {OUT} ({OUT.stat().st_size} octets)")


if __name__ == "__main__":
    main()
