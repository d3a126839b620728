"""Row filters and conditions of cross-field rules (``where`` / ``when``), compiled once per plan."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class Condition:
    """A compiled row filter or condition: ``equals`` one value, or ``in`` a set (lists match by any item).

    Compiled once per plan, so a long ``in`` costs one set lookup per row, not a scan of the list.
    """

    __slots__ = ("allowed", "equals", "has_equals")

    def __init__(self, where: Mapping[str, Any]) -> None:
        self.has_equals = "equals" in where
        self.equals = where.get("equals")
        raw = where.get("in") or ()
        self.allowed = frozenset(v for v in raw if isinstance(v, (str, int, float, bool, type(None))))

    def __call__(self, value: Any) -> bool:
        if self.has_equals:
            wanted = self.equals
            if isinstance(value, list) and not isinstance(wanted, list):
                return wanted in value
            return value == wanted
        if isinstance(value, list):
            return any(v in self.allowed for v in value if isinstance(v, (str, int, bool)))
        return isinstance(value, (str, int, bool, type(None))) and value in self.allowed
