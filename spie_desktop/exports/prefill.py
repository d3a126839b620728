"""The platform's prefill payload (API body and link), in its exact value formats.

The platform drops unknown keys and invalid values *silently*, so every value is validated here
first: what would be dropped is listed in ``refused`` with a French reason, never sent. Nothing
here touches the network; the user (or the wizard) sends the body or opens the link.

Decisions, where the platform leaves a choice:
- only visible fields carrying a ``ds_id`` are sent; every other visible answer field (attachments,
  fields without a platform id) is listed in ``not_prefillable`` so it can be done online;
- a drop-down answer outside the option list is refused even when "Autre" is allowed (the free
  text of "Autre" is typed online);
- an EPCI is sent only when the answer is a 9-digit SIREN and a département is answered in the
  dossier (the platform wants ``["<dept>", "<siren>"]``); a name is refused with a reason;
- the link carries lists with the ``key[]=value`` syntax; repetitions cannot travel in a link, so
  they are left out of it and named in ``link_omits`` (the API body carries them); the link is
  ``None`` when it would exceed 2 000 characters or the template has no ``procedure_path``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote

from ..formatting import format_integer, parse_decimal, parse_integer, parse_iso_date
from ..forms import FieldSpec, FieldType, Template, is_visible
from ..platform_hosts import HostNotAllowed, platform_base, shown_host
from ..snapshot import DossierSnapshot
from .text import is_blank, visible_fields

LINK_LIMIT = 2000
NOT_PREFILLABLE_TYPES = frozenset({FieldType.PIECE_JUSTIFICATIVE})
_DEPARTEMENT = re.compile(r"^(0[1-9]|[1-8]\d|9[0-5]|2[AB]|97[1-8]|98[4-9])$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class PrefillResult:
    body: dict[str, Any]
    link: str | None
    endpoint: str | None
    not_prefillable: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (label, French reason)
    link_omits: list[str] = field(default_factory=list)  # labels sent by the API but not in the link
    link_note: str = ""  # why there is no link, when there is none
    host: str = ""  # where the link and the API send the answers, checked against the allow-list
    host_refused: str = ""  # the French reason when the template's host is not allowed


    def instructions(self) -> list[str]:
        """How to use the payload, in French, for the command line and the wizard."""
        lines = []
        if self.host_refused:
            lines.append(f"Rien ne peut être envoyé : {self.host_refused}")
        elif self.host and (self.link or self.endpoint):
            lines.append(f"Les données seront envoyées à {self.host}.")
        if self.link:
            lines.append("Lien : ouvrez-le dans le navigateur, connectez-vous ; le nouveau dossier s'ouvre prérempli.")
            if self.link_omits:
                lines.append("Le lien ne contient pas les répétitions (" + ", ".join(self.link_omits)
                             + ") : remplissez-les en ligne, ou utilisez l'envoi par l'API.")
        elif self.link_note:
            lines.append(f"Pas de lien : {self.link_note}.")
        if self.endpoint:
            lines.append(
                f"API : envoyez la valeur de « body » par POST à {self.endpoint}, avec l'en-tête exactement "
                "« Content-Type: application/json » (sans « charset »). La réponse donne « dossier_url » : "
                "ouvrez-la et connectez-vous pour reprendre le brouillon. Un dossier prérempli non repris "
                "est supprimé au bout de 5 jours."
            )
        if self.not_prefillable:
            lines.append(f"À faire en ligne : {len(self.not_prefillable)} question(s) (pièces jointes, champs sans "
                         "identifiant de la plateforme) — voir « not_prefillable ».")
        if self.refused:
            lines.append(f"{len(self.refused)} réponse(s) non envoyée(s) car la plateforme les ignorerait — voir « refused ».")
        return lines

    def as_json(self) -> dict[str, Any]:
        """The object the command line writes."""
        return {
            "body": self.body,
            "link": self.link,
            "endpoint": self.endpoint,
            "not_prefillable": list(self.not_prefillable),
            "refused": [{"label": label, "reason": reason} for label, reason in self.refused],
            "link_omits": list(self.link_omits),
            "link_note": self.link_note,
            "host": self.host,
            "host_refused": self.host_refused,
            "instructions": self.instructions(),
        }


class Refused(ValueError):
    """A value the platform would drop; the message says why, in French."""


def champ_key(ds_id: str) -> str:
    """``Q2hhbXAtMTAwMg==`` → ``champ_Q2hhbXAtMTAwMg``."""
    return "champ_" + ds_id.rstrip("=")


def platform_base_of(template: Template, extra_hosts: Iterable[str] | None = None) -> str:
    """``https://host`` of the template's platform if allowed; raises HostNotAllowed (French) if not."""
    return platform_base(template.platform.host, extra_hosts)


def endpoint_url(template: Template, extra_hosts: Iterable[str] | None = None) -> str | None:
    p = template.platform
    if p.procedure_number is None:
        return None
    try:
        base = platform_base_of(template, extra_hosts)
    except HostNotAllowed:
        return None
    return f"{base}/api/public/v1/demarches/{p.procedure_number}/dossiers"


def _departement(snapshot: DossierSnapshot) -> str | None:
    for section in snapshot.template.sections:
        for spec in visible_fields(snapshot, section):
            if spec.type is FieldType.DEPARTEMENTS:
                code = _departement_code(snapshot.answers.get(spec.id))
                if code:
                    return code
    return None


def _departement_code(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    code = value.strip().upper()
    if re.fullmatch(r"\d", code):
        code = "0" + code
    return code if _DEPARTEMENT.match(code) else None


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


def platform_value(spec: FieldSpec, value: Any, *, departement: str | None = None) -> Any:
    """The value in the platform's prefill format, or :class:`Refused` with the reason."""
    t = spec.type
    if t in (FieldType.TEXT, FieldType.TEXTAREA, FieldType.PHONE):
        if not isinstance(value, str):
            raise Refused("un texte est attendu")
        return value
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
        return dt.strftime("%Y-%m-%dT%H:%M")
    if t in (FieldType.YES_NO, FieldType.CHECKBOX):
        if not isinstance(value, bool):
            raise Refused("oui ou non est attendu")
        return "true" if value else "false"
    if t is FieldType.DROP_DOWN_LIST:
        if value not in spec.options:
            why = "réponse « Autre » : à saisir en ligne" if spec.other_option else "ce n'est pas une des options proposées"
            raise Refused(f"« {value} » : {why}")
        return value
    if t is FieldType.MULTIPLE_DROP_DOWN_LIST:
        values = value if isinstance(value, list) else [value]
        bad = [v for v in values if v not in spec.options]
        if bad:
            raise Refused("options inconnues de la démarche : " + ", ".join(f"« {v} »" for v in bad))
        return list(values)
    if t is FieldType.DEPARTEMENTS:
        code = _departement_code(value)
        if code is None:
            raise Refused(f"« {value} » n'est pas un code de département (par exemple « 56 »)")
        return code
    if t is FieldType.EPCI:
        siren = re.sub(r"\s", "", value) if isinstance(value, str) else ""
        if not re.fullmatch(r"\d{9}", siren):
            raise Refused("la plateforme attend le SIREN de l'EPCI (9 chiffres) : choisissez l'EPCI en ligne")
        if departement is None:
            raise Refused("la plateforme attend aussi le département de l'EPCI, qui n'est pas renseigné")
        return [departement, siren]
    if t is FieldType.SIRET:
        digits = re.sub(r"[\s.]", "", value) if isinstance(value, str) else ""
        if not re.fullmatch(r"\d{14}", digits):
            raise Refused("un SIRET a 14 chiffres")
        if not _siret_ok(digits):
            raise Refused("SIRET invalide (clé de contrôle)")
        return digits
    raise Refused("ce type de champ ne se préremplit pas")


def _partial_multiple(spec: FieldSpec, value: Any) -> tuple[list[str], list[str]]:
    values = value if isinstance(value, list) else [value]
    return [v for v in values if v in spec.options], [v for v in values if v not in spec.options]


class _Builder:
    def __init__(self, snapshot: DossierSnapshot) -> None:
        self.snapshot = snapshot
        self.departement = _departement(snapshot)
        self.not_prefillable: list[str] = []
        self.refused: list[tuple[str, str]] = []

    def value(self, spec: FieldSpec, value: Any, label: str) -> Any:
        """The formatted value, or None (refused, recorded)."""
        if spec.type is FieldType.MULTIPLE_DROP_DOWN_LIST:
            good, bad = _partial_multiple(spec, value)
            if bad:
                self.refused.append((label, "options inconnues de la démarche, non envoyées : " + ", ".join(f"« {v} »" for v in bad)))
            return good or None
        try:
            return platform_value(spec, value, departement=self.departement)
        except Refused as exc:
            self.refused.append((label, str(exc)))
            return None

    def skip(self, spec: FieldSpec, label: str) -> bool:
        """True (and listed to do online) when the field cannot be prefilled."""
        if spec.type in NOT_PREFILLABLE_TYPES or not spec.ds_id:
            self.not_prefillable.append(label)
            return True
        return False

    def build(self) -> dict[str, Any]:
        body: dict[str, Any] = {}
        answers = self.snapshot.answers
        for section in self.snapshot.template.sections:
            for spec in visible_fields(self.snapshot, section):
                if not spec.type.holds_answer or self.skip(spec, spec.label):
                    continue
                if spec.is_repetition:
                    rows = self.rows(spec)
                    if rows:
                        body[champ_key(spec.ds_id)] = rows
                    continue
                value = answers.get(spec.id)
                if is_blank(value):
                    continue
                out = self.value(spec, value, spec.label)
                if out is not None:
                    body[champ_key(spec.ds_id)] = out
        return body

    def rows(self, spec: FieldSpec) -> list[dict[str, Any]]:
        out = []
        undone: list[str] = []
        noun = (spec.row_label or "ligne").lower()
        for i, row in enumerate(self.snapshot.rows(spec.id), 1):
            item: dict[str, Any] = {}
            for child in spec.children:
                if not child.type.holds_answer or not is_visible(child, self.snapshot.answers, row):
                    continue
                label = f"{spec.label}, {noun} {i} — {child.label}"
                if child.type in NOT_PREFILLABLE_TYPES or not child.ds_id:
                    undone.append(f"{spec.label} — {child.label}")
                    continue
                value = row.get(child.id)
                if is_blank(value):
                    continue
                formatted = self.value(child, value, label)
                if formatted is not None:
                    item[champ_key(child.ds_id)] = formatted
            if item:
                out.append(item)
        for label in dict.fromkeys(undone):
            self.not_prefillable.append(label)
        return out


def _link(template: Template, body: Mapping[str, Any], base: str) -> tuple[str | None, list[str], str]:
    p = template.platform
    if not p.procedure_path:
        return None, [], "le modèle ne connaît pas l'adresse de la démarche (procedure_path)"
    parts: list[str] = []
    omitted: list[str] = []
    for key, value in body.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            omitted.append(key)
            continue
        if isinstance(value, list):
            parts += [f"{quote(key)}%5B%5D={quote(str(v), safe='')}" for v in value]
        else:
            parts.append(f"{quote(key)}={quote(str(value), safe='')}")
    start = f"{base}/commencer/{quote(p.procedure_path)}"
    link = start + ("?" + "&".join(parts) if parts else "")
    if len(link) > LINK_LIMIT:
        return None, omitted, (f"le lien dépasserait {format_integer(LINK_LIMIT)} caractères "
                               f"({format_integer(len(link))}) : utilisez l'envoi par l'API")
    return link, omitted, ""


def build_prefill(snapshot: DossierSnapshot, *, extra_hosts: Iterable[str] | None = None) -> PrefillResult:
    """The API body, the link when it fits, and what must still be done online.

    The link and the endpoint exist only when the template's host is allowed (the platform's hosts,
    plus ``extra_hosts``; None = those of Préférences and SPIE_DESKTOP_EXTRA_HOSTS).
    """
    builder = _Builder(snapshot)
    body = builder.build()
    try:
        base = platform_base_of(snapshot.template, extra_hosts)
    except HostNotAllowed as exc:
        return PrefillResult(body=body, link=None, endpoint=None, not_prefillable=builder.not_prefillable,
                             refused=builder.refused, link_note=str(exc).rstrip("."), host_refused=str(exc))
    link, omitted_keys, note = _link(snapshot.template, body, base)
    labels = {champ_key(f.ds_id): f.label for _, f in snapshot.template.iter_fields() if f.ds_id}
    endpoint = None
    if snapshot.template.platform.procedure_number is not None:
        endpoint = f"{base}/api/public/v1/demarches/{snapshot.template.platform.procedure_number}/dossiers"
    return PrefillResult(
        body=body,
        link=link,
        endpoint=endpoint,
        not_prefillable=builder.not_prefillable,
        refused=builder.refused,
        link_omits=[labels.get(k, k) for k in omitted_keys],
        link_note=note,
        host=shown_host(base),
    )
