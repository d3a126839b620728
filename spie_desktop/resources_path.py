"""Where the shipped resources live, for an editable checkout and an installed wheel alike."""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def resources_dir() -> Path:
    """The folder holding templates, examples, icons, data and translations.

    The package's own folder is looked at first (an installed wheel, a frozen bundle, a source
    checkout): it is what ``importlib.resources`` answers there, without loading it (and ``zipfile``)
    before the window's first paint. ``importlib.resources`` is asked for any other layout.
    """
    here = Path(__file__).resolve().parent
    for candidate in (here / "resources", here.parent / "resources"):  # wheel or bundle, source checkout
        if (candidate / "templates").is_dir():
            return candidate
    try:
        from importlib.resources import files

        root = Path(str(files("spie_desktop.resources")))
        if (root / "templates").is_dir():
            return root
    except (ModuleNotFoundError, TypeError):
        pass
    return here.parent / "resources"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
