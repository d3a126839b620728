"""Field paths: how an answer is addressed, in storage and in messages.

Stored paths use a repetition row's stable id (``consortium[r4f2a9c1e].structure``) so that
reordering or merging rows never re-keys answers. Paths shown to people or written in
interchange files use the row's position instead (``consortium[2].structure``, 0-based).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

ROW_KEY = "_id"  # key of a row's stable id inside a repetition row object
_PATH = re.compile(
    r"^(?P<field>[a-z][a-z0-9_]*)(?:\[(?P<row>[A-Za-z0-9_-]+)\]\.(?P<child>[a-z][a-z0-9_]*))?$"
)


def new_row_id() -> str:
    # os.urandom is what secrets.token_hex reads; secrets would load hmac and hashlib before the first paint
    return "r" + os.urandom(6).hex()


@dataclass(frozen=True)
class FieldPath:
    """Where an answer is: a field, or a row's child inside a repetition."""

    field: str
    row: str | None = None  # row id (storage) or index as text (display)
    child: str | None = None

    @classmethod
    def parse(cls, text: str) -> FieldPath:
        m = _PATH.match(text)
        if not m:
            raise ValueError(f"chemin de champ invalide : « {text} »")
        return cls(m["field"], m["row"], m["child"])

    def __str__(self) -> str:
        if self.row is None:
            return self.field
        return f"{self.field}[{self.row}].{self.child}"

    @property
    def in_row(self) -> bool:
        return self.row is not None
