"""The completeness engine: a dossier snapshot in, a :class:`CompletenessReport` out.

Pure (no Qt, no disk; only the clock when ``today`` is not given) and fast enough to run on
every keystroke: everything that depends only on the template is computed once and kept on
the template object itself (so the cache is keyed on its identity and dies with it).

Progress, per section (only visible fields count, as on the platform):
  * a required top-level field counts 1, answered when it has an answer (a ticked box for a
    checkbox, a file for an attachment);
  * a repetition counts 1 when it is required or has ``min_rows``, answered when it has at least
    max(1, min_rows) rows; and every visible required child of every existing row counts 1.
State: NOT_STARTED when nothing of the section is answered; PROBLEMS when a blocking problem is
a wrong answer or a broken rule (``Problem.missing`` is False); COMPLETE when every required
answer is given and nothing blocks; IN_PROGRESS otherwise (answers still missing).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Iterable, Mapping

from ..forms.conditions import is_visible
from ..forms.paths import ROW_KEY
from ..forms.types import FieldSpec, FieldType, Section, Template
from ..snapshot import AttachmentInfo, DossierSnapshot
from .field_rules import FieldCheck, Finding
from .report import CompletenessReport, Problem, SectionProgress, SectionState, Severity

_PLAN_ATTR = "_completeness_plan"
_ROW_ID = re.compile(r"^[A-Za-z0-9_-]+$")


class FieldPlan:
    """A field with its prepared check, its section and (for a repetition) its children's plans."""

    __slots__ = ("spec", "id", "section_id", "check", "children", "child_index", "is_attachment", "is_repetition",
                 "counts_as_required")

    def __init__(self, spec: FieldSpec, section_id: str, template: Template) -> None:
        self.spec = spec
        self.id = spec.id
        self.section_id = section_id
        self.check = FieldCheck(spec, template.parameters)
        self.is_attachment = spec.type is FieldType.PIECE_JUSTIFICATIVE
        self.is_repetition = spec.type is FieldType.REPETITION
        self.children = tuple(FieldPlan(c, section_id, template) for c in spec.children if c.type.holds_answer)
        self.child_index = {c.id: c for c in self.children}
        self.counts_as_required = spec.required or (self.is_repetition and bool(spec.min_rows))


class SectionPlan:
    __slots__ = ("section", "id", "fields")

    def __init__(self, section: Section, template: Template) -> None:
        self.section = section
        self.id = section.id
        self.fields = tuple(FieldPlan(f, section.id, template) for f in section.fields if f.type.holds_answer)


class TemplatePlan:
    """What checking needs from a template, computed once per template object."""

    def __init__(self, template: Template) -> None:
        from .cross_rules import compile_rule

        self.template = template
        self.sections = tuple(SectionPlan(s, template) for s in template.sections)
        self.fields: dict[str, FieldPlan] = {f.id: f for s in self.sections for f in s.fields}
        self.field_order = {f.id: i for i, f in enumerate(self.fields.values())}
        self.child_order = {(f.id, c.id): i for f in self.fields.values() for i, c in enumerate(f.children)}
        self.rules = tuple(compile_rule(r, self) for r in template.rules)
        # a date already outside its own field's range is not reported again by a dates rule
        self.date_rule_ids = frozenset(r.id for r in template.rules if r.kind == "dates_within")


def plan_for(template: Template) -> TemplatePlan:
    plan = template.__dict__.get(_PLAN_ATTR)
    if plan is None:
        plan = TemplatePlan(template)
        object.__setattr__(template, _PLAN_ATTR, plan)
    return plan


class Row:
    """One repetition row as seen by the checks: its position, stable id and values."""

    __slots__ = ("rep", "field", "index", "id", "values")

    def __init__(self, rep: FieldPlan, index: int, values: Mapping[str, Any]) -> None:
        self.rep = rep
        self.field = rep.id
        self.index = index
        row_id = values.get(ROW_KEY)
        self.id = row_id if isinstance(row_id, str) and _ROW_ID.match(row_id) else str(index)
        self.values = values

    @property
    def location(self) -> str:
        """Where the row is, in French ("Membre 3"): only needed when a problem is reported."""
        label, index = self.rep.spec.row_label, self.index
        return f"{label} {index + 1}" if label else f"Ligne {index + 1} de «\u00a0{self.rep.spec.label}\u00a0»"

    def path(self, child: str) -> str:
        return f"{self.field}[{self.id}].{child}"

    def display_path(self, child: str) -> str:
        return f"{self.field}[{self.index}].{child}"


class CheckContext:
    """One check run: the answers, attachments by path, today's date, and helpers for rules."""

    def __init__(self, plan: TemplatePlan, snapshot: DossierSnapshot, today: date) -> None:
        self.plan = plan
        answers = snapshot.answers
        self.answers: Mapping[str, Any] = answers if isinstance(answers, Mapping) else {}
        self.parameters: Mapping[str, Any] = plan.template.parameters
        self.today = today
        self.attachments: dict[str, list[AttachmentInfo]] = {}
        for a in snapshot.attachments or ():
            self.attachments.setdefault(a.path, []).append(a)
        self._rows: dict[str, list[Row]] = {}
        self._visible: dict[str, bool] = {}

    def visible(self, fp: FieldPlan, row: Row | None = None) -> bool:
        spec = fp.spec
        if spec.visible_if is None:
            return True
        if row is not None:
            return is_visible(spec, self.answers, row.values)
        cached = self._visible.get(fp.id)
        if cached is None:
            cached = self._visible[fp.id] = is_visible(spec, self.answers)
        return cached

    def rows(self, rep: FieldPlan) -> list[Row]:
        rows = self._rows.get(rep.id)
        if rows is None:
            raw = self.answers.get(rep.id)
            rows = []
            if isinstance(raw, list):
                rows = [Row(rep, i, r) for i, r in enumerate(raw) if isinstance(r, Mapping)]
            self._rows[rep.id] = rows
        return rows

    def value(self, fp: FieldPlan, row: Row | None = None) -> Any:
        return self.answers.get(fp.id) if row is None else row.values.get(fp.id)

    def answered(self, fp: FieldPlan, row: Row | None = None) -> bool:
        """Whether a field holds an answer (rows for a repetition, a file for an attachment)."""
        if fp.is_attachment:
            return bool(self.attachments.get(fp.id if row is None else row.path(fp.id)))
        if fp.is_repetition:
            return bool(self.rows(fp))
        return fp.check.answered(self.value(fp, row))

    def problem(
        self,
        fp: FieldPlan | None,
        row: Row | None,
        severity: Severity,
        rule_id: str,
        message: str,
        *,
        missing: bool = False,
        section_id: str | None = None,
    ) -> Problem:
        if fp is None:
            return Problem(severity, section_id or "", "", "", "", message, rule_id, None, missing)
        if row is None:
            path = display = fp.id
            index = None
            location = ""
        else:
            path, display, index, location = row.path(fp.id), row.display_path(fp.id), row.index, row.location
        return Problem(
            severity, section_id or fp.section_id, path, display, fp.spec.label, message, rule_id, index,
            missing, location,
        )

    def from_finding(self, fp: FieldPlan, row: Row | None, f: Finding) -> Problem:
        return self.problem(fp, row, f.severity, f.rule_id, f.message, missing=f.missing)


class _Tally:
    __slots__ = ("required", "answered", "started")

    def __init__(self) -> None:
        self.required = 0
        self.answered = 0
        self.started = False


def check(snapshot: DossierSnapshot, *, today: date | None = None) -> CompletenessReport:
    """Every problem of the dossier and the progress of each section."""
    plan = plan_for(snapshot.template)
    ctx = CheckContext(plan, snapshot, today or date.today())
    by_section: dict[str, list[Problem]] = {s.id: [] for s in plan.sections}
    tallies: dict[str, _Tally] = {}
    for sp in plan.sections:
        tally = tallies[sp.id] = _Tally()
        out = by_section[sp.id]
        for fp in sp.fields:
            if fp.spec.visible_if is not None and not ctx.visible(fp):
                continue
            if fp.is_repetition:
                _check_repetition(ctx, fp, tally, out)
            else:
                _check_field(ctx, fp, None, tally, out)
    return assemble(plan, by_section, tallies, [rule.evaluate(ctx) for rule in plan.rules], snapshot)


def assemble(
    plan: TemplatePlan,
    by_section: dict[str, list[Problem]],
    tallies: Mapping[str, _Tally],
    rule_problems: Iterable[Iterable[Problem]],
    snapshot: DossierSnapshot,
) -> CompletenessReport:
    """The report from each section's field problems (in form order, lists this takes over) and
    each rule's problems: shared by the full check and the incremental one, so both agree."""
    dossier_wide: list[Problem] = []
    out_of_range = {p.path for found in by_section.values() for p in found if p.rule_id.startswith("range.")}
    dated: set[str] = set()
    for found_by_rule in rule_problems:
        for p in found_by_rule:
            if p.rule_id in plan.date_rule_ids:
                if p.path in out_of_range or p.path in dated:
                    continue  # one message per wrong date is enough
                dated.add(p.path)
            target = by_section.get(p.section_id)
            (target if target is not None else dossier_wide).append(p)
    problems: list[Problem] = list(dossier_wide)
    sections = []
    for sp in plan.sections:
        found = by_section[sp.id]
        if plan.rules and len(found) > 1:
            found.sort(key=lambda p: _form_position(plan, p))
        problems.extend(found)
        t = tallies[sp.id]
        sections.append(_progress(sp, t, found))
    from .online_tasks import online_tasks

    return CompletenessReport(tuple(problems), tuple(sections), online_tasks(snapshot))


def _form_position(plan: TemplatePlan, p: Problem) -> tuple[int, int, int]:
    """Where a problem's field sits in the form, so rule problems land beside the field's own."""
    if not p.path:
        return (-1, -1, -1)
    field_id, _, rest = p.path.partition("[")
    child = rest.partition("].")[2]
    return (
        plan.field_order.get(field_id, len(plan.field_order)),
        -1 if p.row_index is None else p.row_index,
        plan.child_order.get((field_id, child), -1),
    )


def _progress(sp: SectionPlan, t: _Tally, found: list[Problem]) -> SectionProgress:
    blocking = sum(1 for p in found if p.severity is Severity.BLOQUANT)
    wrong = any(p.severity is Severity.BLOQUANT and not p.missing for p in found)
    if not t.started and sp.fields:
        state = SectionState.NOT_STARTED
    elif wrong:
        state = SectionState.PROBLEMS
    elif t.answered >= t.required and not blocking:
        state = SectionState.COMPLETE
    else:
        state = SectionState.IN_PROGRESS
    return SectionProgress(sp.id, sp.section.title, t.answered, t.required, blocking, len(found) - blocking, state)


def _check_field(ctx: CheckContext, fp: FieldPlan, row: Row | None, tally: _Tally, out: list[Problem]) -> None:
    check_ = fp.check
    if fp.is_attachment:
        files = ctx.attachments.get(fp.id if row is None else row.path(fp.id))
        answered = bool(files)
        if files:
            out.extend(ctx.from_finding(fp, row, f) for f in check_.validate_attachments(files))
    else:
        value = ctx.answers.get(fp.id) if row is None else row.values.get(fp.id)
        answered = check_.answered(value)
        if value is not None:
            for f in check_.validate(value):
                out.append(ctx.from_finding(fp, row, f))
    if answered:
        tally.started = True
    if fp.spec.required:
        tally.required += 1
        if answered:
            tally.answered += 1
        else:
            out.append(ctx.from_finding(fp, row, check_.required_finding()))


def _check_repetition(ctx: CheckContext, fp: FieldPlan, tally: _Tally, out: list[Problem]) -> None:
    rows = ctx.rows(fp)
    _check_row_count(ctx, fp, len(rows), tally, out)
    for row in rows:
        _check_row(ctx, fp, row, tally, out)


def _check_row(ctx: CheckContext, fp: FieldPlan, row: Row, tally: _Tally, out: list[Problem]) -> None:
    """The visible children of one row of a repetition."""
    for cp in fp.children:
        if cp.spec.visible_if is not None and not is_visible(cp.spec, ctx.answers, row.values):
            continue
        _check_field(ctx, cp, row, tally, out)


def _check_row_count(ctx: CheckContext, fp: FieldPlan, count: int, tally: _Tally, out: list[Problem]) -> None:
    """A repetition as a whole: required, or at least ``min_rows`` rows."""
    spec = fp.spec
    if count:
        tally.started = True
    if fp.counts_as_required:
        need = max(1 if spec.required else 0, spec.min_rows or 0)
        tally.required += 1
        if count >= need and count:
            tally.answered += 1
        elif not count and spec.required:
            out.append(ctx.from_finding(fp, None, fp.check.required_finding()))
        else:
            missing_rows = need - count
            out.append(ctx.problem(
                fp, None, Severity.BLOQUANT, "min_rows",
                f"«\u00a0{spec.label}\u00a0» doit compter au moins {need} ligne{'s' if need > 1 else ''} "
                f"(il y en a {count}) : ajoutez-en {missing_rows}.",
                missing=True,
            ))


def iter_problem_sections(report: CompletenessReport, template: Template) -> Iterable[tuple[str, str, list[Problem]]]:
    """(section id, title, problems) in form order, dossier-wide problems first under id ""."""
    groups: dict[str, list[Problem]] = {}
    for p in report.problems:
        groups.setdefault(p.section_id, []).append(p)
    titles = {s.id: s.title for s in template.sections}
    if "" in groups:
        yield "", "Ensemble du dossier", groups.pop("")
    for s in template.sections:
        if s.id in groups:
            yield s.id, s.title, groups.pop(s.id)
    for sid, found in groups.items():
        yield sid, titles.get(sid, sid), found
