"""One open dossier's undo and redo, without Qt: what each edit records, and undoing it.

The window's controller calls the ``recorded_*`` methods after each edit has succeeded and
``undo()`` / ``redo()`` for the commands; batches (merges, pastes, replace-all) compare the
dossier before and after (see :mod:`spie_desktop.undo`). A core test drives it on a bare
:class:`DossierFile`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .undo import AttachmentChange, FileRef, RowChange, RowOrderChange, Step, TitleChange, UndoHistory
from .undo_edits import (
    DossierState,
    capture,
    diff,
    field_name,
    redo_step,
    typing_label,
    undo_step,
    value_label,
)

if TYPE_CHECKING:
    from .models.dossier_file import DossierFile, RemovedRow
    from .snapshot import AttachmentInfo


class UndoSession:
    def __init__(self, dossier: DossierFile, clock: Callable[[], float] = time.monotonic) -> None:
        self.dossier = dossier
        self.history = UndoHistory(clock)
        self._before: DossierState | None = None
        self._files: dict[int, bytes] = {}  # content of files taken out during a batch, by attachment id

    # -- recording (after the edit succeeded) --

    def recorded_value(self, path: str, before: Any, after: Any, *, typing: bool) -> None:
        make = typing_label if typing else value_label
        self.history.record_value(path, before, after, lambda: make(self.dossier, path), typing=typing)

    def recorded_row_added(self, field_id: str, row_id: str, *, duplicate: bool = False) -> None:
        d = self.dossier
        values = d.row_values(field_id, row_id)
        index = d.row_ids(field_id).index(row_id)
        name = field_name(d, field_id)
        label = (
            f"la duplication d'une ligne de « {name} »" if duplicate else f"l'ajout d'une ligne à « {name} »"
        )
        self.history.record(Step(label, (RowChange(field_id, row_id, index, values, True),)))

    def recorded_row_restored(self, removed: RemovedRow, row_id: str) -> None:
        label = f"la remise d'une ligne de « {field_name(self.dossier, removed.field_id)} »"
        self.history.record(Step(label, (self._row_change(removed, added=True, keep_data=False),)))

    def recorded_row_removed(self, removed: RemovedRow) -> None:
        if self.in_batch:
            for info, data in removed.attachments:
                self._files[info.id] = data
        label = f"la suppression d'une ligne de « {field_name(self.dossier, removed.field_id)} »"
        self.history.record(Step(label, (self._row_change(removed, added=False, keep_data=True),)))

    @staticmethod
    def _row_change(removed: RemovedRow, *, added: bool, keep_data: bool) -> RowChange:
        values = {k: v for k, v in removed.values.items() if k != "_id"}
        files = tuple(
            FileRef(a.path, a.name, a.media_type, a.sha256, data if keep_data else None)
            for a, data in removed.attachments
        )
        return RowChange(removed.field_id, str(removed.values["_id"]), removed.index, values, added, files)

    def recorded_move(self, field_id: str, before: list[str]) -> None:
        after = self.dossier.row_ids(field_id)
        if after != before:
            label = f"le déplacement d'une ligne de « {field_name(self.dossier, field_id)} »"
            self.history.record(Step(label, (RowOrderChange(field_id, tuple(before), tuple(after)),)))

    def recorded_file_added(self, info: AttachmentInfo) -> None:
        ref = FileRef(info.path, info.name, info.media_type, info.sha256)
        self.history.record(Step(f"l'ajout du fichier « {info.name} »", (AttachmentChange(ref, True),)))

    def recorded_file_removed(self, info: AttachmentInfo, data: bytes | None) -> None:
        if data is not None and self.in_batch:
            self._files[info.id] = data
        ref = FileRef(info.path, info.name, info.media_type, info.sha256, data)
        self.history.record(Step(f"le retrait du fichier « {info.name} »", (AttachmentChange(ref, False),)))

    def recorded_title(self, before: str, after: str) -> None:
        if before != after:
            self.history.record(Step("le changement de titre du dossier", (TitleChange(before, after),)))

    # -- batches --

    def begin_batch(self, label: str, *, keep_files: bool = False) -> None:
        """Start a batch; ``keep_files`` reads every attached file first (a merge may remove some)."""
        if self.history.begin_batch(label):
            self._before = capture(self.dossier)
            self._files = {}
            if keep_files:
                for a in self.dossier.attachments():
                    self._files[a.id] = self.dossier.attachment_data(a.id)

    def end_batch(self) -> Step | None:
        """The batch's step when the outermost batch ends (None if nothing changed or still inside)."""
        label = self.history.end_batch()
        if label is None or self._before is None:
            return None
        before, self._before = self._before, None
        files, self._files = self._files, {}
        changes = diff(before, capture(self.dossier), lambda a: files.get(a.id))
        if not changes:
            return None
        step = Step(label, changes)
        self.history.record(step)
        return step

    @property
    def in_batch(self) -> bool:
        return self.history.batch_depth > 0

    # -- the commands --

    def undo(self) -> Step | None:
        """Undo the newest step; the step as done (for the window to show), None if none.

        Raises UndoRefused (or another DossierError): the step stays on the stack, nothing written.
        """
        step = self.history.pop_undo()
        if step is None:
            return None
        try:
            redo = undo_step(self.dossier, step)
        except BaseException:
            self.history.undo_stack.append(step)
            raise
        self.history.push_redo(redo)
        return redo

    def redo(self) -> Step | None:
        step = self.history.pop_redo()
        if step is None:
            return None
        try:
            again = redo_step(self.dossier, step)
        except BaseException:
            self.history.redo_stack.append(step)
            raise
        self.history.push_undo_after_redo(again)
        return again

    def top_is_removal_of_row(self, row_id: str) -> bool:
        step = self.history.next_undo()
        return (
            step is not None
            and len(step.changes) == 1
            and isinstance(step.changes[0], RowChange)
            and not step.changes[0].added
            and step.changes[0].row_id == row_id
        )

    def top_is_removal_of_file(self, path: str, name: str) -> bool:
        step = self.history.next_undo()
        if step is None or len(step.changes) != 1:
            return False
        c = step.changes[0]
        return isinstance(c, AttachmentChange) and not c.added and c.file.path == path and c.file.name == name


__all__ = ["UndoSession"]
