"""A démarche's published form (its ``demarcheDescriptor`` JSON) made into a spie-template.

The platform serves it at ``/preremplir/<path>/schema`` and through GraphQL. Sections come from
the top-level ``header_section`` headers, platform ids are kept in ``ds_id`` (so the dossier can
be prefilled), and field ids derive from the stable champ id (``Champ-5003`` → ``champ_5003``),
so importing a later revision of the same form keeps the answers' keys.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any
from urllib.parse import urlparse

from ..errors import SpieError
from ..forms.types import Platform
from ..platform_hosts import HostNotAllowed, platform_base, shown_host

FIRST_SECTION_TITLE = "Informations générales"

#: Every ``…ChampDescriptor`` of the platform's ``app/graphql/schema.graphql`` (41), with the
#: plural spellings older exports used.
TYPES = {
    "HeaderSectionChampDescriptor": "header_section",
    "ExplicationChampDescriptor": "explication",
    "RepetitionChampDescriptor": "repetition",
    "TextChampDescriptor": "text",
    "TextareaChampDescriptor": "textarea",
    "IntegerNumberChampDescriptor": "integer_number",
    "DecimalNumberChampDescriptor": "decimal_number",
    "NumberChampDescriptor": "number",
    "DateChampDescriptor": "date",
    "DatetimeChampDescriptor": "datetime",
    "EmailChampDescriptor": "email",
    "PhoneChampDescriptor": "phone",
    "YesNoChampDescriptor": "yes_no",
    "CheckboxChampDescriptor": "checkbox",
    "DropDownListChampDescriptor": "drop_down_list",
    "MultipleDropDownListChampDescriptor": "multiple_drop_down_list",
    "LinkedDropDownListChampDescriptor": "linked_drop_down_list",
    "CiviliteChampDescriptor": "civilite",
    "IbanChampDescriptor": "iban",
    "SiretChampDescriptor": "siret",
    "FormattedChampDescriptor": "formatted",
    "DossierLinkChampDescriptor": "dossier_link",
    "PieceJustificativeChampDescriptor": "piece_justificative",
    "TitreIdentiteChampDescriptor": "piece_justificative",
    "AddressChampDescriptor": "address",
    "CommuneChampDescriptor": "communes",
    "CommunesChampDescriptor": "communes",
    "DepartementChampDescriptor": "departements",
    "DepartementsChampDescriptor": "departements",
    "RegionChampDescriptor": "regions",
    "RegionsChampDescriptor": "regions",
    "PaysChampDescriptor": "pays",
    "EpciChampDescriptor": "epci",
    "RNAChampDescriptor": "rna",
    "RNFChampDescriptor": "rnf",
    "CarteChampDescriptor": "carte",
    "AnnuaireEducationChampDescriptor": "annuaire_education",
    "CnafChampDescriptor": "cnaf",
    "DgfipChampDescriptor": "dgfip",
    "PoleEmploiChampDescriptor": "pole_emploi",
    "MesriChampDescriptor": "mesri",
    "COJOChampDescriptor": "cojo",
    "ReferentielChampDescriptor": "referentiel",
    "EngagementJuridiqueChampDescriptor": "engagement_juridique",
}
#: Answered offline but never prefilled (``TypeDeChamp#prefillable?``): said at import.
NOT_PREFILLED = {
    "NumberChampDescriptor": "nombre (ancien type)",
    "LinkedDropDownListChampDescriptor": "liste déroulante liée",
    "RNAChampDescriptor": "numéro RNA",
    "RNFChampDescriptor": "numéro RNF",
    "TitreIdentiteChampDescriptor": "titre d'identité",
}
#: Only answerable online (a map, a lookup in another administration's register).
ONLINE_ONLY = {
    "CarteChampDescriptor": "carte",
    "AnnuaireEducationChampDescriptor": "annuaire de l'éducation",
    "CnafChampDescriptor": "données CNAF",
    "DgfipChampDescriptor": "données DGFiP",
    "PoleEmploiChampDescriptor": "données France Travail",
    "MesriChampDescriptor": "données du MESRI",
    "COJOChampDescriptor": "accréditation COJO",
    "ReferentielChampDescriptor": "référentiel",
    "EngagementJuridiqueChampDescriptor": "engagement juridique",
}


class SchemaImportError(SpieError, ValueError):
    """The JSON is not a démarche's form; the message is French, fit to show as is."""


def _decode_id(ds_id: str) -> str | None:
    """``Q2hhbXAtNTAwMw==`` → ``Champ-5003`` (None when it is not Base64 text)."""
    try:
        raw = base64.b64decode(ds_id + "=" * (-len(ds_id) % 4), validate=True)
        return raw.decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None


def _slug(text: str) -> str:
    import unicodedata

    s = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "_", s).strip("_")


class _Ids:
    """Stable, unique, template-valid ids derived from the platform's ids."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def make(self, ds_id: Any, prefix: str = "champ", fallback: str = "") -> str:
        decoded = _decode_id(ds_id) if isinstance(ds_id, str) else None
        if decoded and re.fullmatch(r"[A-Za-z]+-\d+", decoded):
            base = f"{prefix}_{decoded.split('-')[1]}"
        else:
            base = f"{prefix}_{_slug(str(ds_id or fallback))}"[:56].rstrip("_") or prefix
        candidate, n = base, 2
        while candidate in self.used:
            candidate, n = f"{base}_{n}", n + 1
        self.used.add(candidate)
        return candidate


def _descriptor(data: Any) -> dict:
    if isinstance(data, dict) and isinstance(data.get("data"), dict):
        data = data["data"]
    if isinstance(data, dict) and isinstance(data.get("demarcheDescriptor"), dict):
        data = data["demarcheDescriptor"]
    if isinstance(data, dict) and isinstance(data.get("demarche"), dict) and "revision" not in data:
        data = data["demarche"]
    if not isinstance(data, dict) or not isinstance(data.get("revision"), dict):
        raise SchemaImportError(
            "Ce fichier n'est pas le formulaire d'une démarche : l'objet « revision » est absent. "
            "Téléchargez-le depuis https://<hôte>/preremplir/<démarche>/schema."
        )
    champs = data["revision"].get("champDescriptors")
    if not isinstance(champs, list):
        raise SchemaImportError("Le formulaire de la démarche n'a pas de liste « champDescriptors ».")
    return data


def template_from_schema(data: Any, *, source: str = "") -> tuple[dict, list[str]]:
    """(spie-template dict, French warnings) for a ``demarcheDescriptor`` or its GraphQL envelope."""
    desc = _descriptor(data)
    origins: dict[int, dict] = {}
    try:
        template, warnings = _template(desc, source, origins)
    except (AttributeError, TypeError, ValueError) as exc:
        if isinstance(exc, SchemaImportError):
            raise
        raise SchemaImportError(
            f"Le formulaire de la démarche est mal formé ({exc.__class__.__name__}) : "
            "téléchargez-le de nouveau depuis la plateforme."
        ) from exc
    _refuse_unloadable(template, desc, origins, source)
    return template, warnings


_GENERATED_PATH = re.compile(
    r"^\$\.sections\[(\d+)\](?:\.fields\[(\d+)\](?:\.children\[(\d+)\])?)?(?:\.(\w+))?"
)
_SCHEMA_KEYS = {"ds_id": "id", "other_option": "otherOption", "children": "champDescriptors"}


def _refuse_unloadable(template: dict, desc: dict, origins: dict[int, dict], source: str) -> None:
    """The template must load; if not, the error names the champ of the user's schema it came from."""
    from ..forms.loader import TemplateError, parse_template

    try:
        parse_template(template)
    except TemplateError as exc:
        where = _schema_place(exc.path, template, desc, origins)
        of = f" « {source} »" if source else ""
        raise SchemaImportError(
            f"Le formulaire de la démarche{of} ne peut pas être importé : {where} : {exc.detail}."
        ) from None


def _schema_place(path: str, template: dict, desc: dict, origins: dict[int, dict]) -> str:
    m = _GENERATED_PATH.match(path or "")
    if not m:
        return "revision"
    try:
        node: dict = template["sections"][int(m[1])]
        if m[2] is not None:
            node = node["fields"][int(m[2])]
        champ = origins.get(id(node))
        parent = desc["revision"]["champDescriptors"]
        if champ is not None and m[3] is not None:
            parent = [c for c in champ.get("champDescriptors") or [] if isinstance(c, dict)]
            champ, parent = parent[int(m[3])], champ["champDescriptors"]
    except (IndexError, KeyError, TypeError, ValueError):
        return "revision"
    if champ is None:
        return "revision.champDescriptors"
    index = next((i for i, c in enumerate(parent) if c is champ), None)
    outer = next(
        (i for i, c in enumerate(desc["revision"]["champDescriptors"]) if c is origins.get(id(node))), None
    )
    place = f"revision.champDescriptors[{outer if m[3] is not None else index}]"
    if m[3] is not None:
        place += f".champDescriptors[{index}]"
    if m[4]:
        place += f".{_SCHEMA_KEYS.get(m[4], m[4])}"
    label = champ.get("label")
    return f"{place} (champ « {label[:80]} »)" if isinstance(label, str) and label.strip() else place


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _template(desc: dict, source: str, origins: dict[int, dict] | None = None) -> tuple[dict, list[str]]:
    warnings: list[str] = []
    ids = _Ids()
    revision = desc["revision"]
    champs = [c for c in revision["champDescriptors"] if isinstance(c, dict)]
    headers = [c for c in champs if c.get("__typename") == "HeaderSectionChampDescriptor"]
    top = min((c["level"] if isinstance(c.get("level"), int) else 1 for c in headers), default=1)

    sections: list[dict] = []
    current: dict | None = None
    for champ in champs:
        level = champ["level"] if isinstance(champ.get("level"), int) else 1
        is_top_header = champ.get("__typename") == "HeaderSectionChampDescriptor" and level == top
        if is_top_header:
            current = {
                "id": ids.make(champ.get("id"), "section", champ.get("label", "")),
                "title": _text(champ.get("label")) or f"Section {len(sections) + 1}",
                "fields": [],
            }
            if _text(champ.get("description")):
                current["description"] = champ["description"]
            if origins is not None:
                origins[id(current)] = champ
            sections.append(current)
            continue
        if current is None:
            ids.used.add("informations_generales")
            current = {"id": "informations_generales", "title": FIRST_SECTION_TITLE, "fields": []}
            sections.append(current)
        current["fields"].append(_field(champ, ids, warnings, top=top))
        if origins is not None:
            origins[id(current["fields"][-1])] = champ
    if not sections:
        raise SchemaImportError("Le formulaire de la démarche ne contient aucun champ.")
    for s in sections:
        if not s["fields"]:
            s["fields"].append(
                {
                    "id": ids.make(None, "vide", s["id"]),
                    "type": "explication",
                    "label": "Cette section ne contient aucune question.",
                }
            )

    number = desc.get("number")
    if isinstance(number, str) and number.isdigit():
        number = int(number)
    if isinstance(number, bool) or not isinstance(number, int) or number <= 0:
        number = None
    url = desc.get("demarcheURL") or ""
    parsed = urlparse(url) if isinstance(url, str) else None
    path = None
    if parsed and "/commencer/" in parsed.path:
        path = parsed.path.split("/commencer/", 1)[1].strip("/") or None
    host = Platform.host
    if parsed and parsed.netloc:
        try:
            host = shown_host(platform_base(url))
        except HostNotAllowed as exc:
            raise SchemaImportError(f"L'adresse de la démarche (demarcheURL) est refusée : {exc}") from None
    rev_decoded = _decode_id(revision.get("id") or "") if isinstance(revision.get("id"), str) else None
    if rev_decoded and re.fullmatch(r"[A-Za-z]+-\d+", rev_decoded):
        version = f"r{rev_decoded.split('-')[1]}"
    else:
        version = str(revision.get("datePublication") or desc.get("dateDerniereModification") or "1")
    template = {
        "format": "spie-template",
        "format_version": 1,
        "id": f"ds-{number}"
        if isinstance(number, int)
        else f"ds-{_slug(str(desc.get('title', 'demarche')))[:90] or 'demarche'}",
        "version": version,
        "title": _text(desc.get("title")) or "Démarche importée",
        "description": _text(desc.get("description")),
        "deadline": None,
        "platform": {
            "host": host,
            "procedure_path": path,
            "procedure_number": number if isinstance(number, int) else None,
        },
        "parameters": {
            "imported_from": source or url or "",
            "revision_published": revision.get("datePublication"),
        },
        "sections": sections,
        "rules": [],
    }
    if not isinstance(number, int):
        warnings.append(
            "Le numéro de la démarche est absent : le préremplissage par l'API ne sera pas possible."
        )
    if path is None:
        warnings.append("L'adresse de la démarche (demarcheURL) est absente : pas de lien de préremplissage.")
    return template, warnings


def _file_template(value: Any) -> str:
    """The model file's address (a ``File`` object with ``url``, or a bare address)."""
    if isinstance(value, dict):
        value = value.get("url")
    return (
        value.strip() if isinstance(value, str) and value.strip().startswith(("https://", "http://")) else ""
    )


def _field(champ: dict, ids: _Ids, warnings: list[str], *, top: int, in_repetition: bool = False) -> dict:
    typename = str(champ.get("__typename") or "")
    ds_id = champ.get("id") if isinstance(champ.get("id"), str) and champ["id"].strip() else None
    label = _text(champ.get("label")) or "(sans libellé)"
    out: dict[str, Any] = {"id": ids.make(ds_id, "champ", label), "type": TYPES.get(typename), "label": label}
    if _text(champ.get("description")):
        out["description"] = champ["description"]
    if champ.get("required") is True:
        out["required"] = True
    if ds_id:
        out["ds_id"] = ds_id
    kind = out["type"]
    if kind is None:
        out = {
            "id": out["id"],
            "type": "explication",
            "label": label,
            "description": (
                _text(champ.get("description"))
                + f"\n[Champ de type {typename or 'inconnu'} : à remplir en ligne.]"
            ).strip(),
        }
        warnings.append(
            f"« {label} » : type de champ inconnu ({typename or 'absent'}), gardé comme texte d'aide."
        )
        return out
    if typename in ONLINE_ONLY:
        warnings.append(
            f"« {label} » ({ONLINE_ONLY[typename]}) ne se remplit qu'en ligne : il est listé « À faire en ligne »."
        )
    elif typename in NOT_PREFILLED:
        warnings.append(
            f"« {label} » ({NOT_PREFILLED[typename]}) : la plateforme ne le préremplit pas, il faudra le saisir en ligne."
        )
    if (
        kind == "explication"
        and champ.get("collapsibleExplanationEnabled")
        and _text(champ.get("collapsibleExplanationText"))
    ):
        out["collapsible_text"] = champ["collapsibleExplanationText"]
    if kind == "piece_justificative":
        template_url = _file_template(champ.get("fileTemplate"))
        if template_url:
            out["file_template"] = template_url
    kind = out["type"]
    if kind == "header_section":
        given = champ.get("level")
        level = given if isinstance(given, int) else top + 1
        if in_repetition:
            warnings.append(f"« {label} » : un titre dans une répétition devient un texte d'aide.")
            return {"id": out["id"], "type": "explication", "label": label}
        out["level"] = max(1, min(3, level - top + 1))
        out.pop("required", None)
    if kind in ("drop_down_list", "multiple_drop_down_list"):
        raw_options = champ.get("options")
        options = (
            [o for o in raw_options if isinstance(o, str) and o] if isinstance(raw_options, list) else []
        )
        options = list(dict.fromkeys(options))
        if not options:
            warnings.append(
                f"« {label} » : liste déroulante sans option, saisie comme texte et à choisir en ligne."
            )
            out["type"] = "linked_drop_down_list"
        else:
            out["options"] = options
            if champ.get("otherOption"):
                out["other_option"] = True
    if kind == "repetition":
        if in_repetition:
            warnings.append(
                f"« {label} » : une répétition dans une répétition n'est pas gérée, gardée comme texte d'aide."
            )
            return {"id": out["id"], "type": "explication", "label": label}
        raw_kids = champ.get("champDescriptors")
        kids = [c for c in raw_kids if isinstance(c, dict)] if isinstance(raw_kids, list) else []
        children = [_field(c, ids, warnings, top=top, in_repetition=True) for c in kids]
        if not children:
            warnings.append(f"« {label} » : répétition sans champ, gardée comme texte d'aide.")
            return {"id": out["id"], "type": "explication", "label": label}
        out["children"] = children
    return out
