"""Helpers to build small templates and snapshots by hand for the completeness checks (imported by the tests)."""

from __future__ import annotations

from typing import Any

from spie_desktop.forms import parse_template
from spie_desktop.forms.types import Template
from spie_desktop.snapshot import AttachmentInfo, DossierInfo, DossierSnapshot


def make_template(sections: list[dict], rules: list[dict] | None = None, parameters: dict | None = None) -> Template:
    return parse_template({
        "format": "spie-template", "format_version": 1, "id": "test", "version": "1", "title": "Test",
        "parameters": parameters or {}, "sections": sections, "rules": rules or [],
    })


def one_section(*fields: dict, rules: list[dict] | None = None, parameters: dict | None = None) -> Template:
    return make_template([{"id": "s", "title": "Section", "fields": list(fields)}], rules, parameters)


def attachment(path: str, size: int = 1000, name: str = "lettre.pdf", id: int = 1) -> AttachmentInfo:
    return AttachmentInfo(id=id, path=path, name=name, media_type="application/pdf", size=size, sha256="0" * 64)


def snapshot(template: Template, answers: dict[str, Any] | None = None, attachments: tuple = ()) -> DossierSnapshot:
    info = DossierInfo(id="d", title="Dossier de test", template_id=template.id, template_version=template.version,
                       created_at="2021-09-01T10:00:00Z", updated_at="2021-09-01T10:00:00Z")
    return DossierSnapshot(template=template, info=info, answers=answers or {}, attachments=tuple(attachments))

