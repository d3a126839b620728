"""The budget's totals as the section shows them while one types: expenses and resources per year
and overall, the balance, the State's share. No Qt.

The figures come from the same places as the PDF and the check: the totals of a repetition are
``totals.repetition_totals`` (the PDF's « Total 2022 », « Total général »), the balance is
the template's ``sum_equals`` rule between two repetition sums (« budget_equilibre »), the State's
share its ``ratio_at_most`` rule (« cofinancement »), with the check's own amount and percent
formatting. A template without such rules has no budget summary.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from .checks.cross_rules import amount, percent
from .formatting import parse_decimal
from .forms import FieldSpec, Template, is_visible
from .snapshot import DossierSnapshot
from .totals import repetition_totals


@dataclass(frozen=True)
class BudgetLine:
    label: str
    amount: str  # French, « 250 000,00 € » or « 62,5 % »
    strong: bool = False  # a total, not a subtotal


@dataclass(frozen=True)
class BudgetSummary:
    """What the budget section shows under its rows."""

    section_id: str
    expenses: tuple[BudgetLine, ...]
    resources: tuple[BudgetLine, ...]
    balance: BudgetLine
    balanced: bool
    state_share: BudgetLine | None

    def lines(self) -> tuple[BudgetLine, ...]:
        share = (self.state_share,) if self.state_share is not None else ()
        return (*self.expenses, *self.resources, self.balance, *share)


@dataclass(frozen=True)
class _SumRef:
    field: str
    child: str
    where: Mapping[str, Any] | None = None


def _sum_ref(raw: Any) -> _SumRef | None:
    if isinstance(raw, Mapping) and isinstance(raw.get("sum"), Mapping):
        s = raw["sum"]
        return _SumRef(s.get("field", ""), s.get("child", ""), s.get("where"))
    return None


def budget_rules(template: Template) -> tuple[Any, Any] | None:
    """(balance rule, State-share rule or None): the first ``sum_equals`` between two sums without
    a filter, and a ``ratio_at_most`` whose denominator is that rule's first sum."""
    balance = None
    for rule in template.rules:
        if rule.kind == "sum_equals":
            left, right = _sum_ref(rule.args.get("left")), _sum_ref(rule.args.get("right"))
            if left and right and left.where is None and right.where is None:
                balance = rule
                break
    if balance is None:
        return None
    left = _sum_ref(balance.args["left"])
    share = None
    for rule in template.rules:
        if (
            rule.kind == "ratio_at_most"
            and _sum_ref(rule.args.get("denominator")) == left
            and isinstance(rule.args.get("numerator"), Mapping)
            and "field" in rule.args["numerator"]
        ):
            share = rule
            break
    return balance, share


def _sum(snapshot: DossierSnapshot, spec: FieldSpec, child_id: str) -> Decimal:
    """The rows' sum of one child, visible rows and cells only, blanks and bad input as 0 (what
    the PDF's totals add up)."""
    child = next(c for c in spec.children if c.id == child_id)
    total = Decimal(0)
    for row in snapshot.rows(spec.id):
        if not is_visible(child, snapshot.answers, row):
            continue
        d = parse_decimal(row.get(child_id))
        if d is not None:
            total += d
    return total


def _lines(snapshot: DossierSnapshot, spec: FieldSpec, child_id: str, noun: str) -> tuple[BudgetLine, ...]:
    totals = next((t for t in repetition_totals(snapshot, spec) if t.child.id == child_id), None)
    if totals is None:
        return (BudgetLine(f"Total des {noun}", amount(_sum(snapshot, spec, child_id)), True),)
    groups = (
        [BudgetLine(f"{noun.capitalize()} {g}", a) for g, a in totals.groups]
        if len(totals.groups) > 1
        else []
    )
    return (*groups, BudgetLine(f"Total des {noun}", totals.overall, True))


def budget_summary(snapshot: DossierSnapshot) -> BudgetSummary | None:
    """The budget's totals, or None when the template has no balance rule between two repetitions."""
    rules = budget_rules(snapshot.template)
    if rules is None:
        return None
    balance_rule, share_rule = rules
    template = snapshot.template
    left, right = _sum_ref(balance_rule.args["left"]), _sum_ref(balance_rule.args["right"])
    if left is None or right is None:
        return None
    try:
        spend, fund = template.field(left.field), template.field(right.field)
    except KeyError:
        return None
    spent = _sum(snapshot, spend, left.child)
    funded = _sum(snapshot, fund, right.child)
    gap = funded - spent
    balanced = gap == 0
    if balanced:
        balance = BudgetLine("Solde (ressources − dépenses) : équilibré", amount(gap), True)
    elif gap > 0:
        balance = BudgetLine("Solde : ressources supérieures aux dépenses de", amount(gap), True)
    else:
        balance = BudgetLine("Solde : dépenses non financées", amount(-gap), True)
    share = None
    if share_rule is not None:
        num_id = share_rule.args["numerator"]["field"]
        state = parse_decimal(snapshot.answers.get(num_id))
        if state is not None and spent > 0:
            try:
                ratio = percent(state / spent)
            except InvalidOperation:
                ratio = ""
            share = BudgetLine(
                "Part de l'État dans le coût total", f"{amount(state)} soit {ratio}".strip(), True
            )
        elif state is not None:
            share = BudgetLine("Part de l'État dans le coût total", amount(state), True)
    section = balance_rule.section or template.section_of(left.field).id
    return BudgetSummary(
        section_id=section,
        expenses=_lines(snapshot, spend, left.child, "dépenses"),
        resources=_lines(snapshot, fund, right.child, "ressources"),
        balance=balance,
        balanced=balanced,
        state_share=share,
    )
