"""How serious a problem is and how far a section is: the words the window shows before any check
has run (the section list, its icons), kept apart from the report's records so that showing them
does not build those (start-up, issue 14)."""

from __future__ import annotations

from enum import StrEnum


class Severity(StrEnum):
    BLOQUANT = "bloquant"  # the dossier cannot be filed
    AVERTISSEMENT = "avertissement"  # worth a look, does not stop filing


class SectionState(StrEnum):
    NOT_STARTED = "non_commencee"
    IN_PROGRESS = "en_cours"
    COMPLETE = "complete"
    PROBLEMS = "a_corriger"

    @property
    def label(self) -> str:
        return {
            SectionState.NOT_STARTED: "Non commencée",
            SectionState.IN_PROGRESS: "En cours",
            SectionState.COMPLETE: "Complète",
            SectionState.PROBLEMS: "À corriger",
        }[self]
