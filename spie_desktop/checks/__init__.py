"""The completeness engine: which answers are missing or wrong, and how far each section is.

Pure functions of a :class:`~spie_desktop.snapshot.DossierSnapshot`; no Qt, no disk.
"""

from .engine import check
from .report import CompletenessReport, Problem, SectionProgress, SectionState, Severity

__all__ = ["CompletenessReport", "Problem", "SectionProgress", "SectionState", "Severity", "check"]
