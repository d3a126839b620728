"""The window's re-check after a typing pause: only what changed since the last one.

Rebuilding the whole snapshot of a 5 000-row dossier costs more than a frame, so the last snapshot
checked is kept and patched with the answers that changed since: the edits still pending, the ones
pending last time, and every answer the change log recorded since (whoever wrote it: this window,
an undo, a merge). Anything else in the log (a row added, a file attached) or another dossier
means a fresh snapshot, compared part by part with the last one. Either way the report equals a
full check (the incremental checker's contract, held by its property test).
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Protocol

from ..forms.paths import ROW_KEY, FieldPath
from ..models import DossierError
from ..snapshot import DossierSnapshot

if TYPE_CHECKING:
    from ..checks import CompletenessReport
    from ..models import DossierFile


class CheckedDossier(Protocol):
    """What the live check reads of the window's controller (a protocol: the controller imports this module)."""

    dossier: DossierFile
    pending: dict[str, Any]

    def snapshot(self) -> DossierSnapshot: ...


class LiveCheck:
    def __init__(self) -> None:
        from ..checks import IncrementalChecker

        self._checker = IncrementalChecker()
        self._snapshot: DossierSnapshot | None = None
        self._dossier: object | None = None
        self._seen = -1  # the dossier's change count at the last check
        self._pending: set[str] = set()  # paths pending at the last check

    def report(self, controller: CheckedDossier) -> CompletenessReport:
        changed = self._changed_since(controller)
        snap = self._patched(controller, changed) if changed is not None else None
        if snap is None or changed is None:
            snap = controller.snapshot()
            report = self._checker.check(snap)
        else:
            report = self._checker.check(snap, changed)
        self._snapshot, self._dossier = snap, controller.dossier
        self._seen = controller.dossier.change_count
        self._pending = set(controller.pending)
        return report

    def _changed_since(self, controller: CheckedDossier) -> set[str] | None:
        dossier = controller.dossier
        if (
            self._snapshot is None
            or dossier is not self._dossier
            or dossier.template is not self._snapshot.template
        ):
            return None
        changed = set(controller.pending) | self._pending
        if dossier.change_count != self._seen:
            # ids are never below the count, so this holds every record since (and maybe a few before)
            try:
                records = dossier.changes(since_id=max(0, self._seen))
            except (sqlite3.Error, DossierError):  # closing, or unreadable: the snapshot in memory still is
                return None
            for record in records:
                if record.op != "set":
                    return None
                changed.add(record.path)
        return changed

    def _patched(self, controller: CheckedDossier, changed: set[str]) -> DossierSnapshot | None:
        """The last snapshot with the changed answers as the controller sees them now."""
        assert self._snapshot is not None
        answers: dict[str, Any] = dict(self._snapshot.answers)
        copied: set[str] = set()
        for path in changed:
            try:
                p = FieldPath.parse(path)
            except ValueError:
                return None
            pending = path in controller.pending
            value = controller.pending[path] if pending else controller.dossier.get(path)
            if p.row is None:
                if pending or value is not None:
                    answers[p.field] = value
                else:
                    answers.pop(p.field, None)
                continue
            rows = answers.get(p.field)
            if not isinstance(rows, list):
                return None
            if p.field not in copied:
                rows = answers[p.field] = list(rows)
                copied.add(p.field)
            index = next((i for i, r in enumerate(rows) if r.get(ROW_KEY) == p.row), None)
            if index is None or p.child is None:
                return None
            row = dict(rows[index])
            if pending or value is not None:
                row[p.child] = value
            else:
                row.pop(p.child, None)
            rows[index] = row
        return replace(
            self._snapshot,
            answers=answers,
            attachments=tuple(controller.dossier.attachments()),
            change_count=controller.dossier.change_count,
        )
