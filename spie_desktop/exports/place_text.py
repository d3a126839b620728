"""Place answers as the platform shows them, for the text export and the copy panel.

Online, a place is chosen in a searchable list: the département « 56 – Morbihan », the commune by
its name then its postal code, the région and the pays by name, the EPCI by name once its
département is chosen. What we stored (codes, « INSEE-code postal », « département/SIREN ») is
turned back into those words; an answer the lists do not know comes back as typed.
"""

from __future__ import annotations

from typing import Any

from ..forms import FieldSpec, FieldType, places

DASH = places.DASH
PLACE_TYPES = frozenset(
    {FieldType.DEPARTEMENTS, FieldType.COMMUNES, FieldType.REGIONS, FieldType.PAYS, FieldType.EPCI}
)


def _departement(code: str) -> str:
    return f"{code} {DASH} {places.name_of(places.departements(), code)}"


def place_text(spec: FieldSpec, value: Any, *, for_paste: bool = False) -> str | None:
    """The words of a place answer, or None when ``spec`` is not a place or the value is unknown."""
    if spec.type not in PLACE_TYPES or not isinstance(value, str):
        return None
    t = spec.type
    if t is FieldType.DEPARTEMENTS:
        code = places.departement_code(value)
        return _departement(code) if code else None
    if t is FieldType.REGIONS:
        code = places.region_code(value)
        return places.name_of(places.regions(), code) if code else None
    if t is FieldType.PAYS:
        code = places.pays_code(value)
        return places.name_of(places.pays(), code) if code else None
    if t is FieldType.COMMUNES:
        commune = places.resolve_commune(value)
        return commune.label if commune else None
    epci = places.resolve_epci(value)
    if epci is None:
        return None
    return epci.name if for_paste else f"{epci.name} (département {_departement(epci.departement)})"
