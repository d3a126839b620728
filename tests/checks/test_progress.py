"""Section progress and states: what counts as required, answered, started, complete."""

from __future__ import annotations

from checkkit import attachment, make_template, snapshot

from spie_desktop.checks import SectionState, check


def f(id, type="text", **extra):
    return {"id": id, "type": type, "label": id, **extra}


SECTIONS = [
    {
        "id": "a",
        "title": "A. Porteur",
        "fields": [
            f("intro", "explication"),
            f("nom", required=True),
            f("siret", "siret", required=True),
            f("note"),
            f("kind", "drop_down_list", options=["CD", "Autre"]),
            f(
                "accord",
                "piece_justificative",
                required=True,
                visible_if={"field": "kind", "equals": "Autre"},
            ),
        ],
    },
    {
        "id": "b",
        "title": "B. Consortium",
        "fields": [
            f(
                "membres",
                "repetition",
                required=True,
                min_rows=2,
                children=[
                    f("structure", required=True),
                    f("mail", "email"),
                    f("lettre", "piece_justificative", required=True),
                ],
            ),
        ],
    },
    {"id": "c", "title": "C. Facultatif", "fields": [f("remarque", "textarea"), f("ok", "checkbox")]},
    {"id": "d", "title": "D. Lecture", "fields": [f("aide", "explication")]},
]
T = make_template(SECTIONS)


def progress(answers=None, attachments=()):
    report = check(snapshot(T, answers, attachments))
    return report, {s.section_id: s for s in report.sections}


def test_blank_dossier():
    report, s = progress()
    assert [(x.section_id, x.answered, x.required, x.state) for x in report.sections] == [
        ("a", 0, 2, SectionState.NOT_STARTED),  # "accord" is hidden: not counted
        ("b", 0, 1, SectionState.NOT_STARTED),  # the repetition counts 1; no rows, no children
        ("c", 0, 0, SectionState.NOT_STARTED),
        ("d", 0, 0, SectionState.COMPLETE),  # nothing to answer at all
    ]
    assert (report.answered, report.required, report.progress) == (0, 3, 0.0)
    assert s["a"].blocking == 2 and s["a"].remaining == 2


def test_missing_answers_leave_a_section_in_progress():
    _, s = progress({"nom": "CD du Val-Fictif"})
    assert (s["a"].answered, s["a"].required, s["a"].state) == (1, 2, SectionState.IN_PROGRESS)


def test_an_optional_answer_starts_a_section():
    _, s = progress({"note": "à voir"})
    assert s["a"].state is SectionState.IN_PROGRESS


def test_wrong_answer_makes_problems():
    _, s = progress({"nom": "CD", "siret": "123"})
    assert (s["a"].answered, s["a"].state) == (2, SectionState.PROBLEMS)


def test_complete_and_conditional_field_counted_once_visible():
    _, s = progress({"nom": "CD", "siret": "73282932000074", "kind": "CD"})
    assert (s["a"].answered, s["a"].required, s["a"].state) == (2, 2, SectionState.COMPLETE)
    _, s = progress({"nom": "CD", "siret": "73282932000074", "kind": "Autre"})
    assert (s["a"].answered, s["a"].required, s["a"].state) == (2, 3, SectionState.IN_PROGRESS)
    _, s = progress({"nom": "CD", "siret": "73282932000074", "kind": "Autre"}, [attachment("accord")])
    assert (s["a"].answered, s["a"].required, s["a"].state) == (3, 3, SectionState.COMPLETE)


def test_warnings_do_not_prevent_complete():
    t = make_template(
        [{"id": "s", "title": "S", "fields": [f("t", "textarea", required=True, character_limit=400)]}]
    )
    report = check(snapshot(t, {"t": "x" * 500}))
    assert report.sections[0].state is SectionState.COMPLETE and report.sections[0].warnings == 1
    assert report.can_file


def test_repetition_rows_count_their_required_children():
    rows = [{"_id": "r1", "structure": "CD"}, {"_id": "r2"}]
    _, s = progress({"membres": rows}, [attachment("membres[r1].lettre")])
    # repetition (2 rows ≥ min_rows 2) + 2 rows × (structure, lettre)
    assert (s["b"].answered, s["b"].required, s["b"].state) == (1 + 2, 1 + 4, SectionState.IN_PROGRESS)
    _, s = progress({"membres": rows[:1]}, [attachment("membres[r1].lettre")])
    assert (s["b"].answered, s["b"].required) == (0 + 2, 1 + 2)  # one row is short of min_rows
    rows[1]["structure"] = "Pôle emploi"
    _, s = progress(
        {"membres": rows}, [attachment("membres[r1].lettre"), attachment("membres[r2].lettre", id=2)]
    )
    assert (s["b"].answered, s["b"].required, s["b"].state) == (5, 5, SectionState.COMPLETE)


def test_unticked_checkbox_is_not_an_answer():
    _, s = progress({"ok": False})
    assert s["c"].state is SectionState.NOT_STARTED
    _, s = progress({"ok": True})
    assert s["c"].state is SectionState.COMPLETE


def test_overall_progress():
    report, _ = progress({"nom": "CD", "siret": "73282932000074"})
    assert (report.answered, report.required) == (2, 3)
    assert abs(report.progress - 2 / 3) < 1e-9
