"""Work the window's first paint does not need, run just after it (start-up, issue 14).

``app.run`` calls :func:`begin_startup` before building the main window and :func:`watch` on it;
until that window has painted once, :func:`later` queues its function (the first check of the
dossier, the settings save, the « Exporter » menu's actions, the dictionary's loading thread),
then runs them one event-loop turn after the paint, in order. Outside a start-up (tests, a
dossier opened later) :func:`later` runs the function at once, so behaviour never depends on it.

The cycle collector waits too (``spie_desktop/collector.py``): it is off from :func:`begin_startup`,
or from the process's entry (the objects made then are the code, the window and the dossier shown,
which all live on: a collection would only rescan them), and on again at :func:`flush`. At the
first paint those objects are frozen (``gc.freeze``, constant time): later full collections,
during the session and at exit, no longer rescan the ~45 000 objects of start-up (about 40 ms each
on this machine). Reference counting still frees them as usual; only cyclic garbage among them
would stay (about twenty objects once the start-up dossier is closed).
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer

from .. import collector

FLUSH_ANYWAY_MS = 5_000  # a window that never paints (minimised at start) still gets its work done

_pending: list[tuple[str | None, Callable[[], object]]] | None = None
_watchers: list[QObject] = []
log = logging.getLogger(__name__)


def begin_startup() -> None:
    """From now until the watched window's first paint, :func:`later` defers."""
    global _pending
    _pending = []
    collector.pause()


def starting_up() -> bool:
    return _pending is not None


def later(fn: Callable[[], object], key: str | None = None) -> None:
    """Run ``fn`` after the first paint during start-up, else now. A ``key`` already queued is not
    queued twice (three settings saves at start-up become one)."""
    if _pending is None:
        fn()
        return
    if key is not None and any(k == key for k, _ in _pending):
        return
    _pending.append((key, fn))


def flush() -> None:
    """Run what was deferred (once); start-up is over."""
    global _pending
    queued, _pending = _pending, None
    if queued is not None:
        collector.resume()
    for _key, fn in queued or ():
        try:
            fn()
        except Exception:
            log.exception("tâche différée après le premier affichage")


class _FirstPaint(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.done = False

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self.done:
            self.done = True
            obj.removeEventFilter(self)
            if starting_up():
                gc.freeze()  # what start-up made lives on: later collections skip it (see above)
            # Two turns later: this paint reaches the screen and the events queued with it are
            # handled first (a quit asked at the first paint, as --quit-after-show does, included).
            QTimer.singleShot(0, lambda: QTimer.singleShot(0, flush))
        return False


def watch(window: QObject) -> None:
    """End the start-up at ``window``'s first paint (or after FLUSH_ANYWAY_MS)."""
    watcher = _FirstPaint()
    _watchers.append(watcher)  # alive as long as the process: one per start-up
    window.installEventFilter(watcher)
    QTimer.singleShot(FLUSH_ANYWAY_MS, flush)
