"""The template's cross-field rules (vocabulary in forms/rules.py), compiled once per template.

An operand whose inputs are missing or invalid makes its rule stay silent: the missing or wrong
answer is reported by the per-field checks already. ``rows_include`` and ``min_rows`` do speak
about an empty repetition. A problem points at the field to fix (at the row's field inside a
repetition), and sits in that field's section; a rule that points at no field uses its
``section``, or none (dossier-wide, path "").

Placeholders filled in messages (unknown ones are left as written):
  {value}/{actual}  the value at fault (amount "1 234,56 €", ratio "85 %", date "11/10/2021",
                    missing option, or the answer that triggered the rule); {actual} = {value}
  {limit}           the bound it breaks (max, min, the amount to equal, first/last allowed date)
  {date}            the date at fault (dates_within, date_order) or the deadline
  {count}           the number of rows of the repetition concerned
  {row}             the 1-based row number, inside repetitions ("" elsewhere)
  also {left} {right} {difference} {numerator} {denominator} {start} {end} {label}.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from ..formatting import NBSP, format_amount, format_date, format_decimal, parse_decimal, parse_iso_date
from ..forms.types import Rule
from .condition import Condition
from .field_rules import decimal_of
from .report import Problem, Severity

if TYPE_CHECKING:
    from .plan import CheckContext, FieldPlan, Row, TemplatePlan

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def fill(message: str, values: Mapping[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: values.get(m[1], m[0]), message)


def amount(value: Decimal) -> str:
    """ "1 234,56 €"; an amount beyond the decimal context's precision is shown unrounded."""
    try:
        return format_amount(value)
    except InvalidOperation:
        return f"{format_decimal(value)}{NBSP}€"


def percent(ratio: Decimal) -> str:
    try:
        shown = format_decimal((ratio * 100).quantize(Decimal("0.1")))
    except InvalidOperation:
        shown = format_decimal(ratio * 100)
    if shown.endswith(",0"):
        shown = shown[:-2]
    return f"{shown}{NBSP}%"


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


# -- operands ---------------------------------------------------------------------------------


class Operand:
    """An amount or a date a rule compares; ``None`` from :meth:`number`/:meth:`date` = unknown."""

    field: FieldPlan | None = None  # the field to point at when the rule fires

    def number(self, ctx: CheckContext) -> Decimal | None:
        raise NotImplementedError

    def date(self, ctx: CheckContext) -> date | None:
        raise NotImplementedError


class _Literal(Operand):
    def __init__(self, raw: Any) -> None:
        self.raw = raw
        self._number = parse_decimal(raw) if isinstance(raw, (str, int)) else None
        self._date = raw if isinstance(raw, date) else parse_iso_date(raw) if isinstance(raw, str) else None

    def number(self, ctx: CheckContext) -> Decimal | None:
        return self._number

    def date(self, ctx: CheckContext) -> date | None:
        return self._date


class _Field(Operand):
    def __init__(self, field_id: str, plan: TemplatePlan) -> None:
        self.field = plan.fields[field_id]

    def number(self, ctx: CheckContext) -> Decimal | None:
        fp = self.field
        if fp is None or not ctx.visible(fp):
            return None
        return fp.check.number(ctx.answers.get(fp.id))

    def date(self, ctx: CheckContext) -> date | None:
        fp = self.field
        if fp is None or not ctx.visible(fp):
            return None
        return fp.check.as_date(ctx.answers.get(fp.id))


class _Sum(Operand):
    """A repetition child summed over the rows matching ``where``; blanks in optional cells count 0."""

    def __init__(self, raw: Mapping[str, Any], plan: TemplatePlan) -> None:
        self.field = plan.fields[raw["field"]]
        self.child = self.field.child_index[raw["child"]]
        self.where: Mapping[str, Any] | None = raw.get("where")
        self.matches = Condition(self.where) if self.where is not None else None

    def number(self, ctx: CheckContext) -> Decimal | None:
        rep, child, where, matches = self.field, self.child, self.where, self.matches
        if rep is None or not ctx.visible(rep):
            return Decimal(0)
        total = Decimal(0)
        for row in ctx.rows(rep):
            if where is not None and matches is not None and not matches(row.values.get(where["child"])):
                continue
            if not ctx.visible(child, row):
                continue
            value = row.values.get(child.id)
            if not child.check.answered(value):
                if child.spec.required:
                    return None
                continue
            n = child.check.number(value)
            if n is None:
                return None
            total += n
        return total

    def date(self, ctx: CheckContext) -> date | None:
        return None


def operand(raw: Mapping[str, Any], plan: TemplatePlan) -> Operand:
    ((key, inner),) = raw.items()
    if key == "field":
        return _Field(inner, plan)
    if key == "sum":
        return _Sum(inner, plan)
    if key == "param":
        return _Literal(plan.template.parameters.get(inner))
    return _Literal(inner)


class DateRef:
    """A date answer: a top-level field, or a child of every row of a repetition."""

    def __init__(self, raw: Mapping[str, Any], plan: TemplatePlan) -> None:
        self.field = plan.fields[raw["field"]]
        self.child = self.field.child_index[raw["child"]] if raw.get("child") else None

    def at(self, ctx: CheckContext, row: Row | None) -> date | None:
        """The date in one row (a top-level field's date whatever the row); None when unknown."""
        if not ctx.visible(self.field):
            return None
        if self.child is None:
            return self.field.check.as_date(ctx.answers.get(self.field.id))
        if row is None or not ctx.visible(self.child, row):
            return None
        return self.child.check.as_date(row.values.get(self.child.id))

    def dates(self, ctx: CheckContext) -> Iterator[tuple[FieldPlan, Row | None, date]]:
        """Every known date of the reference, with the field (and row) holding it."""
        fp = self.field
        if not ctx.visible(fp):
            return
        if self.child is None:
            d = fp.check.as_date(ctx.answers.get(fp.id))
            if d is not None:
                yield fp, None, d
            return
        child = self.child
        for row in ctx.rows(fp):
            if ctx.visible(child, row):
                d = child.check.as_date(row.values.get(child.id))
                if d is not None:
                    yield child, row, d


# -- rules ------------------------------------------------------------------------------------


class CompiledRule:
    """A template rule ready to evaluate; subclasses implement one kind each."""

    missing = False  # problems of this kind are answers to give, not answers to correct
    placeholders: frozenset[str] = frozenset()  # filled in messages, besides {row} and {label}

    def __init__(self, rule: Rule, plan: TemplatePlan) -> None:
        self.rule = rule
        self.severity = Severity(rule.severity)
        self.plan = plan
        self.args = rule.args

    def evaluate(self, ctx: CheckContext) -> Iterator[Problem]:
        raise NotImplementedError

    def problem(self, ctx: CheckContext, fp: FieldPlan | None, row: Row | None, **values: str) -> Problem:
        values.setdefault("row", str(row.index + 1) if row is not None else "")
        values.setdefault("label", fp.spec.label if fp is not None else "")
        if "value" in values:
            values.setdefault("actual", values["value"])
        message = fill(self.rule.message, values)
        section = None if fp is not None else self.rule.section
        return ctx.problem(
            fp, row, self.severity, self.rule.id, message, missing=self.missing, section_id=section
        )


class RowsInclude(CompiledRule):
    placeholders = frozenset({"value", "actual", "count"})
    missing = True

    def __init__(self, rule: Rule, plan: TemplatePlan) -> None:
        super().__init__(rule, plan)
        self.field = plan.fields[self.args["field"]]
        self.child = self.field.child_index[self.args["child"]]
        self.values = tuple(self.args["values"])

    def evaluate(self, ctx: CheckContext) -> Iterator[Problem]:
        rep, child = self.field, self.child
        if not ctx.visible(rep):
            return
        rows = ctx.rows(rep)
        present: set[Any] = set()
        for row in rows:
            if not ctx.visible(child, row):
                continue
            v = row.values.get(child.id)
            if isinstance(v, list):
                present.update(x for x in v if isinstance(x, str))
            elif isinstance(v, str):
                present.add(v)
        for wanted in self.values:
            if wanted not in present:
                yield self.problem(ctx, rep, None, value=wanted, count=str(len(rows)))


class MinRows(CompiledRule):
    placeholders = frozenset({"value", "actual", "count", "limit", "min", "difference"})
    missing = True

    def __init__(self, rule: Rule, plan: TemplatePlan) -> None:
        super().__init__(rule, plan)
        self.field = plan.fields[self.args["field"]]
        raw = self.args["min"]
        self.fixed = raw if isinstance(raw, int) and not isinstance(raw, bool) else None
        self.operand = None if self.fixed is not None else operand(raw, plan)

    def evaluate(self, ctx: CheckContext) -> Iterator[Problem]:
        if not ctx.visible(self.field):
            return
        need: int | None = self.fixed
        if need is None and self.operand is not None:
            n = self.operand.number(ctx)
            need = int(n) if n is not None else None
        if need is None:
            return
        count = len(ctx.rows(self.field))
        if count < need:
            yield self.problem(
                ctx,
                self.field,
                None,
                value=str(count),
                count=str(count),
                limit=str(need),
                min=str(need),
                difference=str(need - count),
            )


class RowsRequire(CompiledRule):
    placeholders = frozenset({"value", "actual", "count"})
    missing = True

    def __init__(self, rule: Rule, plan: TemplatePlan) -> None:
        super().__init__(rule, plan)
        self.field = plan.fields[self.args["field"]]
        self.child = self.field.child_index[self.args["child"]]
        self.where: Mapping[str, Any] = self.args["where"]
        self.matches = Condition(self.where)

    def evaluate(self, ctx: CheckContext) -> Iterator[Problem]:
        rep, child, where = self.field, self.child, self.where
        if not ctx.visible(rep) or child.spec.required:
            return  # a required child is reported in every row by the per-field checks
        rows = ctx.rows(rep)
        for row in rows:
            kind = row.values.get(where["child"])
            if not self.matches(kind) or not ctx.visible(child, row):
                continue
            if not ctx.answered(child, row):
                yield self.problem(ctx, child, row, value=_text(kind), count=str(len(rows)))


class RequiredIf(CompiledRule):
    placeholders = frozenset({"value", "actual"})
    missing = True

    def __init__(self, rule: Rule, plan: TemplatePlan) -> None:
        super().__init__(rule, plan)
        self.field = plan.fields[self.args["field"]]
        self.when: Mapping[str, Any] = self.args["when"]
        self.when_field = plan.fields[self.when["field"]]
        self.matches = Condition(self.when)

    def evaluate(self, ctx: CheckContext) -> Iterator[Problem]:
        fp, cond = self.field, self.when_field
        if fp.spec.required or not ctx.visible(fp) or not ctx.visible(cond):
            return  # a visible required field is reported by the per-field checks
        trigger = ctx.answers.get(cond.id)
        if self.matches(trigger) and not ctx.answered(fp):
            yield self.problem(ctx, fp, None, value=_text(trigger))


def _target(*operands: Operand) -> FieldPlan | None:
    for o in operands:
        if o.field is not None:
            return o.field
    return None


class SumEquals(CompiledRule):
    placeholders = frozenset({"value", "actual", "limit", "left", "right", "difference"})

    def __init__(self, rule: Rule, plan: TemplatePlan) -> None:
        super().__init__(rule, plan)
        self.left = operand(self.args["left"], plan)
        self.right = operand(self.args["right"], plan)
        tolerance = decimal_of(self.args.get("tolerance", "0.005"))
        self.tolerance = abs(tolerance) if tolerance is not None else Decimal("0.005")

    def evaluate(self, ctx: CheckContext) -> Iterator[Problem]:
        left, right = self.left.number(ctx), self.right.number(ctx)
        if left is None or right is None:
            return
        gap = abs(left - right)
        if gap > self.tolerance:
            a, b = amount(left), amount(right)
            yield self.problem(
                ctx,
                _target(self.left, self.right),
                None,
                value=a,
                limit=b,
                left=a,
                right=b,
                difference=amount(gap),
            )


class AtMost(CompiledRule):
    placeholders = frozenset({"value", "actual", "limit", "max", "difference"})

    def __init__(self, rule: Rule, plan: TemplatePlan) -> None:
        super().__init__(rule, plan)
        self.value = operand(self.args["value"], plan)
        self.max = operand(self.args["max"], plan)

    def evaluate(self, ctx: CheckContext) -> Iterator[Problem]:
        value, bound = self.value.number(ctx), self.max.number(ctx)
        if value is None or bound is None:
            return
        if value > bound:
            yield self.problem(
                ctx,
                _target(self.value, self.max),
                None,
                value=amount(value),
                limit=amount(bound),
                max=amount(bound),
                difference=amount(value - bound),
            )


class _Ratio(CompiledRule):
    bound_key = ""

    def __init__(self, rule: Rule, plan: TemplatePlan) -> None:
        super().__init__(rule, plan)
        self.numerator = operand(self.args["numerator"], plan)
        self.denominator = operand(self.args["denominator"], plan)
        self.bound = operand(self.args[self.bound_key], plan)

    def breaks(self, ratio: Decimal, bound: Decimal) -> bool:
        raise NotImplementedError

    def evaluate(self, ctx: CheckContext) -> Iterator[Problem]:
        num, den, bound = self.numerator.number(ctx), self.denominator.number(ctx), self.bound.number(ctx)
        if num is None or den is None or bound is None or den == 0:
            return
        ratio = num / den
        if self.breaks(ratio, bound):
            yield self.problem(
                ctx,
                _target(self.numerator, self.denominator),
                None,
                value=percent(ratio),
                limit=percent(bound),
                **{self.bound_key: percent(bound)},
                numerator=amount(num),
                denominator=amount(den),
            )


class RatioAtMost(_Ratio):
    placeholders = frozenset({"value", "actual", "limit", "max", "numerator", "denominator"})
    bound_key = "max"

    def breaks(self, ratio: Decimal, bound: Decimal) -> bool:
        return ratio > bound


class RatioAtLeast(_Ratio):
    placeholders = frozenset({"value", "actual", "limit", "min", "numerator", "denominator"})
    bound_key = "min"

    def breaks(self, ratio: Decimal, bound: Decimal) -> bool:
        return ratio < bound


class DatesWithin(CompiledRule):
    placeholders = frozenset({"value", "actual", "date", "limit", "start", "end"})

    def __init__(self, rule: Rule, plan: TemplatePlan) -> None:
        super().__init__(rule, plan)
        unique = {(r["field"], r.get("child")): r for r in self.args["dates"]}  # a repeated ref is one pass
        self.refs = tuple(DateRef(r, plan) for r in unique.values())
        self.start = operand(self.args["start"], plan)
        self.end = operand(self.args["end"], plan)

    def evaluate(self, ctx: CheckContext) -> Iterator[Problem]:
        start, end = self.start.date(ctx), self.end.date(ctx)
        if start is None and end is None:
            return
        shown = {"start": format_date(start) if start else "", "end": format_date(end) if end else ""}
        for ref in self.refs:
            for fp, row, d in ref.dates(ctx):
                if start is not None and d < start:
                    bound = start
                elif end is not None and d > end:
                    bound = end
                else:
                    continue
                text = format_date(d)
                yield self.problem(ctx, fp, row, value=text, date=text, limit=format_date(bound), **shown)


class DateOrder(CompiledRule):
    """``start`` is not after ``end``; per row when either names a repetition child."""

    placeholders = frozenset({"value", "actual", "date", "limit", "start", "end"})

    def __init__(self, rule: Rule, plan: TemplatePlan) -> None:
        super().__init__(rule, plan)
        self.start = DateRef(self.args["start"], plan)
        self.end = DateRef(self.args["end"], plan)

    def evaluate(self, ctx: CheckContext) -> Iterator[Problem]:
        s, e = self.start, self.end
        rep = e.field if e.child is not None else s.field if s.child is not None else None
        rows: list[Row | None] = [None]
        if rep is not None:
            if (s.child is not None and e.child is not None and s.field is not e.field) or not ctx.visible(
                rep
            ):
                return  # children of two different repetitions have no rows in common
            rows = list(ctx.rows(rep))
        target = e.child or s.child or e.field
        for row in rows:
            start, end = s.at(ctx, row), e.at(ctx, row)
            if start is not None and end is not None and start > end:
                a, b = format_date(start), format_date(end)
                yield self.problem(ctx, target, row, value=b, date=b, limit=a, start=a, end=b)


class Deadline(CompiledRule):
    """Warns (or blocks, as the template says) once the date has passed; dossier-wide."""

    placeholders = frozenset({"value", "actual", "date", "limit"})

    def __init__(self, rule: Rule, plan: TemplatePlan) -> None:
        super().__init__(rule, plan)
        self.date = operand(self.args["date"], plan)

    def evaluate(self, ctx: CheckContext) -> Iterator[Problem]:
        d = self.date.date(ctx)
        if d is not None and ctx.today > d:
            text = format_date(d)
            yield self.problem(ctx, None, None, value=text, date=text, limit=text)


KINDS: dict[str, Callable[[Rule, TemplatePlan], CompiledRule]] = {
    "rows_include": RowsInclude,
    "min_rows": MinRows,
    "rows_require": RowsRequire,
    "required_if": RequiredIf,
    "sum_equals": SumEquals,
    "at_most": AtMost,
    "ratio_at_most": RatioAtMost,
    "ratio_at_least": RatioAtLeast,
    "dates_within": DatesWithin,
    "date_order": DateOrder,
    "deadline": Deadline,
}


class _Unknown(CompiledRule):
    """A kind this version does not know (a newer template): it stays silent rather than guess."""

    def evaluate(self, ctx: CheckContext) -> Iterator[Problem]:
        return iter(())


def placeholders(kind: str) -> frozenset[str]:
    """The placeholders a message of this kind of rule may use."""
    cls = KINDS.get(kind)
    return frozenset({"row", "label"}) | (getattr(cls, "placeholders", frozenset()))


def unknown_placeholders(rule: Rule) -> list[str]:
    """Placeholders in a rule's message that the engine would leave as written (a typo, usually)."""
    return [name for name in _PLACEHOLDER.findall(rule.message) if name not in placeholders(rule.kind)]


def compile_rule(rule: Rule, plan: TemplatePlan) -> CompiledRule:
    return KINDS.get(rule.kind, _Unknown)(rule, plan)
