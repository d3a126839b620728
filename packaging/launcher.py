"""Entry script of the PyInstaller bundle (the package's own __main__ uses relative imports)."""

import sys

from spie_desktop.__main__ import entry

if __name__ == "__main__":
    sys.exit(entry())
