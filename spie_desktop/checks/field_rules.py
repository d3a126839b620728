"""Per-field checks: is a question answered, and is its answer acceptable to the platform.

A :class:`FieldCheck` is built once per field of a template (bounds parsed, options hashed,
messages prepared) and then applied to any number of answers; it never raises on a value of
the wrong type, it reports it.
"""

from __future__ import annotations

import re
import reprlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ..formatting import (
    NBSP,
    format_date,
    format_decimal,
    format_integer,
    format_size,
    parse_decimal,
    parse_integer,
    parse_iso_date,
    utf8_length,
)
from ..forms.types import FieldSpec, FieldType
from ..snapshot import AttachmentInfo
from . import formats
from .formats import FormatOutcome
from .report import Severity

#: The platform refuses any attachment above 200 MB (Rails' 200.megabytes).
MAX_ATTACHMENT_SIZE = 200 * 1024 * 1024
MAX_DECIMALS = 3
#: Beyond this no answer of a dossier is plausible; it also keeps messages short and safe to format.
MAX_MAGNITUDE = Decimal(10) ** 18
MAX_NUMBER_TEXT = 100

_SPACES = re.compile(r"[\s\u00a0\u202f']")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?$")


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing wrong with one answer, before it is placed (path, section) by the engine."""

    rule_id: str
    severity: Severity
    message: str
    missing: bool = False


def _blocking(rule_id: str, message: str) -> Finding:
    return Finding(rule_id, Severity.BLOQUANT, message)


def quoted(value: Any, limit: int = 60) -> str:
    """A typed value shown back in a message, shortened and with control characters made visible."""
    if isinstance(value, str):
        text = value[: limit * 2]
    else:
        try:
            text = reprlib.repr(value)
        except ValueError:  # an integer too long to write out
            text = "nombre trop long"
    text = "".join(ch if ch.isprintable() else " " for ch in text).strip()
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"«{NBSP}{text}{NBSP}»"


def is_blank(value: Any) -> bool:
    """No answer at all: nothing, empty text, an empty choice list."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple)):
        return len(value) == 0
    return False


def decimal_of(value: Any) -> Decimal | None:
    """A number answer as Decimal; None when blank or not a number the platform would accept."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return Decimal(value) if -MAX_MAGNITUDE < value < MAX_MAGNITUDE else None
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")) or abs(value) >= 1e18:
            return None
        return Decimal(repr(value))
    if not isinstance(value, str) or len(value) > MAX_NUMBER_TEXT:
        return None
    d = parse_decimal(value)
    if d is None or d.as_tuple().exponent < -MAX_DECIMALS or abs(d) >= MAX_MAGNITUDE:  # type: ignore[operator]
        return None
    return d


def _datetime_of(value: str) -> date | None:
    if not _DATETIME.match(value):
        return None
    try:
        return datetime.fromisoformat(value).date()
    except ValueError:
        return None


def resolve_date(text: str | None, parameters: Mapping[str, Any]) -> date | None:
    """An ISO date or "$parameter" from a field's start_date/end_date; None when unusable."""
    if text is None:
        return None
    if text.startswith("$"):
        value = parameters.get(text[1:])
        return value if isinstance(value, date) else parse_iso_date(value)
    return parse_iso_date(text)


def required_message(spec: FieldSpec) -> str:
    label = f"«{NBSP}{spec.label}{NBSP}»"
    t = spec.type
    if t in (FieldType.DROP_DOWN_LIST, FieldType.DEPARTEMENTS, FieldType.CIVILITE):
        return f"Choisissez une réponse pour {label}."
    if t is FieldType.MULTIPLE_DROP_DOWN_LIST:
        return f"Choisissez au moins une réponse pour {label}."
    if t is FieldType.YES_NO:
        return f"Répondez par Oui ou par Non à {label}."
    if t is FieldType.CHECKBOX:
        return f"Cochez la case {label}."
    if t is FieldType.PIECE_JUSTIFICATIVE:
        return f"Joignez le document demandé : {label}."
    if t is FieldType.REPETITION:
        return f"Ajoutez au moins une ligne à {label}."
    if t in (FieldType.DATE, FieldType.DATETIME):
        return f"Indiquez la date : {label}."
    return f"Renseignez {label}."


_PARSED_CACHE_SIZE = 20_000


class FieldCheck:
    """Everything known in advance about checking one field; apply it with :meth:`validate`."""

    __slots__ = (
        "_dates",
        "_end",
        "_limit",
        "_max",
        "_min",
        "_numbers",
        "_options",
        "_positive",
        "_start",
        "_validate",
        "required_text",
        "spec",
    )

    def __init__(self, spec: FieldSpec, parameters: Mapping[str, Any]) -> None:
        self.spec = spec
        self.required_text = required_message(spec)
        self._min = parse_decimal(spec.min) if spec.min is not None else None
        self._max = parse_decimal(spec.max) if spec.max is not None else None
        self._positive = spec.positive
        self._start = resolve_date(spec.start_date, parameters)
        self._end = resolve_date(spec.end_date, parameters)
        self._options = frozenset(spec.options)
        self._limit = spec.character_limit
        self._validate: Callable[[Any], list[Finding]] = _VALIDATORS.get(
            spec.type, FieldCheck._v_any
        ).__get__(self)
        # rules read the same row answers at every re-check (a sum over 1 500 budget lines): text
        # answers are parsed once; the values are immutable, the caches bounded
        self._numbers: dict[str, Decimal | None] = {}
        self._dates: dict[str, Any] = {}  # text -> date | None

    # -- answered -------------------------------------------------------------------------------

    def answered(self, value: Any) -> bool:
        """Whether the question counts as answered (a required checkbox must be ticked)."""
        if self.spec.type is FieldType.CHECKBOX:
            return value is True
        return not is_blank(value)

    def required_finding(self) -> Finding:
        return Finding("required", Severity.BLOQUANT, self.required_text, missing=True)

    # -- validate -------------------------------------------------------------------------------

    def validate(self, value: Any) -> list[Finding]:
        """What is wrong with a non-blank answer (an empty list when it is fine)."""
        if is_blank(value):
            return []
        return self._validate(value)

    def validate_attachments(self, attachments: Sequence[AttachmentInfo]) -> list[Finding]:
        out = []
        for a in attachments:
            if isinstance(a.size, int) and a.size > MAX_ATTACHMENT_SIZE:
                out.append(
                    _blocking(
                        "attachment.size",
                        f"Le fichier {quoted(a.name)} pèse {format_size(a.size)} : la plateforme refuse les "
                        f"fichiers de plus de {format_size(MAX_ATTACHMENT_SIZE)}. Réduisez-le ou découpez-le.",
                    )
                )
        return out

    def as_date(self, value: Any) -> date | None:
        """The answer as a date for cross-field rules; None when blank, invalid or out of its type."""
        if not isinstance(value, str):
            return None
        cache = self._dates
        if value in cache:
            return cache[value]
        d = _datetime_of(value) if self.spec.type is FieldType.DATETIME else parse_iso_date(value)
        if len(cache) >= _PARSED_CACHE_SIZE:
            cache.clear()
        cache[value] = d
        return d

    def number(self, value: Any) -> Decimal | None:
        """The answer as a number for cross-field rules; None when blank or invalid."""
        if not isinstance(value, str):
            return self._parse_number(value)
        cache = self._numbers
        if value in cache:
            return cache[value]
        n = self._parse_number(value)
        if len(cache) >= _PARSED_CACHE_SIZE:
            cache.clear()
        cache[value] = n
        return n

    def _parse_number(self, value: Any) -> Decimal | None:
        if self.spec.type is FieldType.INTEGER_NUMBER:
            n = _integer_of(value)
            return None if n is None else Decimal(n)
        return decimal_of(value)

    # -- per type -------------------------------------------------------------------------------

    def _wrong_type(self) -> list[Finding]:
        return [
            _blocking(
                "format.type",
                f"La réponse à «{NBSP}{self.spec.label}{NBSP}» n'a pas la forme attendue : saisissez-la de nouveau.",
            )
        ]

    def _v_any(self, value: Any) -> list[Finding]:
        return []

    def _v_text(self, value: Any) -> list[Finding]:
        return [] if isinstance(value, str) else self._wrong_type()

    def _v_textarea(self, value: Any) -> list[Finding]:
        if not isinstance(value, str):
            return self._wrong_type()
        if self._limit is not None:
            length = utf8_length(value)
            if length > self._limit:
                over = length - self._limit
                return [
                    Finding(
                        "limit.characters",
                        Severity.AVERTISSEMENT,
                        f"Le texte compte {format_integer(length)} caractères comme les compte la plateforme "
                        f"(un caractère accentué en vaut 2), pour une limite de {format_integer(self._limit)} : "
                        f"raccourcissez-le d'au moins {format_integer(over)}.",
                    )
                ]
        return []

    def _v_siret(self, value: Any) -> list[Finding]:
        if not isinstance(value, str):
            return self._wrong_type()
        outcome = formats.check_siret(value)
        if outcome is FormatOutcome.OK:
            return []
        if outcome is FormatOutcome.NOT_DIGITS:
            msg = f"Le SIRET ne doit contenir que des chiffres ({quoted(value)} n'en est pas un)."
        elif outcome is FormatOutcome.WRONG_LENGTH:
            n = len(formats.siret_digits(value))
            msg = f"Le SIRET doit comporter 14 chiffres (vous en avez saisi {n})."
        else:
            msg = (
                f"Le SIRET {quoted(value)} n'existe pas : sa clé de contrôle est fausse. "
                "Vérifiez-le sur l'avis de situation SIRENE ou sur annuaire-entreprises.data.gouv.fr."
            )
        return [_blocking("format.siret", msg)]

    def _v_epci(self, value: Any) -> list[Finding]:
        """A name, or a SIREN (9 digits) for the platform's prefill: digits alone must be a real SIREN."""
        if not isinstance(value, str):
            return self._wrong_type()
        if formats.check_siren(value) in (FormatOutcome.OK, FormatOutcome.NOT_DIGITS):
            return []
        n = len(formats.siret_digits(value))
        detail = (
            f"il doit comporter 9 chiffres (vous en avez saisi {n})"
            if n != 9
            else "sa clé de contrôle est fausse"
        )
        return [
            _blocking(
                "format.siren",
                f"Le numéro SIREN {quoted(value)} n'est pas valide : {detail}. Indiquez le SIREN de l'EPCI ou son nom.",
            )
        ]

    def _v_email(self, value: Any) -> list[Finding]:
        if not isinstance(value, str):
            return self._wrong_type()
        if formats.check_email(value) is FormatOutcome.OK:
            return []
        return [
            _blocking(
                "format.email",
                f"L'adresse électronique {quoted(value)} n'est pas valide : écrivez-la sous la forme "
                "nom@exemple.fr, sans espace.",
            )
        ]

    def _v_phone(self, value: Any) -> list[Finding]:
        if not isinstance(value, str):
            return self._wrong_type()
        if formats.check_phone(value) is FormatOutcome.OK:
            return []
        return [
            _blocking(
                "format.phone",
                f"Le numéro {quoted(value)} n'est pas un numéro de téléphone français : écrivez-le comme "
                "01 23 45 67 89 ou +33 1 23 45 67 89 (outre-mer : 0262…, +262…).",
            )
        ]

    def _v_iban(self, value: Any) -> list[Finding]:
        if not isinstance(value, str):
            return self._wrong_type()
        outcome = formats.check_iban(value)
        if outcome is FormatOutcome.OK:
            return []
        if outcome is FormatOutcome.BAD_CHECKSUM:
            msg = f"L'IBAN {quoted(value)} n'est pas valide : sa clé de contrôle est fausse. Recopiez-le depuis le RIB."
        else:
            msg = f"L'IBAN {quoted(value)} n'a pas la bonne forme (FR76 suivi de 23 caractères pour un compte français)."
        return [_blocking("format.iban", msg)]

    def _v_civilite(self, value: Any) -> list[Finding]:
        if value in ("M.", "Mme"):
            return []
        return [_blocking("option", "Choisissez « M. » ou « Mme ».")]

    def _v_departement(self, value: Any) -> list[Finding]:
        if not isinstance(value, str):
            return self._wrong_type()
        if formats.check_departement(value) is FormatOutcome.OK:
            return []
        return [
            _blocking(
                "format.departement",
                f"{quoted(value)} n'est pas un code de département : choisissez le département dans la liste.",
            )
        ]

    def _v_integer(self, value: Any) -> list[Finding]:
        n = _integer_of(value)
        if n is None:
            if (isinstance(value, int) and not isinstance(value, bool)) or (
                isinstance(value, str) and parse_integer(value[: MAX_NUMBER_TEXT + 1]) is not None
            ):
                return [self._too_large()]
            return [
                _blocking(
                    "format.integer",
                    f"{quoted(value)} n'est pas un nombre entier : écrivez un nombre sans virgule ni lettre (par exemple 1250).",
                )
            ]
        return self._range(Decimal(n), format_integer(n))

    def _too_large(self) -> Finding:
        return _blocking("format.number_size", "Ce nombre est bien trop grand pour être juste : vérifiez-le.")

    def _v_decimal(self, value: Any) -> list[Finding]:
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            return self._wrong_type()
        if isinstance(value, str) and len(value) > MAX_NUMBER_TEXT:
            d = parse_decimal(value[:MAX_NUMBER_TEXT])
            if d is not None:
                return [self._too_large()]
        else:
            d = parse_decimal(value) if not isinstance(value, float) else decimal_of(value)
        if d is not None and abs(d) >= MAX_MAGNITUDE:
            return [self._too_large()]
        if d is None:
            return [
                _blocking(
                    "format.decimal",
                    f"{quoted(value)} n'est pas un nombre : écrivez par exemple 1250 ou 1250,50.",
                )
            ]
        exponent = d.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -MAX_DECIMALS:
            return [
                _blocking(
                    "format.decimal",
                    f"{quoted(value)} a trop de décimales : la plateforme en accepte au plus {MAX_DECIMALS}.",
                )
            ]
        return self._range(d, format_decimal(d))

    def _range(self, d: Decimal, shown: str) -> list[Finding]:
        unit = f"{NBSP}{self.spec.unit}" if self.spec.unit else ""
        if self._positive and d < 0:
            return [
                _blocking(
                    "range.positive", f"Indiquez un nombre positif ou nul (vous avez saisi {shown}{unit})."
                )
            ]
        if self._min is not None and d < self._min:
            return [
                _blocking(
                    "range.min",
                    f"La valeur doit être d'au moins {format_decimal(self._min)}{unit} (vous avez saisi {shown}{unit}).",
                )
            ]
        if self._max is not None and d > self._max:
            return [
                _blocking(
                    "range.max",
                    f"La valeur doit être d'au plus {format_decimal(self._max)}{unit} (vous avez saisi {shown}{unit}).",
                )
            ]
        return []

    def _v_date(self, value: Any) -> list[Finding]:
        d = parse_iso_date(value) if isinstance(value, str) else None
        if d is None:
            return [
                _blocking(
                    "format.date",
                    f"{quoted(value)} n'est pas une date réelle : indiquez une date au format jj/mm/aaaa.",
                )
            ]
        return self._date_range(d)

    def _v_datetime(self, value: Any) -> list[Finding]:
        d = _datetime_of(value) if isinstance(value, str) else None
        if d is None:
            return [
                _blocking(
                    "format.datetime",
                    f"{quoted(value)} n'est pas une date et heure réelle : indiquez par exemple 01/02/2023 à 10:30.",
                )
            ]
        return self._date_range(d)

    def _date_range(self, d: date) -> list[Finding]:
        if self._start is not None and d < self._start:
            return [
                _blocking(
                    "range.start_date",
                    f"La date doit être le {format_date(self._start)} ou après (vous avez saisi le {format_date(d)}).",
                )
            ]
        if self._end is not None and d > self._end:
            return [
                _blocking(
                    "range.end_date",
                    f"La date doit être le {format_date(self._end)} ou avant (vous avez saisi le {format_date(d)}).",
                )
            ]
        return []

    def _v_bool(self, value: Any) -> list[Finding]:
        if isinstance(value, bool):
            return []
        return self._wrong_type()

    def _v_drop_down(self, value: Any) -> list[Finding]:
        if not isinstance(value, str):
            return self._wrong_type()
        if value in self._options or self.spec.other_option:
            return []
        return [
            _blocking(
                "option",
                f"{quoted(value)} ne fait pas partie des choix proposés pour «{NBSP}{self.spec.label}{NBSP}» : "
                "choisissez une réponse dans la liste.",
            )
        ]

    def _v_multiple(self, value: Any) -> list[Finding]:
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            return self._wrong_type()
        if self.spec.other_option:
            return []
        out = []
        for v in dict.fromkeys(value):
            if v not in self._options:
                out.append(
                    _blocking(
                        "option",
                        f"{quoted(v)} ne fait pas partie des choix proposés pour «{NBSP}{self.spec.label}{NBSP}» : "
                        "retirez-le et cochez les réponses dans la liste.",
                    )
                )
        return out


def _integer_of(value: Any) -> int | None:
    """A whole number within the plausible range; None when blank, invalid or absurdly large."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        n: int | None = value
    elif isinstance(value, str) and len(value) <= MAX_NUMBER_TEXT:
        n = parse_integer(value)
    else:
        return None
    return n if n is not None and -MAX_MAGNITUDE < n < MAX_MAGNITUDE else None


_VALIDATORS: dict[FieldType, Callable[..., list[Finding]]] = {
    FieldType.TEXT: FieldCheck._v_text,
    FieldType.TEXTAREA: FieldCheck._v_textarea,
    FieldType.EPCI: FieldCheck._v_epci,
    FieldType.SIRET: FieldCheck._v_siret,
    FieldType.EMAIL: FieldCheck._v_email,
    FieldType.PHONE: FieldCheck._v_phone,
    FieldType.IBAN: FieldCheck._v_iban,
    FieldType.CIVILITE: FieldCheck._v_civilite,
    FieldType.DEPARTEMENTS: FieldCheck._v_departement,
    FieldType.INTEGER_NUMBER: FieldCheck._v_integer,
    FieldType.DECIMAL_NUMBER: FieldCheck._v_decimal,
    FieldType.DATE: FieldCheck._v_date,
    FieldType.DATETIME: FieldCheck._v_datetime,
    FieldType.YES_NO: FieldCheck._v_bool,
    FieldType.CHECKBOX: FieldCheck._v_bool,
    FieldType.DROP_DOWN_LIST: FieldCheck._v_drop_down,
    FieldType.MULTIPLE_DROP_DOWN_LIST: FieldCheck._v_multiple,
}
