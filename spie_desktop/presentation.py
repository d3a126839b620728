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
    format_amount,
    format_bool,
    format_date,
    format_datetime,
    format_decimal,
    format_integer,
    parse_decimal,
    parse_integer,
    utf8_length,
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


# -- answers on one line, amounts ------------------------------------------------------------------

SHORT_TEXT = 60  # a row header's text answer is cut beyond this many characters


def amount_text(value: Any) -> str:
    """« 1 234,50 € »; what cannot be read as an amount comes back as typed."""
    try:
        return format_amount(value) if parse_decimal(value) is not None else str(value)
    except ArithmeticError:  # beyond decimal precision: as typed
        return str(value)


def short_answer(spec: FieldSpec, value: Any) -> str:
    """An answer on one short line (a row's header): « 11/10/2021 », « 1 234,50 € », « Salarié : Oui »,
    a text cut at :data:`SHORT_TEXT` characters; "" for no answer (or an unanswered yes/no)."""
    if value is None or value == "":
        return ""
    t = spec.type
    if t is FieldType.YES_NO:
        return f"{spec.label} : {format_bool(value)}" if isinstance(value, bool) else ""
    if t in (FieldType.DATE, FieldType.INTEGER_NUMBER, FieldType.DECIMAL_NUMBER):
        return display_value(spec, value)  # the same rule as everywhere (a valid € amount: two decimals)
    text = str(value)
    return text if len(text) <= SHORT_TEXT else text[: SHORT_TEXT - 1] + "…"


# -- character counts -------------------------------------------------------------------------------


class CountLevel(Enum):
    UNDER = 0  # nothing to say
    NEAR = 1  # close to the limit (the window warns while typing)
    OVER = 2  # beyond the limit: the platform refuses it


@dataclass(frozen=True)
class CharacterCount:
    """A text's length as the platform counts it (UTF-8 bytes: « é » counts 2), against its limit."""

    count: int
    limit: int | None
    level: CountLevel

    @property
    def over(self) -> bool:
        return self.level is CountLevel.OVER

    def text(self, *, how_counted: bool = False) -> str:
        """« 523 / 2 000 caractères — proche de la limite », « 12 caractères »; ``how_counted`` adds
        « (comptés comme la plateforme) » (the exports, read away from the counter's tooltip)."""
        if self.limit:
            words = f"{format_integer(self.count)} / {format_integer(self.limit)} caractères"
        else:
            words = plural(self.count, "caractère")
        if how_counted:
            words += " (comptés comme la plateforme)"
        return words + LEVEL_WORDS[self.level]


LEVEL_WORDS = {
    CountLevel.UNDER: "",
    CountLevel.NEAR: " — proche de la limite",
    CountLevel.OVER: " — au-delà de la limite",
}


def character_count(text: str, limit: int | None, *, near_share: float | None = None) -> CharacterCount:
    """Count ``text`` like the platform; NEAR from ``near_share`` × limit on (None: never NEAR)."""
    n = utf8_length(text)
    if limit and n > limit:
        level = CountLevel.OVER
    elif limit and near_share is not None and n >= near_share * limit:
        level = CountLevel.NEAR
    else:
        level = CountLevel.UNDER
    return CharacterCount(n, limit or None, level)


# -- plurals ----------------------------------------------------------------------------------------


def plural(n: int, one: str, many: str | None = None) -> str:
    """« 0 réponse », « 1 réponse », « 1 234 réponses »: French takes the singular below 2.

    ``many`` defaults to ``one`` + « s »; each word of a group takes it: ``plural(n, "fichier
    enregistré")`` → « 3 fichiers enregistrés ».
    """
    if n < 2:
        return f"{format_integer(n)} {one}"
    return f"{format_integer(n)} {many if many is not None else ' '.join(w + 's' for w in one.split(' '))}"
