"""The window's handle on an open dossier: debounced autosave, honest save state, live checks.

Widgets never talk to the file directly. They call the controller, which keeps edits that are
not yet on disk in memory (``pending``), writes them once typing pauses (SAVE_DELAY_MS) but never
later than MAX_WAIT_MS after the first unsaved edit, so an edit is on disk within a second even
while typing never pauses; ``flush()`` writes at once. It retries after a failure and re-runs the
completeness check.

Annuler / Rétablir: every edit taken here is also recorded in ``self.undo_session`` (an
:class:`~spie_desktop.undo_session.UndoSession`, no Qt). ``undo()`` / ``redo()`` apply a step
through the dossier's edit methods (an undo is a recorded edit) and emit the usual signals, plus
``valueRestored`` (widgets show it even while focused) and ``undoApplied`` (the window goes to
the field). Batches: ``with controller.undoable("le collage de 3 lignes"): ...`` or
``begin_batch(label)`` / ``end_batch()`` make everything in between one step (see
:mod:`spie_desktop.undo`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from ..models import DossierError, DossierFile, RemovedRow, SaveFailed
from ..snapshot import AttachmentInfo, CommentInfo, DossierSnapshot
from ..snapshot_changes import changes_between, with_pending
from .comment_index import CommentIndex
from .comments import ReviewComments

if TYPE_CHECKING:
    from ..undo import Step
    from ..undo_session import UndoSession

SAVE_DELAY_MS = 500  # a pause in typing this long saves
MAX_WAIT_MS = 600  # ... and no edit waits longer than this, typing or not (the save itself takes ms)
RETRY_DELAY_MS = 5000
CHECK_DELAY_MS = 150
UNDO_WAITS = (
    "Annuler et Rétablir attendent le retour du serveur, injoignable : ce que vous avez fait est "
    "gardé sur ce poste et sera envoyé à son retour ; vous pourrez alors l'annuler."
)


class SaveState(Enum):
    SAVED = "Enregistré"
    PENDING = "Modifications en attente…"
    SAVING = "Enregistrement…"
    FAILED = "Échec de l'enregistrement"
    READ_ONLY = "Lecture seule"


@dataclass
class Attention:
    """Which fields show their problems already (see :mod:`.fields.attention`): shared by every form."""

    touched: set[str] = field(default_factory=set)  # stored paths the user left
    revealed: bool = False  # « Vérifier le dossier » was used: every field shows its problems


class DossierController(QObject):
    """The window's one way into the open dossier; the :class:`~.field_host.FieldHost` of the fields."""

    valueChanged = Signal(str)  # path whose value changed (from this window or an undo)
    rowsChanged = Signal(str)  # repetition field id
    attachmentsChanged = Signal(str)  # field path
    saveStateChanged = Signal(object)  # SaveState
    saveFailed = Signal(str)  # French message of the last failure
    reportChanged = Signal(object)  # CompletenessReport
    error = Signal(str)  # French message for an operation that was refused
    commentsChanged = Signal(str)  # stored path whose review comments changed (added, resolved, merged)
    undoChanged = Signal()  # what Annuler / Rétablir would do changed
    valueRestored = Signal(
        str
    )  # an undo or redo put this path's value back: show it, even in a focused input
    undoApplied = Signal(object)  # the Step just undone or redone (the window shows where)
    said = Signal(str, bool)  # a change to say aloud to a screen reader: French message, assertive
    refusedKept = Signal()  # a value of mine refused on the server (same field) is kept: see refused_values

    def __init__(self, dossier: DossierFile, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.dossier = dossier
        self.pending: dict[str, Any] = {}
        #: on a server, the value each pending edit started from: when the live view reads someone
        #: else's newer value meanwhile, my save is refused (both kept) instead of silently replacing it
        self._typed_over: dict[str, Any] = {}
        self.last_error = ""
        #: the last failure left the unsent edits in the server dossier's local queue (server/queue.py)
        self.kept_here = False
        self._state = SaveState.READ_ONLY if dossier.read_only else SaveState.SAVED
        self._report = None
        self._save_timer = QTimer(self, singleShot=True, interval=SAVE_DELAY_MS, timeout=self.flush)
        self._save_timer.setTimerType(Qt.TimerType.PreciseTimer)  # a coarse timer may fire 5 % late
        self._pending_since: float | None = None  # monotonic time of the oldest edit not yet written
        self._retry_timer = QTimer(self, singleShot=True, interval=RETRY_DELAY_MS, timeout=self.flush)
        self._check_timer = QTimer(self, singleShot=True, interval=CHECK_DELAY_MS, timeout=self.recheck)
        self._lock_timer = QTimer(self, interval=5 * 60 * 1000, timeout=dossier.refresh_lock)
        self._lock_timer.start()
        self.comment_index = CommentIndex(dossier)
        self._undo_session: UndoSession | None = None  # made at the first edit (see undo_session)
        self.attention = Attention()
        self.review = ReviewComments()  # the comments feature, handed to the fields (see .field_host)
        self.reportChanged.connect(self._sync_comments)  # after a merge or a restore, among others

    # -- reading ---------------------------------------------------------------------------------

    @property
    def undo_session(self) -> UndoSession:
        """Annuler / Rétablir of this session, made at its first use (an edit, mostly): the dossier
        paints first without loading the undo modules."""
        if self._undo_session is None:
            from ..undo_session import UndoSession

            self._undo_session = UndoSession(self.dossier)
        return self._undo_session

    def undo_steps(self) -> tuple[Step | None, Step | None]:
        """(what Annuler, what Rétablir would apply); nothing before the first edit."""
        if self._undo_session is None:
            return None, None
        history = self._undo_session.history
        return history.next_undo(), history.next_redo()

    @property
    def template(self):
        return self.dossier.template

    @property
    def read_only(self) -> bool:
        return self.dossier.read_only

    @property
    def path(self) -> Path:
        return self.dossier.path

    @property
    def state(self) -> SaveState:
        return self._state

    def value(self, path: str) -> Any:
        if path in self.pending:
            return self.pending[path]
        return self.dossier.get(path)

    def row_ids(self, field_id: str) -> list[str]:
        return self.dossier.row_ids(field_id)

    def attachments(self, path: str) -> list[AttachmentInfo]:
        return self.dossier.attachments(path)

    def attachment_data(self, attachment_id: int) -> bytes:
        if attachment_id < 0 and self.dossier.store.backend is not None:  # attached while the server was away
            from ..server import offline

            return offline.attachment_data(self.dossier, attachment_id)
        return self.dossier.attachment_data(attachment_id)

    def snapshot(self) -> DossierSnapshot:
        """The dossier as the user sees it, unsaved edits included (and files attached while the
        team server was away, read from this computer's queue)."""
        snap = with_pending(self.dossier.snapshot(), self.pending)
        if self.dossier.store.backend is not None and any(a.id < 0 for a in snap.attachments):
            from dataclasses import replace

            snap = replace(snap, read_attachment=self.attachment_data)
        return snap

    @property
    def report(self):
        """The completeness report, checked now if no check ran yet."""
        if self._report is None:
            self.recheck()
        return self._report

    @property
    def last_report(self):
        """The report of the latest check, or None before the first one (never checks)."""
        return self._report

    # -- saving ----------------------------------------------------------------------------------

    def _set_state(self, state: SaveState) -> None:
        if state is not self._state:
            self._state = state
            self.saveStateChanged.emit(state)

    def set_value(self, path: str, value: Any, *, immediate: bool = False) -> None:
        """Take an edit; it reaches the file within about a second, or now if ``immediate``."""
        if self.read_only:
            return
        before = self.value(path)
        if path not in self.pending and self.dossier.store.backend is not None:
            self._typed_over[path] = self.dossier.get(path)
        self.pending[path] = value
        self.undo_session.recorded_value(path, before, value, typing=not immediate)
        self.undoChanged.emit()
        self.valueChanged.emit(path)
        self.schedule_check()
        if immediate:
            self.flush()
        else:
            if self._state is not SaveState.FAILED:
                self._set_state(SaveState.PENDING)
            self._schedule_save()

    def _schedule_save(self) -> None:
        """Debounce, with a deadline: each keystroke pushes the save back, never past MAX_WAIT_MS."""
        now = time.monotonic()
        if self._pending_since is None:
            self._pending_since = now
        left_ms = MAX_WAIT_MS - (now - self._pending_since) * 1000
        self._save_timer.start(max(0, int(min(SAVE_DELAY_MS, left_ms))))

    def flush(self) -> bool:
        """Write every pending edit now. True when everything is on disk."""
        self._save_timer.stop()
        self._pending_since = None  # edits arriving from now on open a new window (after a failure too)
        if not self.pending and not self._kept_waiting():
            if self._state in (SaveState.PENDING, SaveState.SAVING):
                self._set_state(SaveState.SAVED)
            return True
        self._set_state(SaveState.SAVING)
        if not self._send_kept_first():
            return False
        for path in list(self.pending):
            value = self.pending[path]
            try:
                self._refuse_if_changed_meanwhile(path, value)
                self.dossier.set_value(path, value)
            except SaveFailed as exc:
                return self._failed(self._kept_on_this_computer(exc))
            except DossierError as exc:  # the field or row no longer exists: nothing to keep
                if self.dossier.store.backend is not None:  # same field changed by someone else
                    from ..server.queue import keep_refused

                    if keep_refused(self.dossier, exc):  # my value stays recoverable (keep_mine)
                        self.refusedKept.emit()  # the window offers « Garder la mienne »
                        if self.pending.get(path) is value:
                            del self.pending[path]
                        continue
                self.error.emit(str(exc))
            if self.pending.get(path) is value:
                del self.pending[path]
        self._retry_timer.stop()
        self.last_error = ""
        self.kept_here = False
        self._set_state(SaveState.SAVED)
        return True

    def _refuse_if_changed_meanwhile(self, path: str, value: Any) -> None:
        """On a server: EditConflict when someone else's value of ``path`` reached this window (live
        view) after I started typing over the one I saw; the store's own check compares with the value
        it holds, which the live view has already replaced by theirs."""
        if path not in self._typed_over:
            return
        from ..server.connect import EditConflict
        from ..server.queue import same_value

        started = self._typed_over.pop(path)
        theirs = self.dossier.get(path)
        if same_value(theirs, started) or same_value(theirs, value):
            return
        try:
            label = self.dossier.store.check_path(path)[1].label
        except DossierError:
            label = path
        raise EditConflict(path, value, theirs, label)

    def _kept_waiting(self) -> bool:
        """Edits or operations of a server dossier kept on this computer, not sent yet."""
        if self.dossier.store.backend is None:
            return False
        from ..server.queue import queue_of

        queue = queue_of(self.dossier)
        if queue is None or not queue.path.exists():
            return False
        try:
            return bool(queue.pending()) or queue.has_ops()
        except DossierError as exc:  # set aside, said
            self.error.emit(str(exc))
            return False

    def _kept_on_this_computer(self, exc: SaveFailed) -> str:
        """A server out of reach: the unsent edits go to the local queue (server/queue.py) first."""
        if self.dossier.store.backend is None:
            return str(exc)
        from ..server.queue import is_unreachable, keep_unsent, waiting_message

        if not is_unreachable(exc):
            return str(exc)
        try:
            message = waiting_message(keep_unsent(self.dossier, self.pending))
            self.kept_here = True
            return message
        except DossierError as lost:
            return f"{exc} ({lost})"

    def _send_kept_first(self) -> bool:
        """The server answers again: the edits kept on this computer go first, each checked against
        what others saved meanwhile (same-field rule); False when the server is still away."""
        if self.dossier.store.backend is None:
            return True
        from ..server.queue import keep_unsent, queue_of, replay

        queue = queue_of(self.dossier)
        if queue is None or not queue.path.exists():
            return True
        try:
            with_ops = queue.has_ops()
        except DossierError as exc:  # set aside (nothing deleted), said
            self.error.emit(str(exc))
            with_ops = False
        before = self.dossier.snapshot() if with_ops else None
        try:
            keep_unsent(self.dossier, self.pending)  # what was typed since the last try
            report = replay(self.dossier)
        except SaveFailed as exc:
            return self._failed(self._kept_on_this_computer(exc))
        except DossierError as exc:
            self.error.emit(str(exc))
            return True
        if before is not None:  # rows, files, comments: the server's state now, as they were shown
            self.comment_index.refresh()
            self._announce_changes(before, self.dossier.snapshot())
            for path in {c.path for c in self.dossier.comments()}:
                self.commentsChanged.emit(path)
        for path in report.handled:
            self.pending.pop(path, None)
            self.valueChanged.emit(path)
        for message in report.messages:
            self.error.emit(message)
        if report.refused:
            self.refusedKept.emit()
        return True

    # -- my values refused on the server because someone else changed the field (server/queue.py)

    def refused_values(self) -> list:
        """My refused values kept on this computer, oldest first (``server.queue.Refused``), each
        beside their newest value known here (a third person's change since the refusal)."""
        if self.dossier.store.backend is None:
            return []
        from ..server.queue import refused_now

        try:
            return refused_now(self.dossier)
        except DossierError as exc:
            self.error.emit(str(exc))
            return []

    def keep_mine(self, uid: str) -> bool:
        """« Garder la mienne »: my refused value replaces theirs (refused again, and still kept, when
        a third person changed the field meanwhile)."""
        from ..server.queue import keep_mine

        found = [r for r in self.refused_values() if r.uid == uid]
        if not found or not self.flush():
            return False
        try:
            done = keep_mine(self.dossier, uid)
        except SaveFailed as exc:
            return self._failed(self._kept_on_this_computer(exc))
        except DossierError as exc:  # changed again by someone else: kept, said
            self.error.emit(str(exc))
            self.refusedKept.emit()
            return False
        if done:
            self.valueRestored.emit(found[0].path)
            self.valueChanged.emit(found[0].path)
            self.said.emit("Votre saisie a été remise à la place de la leur.", False)
            self.schedule_check()
        return done

    def keep_theirs(self, uid: str) -> None:
        """« Garder la leur »: my refused value is forgotten."""
        from ..server.queue import keep_theirs

        try:
            keep_theirs(self.dossier, uid)
        except DossierError as exc:
            self.error.emit(str(exc))

    def _failed(self, message: str) -> bool:
        self.kept_here = message.startswith("Serveur injoignable — ") and self.kept_here
        self.last_error = message
        self._set_state(SaveState.FAILED)
        self.saveFailed.emit(message)
        self._retry_timer.start()
        return False

    def _after_flush(self, action, *args, **kwargs) -> tuple[bool, Any]:
        """Run ``action`` once pending edits are on disk: (True, its result), or (False, None) with the
        refusal reported (``error``, or the save failure) instead of raised."""
        if not self.flush():
            self.error.emit(self.last_error)
            return False, None
        try:
            return True, action(*args, **kwargs)
        except SaveFailed as exc:
            self._failed(str(exc))
        except DossierError as exc:
            self.error.emit(str(exc))
        return False, None

    def _structural(self, action, *args, offline=None, **kwargs):
        """Run a row/attachment operation after flushing; report refusals instead of raising.

        ``offline``: the same operation for a server that cannot be reached (server/offline.py):
        kept on this computer and shown, sent when the server answers again, after what was kept
        before it (so while anything is kept, a new operation is kept too, in order)."""
        if self.read_only:
            return None
        if offline is None or self.dossier.store.backend is None:
            done, result = self._after_flush(action, *args, **kwargs)
            if done:
                self.schedule_check()
            return result
        from ..server.queue import is_unreachable

        if not self.flush():
            if not self.kept_here:  # not a server away: refused as before
                self.error.emit(self.last_error)
                return None
            return self._kept_offline(offline, *args, **kwargs)
        try:
            result = action(*args, **kwargs)
        except SaveFailed as exc:
            if is_unreachable(exc):
                return self._kept_offline(offline, *args, **kwargs)
            self._failed(str(exc))
            return None
        except DossierError as exc:
            self.error.emit(str(exc))
            return None
        self.schedule_check()
        return result

    def _new_id(self, key: str) -> dict[str, str]:
        """On a server, a new row or comment is named here, before it is sent: if the server's answer
        is lost after its commit, the copy kept on this computer has the same id (skipped, not doubled)."""
        if self.dossier.store.backend is None:
            return {}
        import uuid

        from ..forms import new_row_id

        return {key: new_row_id() if key == "row_id" else str(uuid.uuid4())}

    def _kept_offline(self, offline, *args, **kwargs):
        """The server is away: the operation is kept on this computer and shown (server/offline.py)."""
        from ..server.queue import queue_of, waiting_message

        try:
            result = offline(self.dossier, *args, **kwargs)
        except DossierError as exc:
            self.error.emit(str(exc))
            return None
        queue = queue_of(self.dossier)
        self.kept_here = True
        self._failed(waiting_message(queue.count() if queue is not None else 1))
        self.schedule_check()
        return result

    def add_row(self, field_id: str, values: dict | None = None, index: int | None = None) -> str | None:
        from ..server import offline

        rid = self._structural(
            self.dossier.add_row,
            field_id,
            values,
            index=index,
            offline=offline.add_row,
            **self._new_id("row_id"),
        )
        if rid:
            self.undo_session.recorded_row_added(field_id, rid)
            self.undoChanged.emit()
            self.rowsChanged.emit(field_id)
        return rid

    def duplicate_row(self, field_id: str, row_id: str) -> str | None:
        from ..server import offline

        rid = self._structural(
            self.dossier.duplicate_row,
            field_id,
            row_id,
            offline=lambda df, f, r: offline.duplicate_row(df, f, r, self.pending),
        )
        if rid:
            self.undo_session.recorded_row_added(field_id, rid, duplicate=True)
            self.undoChanged.emit()
            self.rowsChanged.emit(field_id)
        return rid

    def remove_row(self, field_id: str, row_id: str) -> RemovedRow | None:
        from ..server import offline

        removed = self._structural(
            self.dossier.remove_row,
            field_id,
            row_id,
            offline=lambda df, f, r: offline.remove_row(df, f, r, self.pending),
        )
        if removed:
            prefix = f"{field_id}[{row_id}]."
            for path in [p for p in self.pending if p.startswith(prefix)]:
                del self.pending[path]  # gone with the row (kept in ``removed`` for Annuler)
            self.undo_session.recorded_row_removed(removed)
            self.undoChanged.emit()
            self.rowsChanged.emit(field_id)
            self.said.emit(
                f"Ligne supprimée{self._of_field(field_id, 'de')}. Annuler (Ctrl+Z) la rétablit.", False
            )
        return removed

    def restore_row(self, removed: RemovedRow) -> str | None:
        """The row's « Annuler » bar: the same as Ctrl+Z when the removal is the newest step."""
        rid = str(removed.values.get("_id", ""))
        away = self.kept_here  # the server is away: Annuler waits, the row is put back as an operation
        if not away and self.undo_session.top_is_removal_of_row(rid) and self.undo():
            rid = rid if rid in self.dossier.row_ids(removed.field_id) else None
        else:
            from ..server import offline

            rid = self._structural(self.dossier.restore_row, removed, offline=offline.restore_row)
            if rid:
                self.undo_session.recorded_row_restored(removed, rid)
                self.undoChanged.emit()
                self.rowsChanged.emit(removed.field_id)
        if rid:
            self.said.emit(f"Ligne rétablie{self._of_field(removed.field_id, 'dans')}.", False)
        return rid

    def _of_field(self, field_id: str, preposition: str) -> str:
        """« de « Dépenses » » for the announcements, or nothing for a list inside a row."""
        try:
            return f" {preposition} « {self.template.field(field_id).label} »"
        except KeyError:
            return ""

    def move_row(self, field_id: str, row_id: str, new_index: int) -> None:
        before = self.dossier.row_ids(field_id)
        from ..server import offline

        self._structural(self.dossier.move_row, field_id, row_id, new_index, offline=offline.move_row)
        self.undo_session.recorded_move(field_id, before)
        self.undoChanged.emit()
        self.rowsChanged.emit(field_id)

    def add_attachment(self, path: str, file_path: str | Path) -> AttachmentInfo | None:
        from ..server import offline

        info = self._structural(
            self.dossier.add_attachment, path, Path(file_path), offline=offline.add_attachment
        )
        if info:
            self.undo_session.recorded_file_added(info)
            self.undoChanged.emit()
            self.attachmentsChanged.emit(path)
        return info

    def remove_attachment(self, attachment_id: int) -> None:
        from ..server import offline

        infos = [a for a in self.dossier.attachments() if a.id == attachment_id]
        try:
            data = self.attachment_data(attachment_id) if infos else None
        except DossierError:
            data = None
        self._structural(self.dossier.remove_attachment, attachment_id, offline=offline.remove_attachment)
        if infos and attachment_id not in {a.id for a in self.dossier.attachments()}:
            self.undo_session.recorded_file_removed(infos[0], data)
            self.undoChanged.emit()
        if infos:
            self.attachmentsChanged.emit(infos[0].path)

    def restore_attachment(self, path: str, name: str, data: bytes) -> bool:
        """A file's « Annuler » bar: the same as Ctrl+Z when the removal is the newest step."""
        if not self.kept_here and self.undo_session.top_is_removal_of_file(path, name):
            return self.undo() is not None
        from ..server import offline

        info = self._structural(
            self.dossier.add_attachment, path, data, name=name, offline=offline.add_attachment
        )
        if info:
            self.undo_session.recorded_file_added(info)
            self.undoChanged.emit()
            self.attachmentsChanged.emit(path)
        return info is not None

    def set_title(self, title: str) -> None:
        from ..server import offline

        before = self.dossier.title
        self._structural(self.dossier.set_title, title, offline=offline.set_title)
        self.undo_session.recorded_title(before, self.dossier.title)
        self.undoChanged.emit()

    # -- annuler / rétablir ------------------------------------------------------------------------

    def close_undo_group(self) -> None:
        """The user left a field: what they type next is a new step."""
        self.undo_session.history.close_group()

    def begin_batch(self, label: str, *, keep_files: bool = False) -> None:
        """Everything until :meth:`end_batch` is one undo step (pending edits are written first)."""
        self.flush()
        self.undo_session.begin_batch(label, keep_files=keep_files)

    def end_batch(self) -> Step | None:
        self.flush()
        step = self.undo_session.end_batch()
        self.undoChanged.emit()
        return step

    @contextmanager
    def undoable(self, label: str, *, keep_files: bool = False) -> Iterator[None]:
        """``with controller.undoable("le collage de 3 lignes"): ...``: one step, even if the block raises."""
        self.begin_batch(label, keep_files=keep_files)
        try:
            yield
        finally:
            self.end_batch()

    def undo(self) -> Step | None:
        """Annuler: the step as undone, or None (nothing to undo, or refused: ``error`` says why)."""
        return self._run_undo(self.undo_session.undo)

    def redo(self) -> Step | None:
        return self._run_undo(self.undo_session.redo)

    def _run_undo(self, command) -> Step | None:
        if self.read_only or self.undo_session.in_batch:
            return None

        def run() -> Step | None:
            try:
                return command()
            finally:
                self.undoChanged.emit()  # the menu's labels follow, whether the step went through or not

        if not self.flush():
            self.error.emit(UNDO_WAITS if self.kept_here else self.last_error)
            return None
        _done, step = self._after_flush(run)
        if step is not None:
            self._announce(step)
        return step

    def _announce(self, step: Step) -> None:
        from ..undo import AttachmentChange, RowChange, RowOrderChange, ValueChange

        for c in step.changes:
            if isinstance(c, ValueChange):
                self.valueChanged.emit(c.path)
                self.valueRestored.emit(c.path)
            elif isinstance(c, (RowChange, RowOrderChange)):
                self.rowsChanged.emit(c.field_id)
            elif isinstance(c, AttachmentChange):
                self.attachmentsChanged.emit(c.file.path)
        self.schedule_check()
        self.undoApplied.emit(step)

    def save_copy(self, dest: str | Path) -> Path:
        """Pending edits go into the copy too, even when the original file cannot be written."""
        self.flush()
        path = self.dossier.save_copy(dest)
        if self.pending:
            from ..models import open_dossier

            with open_dossier(
                path, author=self.dossier.author, organisation=self.dossier.organisation
            ) as copy:
                for p, v in self.pending.items():
                    copy.set_value(p, v)
        return path

    # -- checking --------------------------------------------------------------------------------

    def schedule_check(self) -> None:
        self._check_timer.start()

    def recheck(self):
        self._check_timer.stop()
        live = getattr(self, "_live_check", None)
        if live is None:  # only what changed since the last check is checked again (ui/live_check.py)
            from .live_check import LiveCheck

            live = self._live_check = LiveCheck()
        self._report = live.report(self)
        self.reportChanged.emit(self._report)
        return self._report

    # -- review comments (answered from memory: see .comment_index) -------------------------------

    def _sync_comments(self, *_: object) -> None:
        """Tell the widgets which paths' comments changed since the index was built (a merge)."""
        for path in self.comment_index.changed_paths():
            self.commentsChanged.emit(path)

    def comments(self, path: str | None = None) -> list[CommentInfo]:
        """Review comments of one stored path ("" for the whole dossier), or all, oldest first."""
        return self.comment_index.comments(path)

    def comments_under(self, prefix: str) -> list[CommentInfo]:
        """Comments of every path starting with ``prefix`` (« membres[r1]. »: a whole row), oldest first."""
        return self.comment_index.comments_under(prefix)

    def comment_counts(self, path: str) -> tuple[int, int]:
        """(open, resolved) comments of one stored path: a dictionary look-up."""
        return self.comment_index.counts(path)

    def add_comment(self, path: str, text: str) -> CommentInfo | None:
        """Add a review comment signed with the dossier's author; None when refused (read-only, disk)."""
        text = text.strip()
        if not text:
            return None
        from ..server import offline

        info = self._structural(
            self.dossier.add_comment, path, text, offline=offline.add_comment, **self._new_id("comment_id")
        )
        if info is not None:
            self._comment_changed(path)
        return info

    def set_comment_resolved(self, comment_id: str, resolved: bool = True) -> bool:
        """Mark a comment resolved (or open again). True when done."""
        path = self.comment_index.path_of(comment_id)
        if path is None or self.read_only:
            return False
        from ..server import offline

        before = self.dossier.store.comments.get(comment_id)
        self._structural(
            self.dossier.set_comment_resolved, comment_id, resolved, offline=offline.set_comment_resolved
        )
        after = self.dossier.store.comments.get(comment_id)
        if after is None or before is None or after.resolved == before.resolved:
            return False
        self._comment_changed(path)
        return True

    def _comment_changed(self, path: str) -> None:
        self.comment_index.refresh()
        self.commentsChanged.emit(path)

    def entrusted(self) -> dict[str, str]:
        """Sections entrusted to partners: {section id: partner}."""
        return self.dossier.entrusted()

    # -- working together: merges, restores, entrusting ----------------------------------------------
    #
    # These change the dossier underneath the open widgets: each runs as one undo step, after the
    # pending edits are written (the caller flushes and says why it could not), and then tells the
    # widgets what changed through the controller's own signals.

    def _underneath(
        self,
        label: str,
        action: Callable[[], Any],
        changed: Callable[[Any], bool],
        *,
        keep_files: bool = False,
    ) -> Any:
        before = self.dossier.snapshot()
        with self.undoable(label, keep_files=keep_files):
            result = action()
        if changed(result):
            self._announce_changes(before, self.dossier.snapshot())
        return result

    def integrate_copy(
        self, source: str | Path, ask_resolutions: Callable[[Any], dict[str, Any] | None]
    ) -> Any:
        """Merge a partner's copy (one undo step). Conflicts go to ``ask_resolutions`` (the merge
        result → the user's choices, or None: cancelled, nothing changes, None returned).
        Raises DossierError when the copy cannot be merged."""
        from ..collab.merge import MergeOutcome, merge

        def run() -> Any:
            result = merge(self.dossier, source)
            if result.outcome is MergeOutcome.CONFLICTS:
                choices = ask_resolutions(result)
                if choices is None:
                    return None
                result = merge(self.dossier, source, resolutions=choices)
            return result

        return self._underneath(
            f"l'intégration de « {Path(source).name} »",
            run,
            lambda r: r is not None and r.outcome not in (MergeOutcome.UP_TO_DATE, MergeOutcome.CONFLICTS),
            keep_files=True,
        )

    def restore_change(self, change_id: int) -> bool:
        """Put back the dossier's state of one change of its history (one undo step). True if restored."""
        from ..collab.history import restore

        return bool(
            self._underneath(
                "la restauration depuis l'historique", lambda: restore(self.dossier, change_id), bool
            )
        )

    def entrust_section(self, section_id: str, partner: str | None) -> None:
        """Entrust a section to a partner (None: take it back); one undo step. Raises DossierError."""
        self._underneath(
            "le partenaire d'une section",
            lambda: self.dossier.entrust_section(section_id, partner),
            lambda _r: True,
        )

    def make_partner_copy(self, target: str | Path, partner: str | None, sections: list[str]) -> Any:
        """Write a copy for a partner, the given sections entrusted to them (one undo step). Raises DossierError."""
        from ..collab import make_partner_copy

        return self._underneath(
            "les sections confiées au partenaire",
            lambda: make_partner_copy(self.dossier, target, for_partner=partner, sections=sections),
            lambda _r: bool(sections),
        )

    def link_demarche(self, plan: Any) -> None:
        """Write the form linked to an online démarche into the dossier (its history row too), after
        the pending edits. Raises OSError or ValueError when it cannot be written."""
        from ..exports.link_store import store_link

        self.flush()
        store_link(self.dossier, plan)

    def record_sent(self, sent: Any) -> None:
        """Note in the history that the dossier was sent to the platform. Raises OSError or ValueError."""
        from ..exports.link_store import record_sent

        record_sent(self.dossier, sent)

    def set_author(self, author: str, organisation: str) -> None:
        """Who signs the edits, comments and copies made from now on (the preferences changed)."""
        self.dossier.author = author
        self.dossier.organisation = organisation

    def refresh_from_server(self) -> bool:
        """A dossier on a server: read what the others saved and tell the open widgets (no
        undo step: these are not this person's edits). False when nothing changed."""
        backend = self.dossier.store.backend
        if backend is None:
            return False
        if self._kept_waiting() and not self.flush():  # mine first: what is shown offline stays
            return False
        before = self.dossier.snapshot()
        if not backend.refresh():
            return False
        self._announce_changes(before, self.dossier.snapshot())
        return True

    def _announce_changes(self, before: DossierSnapshot, after: DossierSnapshot) -> None:
        """Tell the open widgets what a merge or a restore changed underneath them."""
        signals = {
            "value": self.valueChanged,
            "rows": self.rowsChanged,
            "attachments": self.attachmentsChanged,
        }
        for kind, path in changes_between(before, after):
            signals[kind].emit(path)
        self.recheck()

    # -- closing ---------------------------------------------------------------------------------

    def close(self) -> bool:
        """Flush and close; False (and the file stays open) if edits could not be saved. A server
        away is no reason to stay open: the edits are kept on this computer, sent at the next opening."""
        if not self.flush():
            if not self.kept_here:
                return False
            self.discard_and_close()
            return True
        self._lock_timer.stop()
        self._retry_timer.stop()
        self.dossier.close()
        return True

    def discard_and_close(self) -> None:
        """Close even though pending edits could not be written (the user chose to)."""
        self.pending.clear()
        self._save_timer.stop()
        self._pending_since = None
        self._retry_timer.stop()
        self._lock_timer.stop()
        self.dossier.close()
