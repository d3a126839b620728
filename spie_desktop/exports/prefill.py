"""The platform's prefill payload (API body and link), in its exact value formats.

The platform drops unknown keys, blank and invalid values *silently* and its 201 answer lists
nothing, so every value is validated here first (prefill_values): what would be dropped is listed
in ``refused`` with a French reason, never sent, and every question left for the user to do online
is in ``not_prefillable`` with why. Nothing here touches the network.

Decisions, following the platform's code (demarches-simplifiees.fr):
- only visible fields with a ``ds_id`` whose type ``TypeDeChamp#prefillable?`` (app/models/type_de_champ.rb)
  are sent; attachments, online-only and legacy types, fields without a platform id are listed;
- an EPCI goes with its own département (the dossier's départements answer only breaks a tie
  for an EPCI listed in two départements);
- the link (prefill_link) carries repetitions; it is measured unescaped and only warned about,
  as ``PrefillDescription#link_too_long?`` does.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..forms import FieldSpec, FieldType, Template, is_visible, places
from ..platform_hosts import HostNotAllowed, platform_base, shown_host
from ..snapshot import DossierSnapshot
from .prefill_values import Refused, platform_value
from .text import is_blank, visible_fields

__all__ = [
    "NOT_PREFILLABLE_TYPES",
    "PrefillResult",
    "Refused",
    "build_prefill",
    "champ_key",
    "dossiers_endpoint",
    "platform_value",
]

#: Types ``TypeDeChamp#prefillable?`` leaves out, with what the user is told.
NOT_PREFILLABLE_TYPES: dict[FieldType, str] = {
    FieldType.PIECE_JUSTIFICATIVE: "pièce jointe, à déposer en ligne",
    FieldType.NUMBER: "ancien type « nombre », que la plateforme ne préremplit pas",
    FieldType.LINKED_DROP_DOWN_LIST: "liste déroulante liée, que la plateforme ne préremplit pas",
    FieldType.RNA: "numéro RNA, vérifié en ligne par la plateforme",
    FieldType.RNF: "numéro RNF, vérifié en ligne par la plateforme",
    FieldType.CARTE: "carte, à tracer en ligne",
    FieldType.ANNUAIRE_EDUCATION: "établissement à chercher en ligne dans l'annuaire de l'éducation",
    FieldType.CNAF: "données CNAF récupérées en ligne",
    FieldType.DGFIP: "données DGFiP récupérées en ligne",
    FieldType.POLE_EMPLOI: "données France Travail récupérées en ligne",
    FieldType.MESRI: "données du MESRI récupérées en ligne",
    FieldType.COJO: "accréditation COJO vérifiée en ligne",
    FieldType.REFERENTIEL: "valeur à chercher en ligne dans le référentiel",
    FieldType.ENGAGEMENT_JURIDIQUE: "engagement juridique vérifié en ligne",
}
NO_ID_REASON = "pas d'identifiant de la plateforme : associez le modèle à la démarche en ligne"


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
    link_warning: str = ""  # the platform's own warning past MAX_PREFILL_LINK_LENGTH
    not_prefillable_why: dict[str, str] = field(default_factory=dict)  # label → French reason

    def undone(self) -> list[tuple[str, str]]:
        """(label, why) of every question the user must still answer online."""
        return [(label, self.not_prefillable_why.get(label, "")) for label in self.not_prefillable]

    def instructions(self) -> list[str]:
        """How to use the payload, in French, for the command line and the wizard."""
        lines = []
        if self.host_refused:
            lines.append(f"Rien ne peut être envoyé : {self.host_refused}")
        elif self.host and (self.link or self.endpoint):
            lines.append(f"Les données seront envoyées à {self.host}.")
        if self.link:
            lines.append(
                "Lien : ouvrez-le dans le navigateur, connectez-vous ; le nouveau dossier s'ouvre prérempli."
            )
            if self.link_warning:
                lines.append(self.link_warning)
            if self.link_omits:
                lines.append(
                    "Le lien ne contient pas : "
                    + ", ".join(self.link_omits)
                    + " (listes dans une répétition) ; l'envoi par l'API les contient."
                )
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
            lines.append(
                f"À faire en ligne : {len(self.not_prefillable)} question(s) — voir « not_prefillable » "
                "et la raison de chacune dans « not_prefillable_why »."
            )
        if self.refused:
            lines.append(
                f"{len(self.refused)} réponse(s) non envoyée(s) car la plateforme les ignorerait — voir « refused »."
            )
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
            "link_warning": self.link_warning,
            "not_prefillable_why": dict(self.not_prefillable_why),
            "instructions": self.instructions(),
        }


def champ_key(ds_id: str) -> str:
    """``Q2hhbXAtMTAwMg==`` → ``champ_Q2hhbXAtMTAwMg``."""
    return "champ_" + ds_id.rstrip("=")


def platform_base_of(template: Template, extra_hosts: Iterable[str] | None = None) -> str:
    """``https://host`` of the template's platform if allowed; raises HostNotAllowed (French) if not."""
    return platform_base(template.platform.host, extra_hosts)


def dossiers_endpoint(base: str, procedure_number: int) -> str:
    """Where the API body is POSTed (``API::Public::V1::DossiersController#create``), on an allowed ``base``."""
    return f"{base}/api/public/v1/demarches/{int(procedure_number)}/dossiers"


def _dossier_departements(snapshot: DossierSnapshot) -> tuple[str, ...]:
    """The départements answered in the dossier, in form order (only to break an EPCI's tie)."""
    found: list[str] = []
    for section in snapshot.template.sections:
        for spec in visible_fields(snapshot, section):
            if spec.type is FieldType.DEPARTEMENTS:
                code = places.departement_code(snapshot.answers.get(spec.id))
                if code:
                    found.append(code)
    return tuple(found)


def _partial_multiple(spec: FieldSpec, value: Any) -> tuple[list[str], list[str]]:
    values = value if isinstance(value, list) else [value]
    return [v for v in values if v in spec.options], [v for v in values if v not in spec.options]


class _Builder:
    def __init__(self, snapshot: DossierSnapshot) -> None:
        self.snapshot = snapshot
        self.departements = _dossier_departements(snapshot)
        self.not_prefillable: list[str] = []
        self.why: dict[str, str] = {}
        self.refused: list[tuple[str, str]] = []

    def value(self, spec: FieldSpec, value: Any, label: str) -> Any:
        """The formatted value, or None (refused, recorded)."""
        if spec.type is FieldType.MULTIPLE_DROP_DOWN_LIST:
            good, bad = _partial_multiple(spec, value)
            if bad:
                self.refused.append(
                    (
                        label,
                        "options inconnues de la démarche, non envoyées : "
                        + ", ".join(f"« {v} »" for v in bad),
                    )
                )
            return good or None
        try:
            return platform_value(spec, value, departements=self.departements)
        except Refused as exc:
            self.refused.append((label, str(exc)))
            return None

    def undone(self, label: str, why: str) -> None:
        if label not in self.why:
            self.not_prefillable.append(label)
            self.why[label] = why

    def skip(self, spec: FieldSpec, label: str) -> bool:
        """True (and listed to do online, with why) when the field cannot be prefilled."""
        if spec.type in NOT_PREFILLABLE_TYPES:
            self.undone(label, NOT_PREFILLABLE_TYPES[spec.type])
            return True
        if not spec.ds_id:
            self.undone(label, NO_ID_REASON)
            return True
        return False

    def build(self) -> dict[str, Any]:
        body: dict[str, Any] = {}
        answers = self.snapshot.answers
        for section in self.snapshot.template.sections:
            for spec in visible_fields(self.snapshot, section):
                if not _asks(spec) or self.skip(spec, spec.label):
                    continue
                key = champ_key(spec.ds_id or "")
                if spec.is_repetition:
                    rows = self.rows(spec)
                    if rows:
                        body[key] = rows
                    continue
                value = answers.get(spec.id)
                if is_blank(value):
                    continue
                out = self.value(spec, value, spec.label)
                if out is not None:
                    body[key] = out
        return body

    def rows(self, spec: FieldSpec) -> list[dict[str, Any]]:
        out = []
        noun = (spec.row_label or "ligne").lower()
        for i, row in enumerate(self.snapshot.rows(spec.id), 1):
            item: dict[str, Any] = {}
            for child in spec.children:
                if not _asks(child) or not is_visible(child, self.snapshot.answers, row):
                    continue
                if self.skip(child, f"{spec.label} — {child.label}"):
                    continue
                value = row.get(child.id)
                if is_blank(value):
                    continue
                formatted = self.value(child, value, f"{spec.label}, {noun} {i} — {child.label}")
                if formatted is not None:
                    item[champ_key(child.ds_id or "")] = formatted
            if item:
                out.append(item)
        return out


def _asks(spec: FieldSpec) -> bool:
    """A question the platform asks (answered offline or online), not a heading or a text."""
    return spec.type.holds_answer or spec.type.is_online_only


def build_prefill(snapshot: DossierSnapshot, *, extra_hosts: Iterable[str] | None = None) -> PrefillResult:
    """The API body, the link, and what must still be done online.

    The link and the endpoint exist only when the template's host is allowed (the platform's hosts,
    plus ``extra_hosts``; None = those of Préférences and SPIE_DESKTOP_EXTRA_HOSTS).
    """
    from .prefill_link import prefill_link

    builder = _Builder(snapshot)
    body = builder.build()
    try:
        base = platform_base_of(snapshot.template, extra_hosts)
    except HostNotAllowed as exc:
        return PrefillResult(
            body=body,
            link=None,
            endpoint=None,
            not_prefillable=builder.not_prefillable,
            refused=builder.refused,
            link_note=str(exc).rstrip("."),
            host_refused=str(exc),
            not_prefillable_why=builder.why,
        )
    link = prefill_link(snapshot.template, body, base)
    number = snapshot.template.platform.procedure_number
    endpoint = dossiers_endpoint(base, number) if number is not None else None
    return PrefillResult(
        body=body,
        link=link.url,
        endpoint=endpoint,
        not_prefillable=builder.not_prefillable,
        refused=builder.refused,
        link_omits=link.omits,
        link_note=link.note,
        link_warning=link.warning,
        not_prefillable_why=builder.why,
        host=shown_host(base),
    )
