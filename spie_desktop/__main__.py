"""Entry point of ``spie-desktop`` and ``python -m spie_desktop``."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args in (["--version"], ["-V"]):  # answered before any heavy import
        from . import __version__

        print(f"spie-desktop {__version__}")
        return 0
    from .cli import main as cli_main

    return cli_main(args)


def entry() -> int:
    """The process's entry (console script, ``python -m``, the bundle): :func:`main`, then the end.

    Once :func:`main` has returned, every file is written and closed (the dossier, its lock, the
    settings, the log). What is left is the interpreter's teardown, whose final collections walk
    every object still alive (the window's ~40 000, about 40 ms each on this machine, more than once):
    they are frozen out of those collections, and the process ends in a few milliseconds; the
    system takes back the memory. In-process callers (tests) use :func:`main` and keep the usual
    collector.
    """
    import gc

    from . import collector

    collector.pause()  # the window's start-up, until its first paint; a command turns it back on (cli.py)
    code = main()
    gc.freeze()
    return code


if __name__ == "__main__":
    sys.exit(entry())
