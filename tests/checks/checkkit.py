"""Helpers to build small templates and snapshots by hand for the completeness checks (imported by the tests)."""

from __future__ import annotations

from typing import Any

from spie_desktop.forms import parse_template
from spie_desktop.forms.types import Template
from spie_desktop.snapshot import AttachmentInfo, DossierInfo, DossierSnapshot


def make_template(
    sections: list[dict], rules: list[dict] | None = None, parameters: dict | None = None
) -> Template:
    return parse_template(
        {
            "format": "spie-template",
            "format_version": 1,
            "id": "test",
            "version": "1",
            "title": "Test",
            "parameters": parameters or {},
            "sections": sections,
            "rules": rules or [],
        }
    )


def one_section(*fields: dict, rules: list[dict] | None = None, parameters: dict | None = None) -> Template:
    return make_template([{"id": "s", "title": "Section", "fields": list(fields)}], rules, parameters)


def attachment(path: str, size: int = 1000, name: str = "lettre.pdf", id: int = 1) -> AttachmentInfo:
    return AttachmentInfo(
        id=id, path=path, name=name, media_type="application/pdf", size=size, sha256="0" * 64
    )


def snapshot(
    template: Template, answers: dict[str, Any] | None = None, attachments: tuple = ()
) -> DossierSnapshot:
    info = DossierInfo(
        id="d",
        title="Dossier de test",
        template_id=template.id,
        template_version=template.version,
        created_at="2021-09-01T10:00:00Z",
        updated_at="2021-09-01T10:00:00Z",
    )
    return DossierSnapshot(
        template=template, info=info, answers=answers or {}, attachments=tuple(attachments)
    )


# -- built-in template and example ------------------------------------------------------------

import json  # noqa: E402
from pathlib import Path  # noqa: E402

from spie_desktop.forms.types import FieldSpec, FieldType  # noqa: E402
from spie_desktop.resources_path import resource  # noqa: E402

TEMPLATE_2021 = resource("templates", "ami-spie-2021-vague2.json")
TEMPLATE_2020 = resource("templates", "ami-spie-2020-vague1.json")
EXAMPLE = resource("examples", "exemple-dossier.json")


def load_example(template: Template | None = None, path: Path = EXAMPLE) -> DossierSnapshot:
    """The example dossier as a snapshot: through the interchange module when it is there."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    try:
        from spie_desktop.interchange import snapshot_from_document
    except ImportError:
        return _local_snapshot(data, template)
    return snapshot_from_document(data, template)


def _local_snapshot(data: dict, template: Template | None) -> DossierSnapshot:
    from spie_desktop.forms import load_template_file

    template = template or load_template_file(TEMPLATE_2021)
    answers: dict[str, Any] = {}
    for key, value in (data.get("answers") or {}).items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            value = [{**row, "_id": row.get("_id") or f"r{key[:3]}{i}"} for i, row in enumerate(value)]
        answers[key] = value
    atts = []
    for i, a in enumerate(data.get("attachments") or (), start=1):
        field, _, rest = a["field"].partition("[")
        path = a["field"]
        if rest:
            index, _, child = rest.partition("].")
            path = f"{field}[{answers[field][int(index)]['_id']}].{child}"
        atts.append(
            AttachmentInfo(
                i, path, a["name"], a.get("media_type", ""), int(a.get("size") or 0), a.get("sha256", "")
            )
        )
    d = data.get("dossier") or {}
    info = DossierInfo(d.get("id", "x"), d.get("title", "Exemple"), template.id, template.version, "", "")
    return DossierSnapshot(template, info, answers, tuple(atts))


def sample_value(spec: FieldSpec, n: int = 0) -> Any:
    """A valid answer for any field type (the n-th option for choices)."""
    t = spec.type
    if t in (FieldType.TEXT, FieldType.EPCI):
        return f"Réponse {n + 1} à « {spec.label} »"
    if t is FieldType.TEXTAREA:
        return "Un paragraphe rédigé pour la candidature, avec des accents : élève, été, Pôle emploi."
    if t is FieldType.INTEGER_NUMBER:
        return 120 + n
    if t is FieldType.DECIMAL_NUMBER:
        return "2.5"
    if t is FieldType.DATE:
        return "2022-06-01"
    if t is FieldType.DATETIME:
        return "2022-06-01T10:30"
    if t is FieldType.EMAIL:
        return "contact@cd-fictif.fr"
    if t is FieldType.PHONE:
        return "02 97 12 34 56"
    if t is FieldType.SIRET:
        return "73282932000074"
    if t is FieldType.IBAN:
        return "FR76 3000 6000 0112 3456 7890 189"
    if t is FieldType.CIVILITE:
        return "Mme"
    if t in (FieldType.YES_NO, FieldType.CHECKBOX):
        return True
    if t is FieldType.DROP_DOWN_LIST:
        return spec.options[n % len(spec.options)]
    if t is FieldType.MULTIPLE_DROP_DOWN_LIST:
        return [spec.options[n % len(spec.options)]]
    if t is FieldType.DEPARTEMENTS:
        return "56"
    if t.holds_answer and not t.is_online_only:  # the platform's other types are answered as text here
        return f"Réponse {n + 1} à « {spec.label} »"
    raise AssertionError(t)
