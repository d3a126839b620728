"""The built-in templates' own fields and rules: a blank dossier lists every required answer, a
complete one has nothing blocking, and each rule of the call fires when it should. Also the
example dossier shipped with the application, when it is there."""

from __future__ import annotations

import datetime as dt

import pytest
from checkkit import EXAMPLE, TEMPLATE_2020, TEMPLATE_2021, load_example, sample_value, snapshot

from spie_desktop.checks import SectionState, Severity, check
from spie_desktop.forms import is_visible, load_template_file
from spie_desktop.forms.types import FieldType
from spie_desktop.snapshot import AttachmentInfo

BEFORE_DEADLINE = dt.date(2021, 9, 1)

pytestmark = pytest.mark.skipif(
    not TEMPLATE_2021.exists(), reason="le modèle 2021 n'est pas encore dans resources/templates"
)


@pytest.fixture(scope="module")
def t2021():
    return load_template_file(TEMPLATE_2021)


def test_blank_dossier_lists_every_required_field_of_every_section(t2021):
    report = check(snapshot(t2021), today=BEFORE_DEADLINE)
    required = {(p.section_id, p.path) for p in report.problems if p.rule_id == "required"}
    expected = {
        (s.id, f.id)
        for s, f in t2021.iter_fields()
        if f.type.holds_answer and f.required and is_visible(f, {})
    }
    assert required == expected
    sections_with_required = {s.id for s, f in t2021.iter_fields() if f.required}
    assert sections_with_required == {s.id for s in t2021.sections if any(f.required for f in s.fields)}
    assert {sid for sid, _ in required} == sections_with_required
    for p in report.problems:
        assert p.message and (p.field_label or not p.path)
    for s in report.sections:
        assert s.answered == 0 and s.state in (SectionState.NOT_STARTED, SectionState.COMPLETE)
        assert s.required == sum(1 for sid, _ in expected if sid == s.section_id)
    assert not report.can_file and report.progress == 0.0


def test_blank_dossier_of_the_2020_template():
    if not TEMPLATE_2020.exists():
        pytest.skip("le modèle 2020 n'est pas encore dans resources/templates")
    report = check(snapshot(load_template_file(TEMPLATE_2020)), today=BEFORE_DEADLINE)
    assert report.required > 0 and not report.can_file


# -- a complete dossier, built from the template itself ----------------------------------------

ROWS = {"consortium": 8, "actions": 5}


def complete(t):
    """Every visible field answered validly, every attachment given, the budget balanced."""
    answers, atts = {}, []

    def attach(path):
        atts.append(AttachmentInfo(len(atts) + 1, path, "piece.pdf", "application/pdf", 2048, "0" * 64))

    for _s, f in t.iter_fields():
        if not f.type.holds_answer or not is_visible(f, answers):
            continue
        if f.type is FieldType.PIECE_JUSTIFICATIVE:
            attach(f.id)
        elif f.is_repetition:
            rows = []
            for i in range(ROWS.get(f.id, max(2, f.min_rows or 0))):
                row = {"_id": f"r{f.id[:4]}{i}"}
                for c in f.children:
                    if c.type is FieldType.PIECE_JUSTIFICATIVE:
                        attach(f"{f.id}[{row['_id']}].{c.id}")
                    elif is_visible(c, answers, row):
                        row[c.id] = sample_value(c, i)
                rows.append(row)
            answers[f.id] = rows
        else:
            answers[f.id] = sample_value(f)
    answers["date_debut_projet"], answers["date_fin_projet"] = "2022-01-01", "2023-12-31"
    for row in answers["actions"]:
        row["date_debut"], row["date_fin"] = "2022-01-01", "2023-06-30"
    for row in answers["jalons"]:
        row["date"] = "2022-09-30"
    for row in answers["depenses"]:
        row["montant"] = "250000.00"
    answers["ressources"] = [
        {**answers["ressources"][0], "nature": "État", "montant": "400000.00"},
        {**answers["ressources"][1], "nature": "Conseil départemental", "montant": "100000.00"},
    ]
    answers["montant_etat"] = "400000.00"
    return answers, atts


def test_a_complete_dossier_has_nothing_blocking(t2021):
    answers, atts = complete(t2021)
    report = check(snapshot(t2021, answers, atts), today=BEFORE_DEADLINE)
    assert report.problems == ()
    assert all(s.state is SectionState.COMPLETE for s in report.sections), report.sections
    assert report.progress == 1.0


def fired(t, answers, atts=(), today=BEFORE_DEADLINE):
    """Problems raised by the template's own rules (the per-field ones are tested elsewhere)."""
    ids = {r.id for r in t.rules}
    return [p for p in check(snapshot(t, answers, atts), today=today).problems if p.rule_id in ids]


def test_the_consortium_must_include_the_cd_and_pole_emploi(t2021):
    answers, atts = complete(t2021)
    answers["consortium"] = [r for r in answers["consortium"] if r["type_structure"] != "Pôle emploi"]
    (p,) = fired(t2021, answers, atts)
    assert (
        p.rule_id == "consortium_membres_obligatoires"
        and "Pôle emploi" in p.message
        and p.path == "consortium"
    )


def test_commitment_letters_of_the_cd_and_pole_emploi(t2021):
    answers, atts = complete(t2021)
    pe_row = next(r for r in answers["consortium"] if r["type_structure"] == "Pôle emploi")
    atts = [a for a in atts if a.path != f"consortium[{pe_row['_id']}].lettre_engagement"]
    (p,) = fired(t2021, answers, atts)
    assert p.rule_id == "lettres_engagement_cd_pole_emploi"
    assert p.path == f"consortium[{pe_row['_id']}].lettre_engagement" and p.row_index == 1


def test_at_least_min_actions(t2021):
    answers, atts = complete(t2021)
    answers["actions"] = answers["actions"][:3]
    (p,) = fired(t2021, answers, atts)
    assert p.rule_id == "actions_minimum" and "compte 3 action" in p.message and "au moins 4" in p.message


def test_dates_within_the_project_years(t2021):
    answers, atts = complete(t2021)
    answers["jalons"][1]["date"] = "2024-01-15"
    path = f"jalons[{answers['jalons'][1]['_id']}].date"
    got = [
        p
        for p in check(snapshot(t2021, answers, atts), today=BEFORE_DEADLINE).problems
        if p.path == path and p.blocking
    ]
    # the field's own range and the call's dates rule agree: the person reads one message, not two
    assert [(p.path, p.row_index) for p in got] == [(path, 1)]
    assert got[0].rule_id in ("range.end_date", "dates_dans_periode")
    assert "15/01/2024" in got[0].message


def test_budget_balance_state_cap_and_share(t2021):
    answers, atts = complete(t2021)
    answers["ressources"][1]["montant"] = "99999.99"
    assert [p.rule_id for p in fired(t2021, answers, atts)] == ["budget_equilibre"]
    answers, atts = complete(t2021)
    for row in answers["depenses"]:
        row["montant"] = "400000.00"
    answers["ressources"][0]["montant"] = answers["montant_etat"] = "700000.00"
    got = fired(t2021, answers, atts)
    assert [p.rule_id for p in got] == ["plafond_etat", "cofinancement"]
    assert "700 000,00" in got[0].message.replace("\u00a0", " ") and "500 000,00" in got[0].message.replace(
        "\u00a0", " "
    )
    assert got[1].severity is Severity.AVERTISSEMENT and "87,5" in got[1].message


def test_deadline_warning_shows_the_date(t2021):
    answers, atts = complete(t2021)
    (p,) = fired(t2021, answers, atts, today=dt.date(2021, 10, 12))
    assert p.severity is Severity.AVERTISSEMENT and "11/10/2021" in p.message and p.path == ""


# -- the example dossier ------------------------------------------------------------------------


@pytest.mark.skipif(
    not EXAMPLE.exists(), reason="le dossier d'exemple n'est pas encore dans resources/examples"
)
def test_the_example_dossier_has_no_blocking_problem(t2021):
    snap = load_example(t2021)
    report = check(snap, today=BEFORE_DEADLINE)
    assert report.blocking == (), [(p.display_path, p.message) for p in report.blocking]
    assert report.progress == 1.0
    later = check(snap)
    assert later.can_file  # after the deadline: a warning only


def test_builtin_rule_messages_use_only_filled_placeholders():
    from spie_desktop.checks.cross_rules import unknown_placeholders

    for path in (TEMPLATE_2021, TEMPLATE_2020):
        if path.exists():
            t = load_template_file(path)
            assert {r.id: unknown_placeholders(r) for r in t.rules if unknown_placeholders(r)} == {}, (
                path.name
            )
