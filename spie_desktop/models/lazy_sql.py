"""``sql``: the SQLAlchemy names of models/sql.py, imported at the first use, typed for mypy.

Opening and reading a dossier go through sqlite3 alone so the window paints before SQLAlchemy
(about 0.25 s of imports) loads. Type checkers see the real module; at run time ``sql`` is a
stand-in that imports it when an attribute is first read, then holds its names directly.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any


class _LazyModule:
    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:  # only called for names not yet copied in
        module = importlib.import_module(self._name)
        self.__dict__.update(vars(module))
        return getattr(module, attr)


if TYPE_CHECKING:
    from . import sql as sql
else:
    sql = _LazyModule(__name__.rpartition(".")[0] + ".sql")

__all__ = ["sql"]
