"""Format validators for identifiers people type: SIRET, email, French phone numbers, IBAN.

Each returns a :class:`FormatOutcome` (an enum, never a bare boolean) so the message can say
*what* is wrong; they accept what a person naturally types (spaces, dots, dashes).
"""

from __future__ import annotations

import re
from enum import StrEnum


class FormatOutcome(StrEnum):
    OK = "ok"
    NOT_DIGITS = "not_digits"  # letters or symbols where digits are expected
    WRONG_LENGTH = "wrong_length"
    BAD_CHECKSUM = "bad_checksum"
    MALFORMED = "malformed"


_SEPARATORS = re.compile(r"[\s\u00a0\u202f.\-]")

#: SIREN of La Poste: its establishments' SIRET do not follow the Luhn key (INSEE exception),
#: the sum of their digits is a multiple of 5 instead; the head office keeps the Luhn key.
LA_POSTE_SIREN = "356000000"
LA_POSTE_HEAD_OFFICE = "35600000000048"


def siret_digits(text: str) -> str:
    """The SIRET as typed, without the spaces, dots and dashes people put in it."""
    return _SEPARATORS.sub("", text)


def luhn_valid(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = ord(ch) - 48
        if i % 2:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def check_siret(text: str) -> FormatOutcome:
    digits = siret_digits(text)
    if not digits.isascii() or not digits.isdigit():
        return FormatOutcome.NOT_DIGITS
    if len(digits) != 14:
        return FormatOutcome.WRONG_LENGTH
    if digits.startswith(LA_POSTE_SIREN) and digits != LA_POSTE_HEAD_OFFICE:
        ok = sum(ord(c) - 48 for c in digits) % 5 == 0
    else:
        ok = luhn_valid(digits)
    return FormatOutcome.OK if ok else FormatOutcome.BAD_CHECKSUM


def check_siren(text: str) -> FormatOutcome:
    digits = siret_digits(text)
    if not digits.isascii() or not digits.isdigit():
        return FormatOutcome.NOT_DIGITS
    if len(digits) != 9:
        return FormatOutcome.WRONG_LENGTH
    return FormatOutcome.OK if luhn_valid(digits) else FormatOutcome.BAD_CHECKSUM


_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_EMAIL = re.compile(rf"^{_ATOM}(?:\.{_ATOM})*@(?:{_LABEL}\.)+[A-Za-z]{{2,63}}$")


def check_email(text: str) -> FormatOutcome:
    s = text.strip()
    if len(s) > 254 or not _EMAIL.match(s):
        return FormatOutcome.MALFORMED
    return FormatOutcome.OK


_PHONE_SEPARATORS = re.compile(r"[\s\u00a0\u202f.\-/()]")
_TRUNK_IN_PARENS = re.compile(r"^(\+|00)(\d{2,3})\s*\(0\)")
_PHONE_PATTERNS = (
    re.compile(r"^0[1-9]\d{8}$"),  # 01 23 45 67 89, incl. overseas 0262…, 0590…, 0694…
    re.compile(r"^(?:\+|00)33[1-9]\d{8}$"),  # metropolitan France, international form
    re.compile(r"^(?:\+|00)(?:262|269|590|594|596)[1-9]\d{8}$"),  # La Réunion, Mayotte, Antilles, Guyane
    re.compile(
        r"^(?:\+|00)(?:508|681|687)\d{6}$"
    ),  # Saint-Pierre-et-Miquelon, Wallis-et-Futuna, Nouvelle-Calédonie
    re.compile(r"^(?:\+|00)689\d{8}$"),  # Polynésie française
)


def check_phone(text: str) -> FormatOutcome:
    """French numbers: national (0X XX XX XX XX), +33 / 0033, and the overseas prefixes."""
    s = _TRUNK_IN_PARENS.sub(r"\1\2", text.strip())  # "+33 (0)1 …" as people often write it
    s = _PHONE_SEPARATORS.sub("", s)
    if any(p.match(s) for p in _PHONE_PATTERNS):
        return FormatOutcome.OK
    return FormatOutcome.MALFORMED


_IBAN_LENGTHS = {
    "FR": 27,
    "MC": 27,
    "DE": 22,
    "BE": 16,
    "ES": 24,
    "IT": 27,
    "LU": 20,
    "CH": 21,
    "GB": 22,
    "NL": 18,
    "PT": 25,
    "AT": 20,
    "IE": 22,
    "SM": 27,
    "AD": 24,
}


def check_iban(text: str) -> FormatOutcome:
    s = re.sub(r"[\s\u00a0\u202f-]", "", text).upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", s):
        return FormatOutcome.MALFORMED
    expected = _IBAN_LENGTHS.get(s[:2])
    if expected is not None and len(s) != expected:
        return FormatOutcome.WRONG_LENGTH
    rearranged = s[4:] + s[:4]
    number = "".join(str(int(ch, 36)) for ch in rearranged)
    return FormatOutcome.OK if int(number) % 97 == 1 else FormatOutcome.BAD_CHECKSUM


# the platform's list (lib/data/api_geo/departements.json of demarches-simplifiees.fr) plus 99, Étranger
_DEPARTEMENT = re.compile(r"^(?:0[1-9]|1\d|2[1-9AB]|[3-8]\d|9[0-5]|97[1-8]|984|98[6-9]|99)$")


def check_departement(text: str) -> FormatOutcome:
    """A département's code as the platform stores it: "01"…"95", "2A", "2B", "971"…"976", COM."""
    return FormatOutcome.OK if _DEPARTEMENT.match(text.strip()) else FormatOutcome.MALFORMED
