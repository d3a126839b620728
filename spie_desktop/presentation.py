"""How the application says things, in one place and without Qt: answers, amounts, character counts
and plurals, the same in the window, the text export and the PDF.

- :func:`display_value`: a non-blank answer in full (1 234,50 €, 11/10/2021, Oui, « • » lists);
  :func:`short_answer`: the same answer on one short line (a row's header).
- :func:`amount_text`: an amount in euros, always with two decimals (« 1 234,50 € »).
- :func:`character_count`: a text's length as the platform counts it (UTF-8 bytes), against its
  limit, as a structured value (:class:`CharacterCount`) whose :meth:`~CharacterCount.text` is the one
  wording and whose ``level`` says whether it is near or over the limit.
- :func:`plural`: « 1 réponse », « 0 réponse », « 3 réponses » (French: 0 and 1 take the singular).

A leaf of the core: it imports only formatting and forms (and the place names when an answer is a place).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from .formatting import (
    format_amount, format_bool, format_date, format_datetime, format_decimal, format_integer, parse_decimal,
    parse_integer, utf8_length,
)
from .forms import FieldSpec, FieldType



def display_value(spec: FieldSpec, value: Any) -> str:
    """A non-blank answer in French (1 234,50 €, 11/10/2021, Oui); invalid input comes back as typed."""
    try:
        return _display(spec, value)
    except ArithmeticError:  # e.g. a 300-digit "amount": beyond decimal precision, show it as typed
        return str(value)


def _display(spec: FieldSpec, value: Any) -> str:
    from .exports.place_text import place_text

    t = spec.type
    place = place_text(spec, value)
    if place is not None:
        return place
    if isinstance(value, bool) and t in (FieldType.YES_NO, FieldType.CHECKBOX):
        return format_bool(value)
    if t is FieldType.MULTIPLE_DROP_DOWN_LIST and isinstance(value, list):
        return "\n".join(f"• {v}" for v in value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if t is FieldType.INTEGER_NUMBER:
        text = format_integer(value) if parse_integer(value) is not None else str(value)
        return _with_unit(text, spec.unit, parse_integer(value) is not None)
    if t is FieldType.DECIMAL_NUMBER:
        ok = parse_decimal(value) is not None
        if ok and spec.unit.strip() == "€":
            return format_amount(value)
        return _with_unit(format_decimal(value) if ok else str(value), spec.unit, ok)
    if t is FieldType.DATE:
        return format_date(value)
    if t is FieldType.DATETIME:
        return format_datetime(value)
    if isinstance(value, bool):
        return format_bool(value)
    return str(value)


def _with_unit(text: str, unit: str, valid: bool) -> str:
    return f"{text}\u00a0{unit}" if unit and valid else text
