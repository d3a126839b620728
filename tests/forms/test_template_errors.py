"""A broken template is refused with a French message that names the JSON path at fault."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from spie_desktop.forms import TemplateError, load_template_file, parse_template
from spie_desktop.resources_path import resource


def minimal() -> dict[str, Any]:
    return {
        "format": "spie-template",
        "format_version": 1,
        "id": "essai",
        "version": "1.0",
        "title": "Modèle d'essai",
        "parameters": {"project_start": "2022-01-01", "project_end": "2023-12-31", "cap": "500000"},
        "sections": [
            {
                "id": "porteur",
                "title": "Porteur",
                "fields": [
                    {
                        "id": "type_porteur",
                        "type": "drop_down_list",
                        "label": "Qui dépose ?",
                        "options": ["CD", "Autre"],
                    },
                    {"id": "nom", "type": "text", "label": "Nom", "required": True},
                    {
                        "id": "accord",
                        "type": "piece_justificative",
                        "label": "Accord",
                        "visible_if": {"field": "type_porteur", "equals": "Autre"},
                    },
                ],
            },
            {
                "id": "budget",
                "title": "Budget",
                "fields": [
                    {
                        "id": "depenses",
                        "type": "repetition",
                        "label": "Dépenses",
                        "children": [
                            {
                                "id": "annee",
                                "type": "drop_down_list",
                                "label": "Année",
                                "options": ["2022", "2023"],
                            },
                            {"id": "montant", "type": "decimal_number", "label": "Montant"},
                        ],
                    },
                    {"id": "montant_etat", "type": "decimal_number", "label": "Montant État"},
                    {"id": "debut", "type": "date", "label": "Début", "start_date": "$project_start"},
                ],
            },
        ],
        "rules": [
            {
                "id": "plafond",
                "kind": "at_most",
                "severity": "bloquant",
                "message": "Trop élevé.",
                "section": "budget",
                "value": {"field": "montant_etat"},
                "max": {"param": "cap"},
            },
        ],
    }


def refused(data: Any) -> TemplateError:
    with pytest.raises(TemplateError) as info:
        parse_template(data, source="essai.json")
    err = info.value
    assert str(err).startswith("Modèle de formulaire invalide (essai.json)")
    assert err.detail and err.detail in str(err)
    return err


def test_the_minimal_template_is_accepted() -> None:
    t = parse_template(minimal())
    assert [s.id for s in t.sections] == ["porteur", "budget"]


Mutation = Callable[[dict[str, Any]], None]

CASES: list[tuple[str, Mutation, str, str]] = [
    (
        "type inconnu",
        lambda d: d["sections"][0]["fields"][1].update(type="hologramme"),
        "$.sections[0].fields[1].type",
        "type de champ inconnu « hologramme »",
    ),
    (
        "identifiant en double entre sections",
        lambda d: d["sections"][1]["fields"][1].update(id="nom"),
        "$.sections[1].fields[1].id",
        "déjà utilisé à $.sections[0].fields[1]",
    ),
    (
        "identifiant en double dans une répétition",
        lambda d: d["sections"][1]["fields"][0]["children"][1].update(id="annee"),
        "$.sections[1].fields[0].children[1].id",
        "déjà utilisé dans cette répétition",
    ),
    (
        "identifiant mal formé",
        lambda d: d["sections"][0]["fields"][1].update(id="Nom complet"),
        "$.sections[0].fields[1].id",
        "minuscules",
    ),
    (
        "libellé manquant",
        lambda d: d["sections"][0]["fields"][1].pop("label"),
        "$.sections[0].fields[1]",
        "la clé « label » est obligatoire",
    ),
    (
        "libellé vide",
        lambda d: d["sections"][0]["fields"][1].update(label="  "),
        "$.sections[0].fields[1].label",
        "texte non vide",
    ),
    (
        "clé inconnue",
        lambda d: d["sections"][0]["fields"][1].update(obligatoire=True),
        "$.sections[0].fields[1].obligatoire",
        "clé inconnue",
    ),
    (
        "limite de caractères sur un texte court",
        lambda d: d["sections"][0]["fields"][1].update(character_limit=400),
        "$.sections[0].fields[1].character_limit",
        "zone de texte",
    ),
    (
        "liste déroulante sans option",
        lambda d: d["sections"][0]["fields"][0].update(options=[]),
        "$.sections[0].fields[0].options",
        "au moins une option",
    ),
    (
        "répétition dans une répétition",
        lambda d: d["sections"][1]["fields"][0]["children"].append(
            {
                "id": "sous",
                "type": "repetition",
                "label": "Sous",
                "children": [{"id": "x", "type": "text", "label": "X"}],
            }
        ),
        "$.sections[1].fields[0].children[2].type",
        "ni répétition",
    ),
    (
        "condition d'affichage sans valeur",
        lambda d: d["sections"][0]["fields"][2]["visible_if"].pop("equals"),
        "$.sections[0].fields[2].visible_if",
        "{field, equals}",
    ),
    (
        "condition d'affichage sur un champ absent",
        lambda d: d["sections"][0]["fields"][2]["visible_if"].update(field="statut"),
        "$.sections[0].fields[2].visible_if.field",
        "le champ « statut » n'existe pas",
    ),
    (
        "date bornée par un paramètre absent",
        lambda d: d["sections"][1]["fields"][2].update(start_date="$debut_appel"),
        "$.sections[1].fields[2].start_date",
        "le paramètre « debut_appel » n'existe pas",
    ),
    (
        "règle sur un champ absent",
        lambda d: d["rules"][0].update(value={"field": "montant_region"}),
        "$.rules[0].value.field",
        "le champ « montant_region » n'existe pas",
    ),
    (
        "règle sur un enfant absent",
        lambda d: d["rules"].append(
            {
                "id": "total",
                "kind": "sum_equals",
                "message": "Déséquilibré.",
                "left": {"sum": {"field": "depenses", "child": "cout"}},
                "right": {"field": "montant_etat"},
            }
        ),
        "$.rules[1].left.sum.child",
        "« cout » n'est pas un champ de la répétition « depenses »",
    ),
    (
        "filtre de règle sur un enfant absent",
        lambda d: d["rules"].append(
            {
                "id": "total",
                "kind": "sum_equals",
                "message": "Déséquilibré.",
                "left": {
                    "sum": {
                        "field": "depenses",
                        "child": "montant",
                        "where": {"child": "an", "equals": "2022"},
                    }
                },
                "right": {"field": "montant_etat"},
            }
        ),
        "$.rules[1].left.sum.where.child",
        "« an » n'est pas un champ",
    ),
    (
        "règle sur un paramètre absent",
        lambda d: d["rules"][0].update(max={"param": "plafond_etat"}),
        "$.rules[0].max.param",
        "le paramètre « plafond_etat » n'existe pas",
    ),
    (
        "type de règle inconnu",
        lambda d: d["rules"][0].update(kind="formule"),
        "$.rules[0].kind",
        "type de règle inconnu « formule »",
    ),
    (
        "argument de règle manquant",
        lambda d: d["rules"][0].pop("max"),
        "$.rules[0]",
        "la clé « max » est obligatoire",
    ),
    (
        "gravité inconnue",
        lambda d: d["rules"][0].update(severity="erreur"),
        "$.rules[0].severity",
        "« bloquant » ou « avertissement »",
    ),
    (
        "règle rattachée à une section absente",
        lambda d: d["rules"][0].update(section="financement"),
        "$.rules[0].section",
        "la section « financement » n'existe pas",
    ),
    (
        "version de format plus récente",
        lambda d: d.update(format_version=2),
        "$.format_version",
        "version plus récente de l'application",
    ),
    (
        "pas un modèle SPIE",
        lambda d: d.update(format="spie-dossier"),
        "$.format",
        "n'est pas un modèle SPIE",
    ),
    (
        "section en double",
        lambda d: d["sections"][1].update(id="porteur"),
        "$.sections[1].id",
        "identifiant de section « porteur » est déjà utilisé",
    ),
]


@pytest.mark.parametrize("mutate, path, words", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_broken_template_is_refused_with_its_path(mutate: Mutation, path: str, words: str) -> None:
    data = minimal()
    mutate(data)
    err = refused(data)
    assert err.path == path
    assert words in err.detail
    assert f"à l'emplacement {path}" in str(err)


def test_not_an_object() -> None:
    assert refused([1, 2]).path == "$"


def test_not_json(tmp_path: Path) -> None:
    p = tmp_path / "casse.json"
    p.write_text('{"format": "spie-template",\n  "sections": [,]}', encoding="utf-8")
    with pytest.raises(TemplateError) as info:
        load_template_file(p)
    assert "pas du JSON valide (ligne 2" in str(info.value)
    assert str(p) in str(info.value)
    assert info.value.path == ""


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="introuvable"):
        load_template_file(tmp_path / "absent.json")


def test_a_broken_builtin_copy_names_the_real_path(tmp_path: Path) -> None:
    data = json.loads(resource("templates", "ami-spie-2021-vague2.json").read_text(encoding="utf-8"))
    broken = copy.deepcopy(data)
    consortium = next(i for i, s in enumerate(broken["sections"]) if s["id"] == "consortium")
    fields = broken["sections"][consortium]["fields"]
    rep = next(i for i, f in enumerate(fields) if f["id"] == "consortium")
    fields[rep]["children"][1]["id"] = "structure"
    p = tmp_path / "copie.json"
    p.write_text(json.dumps(broken, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(TemplateError) as info:
        load_template_file(p)
    assert info.value.path == f"$.sections[{consortium}].fields[{rep}].children[1].id"

    broken = copy.deepcopy(data)
    rule = next(i for i, r in enumerate(broken["rules"]) if r["kind"] == "rows_require")
    broken["rules"][rule]["where"]["child"] = "categorie"
    with pytest.raises(TemplateError) as info:
        parse_template(broken)
    assert info.value.path == f"$.rules[{rule}].where.child"
