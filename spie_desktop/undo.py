"""Annuler / Rétablir for the whole dossier: steps, how typing is grouped, and the two stacks.

A :class:`Step` is what one « Annuler » takes back: a label (« la saisie de « Périmètre du
projet » ») and the changes it made, each a small frozen value that knows its inverse. Undoing
applies the inverses, newest first, through the dossier's ordinary edit methods (see
:mod:`spie_desktop.undo_edits`): an undo is itself a recorded edit, the change log stays
append-only and partner merges see ordinary changes.

Typing is grouped as a word processor groups it. Consecutive edits of one path made while
typing (``UndoHistory.record_value(..., typing=True)``) merge into one step, until one of: a
pause of PAUSE_S seconds; the user leaves the field (:meth:`UndoHistory.close_group`); any
other edit is recorded; or, once the group is GROUP_SPAN_S seconds old, a new word starts (the
text so far ends with a space or punctuation). Choices, ticks, rows and files are one step each.

Batches (a paste of rows, a replace-all, a merge) are one step whatever they touch. From the
window, wrap the work in the controller's context manager::

    with controller.undoable("le remplacement de « x » par « y »"):
        for path, text in replacements:
            controller.set_value(path, text)

or call ``controller.begin_batch(label)`` / ``controller.end_batch()`` (they nest; the outer
label wins). The step is the difference between the dossier before and after, so edits made
by any means in between are covered; edits that reached the file before an exception are kept
as the step too. A label is the phrase that follows « Annuler » (« le collage de 3 lignes »); a
label starting with a capital (« Remplacer « x » par « y » ») is shown as « Annuler : Remplacer… ».

The history lives in memory for one session: closing the dossier forgets it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

PAUSE_S = 2.0  # a pause in typing this long closes the group
GROUP_SPAN_S = 5.0  # past this age, a new word starts a new group
LIMIT = 200  # steps kept; the oldest go first
FILE_BYTES_LIMIT = 256 * 1024 * 1024  # content of removed files kept to put them back; the oldest go first


def same(a: Any, b: Any) -> bool:
    """Equal answers, empty ones alike (None, "" and [] all mean no answer)."""
    return _norm(a) == _norm(b) and type(_norm(a)) is type(_norm(b))


def _norm(v: Any) -> Any:
    return None if v is None or v == "" or v == [] else v


# -- changes: each knows its inverse --------------------------------------------------------------


@dataclass(frozen=True)
class ValueChange:
    path: str
    before: Any
    after: Any

    def inverse(self) -> ValueChange:
        return ValueChange(self.path, self.after, self.before)


@dataclass(frozen=True)
class TitleChange:
    before: str
    after: str

    def inverse(self) -> TitleChange:
        return TitleChange(self.after, self.before)


@dataclass(frozen=True)
class EntrustChange:
    section_id: str
    before: str | None
    after: str | None

    def inverse(self) -> EntrustChange:
        return EntrustChange(self.section_id, self.after, self.before)


@dataclass(frozen=True)
class FileRef:
    """An attached file; ``data`` is kept only while the file is out of the dossier (to put it back)."""

    path: str
    name: str
    media_type: str
    sha256: str
    data: bytes | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class AttachmentChange:
    file: FileRef
    added: bool

    def inverse(self) -> AttachmentChange:
        return AttachmentChange(self.file, not self.added)


@dataclass(frozen=True)
class RowChange:
    """A row added (or removed) at ``index`` with its children's values and files."""

    field_id: str
    row_id: str
    index: int
    values: dict[str, Any]
    added: bool
    files: tuple[FileRef, ...] = ()

    def inverse(self) -> RowChange:
        return replace(self, added=not self.added)

    @property
    def row_path(self) -> str:
        return f"{self.field_id}[{self.row_id}]"


@dataclass(frozen=True)
class RowOrderChange:
    field_id: str
    before: tuple[str, ...]
    after: tuple[str, ...]

    def inverse(self) -> RowOrderChange:
        return RowOrderChange(self.field_id, self.after, self.before)


Change = ValueChange | TitleChange | EntrustChange | AttachmentChange | RowChange | RowOrderChange


@dataclass(frozen=True)
class Step:
    label: str  # what the step did, as it follows « Annuler » / « Rétablir »
    changes: tuple[Change, ...]
    typing: bool = False

    def inverse_changes(self) -> list[Change]:
        """What undoing applies: the inverses, newest first."""
        return [c.inverse() for c in reversed(self.changes)]


def file_bytes(step: Step) -> int:
    """How much file content a step keeps in memory."""
    total = 0
    for c in step.changes:
        files = (c.file,) if isinstance(c, AttachmentChange) else c.files if isinstance(c, RowChange) else ()
        total += sum(len(f.data) for f in files if f.data is not None)
    return total


def undo_label(step: Step | None, verb: str = "Annuler") -> str:
    """« Annuler la saisie de « Nom » », or the bare verb when there is nothing to undo."""
    if step is None:
        return verb
    label = step.label
    if label[:1].isupper():
        return f"{verb} : {label}"
    return f"{verb} {label}"


def focus_of(change: Change) -> tuple[str, str] | None:
    """Where to show a change: ("path", stored path), ("row", row path), ("field", id), ("section", id)."""
    if isinstance(change, ValueChange):
        return ("path", change.path)
    if isinstance(change, RowChange):
        return ("row", change.row_path) if change.added else ("field", change.field_id)
    if isinstance(change, RowOrderChange):
        return ("field", change.field_id)
    if isinstance(change, AttachmentChange):
        return ("path", change.file.path)
    if isinstance(change, EntrustChange):
        return ("section", change.section_id)
    return None


# -- the two stacks -----------------------------------------------------------------------------


@dataclass
class _Group:
    path: str
    started: float
    last: float


class UndoHistory:
    """The dossier's undo and redo stacks for one session; ``clock`` is injectable for tests."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, limit: int = LIMIT) -> None:
        self.clock = clock
        self.limit = limit
        self.file_bytes_limit = FILE_BYTES_LIMIT
        self.undo_stack: list[Step] = []
        self.redo_stack: list[Step] = []
        self._group: _Group | None = None
        self.batch_depth = 0
        self.batch_label = ""

    # -- reading --

    @property
    def can_undo(self) -> bool:
        return bool(self.undo_stack)

    @property
    def can_redo(self) -> bool:
        return bool(self.redo_stack)

    def next_undo(self) -> Step | None:
        return self.undo_stack[-1] if self.undo_stack else None

    def next_redo(self) -> Step | None:
        return self.redo_stack[-1] if self.redo_stack else None

    # -- recording --

    def close_group(self) -> None:
        """The next typed edit starts a new step (the user left the field, or undid)."""
        self._group = None

    def record(self, step: Step) -> None:
        """A new step: the redo stack goes (as in every editor). Ignored inside a batch."""
        if self.batch_depth or not step.changes:
            return
        self._group = None
        self._push(step)

    def _push(self, step: Step) -> None:
        self.undo_stack.append(step)
        if len(self.undo_stack) > self.limit:
            del self.undo_stack[0]
        self.redo_stack.clear()
        if file_bytes(step):
            self._trim_files()

    def _trim_files(self) -> None:
        """Forget the oldest steps while the files they keep weigh more than FILE_BYTES_LIMIT."""
        total = sum(file_bytes(s) for s in self.undo_stack)
        while total > self.file_bytes_limit and len(self.undo_stack) > 1:
            total -= file_bytes(self.undo_stack.pop(0))

    def record_value(
        self, path: str, before: Any, after: Any, label: str | Callable[[], str], *, typing: bool
    ) -> None:
        """One answer edited; while typing in the same path, the edit joins the open step.

        ``label`` may be a function: it is called only when a new step starts (not per keystroke).
        """
        if self.batch_depth or same(before, after):
            return
        now = self.clock()
        g = self._group
        top = self.next_undo()
        if (
            typing
            and g is not None
            and g.path == path
            and top is not None
            and top.typing
            and now - g.last < PAUSE_S
            and not self._word_break(g, now, before)
        ):
            first = top.changes[0]
            assert isinstance(first, ValueChange)
            g.last = now
            self.undo_stack.pop()
            if same(first.before, after):  # typed, then erased back: nothing left to undo
                self._group = None
                return
            self._push(Step(top.label, (ValueChange(path, first.before, after),), typing=True))
            return
        text = label() if callable(label) else label
        self._push(Step(text, (ValueChange(path, before, after),), typing=typing))
        self._group = _Group(path, now, now) if typing else None

    @staticmethod
    def _word_break(g: _Group, now: float, before: Any) -> bool:
        if now - g.started < GROUP_SPAN_S:
            return False
        text = before if isinstance(before, str) else ""
        return bool(text) and (text[-1].isspace() or text[-1] in ".,;:!?")

    # -- batches --

    def begin_batch(self, label: str) -> bool:
        """True for the outermost batch (the caller then takes the 'before' state)."""
        self._group = None
        self.batch_depth += 1
        if self.batch_depth == 1:
            self.batch_label = label
            return True
        return False

    def end_batch(self) -> str | None:
        """The outermost batch's label when it ends (the caller records its step), else None."""
        if not self.batch_depth:
            return None
        self.batch_depth -= 1
        return self.batch_label if self.batch_depth == 0 else None

    # -- undoing --

    def pop_undo(self) -> Step | None:
        self._group = None
        return self.undo_stack.pop() if self.undo_stack else None

    def pop_redo(self) -> Step | None:
        self._group = None
        return self.redo_stack.pop() if self.redo_stack else None

    def push_redo(self, step: Step) -> None:
        self.redo_stack.append(step)

    def push_undo_after_redo(self, step: Step) -> None:
        """A redone step goes back on the undo stack; the rest of the redo stack stays."""
        self.undo_stack.append(step)

    def clear(self) -> None:
        self.undo_stack.clear()
        self.redo_stack.clear()
        self._group = None


__all__ = [
    "GROUP_SPAN_S",
    "PAUSE_S",
    "AttachmentChange",
    "Change",
    "EntrustChange",
    "FileRef",
    "RowChange",
    "RowOrderChange",
    "Step",
    "TitleChange",
    "UndoHistory",
    "ValueChange",
    "focus_of",
    "same",
    "undo_label",
]
