"""Several recorded edits made as one step (a replace-all, a paste of rows).

Each edit still goes through the controller's normal path and is recorded in the change log; when
the controller offers ``batch(label)`` (the dossier-wide undo, planned), they are grouped there so
one « Annuler » takes them all back. Everything is written at the end of the batch.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .controller import DossierController


@contextmanager
def edit_batch(controller: DossierController, label: str) -> Iterator[None]:
    batch = getattr(controller, "batch", None)
    with batch(label) if callable(batch) else nullcontext():
        yield
    controller.flush()
