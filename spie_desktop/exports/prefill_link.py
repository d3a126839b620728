"""The prefill link ``https://<host>/commencer/<path>?champ_…=…``, as the platform builds and reads it.

Lists go as ``key[]=v``; repetitions as ``champ_R[][champ_X]=…`` per row
(spec/system/users/dossier_prefill_get_spec.rb passes a repetition in the link). Rack starts a
new row when the last one already holds the key, so every row begins with the same plain key
(sent empty in a row that has none). The length is measured *unescaped*, as
``PrefillDescription#link_too_long?`` (app/models/prefill_description.rb) does against
``MAX_PREFILL_LINK_LENGTH``, and past it the link is kept with the platform's warning.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote

from ..formatting import format_integer
from ..forms import Template
from .prefill import champ_key

MAX_PREFILL_LINK_LENGTH = 2000


@dataclass(frozen=True)
class PrefillLink:
    url: str | None
    length: int = 0  # unescaped, as the platform measures it
    note: str = ""  # why there is no link
    warning: str = ""  # past MAX_PREFILL_LINK_LENGTH
    omits: list[str] = field(default_factory=list)  # labels of what the link cannot carry


def _q(text: str) -> str:
    return quote(text, safe="")


def _scalar(key: str, value: Any) -> list[str]:
    if isinstance(value, list):
        return [f"{key}%5B%5D={_q(str(v))}" for v in value]
    return [f"{key}={_q(str(value))}"]


def _rows(key: str, rows: list[dict[str, Any]]) -> list[str] | None:
    """The row parameters, or None when no plain key can open every row."""
    order = list(dict.fromkeys(k for row in rows for k in row))
    first = next((k for k in order if all(not isinstance(row.get(k), list) for row in rows)), None)
    if first is None:
        return None
    order.remove(first)
    parts: list[str] = []
    for row in rows:
        parts.append(f"{key}%5B%5D%5B{first}%5D={_q(str(row.get(first, '')))}")
        for k in order:
            if k in row:
                parts += _scalar(f"{key}%5B%5D%5B{k}%5D", row[k])
    return parts


def prefill_link(template: Template, body: Mapping[str, Any], base: str) -> PrefillLink:
    """The link on ``base`` (``https://host``, already checked against the allowed hosts)."""
    p = template.platform
    if not p.procedure_path:
        return PrefillLink(None, note="le modèle ne connaît pas l'adresse de la démarche (procedure_path)")
    labels = {champ_key(f.ds_id): f.label for _, f in template.iter_fields() if f.ds_id}
    parts: list[str] = []
    omits: list[str] = []
    for key, value in body.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            rows = _rows(key, value)
            if rows is None:
                omits.append(labels.get(key, key))
            else:
                parts += rows
        else:
            parts += _scalar(key, value)
    url = f"{base}/commencer/{quote(p.procedure_path)}" + ("?" + "&".join(parts) if parts else "")
    length = len(unquote(url))
    warning = ""
    if length > MAX_PREFILL_LINK_LENGTH:
        warning = (
            f"Attention : le lien fait {format_integer(length)} caractères, plus que les "
            f"{format_integer(MAX_PREFILL_LINK_LENGTH)} que la plateforme conseille ; il peut ne pas "
            "marcher dans tous les navigateurs. L'envoi par l'API n'a pas cette limite."
        )
    return PrefillLink(url, length=length, warning=warning, omits=omits)
