"""Whatever the answers hold (odd text, huge numbers, wrong types, missing or junk rows, stray
attachments) the engine returns a report and never raises; its figures stay coherent."""

from __future__ import annotations

import datetime as dt
import json

from checkkit import TEMPLATE_2021, make_template, snapshot
from hypothesis import HealthCheck, given, settings, strategies as st

from spie_desktop.checks import CompletenessReport, SectionState, check
from spie_desktop.checks.command import format_json, format_text
from spie_desktop.forms import FieldPath, load_template_file
from spie_desktop.forms.types import FieldType
from spie_desktop.snapshot import AttachmentInfo


def f(id, type, **extra):
    return {"id": id, "type": type, "label": f"Question {id}", **extra}


SCALARS = [
    f("t", "text", required=True),
    f("ta", "textarea", character_limit=400),
    f("n", "integer_number", min="0", max="100"),
    f("d", "decimal_number", positive=True),
    f("dt", "date", start_date="$start", end_date="2023-12-31"),
    f("dtt", "datetime"),
    f("e", "email"),
    f("p", "phone"),
    f("yn", "yes_no", required=True),
    f("cb", "checkbox"),
    f("dd", "drop_down_list", options=["A", "B"], required=True),
    f("ddo", "drop_down_list", options=["A"], other_option=True),
    f("m", "multiple_drop_down_list", options=["A", "B", "C"]),
    f("civ", "civilite"),
    f("iban", "iban"),
    f("siret", "siret", visible_if={"field": "dd", "equals": "A"}, required=True),
    f("pj", "piece_justificative", required=True),
    f("dep", "departements"),
    f("epci", "epci"),
    # the other platform types: answered as text offline, or online only (never counted, never blocking)
    f("addr", "address"),
    f("com", "communes"),
    f("reg", "regions"),
    f("pays", "pays", required=True),
    f("fmt", "formatted"),
    f("dl", "dossier_link"),
    f("num", "number"),
    f("ldd", "linked_drop_down_list"),
    f("rna", "rna"),
    f("rnf", "rnf"),
    f("carte", "carte", required=True),
    f("ae", "annuaire_education"),
    f("cnaf", "cnaf"),
    f("dgfip", "dgfip"),
    f("pe", "pole_emploi"),
    f("mesri", "mesri"),
    f("cojo", "cojo"),
    f("ref", "referentiel"),
    f("ej", "engagement_juridique"),
]
CHILDREN = [dict(c, id="c" + c["id"]) for c in SCALARS if "visible_if" not in c] + [
    f("ckind", "drop_down_list", options=["X", "Y"]),
    f("cshown", "text", required=True, visible_if={"field": "ckind", "equals": "X"}),
]
TEMPLATE = make_template(
    [
        {"id": "a", "title": "A", "fields": [f("h", "header_section"), f("x", "explication")] + SCALARS},
        {
            "id": "b",
            "title": "B",
            "fields": [
                f("rep", "repetition", required=True, min_rows=2, children=CHILDREN),
                f(
                    "rep2",
                    "repetition",
                    children=[
                        f("amount", "decimal_number", required=True),
                        f("kind", "drop_down_list", options=["X", "Y"]),
                    ],
                ),
            ],
        },
    ],
    rules=[
        {
            "id": "r1",
            "kind": "rows_include",
            "message": "{value}",
            "field": "rep",
            "child": "ckind",
            "values": ["X", "Y"],
        },
        {
            "id": "r2",
            "kind": "min_rows",
            "message": "{count} {limit}",
            "field": "rep",
            "min": {"param": "min"},
        },
        {
            "id": "r3",
            "kind": "rows_require",
            "message": "{row}",
            "field": "rep",
            "child": "cpj",
            "where": {"child": "ckind", "in": ["X"]},
        },
        {
            "id": "r4",
            "kind": "required_if",
            "message": "{value}",
            "field": "e",
            "when": {"field": "dd", "equals": "B"},
        },
        {
            "id": "r5",
            "kind": "sum_equals",
            "message": "{left} {right} {difference}",
            "left": {"sum": {"field": "rep", "child": "cd"}},
            "right": {"sum": {"field": "rep2", "child": "amount", "where": {"child": "kind", "equals": "X"}}},
        },
        {
            "id": "r6",
            "kind": "at_most",
            "message": "{value} {limit}",
            "value": {"field": "d"},
            "max": {"param": "cap"},
        },
        {
            "id": "r7",
            "kind": "ratio_at_most",
            "message": "{value}",
            "numerator": {"field": "d"},
            "denominator": {"sum": {"field": "rep2", "child": "amount"}},
            "max": {"value": "0.8"},
        },
        {
            "id": "r8",
            "kind": "ratio_at_least",
            "message": "{value}",
            "numerator": {"field": "n"},
            "denominator": {"field": "d"},
            "min": {"value": "0.2"},
        },
        {
            "id": "r9",
            "kind": "dates_within",
            "message": "{date}",
            "dates": [{"field": "dt"}, {"field": "rep", "child": "cdt"}],
            "start": {"param": "start"},
            "end": {"field": "dt"},
        },
        {
            "id": "r10",
            "kind": "date_order",
            "message": "{date}",
            "start": {"field": "dt"},
            "end": {"field": "rep", "child": "cdt"},
        },
        {
            "id": "r11",
            "kind": "date_order",
            "message": "{date}",
            "start": {"field": "rep", "child": "cdt"},
            "end": {"field": "rep", "child": "cdtt"},
        },
        {
            "id": "r12",
            "kind": "deadline",
            "severity": "avertissement",
            "message": "{date}",
            "date": {"param": "start"},
        },
    ],
    parameters={"start": "2022-01-01", "min": 3, "cap": "500000"},
)

odd_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40
) | st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "\u202e",
        "é" * 300,
        "🙂" * 120,
        "1 234,567",
        "-0",
        "+33 1 23 45 67 89",
        "2022-02-30",
        "2022-01-01",
        "73282932000074",
        "a@b.fr",
        "A",
        "B",
        "X",
        "Y",
        "Autre",
        "9" * 400,
        "1e9",
        "NaN",
        "Infinity",
        "2022-01-01T10:00",
    ]
)
huge = (
    st.sampled_from([10**30, -(10**30), 2**63, -1, 0])
    | st.integers()
    | st.integers(4000, 6000).map(lambda k: 10**k)
)
scalar = st.none() | st.booleans() | huge | st.floats(allow_nan=True, allow_infinity=True) | odd_text
value = st.recursive(
    scalar,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(odd_text, inner, max_size=3),
    max_leaves=8,
)

child_ids = [c["id"] for c in CHILDREN] + ["_id", "inconnu"]
row = st.dictionaries(
    st.sampled_from(child_ids), value | st.sampled_from(["r1", "rX", "bad id", "X"]), max_size=8
)
rows = st.lists(row | value, max_size=6)
field_ids = [s["id"] for s in SCALARS] + ["rep", "rep2", "inconnu", "h"]
answers = st.dictionaries(st.sampled_from(field_ids), value | rows, max_size=len(field_ids))
paths = st.sampled_from(["pj", "rep[r1].cpj", "rep[rX].cpj", "nowhere", "", "rep[0].cpj", "t"])
attachments = st.lists(
    st.builds(
        lambda i, p, s: AttachmentInfo(i, p, "f.pdf", "application/pdf", s, "0" * 64),
        st.integers(1, 10**6),
        paths,
        st.integers(-1, 2**40),
    ),
    max_size=4,
)


def coherent(report: CompletenessReport, template) -> None:
    assert isinstance(report, CompletenessReport)
    section_ids = {s.id for s in template.sections}
    assert [s.section_id for s in report.sections] == [s.id for s in template.sections]
    for s in report.sections:
        assert 0 <= s.answered <= s.required and s.state in SectionState
        assert s.blocking + s.warnings == len(report.for_section(s.section_id))
    for p in report.problems:
        assert p.section_id in section_ids or p.section_id == ""
        assert p.message and "Traceback" not in p.message
        if p.path:
            FieldPath.parse(p.path)
            FieldPath.parse(p.display_path)
        assert (p.row_index is None) == ("[" not in p.path)
    assert 0.0 <= report.progress <= 1.0
    json.loads(format_json(snapshot(template), report))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers=answers, attachments=attachments, today=st.dates(dt.date(2020, 1, 1), dt.date(2030, 1, 1)))
def test_random_answers_never_crash_the_engine(answers, attachments, today):
    snap = snapshot(TEMPLATE, answers, attachments)
    report = check(snap, today=today)
    coherent(report, TEMPLATE)
    format_text(snap, report)


TEMPLATE_REAL = load_template_file(TEMPLATE_2021) if TEMPLATE_2021.exists() else None


def _real_answers():
    t = TEMPLATE_REAL
    if t is None:
        return st.just({})
    keys = [spec.id for _s, spec in t.iter_fields()]
    children = sorted({c.id for _s, spec in t.iter_fields() for c in spec.children} | {"_id"})
    real_row = st.dictionaries(st.sampled_from(children), value, max_size=len(children))
    options = sorted({o for _s, spec in t.iter_fields() for c in (spec, *spec.children) for o in c.options})
    values = value | st.sampled_from(options) | st.lists(real_row | value, max_size=5)
    return st.dictionaries(st.sampled_from(keys), values, max_size=len(keys))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers=_real_answers())
def test_random_answers_on_the_builtin_template(answers):
    if TEMPLATE_REAL is None:
        return
    coherent(check(snapshot(TEMPLATE_REAL, answers)), TEMPLATE_REAL)


def test_answers_that_are_not_a_mapping():
    for junk in (None, [], "x", 3):
        snap = snapshot(TEMPLATE)
        object.__setattr__(snap, "answers", junk)
        report = check(snap)
        assert {p.path for p in report.problems if p.rule_id == "required"} >= {"t", "yn", "dd", "pj", "rep"}


def test_every_field_type_is_covered():
    used = {c["type"] for c in SCALARS} | {"repetition", "header_section", "explication"}
    assert used == {t.value for t in FieldType}
