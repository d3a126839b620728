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

from collections.abc import Iterable, Mapping
from datetime import date

from ..forms.conditions import is_visible
from ..forms.types import Template
from ..presentation import plural
from ..snapshot import DossierSnapshot
from .cross_rules import compile_rule
from .plan import CheckContext, FieldPlan, Row, SectionPlan, TemplatePlan
from .report import CompletenessReport, Problem, SectionProgress, SectionState, Severity

_PLAN_ATTR = "_completeness_plan"


def plan_for(template: Template) -> TemplatePlan:
    plan = template.__dict__.get(_PLAN_ATTR)
    if plan is None:
        plan = TemplatePlan(template, compile_rule)
        object.__setattr__(template, _PLAN_ATTR, plan)
    return plan


class _Tally:
    __slots__ = ("answered", "required", "started")

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
    return SectionProgress(
        sp.id, sp.section.title, t.answered, t.required, blocking, len(found) - blocking, state
    )


def _check_field(
    ctx: CheckContext, fp: FieldPlan, row: Row | None, tally: _Tally, out: list[Problem]
) -> None:
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
            out.append(
                ctx.problem(
                    fp,
                    None,
                    Severity.BLOQUANT,
                    "min_rows",
                    f"«\u00a0{spec.label}\u00a0» doit compter au moins {plural(need, 'ligne')} "
                    f"(il y en a {count}) : ajoutez-en {missing_rows}.",
                    missing=True,
                )
            )


def iter_problem_sections(
    report: CompletenessReport, template: Template
) -> Iterable[tuple[str, str, list[Problem]]]:
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
