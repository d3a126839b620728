"""What a completeness check returns: problems and progress, as immutable values (their
severities and section states are in :mod:`.states`, re-exported here)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .states import SectionState, Severity

if TYPE_CHECKING:
    from .online_tasks import OnlineTask


@dataclass(frozen=True)
class Problem:
    """One missing or wrong answer, or one broken rule, with where to jump to fix it."""

    severity: Severity
    section_id: str
    path: str  # stored field path (row id inside repetitions); "" when about the whole dossier
    display_path: str  # the same with the row's 0-based position, for JSON output
    field_label: str  # the question's label ("Ligne 3 — Structure" style inside rows is up to the UI)
    message: str  # French, tells the user what to do
    rule_id: str  # "required", "format.siret", … or the template rule's id
    row_index: int | None = None
    missing: bool = False  # an answer still to give (not a wrong one): leaves a section "en cours"
    location: str = ""  # French, where a row problem is ("Membre 3"); "" outside repetition rows

    @property
    def blocking(self) -> bool:
        return self.severity is Severity.BLOQUANT


@dataclass(frozen=True)
class SectionProgress:
    """How far one section is: required answers given, blocking problems, warnings, its state."""

    section_id: str
    title: str
    answered: int  # required visible answers given
    required: int  # required visible fields
    blocking: int
    warnings: int
    state: SectionState

    @property
    def remaining(self) -> int:
        return self.required - self.answered


@dataclass(frozen=True)
class CompletenessReport:
    """The result of a completeness check: every problem and every section's progress."""

    problems: tuple[Problem, ...]
    sections: tuple[SectionProgress, ...]
    online_tasks: tuple[OnlineTask, ...] = ()  # questions only the platform can take

    @property
    def answered(self) -> int:
        return sum(s.answered for s in self.sections)

    @property
    def required(self) -> int:
        return sum(s.required for s in self.sections)

    @property
    def progress(self) -> float:
        """Share of required visible answers given, 0.0–1.0."""
        return 1.0 if self.required == 0 else self.answered / self.required

    @property
    def blocking(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.blocking)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if not p.blocking)

    @property
    def can_file(self) -> bool:
        return not self.blocking

    def for_section(self, section_id: str) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.section_id == section_id)

    def for_path(self, path: str) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.path == path)

    def section(self, section_id: str) -> SectionProgress:
        for s in self.sections:
            if s.section_id == section_id:
                return s
        raise KeyError(section_id)


__all__ = ["CompletenessReport", "Problem", "SectionProgress", "SectionState", "Severity"]
