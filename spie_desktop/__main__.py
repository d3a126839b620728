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


if __name__ == "__main__":
    sys.exit(main())
