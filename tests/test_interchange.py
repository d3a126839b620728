from __future__ import annotations

import copy
import json

import pytest

from spie_desktop.interchange import (
    InterchangeError,
    apply_answers,
    document_from_snapshot,
    dumps,
    import_document,
    snapshot_from_document,
)
from spie_desktop.models import open_snapshot


def test_example_round_trip_is_identical(example_document, tmp_path):
    spie = import_document(example_document, tmp_path / "exemple.spie")
    again = document_from_snapshot(open_snapshot(spie))
    assert again == example_document
    # and the same text when written the way the application writes it
    assert json.loads(dumps(again)) == example_document


def test_example_has_what_the_issue_promises(example_document):
    answers = example_document["answers"]
    kinds = [r.get("type_structure") for r in answers["consortium"]]
    assert len(answers["consortium"]) >= 8
    assert "Conseil départemental" in kinds and "Pôle emploi" in kinds
    assert len(answers["actions"]) >= 5
    assert example_document["attachments"]


def test_import_refuses_listing_every_path_and_leaves_nothing(example_document, tmp_path):
    bad = copy.deepcopy(example_document)
    bad["answers"]["nb_allocataires_rsa"] = "douze mille"
    bad["answers"]["etp_coordination"] = 2.5
    bad["answers"]["champ_fantome"] = "x"
    bad["answers"]["consortium"][1]["type_structure"] = 42
    bad["attachments"][0]["sha256"] = "0" * 64
    out = tmp_path / "refuse.spie"
    with pytest.raises(InterchangeError) as info:
        import_document(bad, out)
    problems = info.value.problems
    for needle in (
        "answers.nb_allocataires_rsa",
        "answers.etp_coordination",
        "answers.champ_fantome",
        "answers.consortium[1].type_structure",
        "attachments[0].sha256",
    ):
        assert any(p.startswith(needle) for p in problems), (needle, problems)
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_import_refuses_foreign_and_newer_documents(tmp_path):
    with pytest.raises(InterchangeError, match="pas un fichier d'échange"):
        import_document({"format": "autre"}, tmp_path / "a.spie")
    with pytest.raises(InterchangeError, match="plus récente"):
        import_document({"format": "spie-dossier", "format_version": 9}, tmp_path / "b.spie")


def test_apply_is_recorded_in_the_change_log(new_dossier):
    df = new_dossier
    n = apply_answers(
        df,
        {
            "porteur_nom": "CD de la Haute-Vallée",
            "nb_allocataires_rsa": 1200,
            "actions": [{"titre": "Diagnostic partagé", "axe": None}],
        },
    )
    assert n == 3
    log = df.changes()
    assert [c.op for c in log] == ["set", "set", "row_add"]
    assert all(c.author == "Claire Martin" for c in log)
    rid = df.row_ids("actions")[0]
    # a second apply updates the known row in place and adds nothing
    n = apply_answers(df, {"actions": [{"_id": rid, "titre": "Diagnostic social et professionnel partagé"}]})
    assert n == 1 and df.row_ids("actions") == [rid]


def test_apply_is_all_or_nothing(new_dossier):
    with pytest.raises(InterchangeError):
        apply_answers(new_dossier, {"porteur_nom": "ok", "nb_allocataires_rsa": "pas un nombre"})
    assert new_dossier.get("porteur_nom") is None and new_dossier.change_count == 0


def test_snapshot_from_document_without_a_file(example_document):
    snap = snapshot_from_document(example_document)
    assert snap.info.title == example_document["dossier"]["title"]
    first = snap.attachments[0]
    assert len(snap.read_attachment(first.id)) == first.size
