"""Every kind of template rule (forms/rules.py), passing and failing, with its placeholders."""

from __future__ import annotations

import datetime as dt

import pytest
from checkkit import attachment, make_template, snapshot

from spie_desktop.checks import Severity, check
from spie_desktop.checks.cross_rules import KINDS
from spie_desktop.forms.rules import ARGUMENTS

TODAY = dt.date(2021, 9, 15)


def f(id, type="text", label=None, **extra):
    return {"id": id, "type": type, "label": label or id.capitalize(), **extra}


SECTIONS = [
    {
        "id": "porteur",
        "title": "Porteur",
        "fields": [
            f("type_porteur", "drop_down_list", "Type de porteur", options=["CD", "Autre acteur"]),
            f("accord_cd", "piece_justificative", "Accord du CD"),
            f("precision", "text", "Précision"),
        ],
    },
    {
        "id": "consortium",
        "title": "Consortium",
        "fields": [
            f(
                "consortium",
                "repetition",
                "Membres",
                row_label="Membre",
                children=[
                    f("structure", "text", "Structure"),
                    f("type_structure", "drop_down_list", "Type", options=["CD", "Pôle emploi", "CAF"]),
                    f("lettre", "piece_justificative", "Lettre d'engagement"),
                ],
            ),
        ],
    },
    {
        "id": "projet",
        "title": "Projet",
        "fields": [
            f("debut", "date", "Début"),
            f("fin", "date", "Fin"),
            f(
                "actions",
                "repetition",
                "Actions",
                row_label="Action",
                children=[
                    f("titre", "text", "Titre"),
                    f("date_debut", "date", "Début de l'action"),
                    f("date_fin", "date", "Fin de l'action"),
                ],
            ),
        ],
    },
    {
        "id": "budget",
        "title": "Budget",
        "fields": [
            f(
                "depenses",
                "repetition",
                "Dépenses",
                children=[
                    f("annee", "drop_down_list", "Année", options=["2022", "2023"]),
                    f("montant", "decimal_number", "Montant", required=True),
                    f("note", "decimal_number", "Montant facultatif"),
                ],
            ),
            f(
                "ressources",
                "repetition",
                "Ressources",
                children=[
                    f("nature", "drop_down_list", "Nature", options=["État", "Département"]),
                    f("montant", "decimal_number", "Montant", required=True),
                ],
            ),
            f("montant_etat", "decimal_number", "Montant demandé à l'État"),
        ],
    },
]
PARAMS = {
    "cap": "500000",
    "share": "0.80",
    "start": "2022-01-01",
    "end": "2023-12-31",
    "min_actions": 4,
    "deadline": "2021-10-11",
}


def template(*rules):
    return make_template(SECTIONS, list(rules), PARAMS)


def rule(kind, message="{value}", **args):
    return {"id": f"r_{kind}", "kind": kind, "message": message, **args}


def found(t, answers=None, attachments=(), today=TODAY):
    return check(snapshot(t, answers, attachments), today=today).problems


def plain(text):
    return text.replace("\u00a0", " ")


def test_every_documented_kind_has_an_evaluator():
    assert set(ARGUMENTS) <= set(KINDS)


# -- rows_include -----------------------------------------------------------------------------


def test_rows_include():
    t = template(
        rule(
            "rows_include",
            "Le consortium doit compter « {value} » ({count} membres).",
            field="consortium",
            child="type_structure",
            values=["CD", "Pôle emploi"],
        )
    )
    empty = found(t)
    assert [plain(p.message) for p in empty] == [
        "Le consortium doit compter « CD » (0 membres).",
        "Le consortium doit compter « Pôle emploi » (0 membres).",
    ]
    assert all(
        (p.path, p.section_id, p.rule_id, p.missing) == ("consortium", "consortium", "r_rows_include", True)
        for p in empty
    )
    rows = [{"_id": "r1", "type_structure": "CD"}, {"_id": "r2", "type_structure": "CAF"}]
    assert [p.message for p in found(t, {"consortium": rows})] == [
        "Le consortium doit compter « Pôle emploi » (2 membres)."
    ]
    rows.append({"_id": "r3", "type_structure": "Pôle emploi"})
    assert found(t, {"consortium": rows}) == ()


# -- min_rows ---------------------------------------------------------------------------------


@pytest.mark.parametrize("minimum", [4, {"param": "min_actions"}, {"value": "4"}])
def test_min_rows(minimum):
    t = template(
        rule(
            "min_rows",
            "Le projet compte {count} action(s) ; il en faut au moins {limit}.",
            field="actions",
            min=minimum,
        )
    )
    (p,) = found(t)
    assert (p.path, p.section_id, p.message) == (
        "actions",
        "projet",
        "Le projet compte 0 action(s) ; il en faut au moins 4.",
    )
    rows = [{"_id": f"a{i}", "titre": "x"} for i in range(3)]
    assert found(t, {"actions": rows})[0].message.startswith("Le projet compte 3 action")
    assert found(t, {"actions": rows + [{"_id": "a9"}]}) == ()


# -- rows_require -----------------------------------------------------------------------------


def test_rows_require_points_at_the_row():
    t = template(
        rule(
            "rows_require",
            "Joignez la lettre de {value} (membre {row}).",
            field="consortium",
            child="lettre",
            where={"child": "type_structure", "in": ["CD", "Pôle emploi"]},
        )
    )
    rows = [
        {"_id": "rA", "type_structure": "CAF"},
        {"_id": "rB", "type_structure": "Pôle emploi"},
        {"_id": "rC", "type_structure": "CD"},
    ]
    got = found(t, {"consortium": rows}, [attachment("consortium[rC].lettre")])
    assert [(p.path, p.display_path, p.row_index, p.location, p.message, p.field_label) for p in got] == [
        (
            "consortium[rB].lettre",
            "consortium[1].lettre",
            1,
            "Membre 2",
            "Joignez la lettre de Pôle emploi (membre 2).",
            "Lettre d'engagement",
        ),
    ]
    assert got[0].section_id == "consortium" and got[0].missing
    assert (
        found(
            t,
            {"consortium": rows},
            [attachment("consortium[rC].lettre"), attachment("consortium[rB].lettre", id=2)],
        )
        == ()
    )


def test_rows_require_with_equals_on_a_text_child():
    t = template(
        rule(
            "rows_require",
            "Indiquez la structure.",
            field="consortium",
            child="structure",
            where={"child": "type_structure", "equals": "CAF"},
        )
    )
    assert found(t, {"consortium": [{"_id": "r1", "type_structure": "CD"}]}) == ()
    (p,) = found(t, {"consortium": [{"_id": "r1", "type_structure": "CAF", "structure": " "}]})
    assert p.path == "consortium[r1].structure"


# -- required_if ------------------------------------------------------------------------------


def test_required_if():
    t = template(
        rule(
            "required_if",
            "Joignez l'accord du conseil départemental (porteur : {value}).",
            field="accord_cd",
            when={"field": "type_porteur", "equals": "Autre acteur"},
        ),
        rule("required_if", "Précisez.", field="precision", when={"field": "type_porteur", "in": ["CD"]})
        | {"id": "r2"},
    )
    assert found(t) == ()
    (p,) = found(t, {"type_porteur": "Autre acteur"})
    assert (p.path, p.section_id, p.missing, p.message) == (
        "accord_cd",
        "porteur",
        True,
        "Joignez l'accord du conseil départemental (porteur : Autre acteur).",
    )
    assert found(t, {"type_porteur": "Autre acteur"}, [attachment("accord_cd")]) == ()
    assert [p.path for p in found(t, {"type_porteur": "CD"})] == ["precision"]
    assert found(t, {"type_porteur": "CD", "precision": "ok"}) == ()


# -- sums and amounts -------------------------------------------------------------------------


def budget(depenses, ressources, etat=None):
    answers = {
        "depenses": [{"_id": f"d{i}", "montant": m} for i, m in enumerate(depenses)],
        "ressources": [{"_id": f"r{i}", "nature": n, "montant": m} for i, (n, m) in enumerate(ressources)],
    }
    if etat is not None:
        answers["montant_etat"] = etat
    return answers


def test_sum_equals():
    t = template(
        rule(
            "sum_equals",
            "Dépenses {value}, ressources {limit}, écart {difference}.",
            left={"sum": {"field": "depenses", "child": "montant"}},
            right={"sum": {"field": "ressources", "child": "montant"}},
        )
    )
    assert found(t, budget(["1000.50", "234.06"], [("État", "1234.56")])) == ()
    (p,) = found(t, budget(["1000.50", "234.06"], [("État", "1234.55")]))
    assert plain(p.message) == "Dépenses 1 234,56 €, ressources 1 234,55 €, écart 0,01 €."
    assert (p.path, p.section_id, p.missing) == ("depenses", "budget", False)
    assert found(t) == ()  # nothing entered: 0 = 0


def test_sum_equals_tolerance_and_where():
    t = template(
        rule(
            "sum_equals",
            "{value} ≠ {limit}",
            left={"field": "montant_etat"},
            right={
                "sum": {
                    "field": "ressources",
                    "child": "montant",
                    "where": {"child": "nature", "equals": "État"},
                }
            },
            tolerance="1",
        )
    )
    answers = budget([], [("État", "400000"), ("Département", "100000"), ("État", "50000")], etat="450000.90")
    assert found(t, answers) == ()
    (p,) = found(t, budget([], [("État", "400000"), ("Département", "100000")], etat="450000"))
    assert plain(p.message) == "450 000,00 € ≠ 400 000,00 €"
    assert p.path == "montant_etat"


def test_amount_rules_stay_silent_on_missing_or_invalid_inputs():
    t = template(
        rule(
            "sum_equals",
            "x",
            left={"sum": {"field": "depenses", "child": "montant"}},
            right={"sum": {"field": "ressources", "child": "montant"}},
        ),
        rule("at_most", "y", value={"field": "montant_etat"}, max={"param": "cap"}) | {"id": "r2"},
    )
    # a required amount left blank in a row, an amount that is not a number
    answers = budget(["100", None], [("État", "abc")], etat="600 000 €")
    assert {p.rule_id for p in found(t, answers)} == {"required", "format.decimal"}
    # an optional blank cell counts as zero
    answers = budget(["100"], [("État", "100")])
    answers["depenses"][0]["note"] = ""
    assert found(t, answers) == ()


def test_at_most():
    t = template(
        rule(
            "at_most",
            "Le montant demandé à l'État ({actual}) dépasse le plafond de {limit}.",
            value={"field": "montant_etat"},
            max={"param": "cap"},
        )
    )
    assert found(t, {"montant_etat": "500000"}) == ()
    (p,) = found(t, {"montant_etat": "500000.01"})
    assert (
        plain(p.message) == "Le montant demandé à l'État (500 000,01 €) dépasse le plafond de 500 000,00 €."
    )
    assert (p.path, p.severity) == ("montant_etat", Severity.BLOQUANT)


def test_ratio_at_most_as_a_warning():
    t = template(
        rule(
            "ratio_at_most",
            "L'État financerait {actual} (au plus {limit}).",
            severity="avertissement",
            numerator={"field": "montant_etat"},
            denominator={"sum": {"field": "depenses", "child": "montant"}},
            max={"param": "share"},
        )
    )
    assert found(t, budget(["500000"], [], etat="400000")) == ()
    (p,) = found(t, budget(["450000", "50000"], [], etat="412500"))
    assert plain(p.message) == "L'État financerait 82,5 % (au plus 80 %)."
    assert p.severity is Severity.AVERTISSEMENT and p.path == "montant_etat"
    report = check(snapshot(t, budget(["450000", "50000"], [], etat="412500")), today=TODAY)
    assert report.can_file
    assert found(t, budget([], [], etat="412500")) == ()  # a zero denominator: nothing to say


def test_ratio_at_least():
    t = template(
        rule(
            "ratio_at_least",
            "Cofinancement {value}, au moins {limit} attendu.",
            numerator={
                "sum": {
                    "field": "ressources",
                    "child": "montant",
                    "where": {"child": "nature", "equals": "Département"},
                }
            },
            denominator={"sum": {"field": "ressources", "child": "montant"}},
            min={"value": "0.2"},
        )
    )
    assert found(t, budget([], [("État", "80"), ("Département", "20")])) == ()
    (p,) = found(t, budget([], [("État", "81"), ("Département", "19")]))
    assert plain(p.message) == "Cofinancement 19 %, au moins 20 % attendu."
    assert p.path == "ressources"


# -- dates ------------------------------------------------------------------------------------


def test_dates_within_top_level_and_rows():
    t = template(
        rule(
            "dates_within",
            "Le {date} sort de la période du {start} au {end} (limite {limit}).",
            dates=[{"field": "debut"}, {"field": "fin"}, {"field": "actions", "child": "date_fin"}],
            start={"param": "start"},
            end={"param": "end"},
        )
    )
    ok = {"debut": "2022-01-01", "fin": "2023-12-31", "actions": [{"_id": "a1", "date_fin": "2022-06-30"}]}
    assert found(t, ok) == ()
    bad = {
        "debut": "2021-12-31",
        "fin": "2023-12-31",
        "actions": [
            {"_id": "a1", "date_fin": "2022-06-30"},
            {"_id": "a2", "date_fin": "2024-01-01"},
            {"_id": "a3", "date_fin": "2024-13-01"},
        ],
    }
    got = found(t, bad)
    assert [(p.path, p.row_index, p.section_id, p.rule_id) for p in got if p.rule_id == "r_dates_within"] == [
        ("debut", None, "projet", "r_dates_within"),
        ("actions[a2].date_fin", 1, "projet", "r_dates_within"),
    ]
    # problems follow the form's order: fields, then rows, rule problems beside the field's own
    assert [p.path for p in got] == ["debut", "actions[a2].date_fin", "actions[a3].date_fin"]
    assert (
        got[0].message == "Le 31/12/2021 sort de la période du 01/01/2022 au 31/12/2023 (limite 01/01/2022)."
    )
    assert (
        got[1].message == "Le 01/01/2024 sort de la période du 01/01/2022 au 31/12/2023 (limite 31/12/2023)."
    )
    # the invalid date is reported by its own field, not by the rule
    assert got[2].rule_id == "format.date"


def test_date_order_top_level():
    t = template(
        rule(
            "date_order",
            "La fin ({date}) précède le début ({limit}).",
            start={"field": "debut"},
            end={"field": "fin"},
        )
    )
    assert found(t, {"debut": "2022-01-01", "fin": "2022-01-01"}) == ()
    assert found(t, {"debut": "2022-01-02"}) == ()
    (p,) = found(t, {"debut": "2022-01-02", "fin": "2022-01-01"})
    assert (p.path, p.message) == ("fin", "La fin (01/01/2022) précède le début (02/01/2022).")


def test_date_order_per_row():
    t = template(
        rule(
            "date_order",
            "Action {row} : elle finit avant de commencer.",
            start={"field": "actions", "child": "date_debut"},
            end={"field": "actions", "child": "date_fin"},
        )
    )
    rows = [
        {"_id": "a1", "date_debut": "2022-01-01", "date_fin": "2022-02-01"},
        {"_id": "a2", "date_debut": "2022-03-01", "date_fin": "2022-02-01"},
        {"_id": "a3", "date_debut": "2022-03-01"},
    ]
    (p,) = found(t, {"actions": rows})
    assert (p.path, p.row_index, p.location, p.message) == (
        "actions[a2].date_fin",
        1,
        "Action 2",
        "Action 2 : elle finit avant de commencer.",
    )


def test_date_order_row_against_top_level():
    t = template(
        rule(
            "date_order",
            "Avant le début du projet.",
            start={"field": "debut"},
            end={"field": "actions", "child": "date_debut"},
        )
    )
    rows = [{"_id": "a1", "date_debut": "2022-01-01"}, {"_id": "a2", "date_debut": "2021-12-01"}]
    assert [p.path for p in found(t, {"debut": "2022-01-01", "actions": rows})] == ["actions[a2].date_debut"]


def test_deadline_warns_once_passed_with_the_date():
    t = template(
        rule(
            "deadline",
            "La date limite ({date}) est passée.",
            severity="avertissement",
            date={"param": "deadline"},
            section="porteur",
        )
    )
    assert found(t, today=dt.date(2021, 10, 11)) == ()
    (p,) = found(t, today=dt.date(2021, 10, 12))
    assert (p.path, p.display_path, p.section_id, p.severity, p.message) == (
        "",
        "",
        "porteur",
        Severity.AVERTISSEMENT,
        "La date limite (11/10/2021) est passée.",
    )


def test_deadline_without_section_is_dossier_wide_and_first():
    t = template(
        rule("deadline", "Passée : {date}.", severity="avertissement", date={"value": "2021-10-11"}),
        rule("rows_include", "Ajoutez {value}.", field="consortium", child="type_structure", values=["CD"])
        | {"id": "r2"},
    )
    got = found(t, today=dt.date(2022, 1, 1))
    assert [(p.section_id, p.path) for p in got] == [("", ""), ("consortium", "consortium")]


def test_unknown_placeholders_are_left_as_written():
    t = template(
        rule("at_most", "{value} > {limit} {inconnu} {{x}}", value={"value": "2"}, max={"value": "1"})
    )
    (p,) = found(t)
    assert plain(p.message) == "2,00 € > 1,00 € {inconnu} {{x}}"
    assert (p.path, p.section_id) == ("", "")


def test_rules_about_hidden_fields_stay_silent():
    sections = [
        {
            "id": "s",
            "title": "S",
            "fields": [
                f("mode", "drop_down_list", options=["a", "b"]),
                f(
                    "rep",
                    "repetition",
                    visible_if={"field": "mode", "equals": "a"},
                    children=[f("k", "drop_down_list", options=["x"])],
                ),
            ],
        }
    ]
    t = make_template(
        sections,
        [
            rule("rows_include", "Ajoutez x.", field="rep", child="k", values=["x"]),
            rule("min_rows", "Deux lignes.", field="rep", min=2) | {"id": "r2"},
        ],
    )
    assert found(t, {"mode": "b"}) == ()
    assert [p.rule_id for p in found(t, {"mode": "a"})] == ["r_rows_include", "r2"]


def test_every_placeholder_a_kind_declares_is_filled():
    """Each kind fills exactly the placeholders it declares (so templates can be checked against them)."""
    from spie_desktop.checks.cross_rules import placeholders

    cases = {
        "rows_include": (rule("rows_include", field="consortium", child="type_structure", values=["CD"]), {}),
        "min_rows": (rule("min_rows", field="actions", min=1), {}),
        "rows_require": (
            rule(
                "rows_require",
                field="consortium",
                child="lettre",
                where={"child": "type_structure", "equals": "CD"},
            ),
            {"consortium": [{"_id": "r1", "type_structure": "CD"}]},
        ),
        "required_if": (
            rule("required_if", field="precision", when={"field": "type_porteur", "equals": "CD"}),
            {"type_porteur": "CD"},
        ),
        "sum_equals": (rule("sum_equals", left={"value": "1"}, right={"value": "2"}), {}),
        "at_most": (rule("at_most", value={"value": "3"}, max={"value": "2"}), {}),
        "ratio_at_most": (
            rule("ratio_at_most", numerator={"value": "3"}, denominator={"value": "2"}, max={"value": "1"}),
            {},
        ),
        "ratio_at_least": (
            rule("ratio_at_least", numerator={"value": "1"}, denominator={"value": "2"}, min={"value": "1"}),
            {},
        ),
        "dates_within": (
            rule("dates_within", dates=[{"field": "debut"}], start={"param": "start"}, end={"param": "end"}),
            {"debut": "2021-01-01"},
        ),
        "date_order": (
            rule("date_order", start={"field": "debut"}, end={"field": "fin"}),
            {"debut": "2022-02-01", "fin": "2022-01-01"},
        ),
        "deadline": (rule("deadline", date={"value": "2021-01-01"}), {}),
    }
    assert set(cases) == set(KINDS)
    for kind, (raw, answers) in cases.items():
        names = sorted(placeholders(kind))
        raw["message"] = "|".join(f"{{{n}}}" for n in names)
        (p,) = [p for p in found(template(raw), answers) if p.rule_id == raw["id"]]
        assert "{" not in p.message, (kind, p.message)


def test_a_date_written_with_a_time_in_a_date_field_is_invalid_for_rules_too():
    t = template(rule("date_order", "Fin avant début.", start={"field": "debut"}, end={"field": "fin"}))
    got = found(t, {"debut": "2022-02-01T10:00", "fin": "2022-01-01"})
    assert [p.rule_id for p in got] == ["format.date"]
