"""Conditional display (``visible_if``): which fields are shown, given the answers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .types import FieldSpec


def is_visible(spec: FieldSpec, answers: Mapping[str, Any], row: Mapping[str, Any] | None = None) -> bool:
    """A field is visible unless its condition names another field whose answer differs.

    Inside a repetition row the condition looks at the row's own children first, then at
    top-level answers. A hidden field is neither required nor validated, like on the platform.
    """
    cond = spec.visible_if
    if cond is None:
        return True
    if row is not None and cond.field in row:
        value = row.get(cond.field)
    else:
        value = answers.get(cond.field)
    if isinstance(value, list) and not isinstance(cond.equals, list):
        return cond.equals in value
    return value == cond.equals
