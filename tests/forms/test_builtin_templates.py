"""The built-in templates load, match the published JSON Schema and say what the call asks."""

from __future__ import annotations

import json
from collections.abc import Callable
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
    "recevabilite",
    "porteur",
    "territoire",
    "consortium",
    "public_cible",
    "projet",
    "principes",
    "gouvernance",
    "calendrier",
    "budget",
    "evaluation",
    "pieces_jointes",
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
    errors = list(
        jsonschema.Draft202012Validator(schema).iter_errors(json.loads(path.read_text(encoding="utf-8")))
    )
    assert errors == []


def test_schema_refuses_what_the_loader_refuses() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    data = json.loads(WAVE2.read_text(encoding="utf-8"))
    data["sections"][0]["fields"][1]["type"] = "hologramme"
    assert not jsonschema.Draft202012Validator(schema).is_valid(data)
    data = json.loads(WAVE2.read_text(encoding="utf-8"))
    data["rules"][0]["kind"] = "formula"
    assert not jsonschema.Draft202012Validator(schema).is_valid(data)
    data = json.loads(WAVE2.read_text(encoding="utf-8"))
    del data["rules"][0]["values"]
    assert not jsonschema.Draft202012Validator(schema).is_valid(data)
    for mutate in (
        lambda d: d.update(format_version=2),
        lambda d: d["sections"][1]["fields"][0].update(character_limit=400),  # a text, not a textarea
        lambda d: d["sections"][1]["fields"][0].update(obligatoire=True),
        lambda d: d["sections"][0]["fields"][1].update(options=[]),
        lambda d: d["sections"][0]["fields"][2].update(visible_if={"field": "type_porteur"}),
    ):
        data = json.loads(WAVE2.read_text(encoding="utf-8"))
        mutate(data)
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
    assert (
        len(data) == 110 == len(set(codes))
    )  # the platform's api_geo list plus 99 (resources/data/SOURCES.md)
    assert {"2A", "2B", "971", "976", "975", "989", "99"} <= set(codes)
    assert "20" not in codes and "985" not in codes
    names = {d["code"]: d["nom"] for d in data}
    assert names["2A"] == "Corse-du-Sud" and names["07"] == "Ardèche" and names["974"] == "La Réunion"


# -- the bundled example dossier follows the wave-2 template ----------------------------------

EXAMPLE = resource("examples", "exemple-dossier.json")
BUILD_SCRIPT = Path(__file__).resolve().parents[2] / "tools" / "build_example.py"


@pytest.fixture(scope="module")
def example() -> dict:
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


def test_example_is_up_to_date_with_its_build_script() -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, str(BUILD_SCRIPT), "--check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_example_answers_use_the_template_ids_and_types(example: dict, wave2: Template) -> None:
    assert example["format"] == "spie-dossier" and example["format_version"] == 1
    assert example["template"] == {"id": wave2.id, "version": wave2.version}
    answers = example["answers"]
    index = wave2.field_index()
    assert set(answers) <= set(index)
    for fid, value in answers.items():
        spec = index[fid][1]
        assert spec.type.holds_answer and spec.type is not FieldType.PIECE_JUSTIFICATIVE, fid
        if spec.type is FieldType.DECIMAL_NUMBER:
            assert isinstance(value, str) and Decimal(value) >= 0, fid
        if spec.type is FieldType.INTEGER_NUMBER:
            assert type(value) is int, fid
        if spec.is_repetition:
            for row in value:
                assert row["_id"].startswith("r") and len(row["_id"]) == 13
                assert set(row) - {"_id"} <= {c.id for c in spec.children}
                for cid, cv in row.items():
                    if cid != "_id" and spec.child(cid).type is FieldType.DECIMAL_NUMBER:
                        assert isinstance(cv, str), (fid, cid)


def test_example_budget_balances(example: dict, wave2: Template) -> None:
    a = example["answers"]
    expenses = sum(Decimal(r["montant"]) for r in a["depenses"])
    resources = sum(Decimal(r["montant"]) for r in a["ressources"])
    state = Decimal(a["montant_etat"])
    assert expenses == resources
    assert state == sum(Decimal(r["montant"]) for r in a["ressources"] if r["nature"] == "État")
    assert state <= Decimal(wave2.parameters["state_funding_cap"])
    assert state / expenses <= Decimal(wave2.parameters["max_state_share"])


def test_example_attachments_are_pdfs_with_true_digests(example: dict) -> None:
    import base64
    import hashlib

    fields = {a["field"] for a in example["attachments"]}
    assert {
        "consortium[0].lettre_engagement",
        "consortium[1].lettre_engagement",
        "deliberation",
        "budget_detaille",
        "rib",
    } <= fields
    for a in example["attachments"]:
        content = base64.b64decode(a["content_base64"])
        assert content.startswith(b"%PDF-") and a["media_type"] == "application/pdf"
        assert a["size"] == len(content) < 20_000
        assert a["sha256"] == hashlib.sha256(content).hexdigest()


def test_example_has_no_blocking_problem(example: dict) -> None:
    from datetime import date

    interchange = pytest.importorskip("spie_desktop.interchange")
    from spie_desktop.checks import check

    snapshot = interchange.snapshot_from_document(example)
    report = check(snapshot, today=date(2021, 10, 1))
    assert [p.message for p in report.problems] == []
    assert report.progress == 1.0
    late = check(snapshot, today=date(2021, 10, 12))
    assert [p.rule_id for p in late.problems] == ["date_limite_depot"]
    assert late.can_file


def _drop_member(kind: str) -> Callable[[dict], None]:
    def mutate(d: dict) -> None:
        d["answers"]["consortium"] = [r for r in d["answers"]["consortium"] if r["type_structure"] != kind]
        d["attachments"] = [a for a in d["attachments"] if not a["field"].startswith("consortium")]

    return mutate


def _set(**values: object) -> Callable[[dict], None]:
    return lambda d: d["answers"].update(values)


def _row(field: str, index: int, **values: object) -> Callable[[dict], None]:
    return lambda d: d["answers"][field][index].update(values)


def _letters_missing(d: dict) -> None:
    d["attachments"] = [a for a in d["attachments"] if a["field"] != "consortium[1].lettre_engagement"]


BREAKS = [
    ("consortium_membres_obligatoires", _drop_member("Pôle emploi"), "« Pôle emploi »"),
    ("lettres_engagement_cd_pole_emploi", _letters_missing, "ligne 2"),
    ("actions_minimum", lambda d: d["answers"].update(actions=d["answers"]["actions"][:3]), "au moins 4"),
    # a date outside the call's period: the field's own range speaks, the dates rule stays silent
    ("range.end_date", _row("jalons", 0, date="2024-01-15"), "15/01/2024"),
    ("ordre_dates_projet", _set(date_debut_projet="2023-06-01", date_fin_projet="2023-01-31"), "01/06/2023"),
    ("ordre_dates_actions", _row("actions", 2, date_fin="2022-02-01"), "ligne 3"),
    ("budget_equilibre", _row("depenses", 0, montant="95500.00"), "500,00"),
    (
        "plafond_etat",
        lambda d: (
            _set(montant_etat="520000.00")(d),
            _row("ressources", 0, montant="520000.00")(d),
            _row("depenses", 0, montant="165000.00")(d),
        ),
        "520",
    ),
    (
        "cofinancement",
        lambda d: (
            _row("ressources", 1, montant="20000.00")(d),
            _row("ressources", 0, montant="480000.00")(d),
            _set(montant_etat="480000.00")(d),
            _row("depenses", 0, montant="45000.00")(d),
        ),
        "%",
    ),
    ("montant_etat_coherent", _set(montant_etat="440000.00"), "440"),
    (
        "actions_socle",
        _row("actions", 0, axe="Lien avec les employeurs"),
        "« Diagnostic social et professionnel partagé »",
    ),
    ("dates_dans_projet", _set(date_debut_projet="2022-02-01"), "03/01/2022"),
]


def test_every_wave2_rule_has_a_break_test(wave2: Template) -> None:
    # dates_dans_periode is shadowed by the date fields' own ranges (one message per date): the
    # range.end_date break test covers that mistake.
    broken = [b[0] for b in BREAKS if b[0] != "range.end_date"]
    assert sorted(r.id for r in wave2.rules) == sorted(broken + ["date_limite_depot", "dates_dans_periode"])


@pytest.mark.parametrize("rule_id, mutate, shown", BREAKS, ids=[b[0] for b in BREAKS])
def test_each_wave2_rule_catches_its_mistake(
    example: dict, rule_id: str, mutate: Callable[[dict], None], shown: str
) -> None:
    import copy
    from datetime import date

    interchange = pytest.importorskip("spie_desktop.interchange")
    from spie_desktop.checks import check

    broken = copy.deepcopy(example)
    mutate(broken)
    report = check(interchange.snapshot_from_document(broken), today=date(2021, 10, 1))
    found = [p for p in report.problems if p.rule_id == rule_id]
    assert found, [p.rule_id for p in report.problems]
    assert shown in found[0].message
    assert "{" not in found[0].message


def _as_wave1(example: dict) -> dict:
    """The example moved one year earlier, into the wave-1 template (same ids except the years)."""
    import copy

    d = copy.deepcopy(example)
    d["template"] = {"id": "ami-spie-2020-vague1", "version": "1.0"}
    a = d["answers"]

    def earlier(iso: str) -> str:
        return f"{int(iso[:4]) - 1}{iso[4:]}"

    a["volume_2021"], a["volume_2022"] = a.pop("volume_2022"), a.pop("volume_2023")
    a["date_debut_projet"], a["date_fin_projet"] = (
        earlier(a["date_debut_projet"]),
        earlier(a["date_fin_projet"]),
    )
    for row in a["actions"]:
        row["date_debut"], row["date_fin"] = earlier(row["date_debut"]), earlier(row["date_fin"])
    for row in a["jalons"]:
        row["date"] = earlier(row["date"])
    for row in a["depenses"]:
        row["annee"] = str(int(row["annee"]) - 1)
    for row in a["indicateurs"]:
        row["cible_2021"], row["cible_2022"] = row.pop("cible_2022"), row.pop("cible_2023")
    return d


def test_wave1_template_accepts_the_example_moved_a_year_earlier(example: dict, wave1: Template) -> None:
    from datetime import date

    interchange = pytest.importorskip("spie_desktop.interchange")
    from spie_desktop.checks import check

    d = _as_wave1(example)
    snapshot = interchange.snapshot_from_document(d, wave1)
    assert check(snapshot, today=date(2021, 2, 1)).problems == ()
    d["answers"]["actions"] = d["answers"]["actions"][:2]  # no 4-action minimum in wave 1
    d["answers"]["jalons"][0]["date"] = "2023-01-15"  # after the wave-1 period
    report = check(interchange.snapshot_from_document(d, wave1), today=date(2021, 2, 1))
    assert {p.display_path for p in report.problems} == {"jalons[0].date"}
    assert "range.end_date" in {p.rule_id for p in report.blocking}
