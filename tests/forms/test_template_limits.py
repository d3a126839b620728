"""A template over any size bound is refused in French, at its JSON path; a rule's cost is bounded."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from spie_desktop.checks.condition import Condition
from spie_desktop.forms import TemplateError, limits, parse_template

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def base() -> dict:
    return json.loads((ROOT / "resources" / "templates" / "ami-spie-2021-vague2.json").read_text("utf-8"))


def _fields(n: int, prefix: str = "f") -> list[dict]:
    return [{"id": f"{prefix}{i}", "type": "text", "label": f"Question {i}"} for i in range(n)]


def _refused(data: dict, path: str, words: str) -> str:
    with pytest.raises(TemplateError) as err:
        parse_template(data)
    assert err.value.path == path
    assert words in str(err.value)
    assert "Modèle de formulaire invalide" in str(err.value)
    return str(err.value)


def test_the_shipped_templates_are_well_inside_the_bounds(base):
    parse_template(base)  # the real form is admitted


def test_too_many_fields_in_a_section(base):
    data = copy.deepcopy(base)
    data["sections"][0]["fields"] = _fields(limits.MAX_FIELDS_PER_SECTION + 1)
    _refused(data, "$.sections[0].fields", f"au plus {limits.MAX_FIELDS_PER_SECTION}")
    data["sections"][0]["fields"] = _fields(limits.MAX_FIELDS_PER_SECTION)
    parse_template(data)  # at the bound: admitted


def test_too_many_fields_in_the_template(base):
    data = copy.deepcopy(base)
    per = limits.MAX_FIELDS_PER_SECTION
    count = limits.MAX_FIELDS // per + 2
    data["sections"] = [
        {"id": f"s{k}", "title": f"S{k}", "fields": _fields(per, f"s{k}_")} for k in range(count)
    ]
    data["rules"] = []
    err = _refused(
        data,
        f"$.sections[{limits.MAX_FIELDS // per}].fields[{limits.MAX_FIELDS % per}]",
        f"plus de {limits.MAX_FIELDS} champs",
    )
    assert "limite de taille" in err


def test_too_many_sections(base):
    data = copy.deepcopy(base)
    data["sections"] = [
        {"id": f"s{k}", "title": "S", "fields": _fields(1, f"s{k}_")} for k in range(limits.MAX_SECTIONS + 1)
    ]
    data["rules"] = []
    _refused(data, "$.sections", f"au plus {limits.MAX_SECTIONS}")


def test_too_many_children_options_rules_and_parameters(base):
    data = copy.deepcopy(base)
    data["sections"][0]["fields"].append(
        {"id": "rep", "type": "repetition", "label": "R", "children": _fields(limits.MAX_CHILDREN + 1, "c")}
    )
    _refused(data, f"$.sections[0].fields[{len(base['sections'][0]['fields'])}].children", "répétition")

    data = copy.deepcopy(base)
    data["sections"][0]["fields"].append(
        {
            "id": "liste",
            "type": "drop_down_list",
            "label": "L",
            "options": [f"o{i}" for i in range(limits.MAX_OPTIONS + 1)],
        }
    )
    _refused(data, f"$.sections[0].fields[{len(base['sections'][0]['fields'])}].options", "options")

    data = copy.deepcopy(base)
    data["rules"] = [dict(base["rules"][0], id=f"r{i}") for i in range(limits.MAX_RULES + 1)]
    _refused(data, "$.rules", "règles")

    data = copy.deepcopy(base)
    data["parameters"] = {f"p{i}": "x" for i in range(limits.MAX_PARAMETERS + 1)}
    _refused(data, "$.parameters", "paramètres")


@pytest.mark.parametrize("where,limit", [("label", limits.MAX_LABEL), ("description", limits.MAX_TEXT)])
def test_too_long_texts(base, where, limit):
    data = copy.deepcopy(base)
    data["sections"][1]["fields"][0][where] = "mot " * (limit // 4 + 1)
    _refused(data, f"$.sections[1].fields[0].{where}", f"au plus {limit}")


def test_a_rule_of_huge_cost_is_refused(base):
    """The issue's case: a ``where.in`` of 20 000 values (evaluated over every row)."""
    data = copy.deepcopy(base)
    rep = next(f for s in base["sections"] for f in s["fields"] if f["type"] == "repetition")
    data["rules"].append(
        {
            "id": "enorme",
            "kind": "rows_require",
            "severity": "bloquant",
            "message": "x",
            "field": rep["id"],
            "child": rep["children"][0]["id"],
            "where": {"child": rep["children"][0]["id"], "in": [f"v{i}" for i in range(20_000)]},
        }
    )
    err = _refused(data, f"$.rules[{len(base['rules'])}].where.in", "valeurs dans une règle")
    assert "20000" in err


def test_a_compiled_condition_matches_like_the_list_it_replaces():
    values = ["a", 1, True, None, 2.0]
    cond = Condition({"child": "x", "in": values})
    for candidate in ["a", "b", 1, 2, 3, True, False, None, ["b", "a"], ["z"], [], {"a": 1}, 2.5]:
        expected = (
            any(v in values for v in candidate if isinstance(v, (str, int, bool)))
            if isinstance(candidate, list)
            else isinstance(candidate, (str, int, bool, type(None))) and candidate in values
        )
        assert cond(candidate) is expected, candidate
    equals = Condition({"child": "x", "equals": "a"})
    assert equals("a") and equals(["b", "a"]) and not equals("b")


def test_the_values_of_all_rules_together_are_bounded(base):
    data = copy.deepcopy(base)
    rep = next(f for s in base["sections"] for f in s["fields"] if f["type"] == "repetition")
    child = rep["children"][0]["id"]
    per = limits.MAX_RULE_VALUES
    count = limits.MAX_RULE_VALUES_TOTAL // per + 1
    data["rules"] = [
        {
            "id": f"r{i}",
            "kind": "rows_require",
            "message": "x",
            "field": rep["id"],
            "child": child,
            "where": {"child": child, "in": [str(v) for v in range(per)]},
        }
        for i in range(count)
    ]
    _refused(data, f"$.rules[{count - 1}]", f"plus de {limits.MAX_RULE_VALUES_TOTAL} valeurs en tout")
    data["rules"].pop()
    parse_template(data)  # at the bound: admitted
