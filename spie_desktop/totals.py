"""A repetition's totals: the sum of each amount column over its visible rows, with a subtotal per
year when a year column exists (« Total 2022 », « Total général »).

Shared by the window's live budget panel (``budget.py``), the PDF and the text export; kept apart
from ``exports/`` so that showing the budget section does not load the exports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .formatting import parse_decimal
from .forms import FieldSpec, FieldType, is_visible
from .presentation import display_value
from .snapshot import DossierSnapshot


def is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, dict)):
        return not value
    return False


_ADDITIVE = re.compile(r"montant|co[uû]t|budget|apport|d[ée]pense|ressource|financ|subvention|€|etp", re.I)


def numeric_children(spec: FieldSpec) -> list[FieldSpec]:
    """Decimal children worth a total: amounts and staff (by unit or wording), not rates or targets."""
    return [
        c
        for c in spec.children
        if c.type is FieldType.DECIMAL_NUMBER and _ADDITIVE.search(f"{c.id} {c.label} {c.unit}")
    ]


def grouping_child(spec: FieldSpec) -> FieldSpec | None:
    """A drop-down child naming a year ("annee", "Année"), used for subtotals."""
    for c in spec.children:
        if c.type is FieldType.DROP_DOWN_LIST and re.search(
            r"ann[ée]e|year|exercice", f"{c.id} {c.label}", re.I
        ):
            return c
    return None


@dataclass(frozen=True)
class Totals:
    child: FieldSpec
    overall: str  # formatted
    groups: tuple[tuple[str, str], ...]  # (group value, formatted subtotal)


def repetition_totals(snapshot: DossierSnapshot, spec: FieldSpec) -> list[Totals]:
    """Totals of each decimal child over visible rows, with per-year subtotals when a year child exists."""
    rows = snapshot.rows(spec.id)
    group = grouping_child(spec)
    out = []
    for child in numeric_children(spec):
        total = Decimal(0)
        by_group: dict[str, Any] = {}
        for row in rows:
            if not is_visible(child, snapshot.answers, row):
                continue
            d = parse_decimal(row.get(child.id))
            if d is None:
                continue
            total += d
            if group is not None:
                key = row.get(group.id)
                key = str(key) if not is_blank(key) else "(sans valeur)"
                by_group[key] = by_group.get(key, Decimal(0)) + d
        order = [o for o in (group.options if group else ()) if o in by_group]
        order += sorted(k for k in by_group if k not in order)
        out.append(
            Totals(child, _amount(child, total), tuple((k, _amount(child, by_group[k])) for k in order))
        )
    return out


def _amount(spec: FieldSpec, d: Decimal) -> str:
    return display_value(spec, format(d, "f"))
