"""When a field's problems are shown: not on a new or untouched empty field, until the user has
left it or asked for the check (« Vérifier le dossier »). The section list and the check panel
still count everything; only the red under a field the person has not reached yet waits.

The state lives with the dossier's controller (one per open dossier), so every form of the
window and every row share it.
"""

from __future__ import annotations

from typing import Any

_TOUCHED = "_spie_touched_paths"
_REVEALED = "_spie_problems_revealed"


def _touched(controller: Any) -> set[str]:
    paths = getattr(controller, _TOUCHED, None)
    if paths is None:
        paths = set()
        setattr(controller, _TOUCHED, paths)
    return paths


def mark_touched(controller: Any, path: str) -> None:
    """The user left this field (focus out): its problems show from now on."""
    _touched(controller).add(path)


def was_left(controller: Any, path: str) -> bool:
    """The user has been in this field and left it (its new problems are worth saying aloud)."""
    return path in _touched(controller)


def reveal_all(controller: Any) -> None:
    """The user ran the check: every problem shows, on every field."""
    setattr(controller, _REVEALED, True)


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def shows_problems(controller: Any, path: str) -> bool:
    """True once the field was left, the check was run, or the field holds an answer (a wrong
    stored answer is shown at once, as when reopening a dossier)."""
    if getattr(controller, _REVEALED, False) or path in _touched(controller):
        return True
    try:
        value = controller.value(path)
    except Exception:  # noqa: BLE001 - a repetition's own path, or a closed dossier
        return True
    if path.count("[") == 0 and hasattr(controller, "row_ids"):
        try:
            if controller.row_ids(path):
                return True
        except Exception:  # noqa: BLE001 - not a repetition
            pass
    if not is_empty(value):
        return True
    try:
        return bool(controller.attachments(path))
    except Exception:  # noqa: BLE001 - not an attachment field
        return False
