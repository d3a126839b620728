"""The built-in templates load, match the published JSON Schema and say what the call asks."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from spie_desktop.forms import FieldType, Template, load_template_file
from spie_desktop.resources_path import resource

jsonschema = pytest.importorskip("jsonschema")

TEMPLATES = resource("templates")
WAVE2 = TEMPLATES / "ami-spie-2021-vague2.json"
WAVE1 = TEMPLATES / "ami-spie-2020-vague1.json"
BUILTIN = [WAVE2, WAVE1]
SCHEMA = resource("schemas", "spie-template.schema.json")

SPEC_SECTIONS = [
    "recevabilite", "porteur", "territoire", "consortium", "public_cible", "projet",
    "principes", "gouvernance", "calendrier", "budget", "evaluation", "pieces_jointes",
]
PLATFORM_LIMITS = set(range(400, 1000, 100)) | set(range(1000, 10001, 1000))


@pytest.fixture(scope="module", params=BUILTIN, ids=lambda p: p.stem)
def template(request: pytest.FixtureRequest) -> Template:
    return load_template_file(request.param)


@pytest.fixture(scope="module")
def wave2() -> Template:
    return load_template_file(WAVE2)


@pytest.fixture(scope="module")
def wave1() -> Template:
    return load_template_file(WAVE1)


def test_every_builtin_template_file_is_tested() -> None:
    assert sorted(p.name for p in TEMPLATES.glob("*.json")) == sorted(p.name for p in BUILTIN)


@pytest.mark.parametrize("path", BUILTIN, ids=lambda p: p.stem)
def test_template_matches_the_json_schema(path: Path) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(json.loads(path.read_text(encoding="utf-8"))))
    assert errors == []


def test_schema_refuses_what_the_loader_refuses() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    data = json.loads(WAVE2.read_text(encoding="utf-8"))
    data["sections"][0]["fields"][1]["type"] = "carte"
    assert not jsonschema.Draft202012Validator(schema).is_valid(data)
    data = json.loads(WAVE2.read_text(encoding="utf-8"))
    data["rules"][0]["kind"] = "formula"
    assert not jsonschema.Draft202012Validator(schema).is_valid(data)
    data = json.loads(WAVE2.read_text(encoding="utf-8"))
    del data["rules"][0]["values"]
    assert not jsonschema.Draft202012Validator(schema).is_valid(data)


def test_ids_are_unique_across_the_template(template: Template) -> None:
    ids = [f.id for _, f in template.iter_fields()]
    assert len(ids) == len(set(ids))
    for _, f in template.iter_fields():
        child_ids = [c.id for c in f.children]
        assert len(child_ids) == len(set(child_ids)), f.id


def test_wave2_has_every_section_of_the_call(wave2: Template) -> None:
    assert [s.id for s in wave2.sections] == SPEC_SECTIONS
    letters = [s.title.split(".")[0] for s in wave2.sections]
    assert letters == list("ABCDEFGHIJKL")


def test_both_waves_share_the_structure(wave1: Template, wave2: Template) -> None:
    assert [s.id for s in wave1.sections] == [s.id for s in wave2.sections]
    ids1 = {f.id for _, f in wave1.iter_fields()}
    ids2 = {f.id for _, f in wave2.iter_fields()}
    # only the calendar years in the ids differ (volume_2021 vs volume_2023…)
    assert ids1 - ids2 == {"volume_2021"}
    assert ids2 - ids1 == {"volume_2023"}


def test_wave2_parameters(wave2: Template) -> None:
    p = wave2.parameters
    assert Decimal(p["state_funding_cap"]) > 0
    assert p["project_start"] == "2022-01-01"
    assert p["project_end"] == "2023-12-31"
    assert p["min_actions"] == 4
    assert Decimal(p["max_state_share"]) == Decimal("0.80")
    assert p["deadline"] == wave2.deadline == "2021-10-11"
    assert "state_funding_cap" in wave2.description


def test_wave1_parameters(wave1: Template) -> None:
    p = wave1.parameters
    assert p["state_funding_cap"] == "500000"
    assert (p["project_start"], p["project_end"]) == ("2021-01-01", "2022-12-31")
    assert p["deadline"] == wave1.deadline == "2021-02-28"
    assert wave1.field("depenses").child("annee").options == ("2021", "2022")
    assert {"cible_2021", "cible_2022"} <= {c.id for c in wave1.field("indicateurs").children}


def test_consortium_offers_the_mandatory_members(template: Template) -> None:
    kind = template.field("consortium").child("type_structure")
    assert kind.type is FieldType.DROP_DOWN_LIST
    assert {"Conseil départemental", "Pôle emploi"} <= set(kind.options)
    assert kind.other_option


def test_textareas_use_platform_limits(template: Template) -> None:
    for _, f in template.iter_fields():
        for spec in (f, *f.children):
            if spec.type is FieldType.TEXTAREA:
                assert spec.character_limit in PLATFORM_LIMITS, spec.id
            if spec.type.holds_answer:
                assert spec.label.strip(), spec.id


def test_calendar_dates_use_the_project_period(template: Template) -> None:
    for spec in (
        template.field("date_debut_projet"),
        template.field("date_fin_projet"),
        template.field("jalons").child("date"),
        template.field("actions").child("date_debut"),
    ):
        assert (spec.start_date, spec.end_date) == ("$project_start", "$project_end")


def test_cd_agreement_shows_only_for_another_applicant(template: Template) -> None:
    spec = template.field("accord_cd")
    assert spec.type is FieldType.PIECE_JUSTIFICATIVE
    assert spec.visible_if is not None and spec.visible_if.field == "type_porteur"
    assert spec.visible_if.equals in template.field("type_porteur").options
    assert spec.visible_if.equals != "Conseil départemental"


def _refs(node: object) -> list[dict]:
    found = []
    if isinstance(node, dict):
        if isinstance(node.get("field"), str):
            found.append(node)
        for value in node.values():
            found.extend(_refs(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(_refs(item))
    return found


def test_rules_reference_existing_fields_and_parameters(template: Template) -> None:
    index = template.field_index()
    section_ids = {s.id for s in template.sections}
    for rule in template.rules:
        assert rule.section in section_ids, rule.id
        assert rule.message.strip(), rule.id
        args = dict(rule.args)
        refs = _refs(args)
        if rule.kind != "deadline":
            assert refs, f"{rule.id} ne cite aucun champ"
        for ref in refs:
            assert ref["field"] in index, (rule.id, ref)
            children = {c.id for c in index[ref["field"]][1].children}
            if "child" in ref:
                assert ref["child"] in children, (rule.id, ref)
            where = ref.get("where")
            if isinstance(where, dict):
                assert where["child"] in children, (rule.id, where)
        for param in _params(args):
            assert param in template.parameters, (rule.id, param)


def _params(node: object) -> list[str]:
    if isinstance(node, dict):
        out = [node["param"]] if isinstance(node.get("param"), str) else []
        for v in node.values():
            out.extend(_params(v))
        return out
    if isinstance(node, list):
        return [p for item in node for p in _params(item)]
    return []


def test_wave2_rules_cover_the_call(wave2: Template) -> None:
    by_kind: dict[str, list] = {}
    for rule in wave2.rules:
        by_kind.setdefault(rule.kind, []).append(rule)
    include = by_kind["rows_include"][0]
    assert set(include.args["values"]) == {"Conseil départemental", "Pôle emploi"}
    assert by_kind["min_rows"][0].args["min"] == {"param": "min_actions"}
    assert by_kind["ratio_at_most"][0].severity == "avertissement"
    assert by_kind["deadline"][0].severity == "avertissement"
    assert "{date}" in by_kind["deadline"][0].message
    assert len(by_kind["sum_equals"]) == 2
    assert by_kind["at_most"][0].args["max"] == {"param": "state_funding_cap"}


def test_wave1_has_no_four_action_minimum(wave1: Template) -> None:
    assert not [r for r in wave1.rules if r.kind == "min_rows" and r.args.get("field") == "actions"]


def test_rule_ids_are_unique(template: Template) -> None:
    ids = [r.id for r in template.rules]
    assert len(ids) == len(set(ids))


def test_departements_list() -> None:
    data = json.loads(resource("data", "departements.json").read_text(encoding="utf-8"))
    codes = [d["code"] for d in data]
    assert len(data) == 101 == len(set(codes))
    assert {"2A", "2B", "971", "976"} <= set(codes)
    assert "20" not in codes
    names = {d["code"]: d["nom"] for d in data}
    assert names["2A"] == "Corse-du-Sud" and names["07"] == "Ardèche" and names["974"] == "La Réunion"
