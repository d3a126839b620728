"""The completeness engine: which answers are missing or wrong, and how far each section is.

Pure functions of a :class:`~spie_desktop.snapshot.DossierSnapshot`; no Qt, no disk. The engine
and the report's records are imported on first use so that registering the ``check`` command,
or showing the section states, costs nothing at start-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .states import SectionState, Severity

if TYPE_CHECKING:
    from .engine import check
    from .incremental import IncrementalChecker
    from .report import CompletenessReport, Problem, SectionProgress

_REPORT = frozenset({"CompletenessReport", "Problem", "SectionProgress"})

__all__ = [
    "CompletenessReport",
    "IncrementalChecker",
    "Problem",
    "SectionProgress",
    "SectionState",
    "Severity",
    "check",
]


def __getattr__(name: str) -> Any:
    if name in _REPORT:  # the report's records: loaded with the first check, not at start-up
        from . import report

        return getattr(report, name)
    if name == "check":
        from .engine import check

        return check
    if name == "IncrementalChecker":
        from .incremental import IncrementalChecker

        return IncrementalChecker
    raise AttributeError(name)
