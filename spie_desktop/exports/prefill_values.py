"""Each answer in the value the platform's prefill accepts, type by type, or why it would be dropped.

The authority is the platform's code (demarches-simplifiees.fr): ``app/models/champs/*_champ.rb``
(validations run in the ``:prefill`` context) and ``app/models/types_de_champ/prefill_*_type_de_champ.rb``
(``to_assignable_attributes``); each branch below names its file.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from ..formatting import parse_decimal, parse_integer, parse_iso_date
from ..forms import FieldSpec, FieldType, places

PARIS = ZoneInfo("Europe/Paris")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class Refused(ValueError):
    """A value the platform would drop; the message says why, in French."""


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def _siret_ok(digits: str) -> bool:
    if digits.startswith("356000000"):  # La Poste: its establishments follow another key
        return sum(int(c) for c in digits) % 5 == 0
    return _luhn(digits)


def _iban_ok(text: str) -> bool:
    s = text.replace(" ", "").upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}", s):
        return False
    moved = s[4:] + s[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


def platform_value(spec: FieldSpec, value: Any, *, departements: tuple[str, ...] = ()) -> Any:
    """The value in the platform's prefill format, or :class:`Refused` with the reason."""
    t = spec.type
    if t in (FieldType.TEXT, FieldType.TEXTAREA, FieldType.PHONE, FieldType.FORMATTED, FieldType.ADDRESS):
        # address: PrefillAddressTypeDeChamp stores the label as is (value and external_id); whether
        # the Base Adresse Nationale knows it, only the platform can tell
        if not isinstance(value, str):
            raise Refused("un texte est attendu")
        return value
    if t is FieldType.DOSSIER_LINK:
        # Champs::DossierLinkChamp: Integer(value) in the :prefill context, and the dossier must exist
        text = (
            re.sub(r"^(n°|no|n)\s*", "", value.strip(), flags=re.IGNORECASE)
            if isinstance(value, str)
            else str(value)
        )
        if isinstance(value, bool) or not re.fullmatch(r"\d{1,12}", text):
            raise Refused(f"« {value} » : un numéro de dossier (nombre entier) est attendu")
        return text
    if t is FieldType.EMAIL:
        if not isinstance(value, str) or not _EMAIL.match(value.strip()):
            raise Refused("adresse électronique invalide")
        return value.strip()
    if t is FieldType.CIVILITE:
        if value not in ("M.", "Mme"):
            raise Refused("« M. » ou « Mme » est attendu")
        return value
    if t is FieldType.IBAN:
        if not isinstance(value, str) or not _iban_ok(value):
            raise Refused("IBAN invalide (clé de contrôle)")
        return value.replace(" ", "").upper()
    if t is FieldType.INTEGER_NUMBER:
        n = parse_integer(value)
        if n is None:
            raise Refused(f"« {value} » n'est pas un nombre entier")
        return str(n)
    if t is FieldType.DECIMAL_NUMBER:
        d = parse_decimal(value)
        if d is None:
            raise Refused(f"« {value} » n'est pas un nombre")
        text = format(d, "f")
        if len(text.partition(".")[2]) > 3:
            raise Refused("la plateforme accepte au plus 3 décimales")
        return text
    if t is FieldType.DATE:
        if parse_iso_date(value) is None:
            raise Refused(f"« {value} » n'est pas une date valide")
        return value
    if t is FieldType.DATETIME:
        try:
            dt = datetime.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            dt = None
        if dt is None:
            raise Refused(f"« {value} » n'est pas une date et heure valide")
        if dt.tzinfo is not None:
            dt = dt.astimezone(PARIS)  # Champs::DatetimeChamp reads a bare datetime in Paris time
        return dt.strftime("%Y-%m-%dT%H:%M")
    if t in (FieldType.YES_NO, FieldType.CHECKBOX):
        if not isinstance(value, bool):
            raise Refused("oui ou non est attendu")
        return "true" if value else "false"
    if t is FieldType.DROP_DOWN_LIST:
        # Champs::DropDownListChamp checks the option only when drop_down_other? is false
        if not isinstance(value, str) or not value.strip():
            raise Refused("un choix est attendu")
        if value not in spec.options and not spec.other_option:
            raise Refused(f"« {value} » : ce n'est pas une des options proposées")
        return value
    if t is FieldType.MULTIPLE_DROP_DOWN_LIST:
        values = value if isinstance(value, list) else [value]
        bad = [v for v in values if v not in spec.options]
        if bad:
            raise Refused("options inconnues de la démarche : " + ", ".join(f"« {v} »" for v in bad))
        return list(values)
    if t is FieldType.DEPARTEMENTS:
        code = places.departement_code(value)  # Champs::DepartementChamp: a code or name of api_geo, plus 99
        if code is None:
            raise Refused(
                f"« {value} » n'est pas un département de la plateforme (par exemple « 56 » ou « Morbihan »)"
            )
        return code
    if t is FieldType.REGIONS:
        code = places.region_code(value)  # Champs::RegionChamp: the INSEE code or the name
        if code is None:
            raise Refused(
                f"« {value} » n'est pas une région de la plateforme (par exemple « 53 » ou « Bretagne »)"
            )
        return code
    if t is FieldType.PAYS:
        code = places.pays_code(value)  # Champs::PaysChamp: the ISO code or the name
        if code is None:
            raise Refused(f"« {value} » n'est pas un pays connu (un code ISO comme « FR », ou son nom)")
        return code
    if t is FieldType.COMMUNES:
        commune = places.resolve_commune(value)  # PrefillCommuneTypeDeChamp: [code postal, code INSEE]
        if commune is None:
            raise Refused(
                f"« {value} » : commune introuvable ou ambiguë ; choisissez-la dans la liste (nom et code postal)"
            )
        return [commune.postal_code, commune.code]
    if t is FieldType.EPCI:
        epci = places.resolve_epci(value, departements)  # PrefillEpciTypeDeChamp: [département, SIREN]
        if epci is None:
            raise Refused(
                f"« {value} » : EPCI introuvable dans la liste de la plateforme ; choisissez-le par son nom ou son SIREN"
            )
        return [epci.departement, epci.siren]
    if t is FieldType.SIRET:
        digits = re.sub(r"[\s.]", "", value) if isinstance(value, str) else ""
        if not re.fullmatch(r"\d{14}", digits):
            raise Refused("un SIRET a 14 chiffres")
        if not _siret_ok(digits):
            raise Refused("SIRET invalide (clé de contrôle)")
        return digits
    raise Refused("ce type de champ ne se préremplit pas")
