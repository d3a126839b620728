"""Linking a dossier's own copy of its form to a démarche, and recording what was sent.

The linked form is stored in the dossier (``template_json``) under a new version, with a
``link`` row in the history; a sent dossier leaves a ``send`` row. Works from a file path or
the window's open dossier alike.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..forms import Template, parse_template
from .link import LinkPlan, linked_template, match
from .online import OnlineError, SentDossier, fetch_schema
from .schema_import import SchemaImportError, template_from_schema


def load_schema(source: str) -> tuple[dict[str, Any], str]:
    """(demarcheDescriptor, where from) from a file or, on explicit request, the platform's address."""
    if source.startswith(("https://", "http://")):
        return fetch_schema(source), source
    path = Path(source)
    try:
        return json.loads(path.read_text(encoding="utf-8")), str(path)
    except FileNotFoundError:
        raise SchemaImportError(f"Le fichier « {path} » est introuvable.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SchemaImportError(
            f"Le fichier « {path} » ne peut pas être lu ({exc.__class__.__name__})."
        ) from None
    except json.JSONDecodeError as exc:
        raise SchemaImportError(
            f"« {path} » n'est pas du JSON valide (ligne {exc.lineno}, colonne {exc.colno})."
        ) from None


def demarche_template(schema: dict[str, Any], source: str = "") -> Template:
    data, _warnings = template_from_schema(schema, source=source)
    return parse_template(data, source=source)


def plan_link(template: Template, schema: dict[str, Any], source: str = "") -> LinkPlan:
    return match(template, demarche_template(schema, source))


def store_link(df: Any, plan: LinkPlan, *, accept_doubtful: bool = True) -> Template:
    """Write the linked form into the open dossier ``df`` (a DossierFile), with its history row."""
    old = df.template
    raw = linked_template(old.raw, plan, accept_doubtful=accept_doubtful)
    linked = sum(1 for p in plan.pairs if accept_doubtful or p in plan.matched)
    df.replace_template(
        raw,
        op="link",
        old={"version": old.version, "procedure_number": old.platform.procedure_number},
        new={
            "version": raw["version"],
            "procedure_number": plan.procedure_number,
            "procedure_path": plan.procedure_path,
            "host": plan.host,
            "linked": linked,
            "doubtful": len(plan.doubtful) if accept_doubtful else 0,
        },
    )
    return df.template


def record_sent(df: Any, sent: SentDossier) -> None:
    df.record_event("send", sent.record())


def last_sent(changes: list[Any]) -> dict[str, Any] | None:
    """The latest ``send`` record among change records (newest last), for « Dépôt en ligne »."""
    for c in reversed(changes):
        if getattr(c, "op", "") == "send" and isinstance(c.new, dict):
            return dict(c.new, at=c.at)
    return None


__all__ = [
    "OnlineError",
    "demarche_template",
    "last_sent",
    "load_schema",
    "plan_link",
    "record_sent",
    "store_link",
]
