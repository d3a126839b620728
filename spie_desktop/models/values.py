"""How answers and change-log values are stored: compact JSON text, never a float for a decimal."""

from __future__ import annotations

import json
from typing import Any


def dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def is_empty(value: Any) -> bool:
    """None, "" and [] all mean "no answer"."""
    return value is None or value == "" or value == []
