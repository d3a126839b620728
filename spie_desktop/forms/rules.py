"""The vocabulary of cross-field rules a template may declare, and its validation.

A rule is data: ``{"id", "kind", "severity", "message", "section"?, ...arguments}``. The checks
package evaluates each kind; nothing in a template is ever executed.

Operands (where a rule compares amounts or dates):
  ``{"field": "montant_etat"}``                  a top-level answer
  ``{"sum": {"field": "depenses", "child": "montant", "where": {"child": "annee", "equals": "2022"}}}``
                                                 the sum of a repetition's child over (some) rows
  ``{"param": "state_funding_cap"}``             a template parameter
  ``{"value": "0.8"}``                           a literal (decimal or ISO date as text)
Date references (``dates_within``): ``{"field": "date_debut"}`` or ``{"field": "jalons", "child": "date"}``.
Row filters (``where``): ``{"child": "type_structure", "equals": "Pôle emploi"}`` or ``{"child": …, "in": [...]}``.

Kinds:
  rows_include   field, child, values        each value appears in at least one row's child
  min_rows       field, min (int|operand)    a repetition has at least that many rows
  rows_require   field, child, where         rows matching ``where`` have ``child`` answered
  required_if    field, when {field, equals|in}  ``field`` is required while the condition holds
  sum_equals     left, right, tolerance?     two amounts are equal (to the cent by default)
  at_most        value, max                  an amount is at most another
  ratio_at_most  numerator, denominator, max the ratio of two amounts is at most a bound
  ratio_at_least numerator, denominator, min
  dates_within   dates [refs], start, end    every given date lies inside [start, end]
  date_order     start {field}, end {field}  start is not after end
  deadline       date (operand)              warns once the date has passed

Messages may use placeholders the engine fills: ``{value}``, ``{actual}``, ``{limit}``, ``{date}``,
``{count}``, ``{row}``. Amounts read "1 234,56 €", ratios "82,5 %", dates "11/10/2021".
  {value} = {actual}  the value at fault: the missing option (rows_include), the row's ``where``
                      value (rows_require), the triggering answer (required_if), the left amount
                      (sum_equals), the amount (at_most), the ratio, the date at fault, the count
  {limit}             the bound broken: the amount to equal, the max/min, the date bound crossed,
                      the start date (date_order), the deadline, the minimum number of rows
  {date}              the date at fault (dates_within, date_order: the end) or the deadline
  {count}             the repetition's number of rows (rows_include, min_rows, rows_require)
  {row}               the row's number from 1, for a problem inside a repetition row
  also: {left} {right} {difference} (sum_equals; {difference} also at_most, min_rows),
        {numerator} {denominator} {max}|{min} (ratios), {start} {end} (dates), {label} (the field).
A placeholder a kind does not fill is left as written (spie_desktop.checks.cross_rules.placeholders).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

SEVERITIES = ("bloquant", "avertissement")

# What a validator returns is ignored (``_str`` hands back the text it checked, for its own callers).
Validator = Callable[[Any, str], object]


class RuleShapeError(ValueError):
    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path} : {message}")
        self.path = path
        self.detail = message


def _need(d: dict, key: str, path: str) -> Any:
    if key not in d:
        raise RuleShapeError(path, f"la clé « {key} » est obligatoire pour cette règle")
    return d[key]


def _str(v: Any, path: str) -> str:
    if not isinstance(v, str) or not v:
        raise RuleShapeError(path, "un texte non vide est attendu")
    return v


def _operand(v: Any, path: str) -> None:
    if not isinstance(v, dict) or len(v) != 1:
        raise RuleShapeError(path, "un opérande est un objet à une clé : field, sum, param ou value")
    ((key, inner),) = v.items()
    if key in ("field", "param"):
        _str(inner, f"{path}.{key}")
    elif key == "value":
        if not isinstance(inner, (str, int)) or isinstance(inner, bool):
            raise RuleShapeError(
                f"{path}.value", 'une valeur littérale s\'écrit en texte ("0.8", "2022-01-01")'
            )
    elif key == "sum":
        if not isinstance(inner, dict):
            raise RuleShapeError(f"{path}.sum", "un objet {field, child, where?} est attendu")
        _str(_need(inner, "field", f"{path}.sum"), f"{path}.sum.field")
        _str(_need(inner, "child", f"{path}.sum"), f"{path}.sum.child")
        if "where" in inner:
            _where(inner["where"], f"{path}.sum.where")
    else:
        raise RuleShapeError(path, f"opérande inconnu « {key} » (field, sum, param ou value)")


def _where(v: Any, path: str, key: str = "child") -> None:
    if not isinstance(v, dict):
        raise RuleShapeError(path, "un filtre {child, equals|in} est attendu")
    _str(_need(v, key, path), f"{path}.{key}")
    if "equals" not in v and "in" not in v:
        raise RuleShapeError(path, "le filtre doit préciser « equals » ou « in »")
    if "in" in v and not isinstance(v["in"], list):
        raise RuleShapeError(f"{path}.in", "une liste de valeurs est attendue")


def _date_ref(v: Any, path: str) -> None:
    if not isinstance(v, dict) or "field" not in v:
        raise RuleShapeError(path, "une référence de date {field, child?} est attendue")
    _str(v["field"], f"{path}.field")
    if "child" in v:
        _str(v["child"], f"{path}.child")


def _int_or_operand(v: Any, path: str) -> None:
    if isinstance(v, int) and not isinstance(v, bool):
        return
    _operand(v, path)


ARGUMENTS: dict[str, dict[str, Validator]] = {
    "rows_include": {"field": _str, "child": _str, "values": lambda v, p: _list_of_str(v, p)},
    "min_rows": {"field": _str, "min": _int_or_operand},
    "rows_require": {"field": _str, "child": _str, "where": _where},
    "required_if": {"field": _str, "when": lambda v, p: _where(v, p, key="field")},
    "sum_equals": {"left": _operand, "right": _operand},
    "at_most": {"value": _operand, "max": _operand},
    "ratio_at_most": {"numerator": _operand, "denominator": _operand, "max": _operand},
    "ratio_at_least": {"numerator": _operand, "denominator": _operand, "min": _operand},
    "dates_within": {"dates": lambda v, p: _list_of(v, p, _date_ref), "start": _operand, "end": _operand},
    "date_order": {"start": _date_ref, "end": _date_ref},
    "deadline": {"date": _operand},
}
OPTIONAL: dict[str, dict[str, Validator]] = {
    "sum_equals": {"tolerance": lambda v, p: _str(v, p)},
}


def _list_of_str(v: Any, path: str) -> None:
    _list_of(v, path, _str)


def _list_of(v: Any, path: str, each: Validator) -> None:
    if not isinstance(v, list) or not v:
        raise RuleShapeError(path, "une liste non vide est attendue")
    for i, item in enumerate(v):
        each(item, f"{path}[{i}]")


def validate_rule(raw: Any, path: str) -> None:
    """Raise RuleShapeError naming the JSON path if ``raw`` is not a well-formed rule."""
    if not isinstance(raw, dict):
        raise RuleShapeError(path, "une règle est un objet JSON")
    _str(_need(raw, "id", path), f"{path}.id")
    kind = _str(_need(raw, "kind", path), f"{path}.kind")
    if kind not in ARGUMENTS:
        known = ", ".join(sorted(ARGUMENTS))
        raise RuleShapeError(f"{path}.kind", f"type de règle inconnu « {kind} » (connus : {known})")
    severity = raw.get("severity", "bloquant")
    if severity not in SEVERITIES:
        raise RuleShapeError(f"{path}.severity", "la gravité est « bloquant » ou « avertissement »")
    _str(_need(raw, "message", path), f"{path}.message")
    for key, check in ARGUMENTS[kind].items():
        check(_need(raw, key, path), f"{path}.{key}")
    for key, check in OPTIONAL.get(kind, {}).items():
        if key in raw:
            check(raw[key], f"{path}.{key}")
