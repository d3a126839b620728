"""Several recorded edits made as one step (a replace-all, a paste of rows).

Each edit still goes through the controller's normal path and is recorded in the change log; the
controller's ``undoable(label)`` groups them so one « Annuler » takes them all back. Everything is
written at the end of the batch.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .controller import DossierController


@contextmanager
def edit_batch(controller: DossierController, label: str) -> Iterator[None]:
    with controller.undoable(label):
        yield
    controller.flush()
