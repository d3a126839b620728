"""Which template a dossier is read with: the installed one of its version, else the copy it embeds."""

from __future__ import annotations

from pathlib import Path

from ..forms import Template
from ..forms.loader import load_template_text
from .errors import DossierCorrupt
from .records import Header


def resolve_template(header: Header, path: Path) -> Template:
    """The installed template when its version matches (or nothing is embedded), else the embedded one.

    Raises LookupError (``UnknownTemplateError``) when neither exists, DossierCorrupt when only an
    unreadable embedded copy does.
    """
    from ..forms import registry

    installed: Template | None
    try:
        installed = registry.find(header.template_id, header.template_version)
        if installed.version == header.template_version or not header.template_json:
            return installed
    except LookupError:
        installed = None
    if header.template_json:
        try:
            return load_template_text(header.template_json, source=f"{path}, modèle intégré")
        except (ValueError, TypeError) as exc:
            if installed is None:
                raise DossierCorrupt(str(path), f"modèle intégré illisible : {exc}") from None
    if installed is not None:
        return installed
    raise registry.UnknownTemplateError(header.template_id, header.template_version)
