"""Spare the start-up PySide6's reading of our own and the standard library's modules at each first import.

PySide6 replaces ``__import__`` with a hook that, the first time it sees a module, reads its whole
source (``inspect.getsource``, PYSIDE-2029) to look for the word "PySide6": a module that names it
may switch on ``from __feature__ import snake_case``/``true_property``, and the answer is kept in
``shibokensupport.feature.pyside_feature_dict`` (0: uses PySide, no feature selected; -1: ignored).
For the hundred-odd modules of this package the window imports before its first paint that reading
was about 6 ms of a 260 ms start-up (py-spy, issue 14). This application never selects a feature,
so its own modules are entered as 0, the value the scan gives a module that uses PySide, without
reading them, and the standard library's as -1, what the scan finds in them (35 of them, typing,
datetime and zipfile among them, are met again by our imports after Qt: 2 ms more). Every other
module (installed packages) still goes through PySide's own scan. If a PySide6 release no longer
has these internals, :func:`install` leaves everything as it is.
"""

from __future__ import annotations

import os
import sys
from types import ModuleType

PACKAGE = __name__.split(".", 1)[0]  # "spie_desktop"
#: the standard library's folder (``os`` lives there); its site-packages holds installed packages
STDLIB = os.path.dirname(os.__file__) + os.sep
INSTALLED = ("site-packages", "dist-packages")


def _standard(module: ModuleType) -> bool:
    """A module of the standard library, by where its file is."""
    path = getattr(module, "__file__", None)
    if not isinstance(path, str) or not path.startswith(STDLIB):
        return False
    return not any(part in INSTALLED for part in path[len(STDLIB) :].split(os.sep))


def install() -> bool:
    """Put the shortcut in front of PySide6's scan (once); False when PySide6 has no such scan."""
    feature = sys.modules.get("shibokensupport.feature")
    known = getattr(feature, "pyside_feature_dict", None)
    scan = getattr(feature, "feature_imported", None)
    if not isinstance(known, dict) or not callable(scan):
        return False
    if getattr(scan, "_spie_shortcut", False):
        return True
    prefix = PACKAGE + "."

    def feature_imported(module: ModuleType) -> None:
        name = getattr(module, "__name__", None)
        if isinstance(name, str) and name not in known:
            if name == PACKAGE or name.startswith(prefix):
                known[name] = 0
                return
            if _standard(module):
                known[name] = -1
                return
        scan(module)

    feature_imported._spie_shortcut = True  # type: ignore[attr-defined]
    feature.feature_imported = feature_imported  # type: ignore[union-attr]  # read at each import
    return True
