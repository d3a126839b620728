"""Snapshots and edits (no Qt): a snapshot with the edits not yet written, and what changed between
two snapshots (which values, which repetitions' rows, which attachments), so that the window's
controller can tell the open widgets after a merge or a restore.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any, Literal

from .forms import FieldPath
from .forms.paths import ROW_KEY
from .snapshot import DossierSnapshot

#: ``("value", "nom")``, ``("value", "membres[r1].nom")``, ``("rows", "membres")``, ``("attachments", "statuts")``
Change = tuple[Literal["value", "rows", "attachments"], str]


def with_pending(snap: DossierSnapshot, pending: Mapping[str, Any]) -> DossierSnapshot:
    """``snap`` as the user sees it: the edits of ``pending`` (stored path → value) put in."""
    if not pending:
        return snap
    answers = {k: (list(v) if isinstance(v, list) else v) for k, v in snap.answers.items()}
    for path, value in pending.items():
        p = FieldPath.parse(path)
        if p.row is None:
            answers[p.field] = value
            continue
        rows = answers.get(p.field) or []
        answers[p.field] = rows = [dict(r) for r in rows]
        for r in rows:
            if r.get(ROW_KEY) == p.row:
                r[p.child] = value
    return replace(snap, answers=answers)


def changes_between(before: DossierSnapshot, after: DossierSnapshot) -> list[Change]:
    """What a merge or a restore changed, in the order the widgets are told."""
    out: list[Change] = []
    for key in set(before.answers) | set(after.answers):
        old, new = before.answers.get(key), after.answers.get(key)
        if old == new:
            continue
        rows_old = old if isinstance(old, list) and all(isinstance(r, dict) for r in old) else None
        rows_new = new if isinstance(new, list) and all(isinstance(r, dict) for r in new) else None
        if rows_old is None and rows_new is None:
            out.append(("value", key))
            continue
        ids_old = [r.get(ROW_KEY) for r in rows_old or []]
        ids_new = [r.get(ROW_KEY) for r in rows_new or []]
        if ids_old != ids_new:
            out.append(("rows", key))
        by_id = {r.get(ROW_KEY): r for r in rows_old or []}
        for r in rows_new or []:
            was = by_id.get(r.get(ROW_KEY), {})
            for child in set(r) | set(was):
                if child != ROW_KEY and r.get(child) != was.get(child):
                    out.append(("value", f"{key}[{r.get(ROW_KEY)}].{child}"))
    old_att = {(a.path, a.sha256) for a in before.attachments}
    new_att = {(a.path, a.sha256) for a in after.attachments}
    out += [("attachments", path) for path in {p for p, _ in old_att ^ new_att}]
    return out
