"""The platform's lists of places and countries (resources/data, see its SOURCES.md), and how an
answer typed offline resolves to the value the platform accepts.

Every resolver returns the platform's code or None; nothing here guesses between two candidates.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache
from typing import Any, NamedTuple

from ..resources_path import resource

DASH = "\u2013"


class Commune(NamedTuple):
    code: str  # INSEE
    name: str
    postal_code: str
    departement: str

    @property
    def answer(self) -> str:
        """How the answer is stored: « <code INSEE>-<code postal> », as the platform's ``selected``."""
        return f"{self.code}-{self.postal_code}"

    @property
    def label(self) -> str:
        return f"{self.name} ({self.postal_code})"


class Epci(NamedTuple):
    siren: str
    name: str
    departement: str


def fold(text: str) -> str:
    """Case, accents, hyphens and apostrophes ignored, for matching names typed by hand."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[\s\-'’]+", " ", text).strip()


def _load(name: str) -> Any:
    return json.loads(resource("data", name).read_text(encoding="utf-8"))


@cache
def departements() -> tuple[tuple[str, str], ...]:
    """(code, nom): ``lib/data/api_geo/departements.json`` plus « 99 Etranger »."""
    return tuple((d["code"], d["nom"]) for d in _load("departements.json"))


@cache
def regions() -> tuple[tuple[str, str], ...]:
    return tuple((d["code"], d["nom"]) for d in _load("regions.json"))


@cache
def pays() -> tuple[tuple[str, str], ...]:
    return tuple((d["code"], d["nom"]) for d in _load("pays.json"))


@cache
def _epcis() -> dict[str, tuple[Epci, ...]]:
    data = _load("epcis.json")
    assert isinstance(data, dict)
    return {dep: tuple(Epci(siren, name, dep) for siren, name in rows) for dep, rows in data.items()}


@cache
def _epcis_by_name() -> dict[str, tuple[Epci, ...]]:
    """Every EPCI under its folded name (folding 1 300 names on every lookup made each one 40 ms)."""
    out: dict[str, list[Epci]] = {}
    for rows in _epcis().values():
        for e in rows:
            out.setdefault(fold(e.name), []).append(e)
    return {k: tuple(v) for k, v in out.items()}


def epcis(departement: str) -> tuple[Epci, ...]:
    return _epcis().get(departement, ())


@cache
def communes() -> tuple[Commune, ...]:
    return tuple(Commune(*row) for row in _load("communes.json"))


@cache
def _communes_by_postal() -> dict[str, tuple[Commune, ...]]:
    out: dict[str, list[Commune]] = {}
    for c in communes():
        out.setdefault(c.postal_code, []).append(c)
    return {k: tuple(v) for k, v in out.items()}


def communes_by_postal_code(postal_code: str) -> tuple[Commune, ...]:
    return _communes_by_postal().get(postal_code, ())


def _by_code_or_name(items: tuple[tuple[str, str], ...], text: object, *, upper: bool = False) -> str | None:
    if not isinstance(text, str) or not text.strip():
        return None
    s = text.strip()
    code = s.upper() if upper else s
    codes = {c for c, _ in items}
    if code in codes:
        return code
    head = re.split(rf"\s*[{DASH}(-]\s*|\s+", s, maxsplit=1)[0]
    head = head.upper() if upper else head
    if head in codes and s != head:
        return head
    folded = fold(s)
    found = [c for c, n in items if fold(n) == folded]
    return found[0] if len(found) == 1 else None


def departement_code(text: object) -> str | None:
    """ "56", "Morbihan", "56 – Morbihan", "2a" → the platform's code; "20", "985" → None."""
    if isinstance(text, str) and re.fullmatch(r"\s*\d\s*", text):
        text = "0" + text.strip()
    return _by_code_or_name(departements(), text, upper=True)


def region_code(text: object) -> str | None:
    """ "53", "Bretagne", "53 – Bretagne" → "53"."""
    return _by_code_or_name(regions(), text)


def pays_code(text: object) -> str | None:
    """ "FR", "fr", "France" → "FR"."""
    return _by_code_or_name(pays(), text, upper=True)


def name_of(items: tuple[tuple[str, str], ...], code: str) -> str:
    return dict(items).get(code, "")


def epci_departements(siren: str) -> tuple[str, ...]:
    """The départements whose platform list holds this EPCI (an EPCI may cross a border)."""
    return tuple(dep for dep, rows in _epcis().items() if any(e.siren == siren for e in rows))


def resolve_epci(text: object, preferred: tuple[str, ...] = ()) -> Epci | None:
    """An EPCI from its SIREN, « <département> <SIREN> » or its exact name; its own département,
    the first of ``preferred`` that lists it when it crosses a border."""
    if not isinstance(text, str) or not text.strip():
        return None
    s = text.strip()
    pair = re.fullmatch(r"(\w{2,3})\s*[/:;,\s]\s*(\d{3}\s?\d{3}\s?\d{3})", s)
    if pair:
        dep, siren = departement_code(pair.group(1)), re.sub(r"\s", "", pair.group(2))
        found = [e for e in epcis(dep or "") if e.siren == siren]
        return found[0] if found else None
    digits = re.sub(r"\s", "", s)
    if re.fullmatch(r"\d{9}", digits):
        matches = [e for rows in _epcis().values() for e in rows if e.siren == digits]
    else:
        matches = list(_epcis_by_name().get(fold(s), ()))
        if len({e.siren for e in matches}) > 1:
            return None
    if not matches:
        return None
    for dep in preferred:
        for e in matches:
            if e.departement == dep:
                return e
    return matches[0]


def resolve_commune(text: object) -> Commune | None:
    """« 56121-56100 » (stored form), « Lorient (56100) », a unique name, or a postal code with a
    single commune → the commune; None when unknown or ambiguous."""
    if not isinstance(text, str) or not text.strip():
        return None
    s = text.strip()
    m = re.fullmatch(r"(\w{5})\s*-\s*(\d{5})", s)
    if m:
        found = [c for c in communes_by_postal_code(m.group(2)) if c.code == m.group(1).upper()]
        return found[0] if found else None
    m = re.fullmatch(r"(.+?)\s*\((\d{5})\)", s)
    if m:
        folded = fold(m.group(1))
        found = [c for c in communes_by_postal_code(m.group(2)) if fold(c.name) == folded]
        return found[0] if len(found) == 1 else None
    if re.fullmatch(r"\d{5}", s):
        found = list(communes_by_postal_code(s))
        return found[0] if len(found) == 1 else None
    folded = fold(s)
    found = [c for c in communes() if fold(c.name) == folded]
    return found[0] if len({c.code for c in found}) == 1 and len(found) == 1 else None
