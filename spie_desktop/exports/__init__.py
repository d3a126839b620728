"""Exports of a dossier: the PDF review copy, the text copy for filing by hand, the prefill payload,
and the import of a démarche's published form as a template.

Everything here is a pure function of a :class:`~spie_desktop.snapshot.DossierSnapshot` (no Qt, no
network). The heavy modules (reportlab) load only when an export runs: this package's import is
cheap, and names are resolved lazily.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..errors import SpieError

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]


class ExportError(SpieError):
    """An export that could not be made; the message is French, fit to show as is."""


class ExportCancelled(ExportError):
    """The user cancelled a long export; nothing was written."""

    def __init__(self, message: str = "Export annulé : aucun fichier n'a été écrit.") -> None:
        super().__init__(message)


_LAZY = {
    "write_pdf": "pdf",
    "export_text": "text",
    "write_text": "text",
    "paste_items": "text",
    "PasteItem": "text",
    "PasteKind": "text",
    "demarche_url": "text",
    "build_prefill": "prefill",
    "PrefillResult": "prefill",
    "template_from_schema": "schema_import",
    "SchemaImportError": "schema_import",
}

__all__ = ["Cancel", "ExportCancelled", "ExportError", "Progress", *_LAZY]

if (
    TYPE_CHECKING
):  # pragma: no cover - the names __getattr__ serves, for the type checker (X as X: re-exported)
    from .pdf import write_pdf as write_pdf
    from .prefill import PrefillResult as PrefillResult, build_prefill as build_prefill
    from .schema_import import (
        SchemaImportError as SchemaImportError,
        template_from_schema as template_from_schema,
    )
    from .text import (
        PasteItem as PasteItem,
        PasteKind as PasteKind,
        demarche_url as demarche_url,
        export_text as export_text,
        paste_items as paste_items,
        write_text as write_text,
    )


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(name)
    from importlib import import_module

    return getattr(import_module(f".{module}", __name__), name)
