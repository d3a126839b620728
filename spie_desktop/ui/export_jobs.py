"""Long exports off the interface thread: a worker thread, a progress dialog with « Annuler ».

The work is a pure function of an immutable snapshot taken on the interface thread; the thread
never touches the dossier file or a widget. It reports progress through a queued signal and
checks a cancel flag, so « Annuler » stops it within a few lines of layout and nothing is written
(``write_pdf`` writes atomically, only once the whole document is built).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

#: ``work(progress, cancel)``: progress(done, total) may be called from the worker thread.
Work = Callable[[Callable[[int, int], None], Callable[[], bool]], Any]

PROGRESS_DELAY_MS = 400  # a quick export finishes before any dialog flashes on screen


class JobOutcome(Enum):
    DONE = "done"
    CANCELLED = "cancelled"
    FAILED = "failed"


@dataclass(frozen=True)
class JobResult:
    outcome: JobOutcome
    value: Any = None
    message: str = ""  # French, fit to show as is, when FAILED or CANCELLED


def os_error_reason(exc: BaseException) -> str:
    """Why a file could not be written, in French words (never Python's English strerror)."""
    from ..attachment_safety import os_reason

    return os_reason(exc) if isinstance(exc, OSError) else "erreur d'écriture"


def failure_message(exc: BaseException, path: str | Path | None = None) -> str:
    """The French message for an export that failed: our own errors as they are, OS errors explained."""
    from ..exports import ExportError

    cause = exc.__cause__ if isinstance(exc, ExportError) and isinstance(exc.__cause__, OSError) else exc
    if isinstance(cause, OSError):
        where = f"Le fichier « {path} »" if path else "Le fichier"
        return f"{where} n'a pas pu être écrit : {os_error_reason(cause)}."
    if isinstance(exc, ExportError) or (isinstance(exc, ValueError) and str(exc)):
        return str(exc)
    return f"L'export a échoué de façon inattendue ({exc.__class__.__name__}). Aucun fichier n'a été écrit."


class _Worker(QThread):
    progressed = Signal(int, int)
    ended = Signal(object)  # JobResult

    def __init__(self, work: Work, cancel_flag: threading.Event, path: str | Path | None) -> None:
        super().__init__()
        self._work = work
        self._cancel = cancel_flag
        self._path = path

    def run(self) -> None:
        from ..exports import ExportCancelled

        try:
            value = self._work(
                lambda done, total: self.progressed.emit(int(done), int(total)), self._cancel.is_set
            )
        except ExportCancelled as exc:
            self.ended.emit(JobResult(JobOutcome.CANCELLED, message=str(exc)))
        except Exception as exc:
            import logging

            if not isinstance(exc, OSError):
                logging.getLogger(__name__).warning("export échoué", exc_info=True)
            self.ended.emit(JobResult(JobOutcome.FAILED, message=failure_message(exc, self._path)))
        else:
            self.ended.emit(JobResult(JobOutcome.DONE, value))


def _alive(obj: QObject) -> bool:
    import shiboken6

    return shiboken6.isValid(obj)


_RUNNING: set[ExportJob] = set()  # jobs alive until their thread has ended, whatever happens to windows


def _stop_all() -> None:
    """At quit: cancel every export and wait for its thread (a thread destroyed while running aborts)."""
    for job in list(_RUNNING):
        job.cancel()
    for job in list(_RUNNING):
        job.worker.wait(10_000)


class ExportJob(QObject):
    """One export running in its own thread, with a progress dialog that appears if it takes a while.

    ``finished`` is emitted once, on the interface thread, with a :class:`JobResult`.
    """

    finished = Signal(object)

    def __init__(
        self, parent: QWidget | None, work: Work, *, label: str, path: str | Path | None = None
    ) -> None:
        super().__init__(None)  # owned by _RUNNING, not by a window that may close first
        self._cancel = threading.Event()
        self.result: JobResult | None = None
        self.worker = _Worker(work, self._cancel, path)
        self.worker.progressed.connect(self._on_progress)
        self.worker.ended.connect(self._on_ended)
        self.worker.finished.connect(self._on_thread_finished)
        dialog = QProgressDialog(label, "Annuler", 0, 0, parent)
        dialog.setWindowTitle("Export en cours")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(PROGRESS_DELAY_MS)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setAccessibleName(label)
        dialog.setMinimumWidth(dialog.fontMetrics().averageCharWidth() * 60)
        dialog.canceled.connect(self.cancel)
        self.dialog = dialog
        if parent is not None:  # the window goes away: stop the work, nobody is left to see it
            parent.destroyed.connect(self.cancel)

    def start(self) -> ExportJob:
        _RUNNING.add(self)
        app = QCoreApplication.instance()
        if app is not None and not getattr(app, "_spie_export_quit_hook", False):
            app.aboutToQuit.connect(_stop_all)
            app._spie_export_quit_hook = True  # type: ignore[attr-defined]
        self.dialog.setValue(0)
        self.worker.start()
        return self

    @property
    def running(self) -> bool:
        return self.result is None

    def cancel(self) -> None:
        """« Annuler »: the worker stops at its next check; nothing is written."""
        if self.result is None and not self._cancel.is_set():
            self._cancel.set()
            if _alive(self.dialog):
                self.dialog.setLabelText("Annulation…")

    def _on_progress(self, done: int, total: int) -> None:
        if self.result is not None or self._cancel.is_set() or not _alive(self.dialog):
            return
        if total > 0:
            if self.dialog.maximum() != total:
                self.dialog.setMaximum(total)
            self.dialog.setValue(min(done, total - 1))  # 100 % only once the file is written

    def _on_ended(self, result: JobResult) -> None:
        self.result = result
        if _alive(self.dialog):
            self.dialog.reset()
            self.dialog.hide()
            self.dialog.deleteLater()
        self.finished.emit(result)

    def _on_thread_finished(self) -> None:
        _RUNNING.discard(self)
        self.worker.deleteLater()
        self.deleteLater()


def run_export(
    parent: QWidget | None,
    work: Work,
    *,
    label: str,
    path: str | Path | None = None,
    on_done: Callable[[JobResult], None] | None = None,
) -> ExportJob:
    """Start ``work`` in a thread behind a progress dialog; ``on_done`` runs on the interface thread."""
    job = ExportJob(parent, work, label=label, path=path)
    if on_done is not None:
        job.finished.connect(on_done)
    return job.start()
