from __future__ import annotations

import sqlite3

import pytest

from spie_desktop.models import DossierError, DossierReadOnly, InvalidEdit, open_dossier
from spie_desktop.models.schema import APPLICATION_ID, SCHEMA_VERSION

# any_dossier: these tests run on a .spie file and on a PostgreSQL server (tests/conftest.py).


def test_new_file_is_marked_and_current(new_dossier):
    path = new_dossier.path
    new_dossier.close()
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    con.close()


def test_values_rows_attachments_survive_reopen(any_dossier):
    df = any_dossier
    assert df.set_value("porteur_nom", "Département de la Haute-Vallée")
    assert not df.set_value("porteur_nom", "Département de la Haute-Vallée")  # unchanged: no change row
    df.set_value("nb_allocataires_rsa", 12450)
    df.set_value("etp_coordination", "2.5")
    df.set_value("principe_diagnostic", False)
    df.set_value("publics", ["Nouveaux allocataires du RSA"])
    r1 = df.add_row("consortium", {"structure": "Pôle emploi", "type_structure": "Pôle emploi"})
    r2 = df.add_row("consortium", {"structure": "CD", "type_structure": "Conseil départemental"}, index=0)
    df.add_attachment(f"consortium[{r1}].lettre_engagement", b"%PDF-1.4 lettre", name="lettre.pdf")
    path = df.path
    df.close()
    assert not path.with_name(path.name + "-journal").exists()  # a file; a server has no such path
    assert not path.with_name(path.name + ".lock").exists()
    with open_dossier(path) as again:
        a = again.answers()
        assert a["porteur_nom"] == "Département de la Haute-Vallée"
        assert a["nb_allocataires_rsa"] == 12450 and isinstance(a["nb_allocataires_rsa"], int)
        assert a["etp_coordination"] == "2.5"
        assert a["principe_diagnostic"] is False
        assert [r["_id"] for r in a["consortium"]] == [r2, r1]
        (att,) = again.attachments(f"consortium[{r1}].lettre_engagement")
        assert again.attachment_data(att.id) == b"%PDF-1.4 lettre"
        assert att.size == 15 and len(att.sha256) == 64


def test_every_edit_is_in_the_change_log_with_its_author(any_dossier):
    df = any_dossier
    df.set_value("porteur_nom", "A")
    df.set_value("porteur_nom", "B")
    df.set_value("porteur_nom", None)
    log = df.changes("porteur_nom")
    assert [(c.old, c.new) for c in log] == [(None, "A"), ("A", "B"), ("B", None)]
    # a file writes the name given; a server, the role that is connected (not a name anyone can type)
    assert {c.author for c in log} == {"Claire Martin" if df.store.backend is None else "spie_admin"}
    assert [c.counter for c in log] == [1, 2, 3]
    assert df.change_count == 3


def test_row_remove_restore_move_duplicate(any_dossier):
    df = any_dossier
    a = df.add_row("actions", {"titre": "Diagnostic partagé"})
    b = df.add_row("actions", {"titre": "Référent unique"})
    df.add_attachment("deliberation", b"x", name="d.pdf")
    removed = df.remove_row("actions", a)
    assert df.row_ids("actions") == [b]
    df.restore_row(removed)
    assert df.row_ids("actions") == [a, b]
    assert df.get(f"actions[{a}].titre") == "Diagnostic partagé"
    df.move_row("actions", b, 0)
    assert df.row_ids("actions") == [b, a]
    c = df.duplicate_row("actions", b)
    assert df.row_ids("actions") == [b, c, a]
    assert df.get(f"actions[{c}].titre") == "Référent unique"
    ops = [ch.op for ch in df.changes()]
    assert ops.count("row_remove") == 1 and "row_move" in ops


def test_edits_that_do_not_fit_the_form_are_refused(any_dossier):
    with pytest.raises(InvalidEdit):
        any_dossier.set_value("champ_inconnu", "x")
    with pytest.raises(InvalidEdit):
        any_dossier.set_value("consortium[rnope].structure", "x")
    with pytest.raises(InvalidEdit):
        any_dossier.add_attachment("porteur_nom", b"x", name="x.txt")


def test_batch_is_all_or_nothing(any_dossier):
    df = any_dossier
    df.set_value("porteur_nom", "Avant")
    with pytest.raises(InvalidEdit), df.batch():
        df.set_value("porteur_nom", "Pendant")
        df.add_row("actions", {"titre": "x"})
        df.set_value("inconnu", 1)
    assert df.get("porteur_nom") == "Avant"
    assert df.row_ids("actions") == []
    path = df.path
    df.close()
    with open_dossier(path) as again:
        assert again.get("porteur_nom") == "Avant" and again.row_ids("actions") == []


def test_save_copy_uses_backup_and_is_a_new_replica(any_dossier, tmp_path):
    df = any_dossier
    df.set_value("porteur_nom", "Copie")
    dest = df.save_copy(tmp_path / "sub" / "copie.spie")
    with open_dossier(dest, read_only=True) as copy:
        assert copy.get("porteur_nom") == "Copie"
        assert copy.info.id == df.info.id
        assert copy.info.replica_id != df.info.replica_id
    assert not list((tmp_path / "sub").glob("*.tmp"))


def test_read_only_refuses_edits(any_dossier):
    path = any_dossier.path
    any_dossier.close()
    with open_dossier(path, read_only=True) as ro, pytest.raises(DossierReadOnly):
        ro.set_value("porteur_nom", "x")


def test_create_refuses_to_overwrite(new_dossier, template_2021):
    from spie_desktop.models import DossierFile

    with pytest.raises(DossierError, match="existe déjà"):
        DossierFile.create(new_dossier.path, template_2021, "x")


def test_file_carries_its_template(tmp_path):
    """A dossier made from a template the other PC does not have still opens there."""
    from spie_desktop.forms import parse_template
    from spie_desktop.models import DossierFile

    raw = {
        "format": "spie-template",
        "format_version": 1,
        "id": "demarche-locale",
        "version": "3",
        "title": "Démarche locale",
        "sections": [
            {
                "id": "s",
                "title": "S",
                "fields": [{"id": "nom", "type": "text", "label": "Nom", "required": True}],
            }
        ],
    }
    with DossierFile.create(tmp_path / "x.spie", parse_template(raw), "X") as df:
        df.set_value("nom", "Valeur")
    with open_dossier(tmp_path / "x.spie") as df:
        assert df.template.id == "demarche-locale" and df.get("nom") == "Valeur"
