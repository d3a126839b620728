"""Re-checking after an edit: only what the changed paths can affect, and the same report as
:func:`~spie_desktop.checks.engine.check` (a property test holds the two equal).

What an edit can affect is derived from the template once per plan (:class:`Dependencies`):
the edited field's own checks (only the edited row inside a repetition), the fields whose
``visible_if`` names it, and the cross-field rules whose declaration names it (or names a field
whose visibility it decides). Each top-level field, each repetition's row count and each row keeps
its problems and progress counts; a section's counts are updated by difference, and its problem
list is rebuilt only when one of its parts changed.

Without changed paths, the checker compares the new snapshot with the last one (identity first,
then row by row), which is still far cheaper than checking everything; a new template or a new
``today`` means a full check.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from ..forms.paths import FieldPath
from ..snapshot import AttachmentInfo, DossierSnapshot
from .engine import (
    CheckContext,
    FieldPlan,
    Row,
    TemplatePlan,
    _check_field,
    _check_row,
    _check_row_count,
    _Tally,
    assemble,
    plan_for,
)
from .report import CompletenessReport, Problem

_DEPS_ATTR = "_incremental_dependencies"


class Dependencies:
    """For each top-level field id, what must be re-checked when its answer changes."""

    def __init__(self, plan: TemplatePlan) -> None:
        # field id -> top-level fields (repetitions as a whole) whose visibility it decides
        self.shown_by: dict[str, set[str]] = {}
        for fp in plan.fields.values():
            if fp.spec.visible_if is not None:
                self.shown_by.setdefault(fp.spec.visible_if.field, set()).add(fp.id)
            for cp in fp.children:
                if cp.spec.visible_if is not None:
                    self.shown_by.setdefault(cp.spec.visible_if.field, set()).add(fp.id)
        # field id -> indexes of the rules that read it
        self.rules_of: dict[str, set[int]] = {}
        for i, rule in enumerate(plan.template.rules):
            for fid in rule_inputs(rule.args, plan):
                self.rules_of.setdefault(fid, set()).add(i)
        self.section_of = {fp.id: fp.section_id for fp in plan.fields.values()}


def rule_inputs(args: Any, plan: TemplatePlan) -> set[str]:
    """The top-level fields a rule's declaration names (``{"field": …}`` at any depth, in operands,
    ``where``/``when``, date references), with the fields deciding their visibility and their
    children's: whatever changes one of these may change what the rule says."""
    named: set[str] = set()
    stack = [args]
    while stack:
        item = stack.pop()
        if isinstance(item, Mapping):
            fid = item.get("field")
            if isinstance(fid, str) and fid in plan.fields:
                named.add(fid)
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
    inputs = set(named)
    for fid in named:
        fp = plan.fields[fid]
        for spec in (fp.spec, *(c.spec for c in fp.children)):
            if spec.visible_if is not None:
                inputs.add(spec.visible_if.field)
    return inputs


def dependencies_for(plan: TemplatePlan) -> Dependencies:
    deps = plan.__dict__.get(_DEPS_ATTR)
    if deps is None:
        deps = Dependencies(plan)
        setattr(plan, _DEPS_ATTR, deps)
    return deps


class _Unit(_Tally):
    """The problems and progress counts of one part of the form: a top-level field, a repetition's
    row count, or one row."""

    __slots__ = ("problems",)

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[Problem] = []


_EMPTY = _Unit()


class _Repetition:
    __slots__ = ("header", "index", "rows")

    def __init__(self) -> None:
        self.header = _EMPTY
        self.rows: list[_Unit] = []
        self.index: dict[str, int] = {}  # row id (as in problem paths) -> position

    def units(self) -> Iterable[_Unit]:
        yield self.header
        yield from self.rows


class _SectionTotals(_Tally):
    __slots__ = ("started_units",)

    def __init__(self) -> None:
        super().__init__()
        self.started_units = 0

    def add(self, unit: _Tally, sign: int) -> None:
        self.required += sign * unit.required
        self.answered += sign * unit.answered
        self.started_units += sign * unit.started
        self.started = self.started_units > 0


class IncrementalChecker:
    """Keeps the parts of the last check; :meth:`check` re-computes only what changed."""

    def __init__(self) -> None:
        self._plan: TemplatePlan | None = None
        self._today: date | None = None
        self._answers: Mapping[str, Any] = {}
        self._attachments: tuple[AttachmentInfo, ...] = ()
        self._parts: dict[str, _Unit | _Repetition] = {}
        self._totals: dict[str, _SectionTotals] = {}
        self._section_problems: dict[str, list[Problem] | None] = {}
        self._rule_problems: list[list[Problem]] = []
        self._rows: dict[str, list[Row]] = {}  # rows of visible repetitions, as the rules read them

    def check(
        self, snapshot: DossierSnapshot, changed: Iterable[str] | None = None, *, today: date | None = None
    ) -> CompletenessReport:
        """The report of ``snapshot``. ``changed``: the stored paths whose answers (or files) may
        differ from the last snapshot checked here (a repetition's id when its rows were added,
        removed or moved); None compares the snapshots instead."""
        plan = plan_for(snapshot.template)
        today = today or date.today()
        answers = snapshot.answers if isinstance(snapshot.answers, Mapping) else {}
        if plan is not self._plan or today != self._today:
            return self._full(plan, snapshot, answers, today)
        dirty_rows: dict[str, set[str]] = {}
        dirty = (
            self._dirty_from_paths(plan, changed, dirty_rows)
            if changed is not None
            else self._dirty_from_diff(plan, answers, dirty_rows)
        )
        if dirty is None:
            return self._full(plan, snapshot, answers, today)
        attachments = tuple(snapshot.attachments or ())
        if attachments != self._attachments:
            self._dirty_from_attachments(plan, attachments, dirty, dirty_rows)
        self._answers, self._attachments = answers, attachments
        ctx = CheckContext(plan, snapshot, today)
        deps = dependencies_for(plan)
        whole = set(dirty)
        for fid in dirty:
            whole.update(deps.shown_by.get(fid, ()))
        for fid, rows in self._rows.items():
            if fid not in whole:
                ctx._rows[fid] = rows  # unchanged rows need not be read again (edited ones are replaced)
        for fid in whole:
            self._recompute(ctx, plan.fields[fid])
        for fid, row_ids in dirty_rows.items():
            if fid not in whole:
                self._recompute_rows(ctx, plan.fields[fid], row_ids)
        rules = set().union(*(deps.rules_of.get(fid, ()) for fid in whole | dirty_rows.keys()))
        for i in rules:
            self._rule_problems[i] = list(plan.rules[i].evaluate(ctx))
        return self._report(plan, snapshot)

    # -- what changed ----------------------------------------------------------------------------

    def _dirty_from_paths(
        self, plan: TemplatePlan, changed: Iterable[str], dirty_rows: dict[str, set[str]]
    ) -> set[str] | None:
        dirty: set[str] = set()
        for path in changed:
            try:
                p = FieldPath.parse(path)
            except (ValueError, TypeError):
                return None
            fp = plan.fields.get(p.field)
            if fp is None:
                continue  # not a question of this template: no check reads it
            if p.row is None or not fp.is_repetition:
                dirty.add(fp.id)
            else:
                dirty_rows.setdefault(fp.id, set()).add(p.row)
        return dirty

    def _dirty_from_diff(
        self, plan: TemplatePlan, answers: Mapping[str, Any], dirty_rows: dict[str, set[str]]
    ) -> set[str]:
        old_answers = self._answers
        dirty: set[str] = set()
        for fid, fp in plan.fields.items():
            old, new = old_answers.get(fid), answers.get(fid)
            if old is new:
                continue
            if fp.is_repetition and isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
                rows: set[str] = set()
                for a, b in zip(old, new, strict=True):
                    if a is b or a == b:
                        continue
                    rid_a = a.get("_id") if isinstance(a, Mapping) else None
                    rid_b = b.get("_id") if isinstance(b, Mapping) else None
                    if rid_a != rid_b or not isinstance(rid_b, str):
                        dirty.add(fid)
                        break
                    rows.add(rid_b)
                else:
                    if rows:
                        dirty_rows.setdefault(fid, set()).update(rows)
                continue
            if old != new:
                dirty.add(fid)
        return dirty

    def _dirty_from_attachments(
        self,
        plan: TemplatePlan,
        attachments: tuple[AttachmentInfo, ...],
        dirty: set[str],
        dirty_rows: dict[str, set[str]],
    ) -> None:
        for a in set(attachments).symmetric_difference(self._attachments):
            try:
                p = FieldPath.parse(a.path)
            except (ValueError, TypeError):
                continue
            if p.field not in plan.fields:
                continue
            if p.row is None:
                dirty.add(p.field)
            else:
                dirty_rows.setdefault(p.field, set()).add(p.row)

    # -- recomputing parts -----------------------------------------------------------------------

    def _replace(self, fp: FieldPlan, part: _Unit | _Repetition) -> None:
        totals = self._totals[fp.section_id]
        old = self._parts.get(fp.id)
        if old is not None:
            for unit in old.units() if isinstance(old, _Repetition) else (old,):
                totals.add(unit, -1)
        for unit in part.units() if isinstance(part, _Repetition) else (part,):
            totals.add(unit, 1)
        self._parts[fp.id] = part
        self._section_problems[fp.section_id] = None

    def _recompute(self, ctx: CheckContext, fp: FieldPlan) -> None:
        visible = fp.spec.visible_if is None or ctx.visible(fp)
        if not fp.is_repetition:
            unit = _Unit()
            if visible:
                _check_field(ctx, fp, None, unit, unit.problems)
            self._replace(fp, unit)
            return
        rep = _Repetition()
        self._rows.pop(fp.id, None)
        ctx._rows.pop(fp.id, None)  # read the rows afresh, not the ones kept from the last check
        if visible:
            rows = self._rows[fp.id] = ctx.rows(fp)
            rep.header = _Unit()
            _check_row_count(ctx, fp, len(rows), rep.header, rep.header.problems)
            for row in rows:
                unit = _Unit()
                _check_row(ctx, fp, row, unit, unit.problems)
                rep.index[row.id] = row.index
                rep.rows.append(unit)
        self._replace(fp, rep)

    def _recompute_rows(self, ctx: CheckContext, fp: FieldPlan, row_ids: set[str]) -> None:
        rep = self._parts.get(fp.id)
        if not isinstance(rep, _Repetition):
            self._recompute(ctx, fp)
            return
        raw = ctx.answers.get(fp.id)
        if not rep.rows:  # hidden, or no rows: a row edit there changes nothing the checks see
            if not isinstance(raw, list) or not raw or not (fp.spec.visible_if is None or ctx.visible(fp)):
                return
            self._recompute(ctx, fp)
            return
        if not isinstance(raw, list) or len(raw) != len(rep.rows):
            self._recompute(ctx, fp)  # rows added or removed underneath: the caller's paths were not enough
            return
        targets: list[tuple[int, Mapping[str, Any]]] = []
        for rid in row_ids:
            i = rep.index.get(rid)
            values = raw[i] if i is not None and i < len(raw) else None
            if i is None or not isinstance(values, Mapping) or values.get("_id") != rid:
                self._recompute(ctx, fp)  # the rows moved underneath
                return
            targets.append((i, values))
        totals = self._totals[fp.section_id]
        rows = self._rows[fp.id]
        for i, values in targets:
            unit = _Unit()
            row = rows[i] = Row(fp, i, values)
            _check_row(ctx, fp, row, unit, unit.problems)
            totals.add(rep.rows[i], -1)
            totals.add(unit, 1)
            rep.rows[i] = unit
        self._section_problems[fp.section_id] = None

    def _full(
        self, plan: TemplatePlan, snapshot: DossierSnapshot, answers: Mapping[str, Any], today: date
    ) -> CompletenessReport:
        self._plan, self._today = plan, today
        self._answers, self._attachments = answers, tuple(snapshot.attachments or ())
        self._parts = {}
        self._rows = {}
        self._totals = {sp.id: _SectionTotals() for sp in plan.sections}
        self._section_problems = {sp.id: None for sp in plan.sections}
        ctx = CheckContext(plan, snapshot, today)
        for fp in plan.fields.values():
            self._recompute(ctx, fp)
        self._rule_problems = [list(rule.evaluate(ctx)) for rule in plan.rules]
        return self._report(plan, snapshot)

    def _report(self, plan: TemplatePlan, snapshot: DossierSnapshot) -> CompletenessReport:
        by_section: dict[str, list[Problem]] = {}
        for sp in plan.sections:
            found = self._section_problems.get(sp.id)
            if found is None:
                found = []
                for fp in sp.fields:
                    part = self._parts[fp.id]
                    if isinstance(part, _Repetition):
                        found.extend(part.header.problems)
                        for unit in part.rows:
                            if unit.problems:
                                found.extend(unit.problems)
                    else:
                        found.extend(part.problems)
                self._section_problems[sp.id] = found
            by_section[sp.id] = list(found)
        return assemble(plan, by_section, self._totals, self._rule_problems, snapshot)
