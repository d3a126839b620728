"""Python's cycle collector kept off while the window starts (issue 14); no Qt here.

Start-up makes tens of thousands of objects that all live on (the code, the window, the dossier
shown); the collector, which starts on its own as objects are made, would only rescan them: about
60 collections, 25 ms, before the window's first paint. :func:`pause` turns it off from the
process's entry (``spie_desktop.__main__.entry``) or the start of the window (``ui/after_paint``);
:func:`resume` turns it back on at the first paint, or as soon as the line is a command rather than
the window (commands run with the usual collector). Both are idempotent, and :func:`resume` turns
on only what :func:`pause` turned off: a collector disabled by someone else stays off.
"""

from __future__ import annotations

import gc

_paused = False  # whether the collector is off because of pause()


def pause() -> None:
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    global _paused
    if _paused:
        _paused = False
        gc.enable()
