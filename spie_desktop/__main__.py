"""Entry point of ``spie-desktop`` and ``python -m spie_desktop``."""

from __future__ import annotations

import sys
from typing import NoReturn


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args in (["--version"], ["-V"]):  # answered before any heavy import
        from . import __version__

        print(f"spie-desktop {__version__}")
        return 0
    from .cli import main as cli_main

    return cli_main(args)


def entry() -> NoReturn:
    """The process's entry (console script, ``python -m``, the bundle): :func:`main`, then the end.

    Once :func:`main` has returned, every file is written and closed (the dossier, its lock, the
    settings). What is left is the interpreter's teardown: it waits for the threads that are not
    daemons, runs the exit handlers (the log's last lines, PySide's, which destroys the
    QApplication and its widgets as Qt means it to, the clipboard handed to the system), then
    takes every module apart object by object: 0.1 s for the window's ~40 000 objects on this
    machine, for memory the system takes back anyway. :func:`_end` does the first two, flushes the
    standard streams and ends the process. In-process callers (tests) use :func:`main`.
    """
    import gc

    from . import collector

    collector.pause()  # the window's start-up, until its first paint; a command turns it back on (cli.py)
    try:
        code = main()  # argparse's SystemExit (--help, a refusal) leaves the usual way
    finally:
        gc.freeze()  # nothing left for a collection to find worth the time
    _end(code)


def _end(code: int) -> NoReturn:
    """End the process as the interpreter would, without taking its modules apart."""
    import atexit
    import os
    import threading

    threading._shutdown()  # type: ignore[attr-defined]  # the interpreter's own first step
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):  # closed, or no stream at all (windowed bundle)
            pass
    os._exit(code)


if __name__ == "__main__":
    sys.exit(entry())
