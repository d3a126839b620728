"""Linking the built-in AMI SPIE template to a démarche whose form rewords and reorders it."""

from __future__ import annotations

import json

import pytest
from exportkit import FIXTURES

from spie_desktop.cli import main
from spie_desktop.exports.link import Confidence, label_similarity, match
from spie_desktop.exports.link_store import demarche_template, plan_link, store_link
from spie_desktop.exports.prefill import build_prefill
from spie_desktop.models import open_dossier

REWORDED = FIXTURES / "ds-ami-spie-reworded-schema.json"  # written by hand: labels reworded, order changed

#: What a person pairs, reading both forms (our id → the démarche's label).
EXPECTED = {
    "porteur_nom": "Raison sociale de l'organisme porteur",
    "porteur_siret": "Numéro SIRET",
    "porteur_adresse": "Adresse du siège social",
    "chef_projet_nom": "Nom et prénom du chef de projet",
    "chef_projet_email": "Courriel du chef de projet",
    "chef_projet_telephone": "Numéro de téléphone du chef de projet",
    "representant_civilite": "Civilité du représentant légal",
    "type_porteur": "Structure qui dépose le dossier",
    "departement": "Département concerné",
    "nb_allocataires_rsa": "Nombre de bénéficiaires du RSA",
    "diagnostic_territorial": "Diagnostic du territoire",
    "consortium": "Composition du consortium",
    "consortium.structure": "Structure membre",
    "consortium.type_structure": "Catégorie de structure",
    "consortium.contact_email": "Courriel du contact",
    "resume": "Résumé du projet en quelques lignes",
    "principe_referent": "Un référent de parcours unique est-il prévu ?",
    "date_debut_projet": "Date de démarrage du projet",
    "date_fin_projet": "Date d'achèvement du projet",
    "montant_etat": "Montant de la subvention demandée à l'État",
    "deliberation": "Délibération autorisant le dépôt",
}


@pytest.fixture
def schema():
    return json.loads(REWORDED.read_text(encoding="utf-8"))


def test_the_builtin_template_is_matched_like_a_person_would(template_2021, schema):
    plan = match(template_2021, demarche_template(schema))
    assert {p.ours: p.theirs_label for p in plan.pairs} == EXPECTED
    # start and end dates share every word but one: the synonyms keep them apart
    assert {p.ours for p in plan.matched} >= {"date_debut_projet", "date_fin_projet", "chef_projet_email"}
    assert [p.ours for p in plan.doubtful] == ["consortium.structure"]
    assert plan.unmatched_theirs == ["Zone d'intervention", "Numéro de dossier interne"]
    assert "Périmètre du projet" in plan.unmatched_ours
    note = next(p.note for p in plan.pairs if p.ours == "consortium.type_structure")
    assert "options absentes de la démarche" in note


def test_incompatible_types_never_match(template_2021, schema):
    schema["revision"]["champDescriptors"] = [
        {
            "__typename": "DateChampDescriptor",
            "id": "Q2hhbXAtMQ==",
            "label": "Nom de la structure porteuse",
            "required": True,
        }
    ]
    plan = match(template_2021, demarche_template(schema))
    assert "porteur_nom" not in {p.ours for p in plan.pairs}


def test_label_similarity_uses_rapidfuzz_on_folded_labels():
    assert label_similarity("Adresse électronique", "COURRIEL") == 100
    assert label_similarity("Date de début du projet", "Date de fin du projet") < label_similarity(
        "Date de début du projet", "Date de démarrage du projet"
    )


def test_linking_a_dossier_stores_ids_in_its_copy_with_history_and_prefill_works(new_dossier, schema):
    df = new_dossier
    df.set_value("porteur_nom", "Conseil départemental du Morbihan")
    df.set_value("departement", "56")
    df.set_value("date_debut_projet", "2022-01-03")
    df.add_row(
        "consortium",
        {
            "structure": "Pôle emploi Bretagne",
            "type_structure": "Pôle emploi",
            "contact_email": "a@b.fr",
            "role": "Co-pilote",
        },
    )
    assert build_prefill(df.snapshot()).body == {}  # the built-in template carries no platform ids
    plan = plan_link(df.template, schema)
    template = store_link(df, plan)
    assert (
        template.platform.procedure_number == 91024 and template.platform.procedure_path == "ami-spie-essai"
    )
    assert template.field("porteur_nom").ds_id == "Q2hhbXAtNjEwMg=="
    assert template.version.startswith("1.0+lien-91024")
    change = df.changes()[-1]
    assert change.op == "link" and change.new["linked"] == len(EXPECTED)
    path = df.path
    df.close()
    with open_dossier(path) as again:  # the link lives in the file, not in memory
        result = build_prefill(again.snapshot())
        assert again.template.field("porteur_nom").ds_id == "Q2hhbXAtNjEwMg=="
    assert result.body["champ_Q2hhbXAtNjEwMg"] == "Conseil départemental du Morbihan"
    assert result.body["champ_Q2hhbXAtNjExMQ"] == "56"
    rows = result.body["champ_Q2hhbXAtNjExNQ"]
    assert rows == [
        {
            "champ_Q2hhbXAtNjExNw": "Pôle emploi Bretagne",
            "champ_Q2hhbXAtNjExOA": "Pôle emploi",
            "champ_Q2hhbXAtNjExNg": "a@b.fr",
        }
    ]
    assert "Membres du consortium — Rôle dans le projet" in result.not_prefillable
    assert result.endpoint == "https://www.demarches-simplifiees.fr/api/public/v1/demarches/91024/dossiers"


def test_link_command_shows_the_matching_and_asks(new_dossier, capsys, monkeypatch):
    path = new_dossier.path
    new_dossier.close()
    monkeypatch.setattr("builtins.input", lambda prompt="": "n")
    assert main(["link", str(path), str(REWORDED)]) == 0
    out = capsys.readouterr().out
    assert "Reliées :" in out and "Douteuses (à confirmer) :" in out and "« Zone d'intervention »" in out
    assert "Rien n'a été enregistré." in out
    with open_dossier(path) as df:
        assert df.template.platform.procedure_number is None
    assert main(["link", str(path), str(REWORDED), "--yes"]) == 0
    with open_dossier(path) as df:
        assert df.template.platform.procedure_number == 91024
        assert df.changes()[-1].op == "link"


def test_link_command_refuses_a_host_that_is_not_the_platform(new_dossier, capsys):
    path = new_dossier.path
    new_dossier.close()
    assert main(["link", str(path), "https://exemple.invalid/commencer/x"]) == 2
    assert "n'est pas une adresse autorisée de la plateforme" in capsys.readouterr().err


def test_doubtful_pairs_can_be_left_out(template_2021, schema):
    from spie_desktop.exports.link import linked_template

    plan = match(template_2021, demarche_template(schema))
    raw = linked_template(template_2021.raw, plan, accept_doubtful=False)
    consortium = next(f for s in raw["sections"] for f in s["fields"] if f["id"] == "consortium")
    kids = {c["id"]: c.get("ds_id") for c in consortium["children"]}
    assert kids["structure"] is None and kids["type_structure"] is not None
    assert all(p.confidence in (Confidence.MATCHED, Confidence.DOUBTFUL) for p in plan.pairs)
