"""The application's icons, drawn as SVG in resources/icons.

Section states and problem severities differ by shape (dashed ring, half disc, disc with a
check, triangle, octagon), never by colour alone, so they read in greyscale and for people who
do not tell red from green.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

from ..checks.states import SectionState, Severity
from ..resources_path import resource

_STATE_FILES = {
    SectionState.NOT_STARTED: "state-not-started",
    SectionState.IN_PROGRESS: "state-in-progress",
    SectionState.COMPLETE: "state-complete",
    SectionState.PROBLEMS: "state-problems",
}
_SAVE_FILES = {
    "SAVED": "save-saved",
    "PENDING": "save-pending",
    "SAVING": "save-pending",
    "FAILED": "save-failed",
    "READ_ONLY": "read-only",
}


@cache
def icon(name: str) -> QIcon:
    """The icon ``resources/icons/<name>.svg`` (an empty icon if the file is missing)."""
    path = resource("icons", f"{name}.svg")
    return QIcon(str(path)) if path.is_file() else QIcon()


def app_icon() -> QIcon:
    return icon("app")


def state_icon(state: SectionState) -> QIcon:
    return icon(_STATE_FILES[state])


def severity_icon(severity: Severity) -> QIcon:
    return icon("severity-blocking" if severity is Severity.BLOQUANT else "severity-warning")


def save_state_icon(state: object) -> QIcon:
    """Icon for a controller ``SaveState`` (looked up by name so this module needs no controller)."""
    return icon(_SAVE_FILES.get(getattr(state, "name", ""), "info"))
