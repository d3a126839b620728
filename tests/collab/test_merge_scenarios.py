"""Three partners, each on their own copy: a CD coordinator, a mission locale, an association."""

from __future__ import annotations

import shutil

import pytest
from collabkit import state

from spie_desktop.collab import ConflictKind, ForeignDossier, MergeOutcome, UnrelatedCopies, merge
from spie_desktop.collab.history import history, values_entered
from spie_desktop.models import DossierFile, open_dossier


def _edit_apart(c) -> None:
    """Each partner works on its own part, and two of them add rows to the same table."""
    with c.open("ml") as ml:
        ml.set_value("volume_2022", 120)
        ml.set_value("nb_jeunes_suivis", 840)
        ml.add_row("consortium", {"structure": "Mission locale du Val", "type_structure": "Mission locale"})
        ml.set_value(f"consortium[{c.base_row}].contact_nom", "Anne Durand")
    with c.open("asso") as asso:
        asso.set_value("resume", "Un accompagnement global, sans couture.")
        asso.add_row("actions", {"titre": "Café emploi"})
        asso.add_row("consortium", {"structure": "Association Tremplin"})
        asso.remove_row("jalons", asso.row_ids("jalons")[0])
    with c.open("cd") as cd:
        cd.set_value("porteur_siret", "22010001200018")
        cd.set_title("Candidature SPIE du Val — version 2")


def _merged(c, base: str, name: str, *others: str):
    """A copy of ``base`` into which the frozen files ``others`` are merged in that order."""
    path = c.copy_of(base, name)
    with open_dossier(path, author="Test") as df:
        for other in others:
            result = merge(df, c.files[other])
            assert result.outcome is MergeOutcome.MERGED and not result.conflicts, result.conflicts
        return state(df)


def test_edits_apart_give_the_same_dossier_whatever_the_merge_order(consortium):
    c = consortium
    _edit_apart(c)
    orders = [
        _merged(c, "cd", "o1.spie", "ml", "asso"),
        _merged(c, "cd", "o2.spie", "asso", "ml"),
        _merged(c, "ml", "o3.spie", "asso", "cd"),
        _merged(c, "asso", "o4.spie", "cd", "ml"),
    ]
    assert all(o == orders[0] for o in orders[1:])
    final = orders[0]
    a = final["answers"]
    assert final["title"] == "Candidature SPIE du Val — version 2"
    assert a["volume_2022"] == 120 and a["nb_jeunes_suivis"] == 840 and a["porteur_siret"] == "22010001200018"
    assert a["resume"] == "Un accompagnement global, sans couture."
    assert next(r["structure"] for r in a["consortium"]) == "Département du Val"
    assert sorted(r["structure"] for r in a["consortium"]) == [
        "Association Tremplin",
        "Département du Val",
        "Mission locale du Val",
    ]
    assert a["consortium"][0]["contact_nom"] == "Anne Durand"
    assert "jalons" not in a and [r["titre"] for r in a["actions"]] == ["Café emploi"]
    assert final["entrusted"] == {"public_cible": "Mission locale du Val", "projet": "Association Tremplin"}


def _edit_clashing(c) -> None:
    with c.open("ml") as ml:
        ml.set_value("perimetre", "Les 3 EPCI du nord")
        ml.set_value("resume", "Texte commun")
        ml.set_value(f"consortium[{c.base_row}].contact_nom", "Anne Durand")
        ml.set_value("volume_2022", 100)
    with c.open("asso") as asso:
        asso.set_value("perimetre", "Tout le département")
        asso.set_value("resume", "Texte commun")
        asso.remove_row("consortium", c.base_row)
        asso.set_value(f"jalons[{asso.row_ids('jalons')[0]}].libelle", "Lancement officiel")


def test_conflicts_appear_exactly_where_two_partners_disagree(consortium):
    c = consortium
    _edit_clashing(c)
    with c.open("cd") as cd:
        assert merge(cd, c.files["ml"]).outcome is MergeOutcome.MERGED
        before, count = state(cd), cd.change_count
        result = merge(cd, c.files["asso"])
        assert result.outcome is MergeOutcome.CONFLICTS and not result.applied
        assert {(x.path, x.kind) for x in result.conflicts} == {
            ("perimetre", ConflictKind.VALUE),
            (f"consortium[{c.base_row}]", ConflictKind.ROW),
        }
        by_path = {x.path: x for x in result.conflicts}
        p = by_path["perimetre"]
        assert (p.mine, p.theirs) == ("Les 3 EPCI du nord", "Tout le département")
        assert p.label == "Périmètre du projet"
        assert [x.organisation for x in p.mine_by] == ["Mission locale du Val"]
        assert [x.organisation for x in p.theirs_by] == ["Association Tremplin"]
        row = by_path[f"consortium[{c.base_row}]"]
        assert row.theirs is None and row.mine["contact_nom"] == "Anne Durand"
        assert state(cd) == before and cd.change_count == count  # all or nothing
    # the same two copies met directly give the same conflicts
    with c.open("ml") as ml:
        direct = merge(ml, c.files["asso"])
        assert {x.path for x in direct.conflicts} == {"perimetre", f"consortium[{c.base_row}]"}


def test_a_resolved_merge_spreads_back_without_new_conflicts(consortium):
    c = consortium
    _edit_clashing(c)
    with c.open("cd") as cd:
        merge(cd, c.files["ml"])
        result = merge(
            cd,
            c.files["asso"],
            prefer="theirs",
            resolutions={"perimetre": "Le nord, puis tout le département"},
        )
        assert result.applied and result.counts.resolved == 2
        assert cd.get("perimetre") == "Le nord, puis tout le département"
        assert c.base_row not in cd.row_ids("consortium")
        assert cd.get("jalons[" + cd.row_ids("jalons")[0] + "].libelle") == "Lancement officiel"
        assert cd.get("volume_2022") == 100 and cd.get("resume") == "Texte commun"
        hub = state(cd)
    for who in ("ml", "asso"):
        with c.open(who) as df:
            back = merge(df, c.files["cd"])
            assert back.outcome is MergeOutcome.MERGED and not back.conflicts
            assert state(df) == hub


def test_partners_who_settle_a_conflict_differently_meet_it_again(consortium):
    c = consortium
    _edit_clashing(c)
    asso_sent, ml_sent = c.copy_of("asso", "asso-1.spie"), c.copy_of("ml", "ml-1.spie")
    with c.open("ml") as ml:
        merge(ml, asso_sent, prefer="mine")
    with c.open("asso") as asso:
        merge(asso, ml_sent, prefer="mine")
    with c.open("ml") as ml:
        again = merge(ml, c.files["asso"])
    assert {x.path for x in again.conflicts} == {"perimetre", f"consortium[{c.base_row}]"}
    p = next(x for x in again.conflicts if x.path == "perimetre")
    assert (p.mine, p.theirs) == ("Les 3 EPCI du nord", "Tout le département")


def test_every_value_anyone_entered_stays_in_the_history(consortium):
    c = consortium
    _edit_clashing(c)
    typed: set[tuple[str, str]] = set()
    for who in ("ml", "asso"):
        with c.open(who) as df:
            typed |= {(p, repr(v)) for p, v in values_entered(df)}
    with c.open("cd") as cd:
        merge(cd, c.files["ml"])
        merge(cd, c.files["asso"], prefer="mine")
        kept = {(p, repr(v)) for p, v in values_entered(cd)}
        assert typed <= kept
        assert ("perimetre", repr("Tout le département")) in kept  # the losing side too
        assert cd.get("perimetre") == "Les 3 EPCI du nord"
        authors = {e.organisation for e in history(cd, "perimetre")}
        assert {"Mission locale du Val", "Association Tremplin"} <= authors


def test_merging_the_same_copy_twice_changes_nothing(consortium):
    c = consortium
    _edit_apart(c)
    with c.open("cd") as cd:
        assert merge(cd, c.files["ml"]).applied
        before, count = state(cd), cd.change_count
        again = merge(cd, c.files["ml"])
        assert again.outcome is MergeOutcome.UP_TO_DATE and not again.applied
        assert state(cd) == before and cd.change_count == count


def test_the_merge_is_in_the_history(consortium):
    c = consortium
    _edit_apart(c)
    with c.open("cd") as cd:
        with open_dossier(c.files["ml"], read_only=True) as ml:
            ml_replica = ml.info.replica_id
        merge(cd, c.files["ml"])
        last = cd.changes()[-1]
        assert last.op == "merge" and last.new["from_replica"] == ml_replica
        assert last.new["changes"] == 5 and last.new["rows_added"] == 1  # 4 edits + "copy made for"
        text = history(cd)[-1].text
        assert "ml.spie" in text and "5 modification(s)" in text


def test_a_copy_of_another_dossier_is_refused(consortium, template_2021):
    c = consortium
    other = DossierFile.create(c.dir / "autre.spie", template_2021, "Un autre dossier")
    other.set_value("perimetre", "Ailleurs")
    other.close()
    with c.open("cd") as cd:
        count = cd.change_count
        with pytest.raises(ForeignDossier, match="autre dossier"):
            merge(cd, c.dir / "autre.spie")
        assert cd.change_count == count and cd.get("perimetre") is None


def test_two_raw_copies_edited_apart_are_refused_not_mixed(consortium):
    c = consortium
    shutil.copyfile(c.files["ml"], c.dir / "brut.spie")
    with c.open("ml") as ml:
        ml.set_value("perimetre", "A")
    with open_dossier(c.dir / "brut.spie", author="X") as raw:
        raw.set_value("resume", "B")
    with c.open("ml") as ml:
        with pytest.raises(UnrelatedCopies, match="explorateur"):
            merge(ml, c.dir / "brut.spie")
        assert ml.get("resume") is None


def test_attachments_and_comments_are_united(consortium):
    c = consortium
    with c.open("ml") as ml:
        ml.add_attachment("deliberation", b"%PDF delib", name="delib.pdf")
        ml.add_attachment("rib", b"%PDF rib ML", name="rib.pdf")
        note = ml.add_comment("perimetre", "Faut-il inclure le sud ?")
    with c.open("asso") as asso:
        asso.add_attachment("deliberation", b"%PDF delib", name="deliberation.pdf")  # the same file
        asso.add_comment("resume", "À raccourcir")
    with c.open("cd") as cd:
        merge(cd, c.files["ml"])
        merge(cd, c.files["asso"])
        assert sorted((a.path, a.size) for a in cd.attachments()) == [("deliberation", 10), ("rib", 11)]
        assert cd.attachment_data(cd.attachments("rib")[0].id) == b"%PDF rib ML"
        assert {x.text for x in cd.comments()} == {"Faut-il inclure le sud ?", "À raccourcir"}
        assert {x.organisation for x in cd.comments()} == {"Mission locale du Val", "Association Tremplin"}
        cd.set_comment_resolved(note.id)
    with c.open("ml") as ml:
        merge(ml, c.files["cd"])
        assert [x.resolved for x in ml.comments("perimetre")] == [True]
        assert len(ml.attachments("deliberation")) == 1


def test_a_detached_file_stays_detached_unless_reattached(consortium):
    c = consortium
    with c.open("cd") as cd:
        cd.add_attachment("rib", b"%PDF rib", name="rib.pdf")
    for who in ("ml", "asso"):
        with c.open(who) as df:
            merge(df, c.files["cd"])
    with c.open("ml") as ml:
        ml.remove_attachment(ml.attachments("rib")[0].id)
    with c.open("cd") as cd:
        merge(cd, c.files["ml"])
        assert cd.attachments("rib") == []
        merge(cd, c.files["asso"])  # never touched it: does not bring it back
        assert cd.attachments("rib") == []


def test_concurrent_moves_end_in_the_same_order_everywhere(consortium):
    c = consortium
    with c.open("cd") as cd:
        for name in ("B", "C", "D"):
            cd.add_row("consortium", {"structure": name})
    for who in ("ml", "asso"):
        with c.open(who) as df:
            merge(df, c.files["cd"])
    with c.open("ml") as ml:
        ids = ml.row_ids("consortium")
        ml.move_row("consortium", ids[3], 0)
    with c.open("asso") as asso:
        ids = asso.row_ids("consortium")
        asso.move_row("consortium", ids[1], 3)
        asso.add_row("consortium", {"structure": "E"}, index=1)
    one = _merged(c, "ml", "m1.spie", "asso")
    two = _merged(c, "asso", "m2.spie", "ml")
    three = _merged(c, "cd", "m3.spie", "asso", "ml")
    assert one == two == three
    assert sorted(r["structure"] for r in one["answers"]["consortium"]) == [
        "B",
        "C",
        "D",
        "Département du Val",
        "E",
    ]


def test_a_merge_that_fails_midway_leaves_the_dossier_as_it_was(consortium, monkeypatch):
    from spie_desktop.models import SaveFailed

    c = consortium
    _edit_apart(c)
    with c.open("cd") as cd:
        before, count = state(cd), cd.change_count

        def disk_full(*args, **kwargs):
            raise SaveFailed("le disque est plein")

        monkeypatch.setattr(cd, "reorder_rows", disk_full)  # after values, rows and the log are written
        with pytest.raises(SaveFailed):
            merge(cd, c.files["ml"])
        assert state(cd) == before and cd.change_count == count
    with c.open("cd") as cd:
        assert state(cd) == before and cd.change_count == count
        assert merge(cd, c.files["ml"]).applied
