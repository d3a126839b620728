"""The incremental re-check gives the full check's report after any sequence of edits, and it
re-checks only what an edit can affect (one row, not the whole repetition)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from checkkit import load_example, sample_value, snapshot
from hypothesis import HealthCheck, given, settings, strategies as st
from test_property import TEMPLATE as SYNTHETIC, value as odd_value

from spie_desktop.checks import IncrementalChecker, check, incremental as incremental_module
from spie_desktop.checks.engine import plan_for
from spie_desktop.checks.incremental import dependencies_for
from spie_desktop.forms.types import FieldType
from spie_desktop.snapshot import AttachmentInfo, DossierSnapshot

TODAY = dt.date(2021, 10, 1)
EXAMPLE = load_example()


def _fields(template):
    return [
        spec for _s, spec in template.iter_fields() if spec.type.holds_answer and not spec.type.is_online_only
    ]


def _edits(template):
    """Edits a person (or a merge) can make: answers, cells, rows added, removed or moved, files."""
    fields = _fields(template)
    reps = {f.id: f for f in fields if f.is_repetition and f.children}
    scalars = {f.id: f for f in fields if not f.is_repetition and f.type is not FieldType.PIECE_JUSTIFICATIVE}

    def answer(spec):
        valid = (
            []
            if spec.type is FieldType.PIECE_JUSTIFICATIVE
            else [sample_value(spec, 0), sample_value(spec, 1)]
        )
        return st.sampled_from([*valid, None, ""]) | odd_value

    set_field = st.sampled_from(sorted(scalars)).flatmap(
        lambda fid: st.tuples(st.just("set"), st.just(fid), answer(scalars[fid]))
    )
    kids = {
        rid: [c for c in rep.children if c.type.holds_answer and not c.type.is_online_only]
        for rid, rep in reps.items()
    }
    set_cell = st.sampled_from(sorted(reps)).flatmap(
        lambda rid: st.integers(0, len(kids[rid]) - 1).flatmap(
            lambda k: st.tuples(
                st.just("cell"),
                st.just(rid),
                st.integers(0, 40),
                st.just(kids[rid][k].id),
                answer(kids[rid][k]),
            )
        )
    )
    rows = st.tuples(
        st.sampled_from(["add", "del", "move"]),
        st.sampled_from(sorted(reps)),
        st.integers(0, 40),
        st.integers(0, 40),
    )
    files = st.tuples(
        st.sampled_from(["attach", "unattach"]),
        st.sampled_from([f.id for f in fields]),
        st.integers(0, 40),
        st.integers(-1, 2**40),
    )
    return st.lists(set_field | set_cell | rows | files, min_size=1, max_size=12)


class Dossier:
    """Answers edited as the window would: every snapshot a new value, unchanged parts equal."""

    def __init__(self, snap: DossierSnapshot) -> None:
        self.snap = snap
        self.answers: dict[str, Any] = {
            k: ([dict(r) if isinstance(r, dict) else r for r in v] if isinstance(v, list) else v)
            for k, v in snap.answers.items()
        }
        self.attachments = list(snap.attachments)
        self.serial = 0

    def apply(self, edit: tuple) -> list[str]:
        kind, fid = edit[0], edit[1]
        self.serial += 1
        if kind == "set":
            self.answers[fid] = edit[2]
            return [fid]
        if kind in ("attach", "unattach"):
            return self._file(kind, fid, edit[2], edit[3])
        rows = self.answers.get(fid)
        rows = [r for r in rows] if isinstance(rows, list) else []
        self.answers[fid] = rows
        if kind == "cell":
            if not rows or not isinstance(rows[edit[2] % len(rows)], dict):
                return []
            i = edit[2] % len(rows)
            rows[i] = {**rows[i], edit[3]: edit[4]}
            return [f"{fid}[{rows[i]['_id']}].{edit[3]}"]
        if kind == "add":
            rows.insert(edit[2] % (len(rows) + 1), {"_id": f"n{self.serial}"})
        elif kind == "del" and rows:
            rows.pop(edit[2] % len(rows))
        elif kind == "move" and rows:
            rows.insert(edit[3] % len(rows), rows.pop(edit[2] % len(rows)))
        return [fid]

    def _file(self, kind: str, fid: str, n: int, size: int) -> list[str]:
        if kind == "unattach":
            if not self.attachments:
                return []
            gone = self.attachments.pop(n % len(self.attachments))
            return [gone.path]
        rows = (
            [r for r in self.answers.get(fid) or () if isinstance(r, dict) and isinstance(r.get("_id"), str)]
            if isinstance(self.answers.get(fid), list)
            else []
        )
        spec = next(f for f in _fields(self.snap.template) if f.id == fid)
        path = fid
        if spec.is_repetition:
            if not rows or not spec.children:
                return []
            path = f"{fid}[{rows[n % len(rows)]['_id']}].{spec.children[n % len(spec.children)].id}"
        self.attachments.append(
            AttachmentInfo(1000 + self.serial, path, "f.pdf", "application/pdf", size, "0" * 64)
        )
        return [path]

    def snapshot(self) -> DossierSnapshot:
        answers = {k: (list(v) if isinstance(v, list) else v) for k, v in self.answers.items()}
        return DossierSnapshot(self.snap.template, self.snap.info, answers, tuple(self.attachments))


def _replay(start: DossierSnapshot, edits: list[tuple]) -> None:
    dossier = Dossier(start)
    by_paths, by_diff = IncrementalChecker(), IncrementalChecker()
    first = dossier.snapshot()
    assert (
        by_paths.check(first, today=TODAY) == by_diff.check(first, today=TODAY) == check(first, today=TODAY)
    )
    for edit in edits:
        changed = dossier.apply(edit)
        snap = dossier.snapshot()
        full = check(snap, today=TODAY)
        assert by_paths.check(snap, changed, today=TODAY) == full, edit
        assert by_diff.check(snap, today=TODAY) == full, edit


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=_edits(EXAMPLE.template))
def test_random_edits_on_the_example_give_the_full_report(edits):
    _replay(EXAMPLE, edits)


def _synthetic_start() -> DossierSnapshot:
    def answerable(spec):
        return (
            spec.type is not FieldType.PIECE_JUSTIFICATIVE
            and spec.type.holds_answer
            and not spec.type.is_online_only
        )

    answers: dict[str, Any] = {
        f.id: sample_value(f) for f in _fields(SYNTHETIC) if not f.is_repetition and answerable(f)
    }
    for rep in ("rep", "rep2"):
        spec = next(f for f in _fields(SYNTHETIC) if f.id == rep)
        answers[rep] = [
            {"_id": f"{rep}{i}", **{c.id: sample_value(c, i) for c in spec.children if answerable(c)}}
            for i in range(3)
        ]
    return snapshot(SYNTHETIC, answers)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=_edits(SYNTHETIC))
def test_random_edits_with_every_rule_kind_and_conditions_give_the_full_report(edits):
    """The synthetic template has every rule kind, conditional fields and conditional row children."""
    _replay(_synthetic_start(), edits)


def test_a_new_day_or_a_new_template_checks_everything_again():
    checker = IncrementalChecker()
    checker.check(EXAMPLE, today=dt.date(2021, 10, 1))
    late = dt.date(2030, 1, 1)
    assert checker.check(EXAMPLE, [], today=late) == check(EXAMPLE, today=late)  # the deadline has passed


def test_one_edited_row_is_the_only_row_checked_again(monkeypatch):
    checker = IncrementalChecker()
    checker.check(EXAMPLE, today=TODAY)
    checked: list[str] = []
    real = incremental_module._check_row
    monkeypatch.setattr(
        incremental_module,
        "_check_row",
        lambda ctx, fp, row, tally, out: (checked.append(row.id), real(ctx, fp, row, tally, out)),
    )
    dossier = Dossier(EXAMPLE)
    changed = dossier.apply(("cell", "depenses", 2, "montant", "12"))
    snap = dossier.snapshot()
    report = checker.check(snap, changed, today=TODAY)
    assert checked == [EXAMPLE.answers["depenses"][2]["_id"]]
    assert report == check(snap, today=TODAY)
    checked.clear()
    checker.check(snap, today=TODAY)  # nothing changed: nothing is checked again
    assert checked == []


def test_rule_dependencies_come_from_the_declarations():
    plan = plan_for(EXAMPLE.template)
    deps = dependencies_for(plan)
    ids = {i: r.id for i, r in enumerate(plan.template.rules)}
    assert "budget_equilibre" in {ids[i] for i in deps.rules_of["depenses"]}
    assert "ordre_dates_actions" in {ids[i] for i in deps.rules_of["actions"]}
    free = [f.id for f in plan.fields.values() if f.id not in deps.rules_of]
    assert free, "most answers feed no rule: editing them must not re-evaluate any"
    assert "budget_equilibre" not in {ids[i] for f in free for i in deps.rules_of.get(f, ())}


def test_paths_that_miss_a_structural_change_still_give_the_full_report():
    """A caller that names one cell while rows were also added gets the full report, not a stale one."""
    checker = IncrementalChecker()
    checker.check(EXAMPLE, today=TODAY)
    dossier = Dossier(EXAMPLE)
    dossier.apply(("add", "depenses", 0, 0))
    changed = dossier.apply(("cell", "depenses", 3, "montant", "-5"))
    snap = dossier.snapshot()
    assert checker.check(snap, changed, today=TODAY) == check(snap, today=TODAY)
