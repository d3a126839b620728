"""History: who changed what and when, restoring, and the dossier as it was at a given time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from collabkit import state

from spie_desktop.collab import merge
from spie_desktop.collab.history import history, parse_at, restore, snapshot_at
from spie_desktop.interchange import document_from_snapshot
from spie_desktop.models import DossierError


def test_history_of_a_field_says_who_changed_what_in_french(consortium):
    c = consortium
    with c.open("ml") as ml:
        ml.set_value("volume_2022", 120)
    with c.open("asso") as asso:
        asso.set_value("perimetre", "Le nord")
    with c.open("cd") as cd:
        cd.set_value("volume_2022", 150)
        merge(cd, c.files["ml"], prefer="mine")
        entries = history(cd, "volume_2022")
        assert [(e.who, e.text) for e in entries] == [
            ("Claire Martin (Conseil départemental)", "(vide) → « 150 »"),
            ("Karim Benali (Mission locale du Val)", "(vide) → « 120 »"),
            ("Claire Martin (Conseil départemental)", "conflit résolu : « 150 » gardé"),
        ]
        assert {e.label for e in entries} == {"Nombre de personnes accompagnées prévu en 2022"}
        whole = history(cd)
        assert whole[-1].op == "merge" and whole[-1].label == "Dossier"
        row = history(cd, f"consortium[{c.base_row}].structure")
        assert row[0].op == "row_add" and row[0].label == "Membres du consortium › ligne 1"


def test_restore_puts_the_old_value_back_as_a_new_change(consortium):
    c = consortium
    with c.open("cd") as cd:
        cd.set_value("perimetre", "Version 1")
        cd.set_value("perimetre", "Version 2")
        second = cd.changes()[-1]
        count = cd.change_count
        assert restore(cd, second.id)
        assert cd.get("perimetre") == "Version 1" and cd.change_count == count + 1
        assert cd.changes()[-1].author == "Claire Martin"
        assert not restore(cd, second.id)  # already so: nothing recorded
        rid = cd.add_row("jalons", {"libelle": "Comité de pilotage"})
        cd.set_value(f"jalons[{rid}].libelle", "COPIL")
        cd.remove_row("jalons", rid)
        gone = cd.changes()[-1]
        with pytest.raises(DossierError, match="supprimée"):
            restore(cd, gone.id - 1)  # the value of a row that is gone
        assert restore(cd, gone.id)  # the row comes back, same id, same place
        assert cd.get(f"jalons[{rid}].libelle") == "COPIL"
        with pytest.raises(DossierError, match="n'existe pas"):
            restore(cd, 10_000)
        with pytest.raises(DossierError, match="ne peut pas être annulée"):
            cd.add_comment("resume", "note")
            restore(cd, cd.changes()[-1].id)


def test_the_dossier_as_it_was_at_a_given_time(consortium):
    c = consortium
    with c.open("ml") as ml:
        ml.set_value("volume_2022", 120)
    with c.open("cd") as cd:
        cd.set_value("perimetre", "Avant")
        when = parse_at(cd.changes()[-1].at)
        cd.set_value("perimetre", "Après")
        cd.remove_row("jalons", cd.row_ids("jalons")[0])
        cd.set_title("Nouveau titre")
        merge(cd, c.files["ml"])
        past = snapshot_at(cd, when)
        assert past.answers["perimetre"] == "Avant"
        assert past.info.title == "Candidature SPIE du Val"
        assert [r["libelle"] for r in past.answers["jalons"]] == ["Lancement"]
        assert past.answers["volume_2022"] == 120  # made by the mission locale before that time
        assert document_from_snapshot(past)["answers"]["perimetre"] == "Avant"
        now = snapshot_at(cd, _later(cd))
        current = cd.snapshot()
        assert now.answers == current.answers and now.info.title == current.info.title
        assert now.entrusted == current.entrusted
        with pytest.raises(DossierError, match="n'existait pas"):
            snapshot_at(cd, when - timedelta(days=30))


def test_replaying_the_whole_log_gives_the_current_dossier_after_merges(consortium):
    c = consortium
    with c.open("ml") as ml:
        ml.add_row("consortium", {"structure": "ML"})
        ml.set_value("perimetre", "ML")
        ml.add_attachment("rib", b"rib", name="rib.pdf")
        ml.add_comment("resume", "?")
    with c.open("asso") as asso:
        asso.add_row("consortium", {"structure": "Asso"}, index=0)
        asso.set_value("perimetre", "Asso")
        asso.remove_row("consortium", c.base_row)
    with c.open("cd") as cd:
        merge(cd, c.files["ml"])
        merge(cd, c.files["asso"], resolutions={"perimetre": "ML + Asso"})
        last = snapshot_at(cd, _later(cd))
        snap = cd.snapshot()
        assert last.answers == snap.answers
        assert [(a.path, a.sha256) for a in last.attachments] == [
            (a.path, a.sha256) for a in snap.attachments
        ]
        assert [x.id for x in last.comments] == [x.id for x in snap.comments]
        assert state(cd)["answers"]["perimetre"] == "ML + Asso"


def _later(df):
    return max(parse_at(x.at) for x in df.changes()) + timedelta(seconds=1)
