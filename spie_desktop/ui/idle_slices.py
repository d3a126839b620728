"""Work left for after a first paint, done a slice of the event loop at a time for all its builders.

A form builds the fields below its first screenful after it was painted, a repetition the rows
half a view above and below (issue 14). Each such piece of work is a task: ``task(deadline)`` does
what it can until ``deadline`` (a ``time.perf_counter()`` value), at least one step, and returns
True while it has more to do. One zero-delay timer runs the tasks in turn, ``SLICE_S`` in all per
turn of the event loop: a key pressed meanwhile waits for one slice, not for one slice of each
builder (a form whose repetition was in view used to spend two in the same turn, 70 ms).

A task whose owner (a widget) has been destroyed is dropped; a task that raises is dropped and logged.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QObject, QTimer

SLICE_S = 0.005  # the time a turn of the event loop gives to deferred building

Task = Callable[[float], bool]
log = logging.getLogger(__name__)
_queue: deque[tuple[QObject, Task]] = deque()
_timer: QTimer | None = None
_deadline: float | None = None  # while a slice runs: when it ends


def add(owner: QObject, task: Task) -> None:
    """Run ``task`` in the coming turns of the event loop until it returns False (or ``owner`` is gone)."""
    global _timer
    if any(t == task for _o, t in _queue):
        return  # already queued
    _queue.append((owner, task))
    if _timer is None:
        _timer = QTimer(singleShot=True, interval=0)
        _timer.timeout.connect(_run)
    if not _timer.isActive():
        _timer.start()


def deadline() -> float | None:
    """While a slice runs (a task, or what it causes: a widget shown builds its rows in view), the
    clock time it ends at; None otherwise. Work that can wait checks it and queues the rest."""
    return _deadline


def pending(owner: QObject) -> bool:
    """Whether ``owner`` has a task waiting."""
    return any(o is owner for o, _t in _queue)


def _run() -> None:
    global _deadline
    end = _deadline = time.perf_counter() + SLICE_S
    ran = False
    try:
        while _queue and not (ran and time.perf_counter() >= end):  # one task at least per turn
            owner, task = _queue.popleft()
            if not shiboken6.isValid(owner):
                continue
            ran = True
            try:
                more = task(end)
            except RuntimeError:  # its widgets were deleted under it (a form closed meanwhile)
                more = False
            except Exception:
                log.exception("construction différée")
                more = False
            if more:
                _queue.append((owner, task))  # after the others: each gets its turn
    finally:
        _deadline = None
    if _queue and _timer is not None:
        _timer.start()
