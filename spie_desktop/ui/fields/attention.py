"""When a field's problems are shown: not on a new or untouched empty field, until the user has
left it or asked for the check (« Vérifier le dossier »). The section list and the check panel
still count everything; only the red under a field the person has not reached yet waits.

The state lives with the dossier's controller (``controller.attention``, one per open dossier), so
every form of the window and every row share it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..field_host import FieldHost


def mark_touched(controller: FieldHost, path: str) -> None:
    """The user left this field (focus out): its problems show from now on."""
    controller.attention.touched.add(path)


def was_left(controller: FieldHost, path: str) -> bool:
    """The user has been in this field and left it (its new problems are worth saying aloud)."""
    return path in controller.attention.touched


def reveal_all(controller: FieldHost) -> None:
    """The user ran the check: every problem shows, on every field."""
    controller.attention.revealed = True


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def shows_problems(controller: FieldHost, path: str) -> bool:
    """True once the field was left, the check was run, or the field holds an answer (a wrong
    stored answer is shown at once, as when reopening a dossier)."""
    if controller.attention.revealed or path in controller.attention.touched:
        return True
    try:
        value = controller.value(path)
    except Exception:  # noqa: BLE001 - a repetition's own path, or a closed dossier
        return True
    if path.count("[") == 0:
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
