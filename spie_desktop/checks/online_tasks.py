"""Questions of the démarche that can only be answered online (a map, a register lookup).

They hold no offline answer, so they never block the check; they are counted apart, with their
required flag, so the user knows what is left to do on the platform after sending.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..forms.conditions import is_visible
from ..snapshot import DossierSnapshot


@dataclass(frozen=True)
class OnlineTask:
    section_id: str
    field_id: str
    label: str
    required: bool


def online_tasks(snapshot: DossierSnapshot) -> tuple[OnlineTask, ...]:
    """Visible online-only questions, in form order (a repetition's child counted once)."""
    answers = snapshot.answers if isinstance(snapshot.answers, dict) else {}
    out: list[OnlineTask] = []
    for section in snapshot.template.sections:
        for spec in section.fields:
            if not is_visible(spec, answers):
                continue
            if spec.type.is_online_only:
                out.append(OnlineTask(section.id, spec.id, spec.label, spec.required))
            for child in spec.children:
                if child.type.is_online_only:
                    out.append(
                        OnlineTask(
                            section.id,
                            f"{spec.id}.{child.id}",
                            f"{spec.label} — {child.label}",
                            child.required,
                        )
                    )
    return tuple(out)
