from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from spie_desktop.models import open_dossier
from spie_desktop.models.migrate import backup_path
from spie_desktop.models.schema import HEAD_REVISION, SCHEMA_VERSION

FIXTURE = Path(__file__).parent / "fixtures" / "dossier-format1.spie"


def test_format1_file_is_upgraded_with_a_backup(tmp_path):
    p = tmp_path / "ancien.spie"
    shutil.copy(FIXTURE, p)
    with open_dossier(p, author="Claire") as df:
        assert df.get("porteur_nom") == "Département de la Haute-Vallée"
        assert df.get("nb_allocataires_rsa") == 12450
        assert df.row_ids("consortium") == ["r000000000001"]
        assert df.info.replica_id  # format 2 gives every copy a replica id
        assert [c.counter for c in df.changes()] == [1, 2, 3, 4]
        df.set_value("porteur_nom", "Modifié après migration")
        df.entrust_section("territoire", "Mission locale")
    backup = backup_path(p, 1)
    assert sqlite3.connect(backup).execute("PRAGMA user_version").fetchone()[0] == 1
    con = sqlite3.connect(p)
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD_REVISION
    con.close()
    # the backup is itself a dossier of format 1, with the data as it was
    con = sqlite3.connect(backup)
    assert (
        con.execute("SELECT value FROM answer WHERE path='porteur_nom'").fetchone()[0]
        == '"Département de la Haute-Vallée"'
    )
    con.close()


def test_opening_a_current_file_does_not_import_alembic(new_dossier):
    path = new_dossier.path
    new_dossier.close()
    code = (
        "import sys; from spie_desktop.models import open_dossier; "
        f"open_dossier({str(path)!r}).close(); print('alembic' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert out.stdout.strip() == "False"
