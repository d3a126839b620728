"""How answers and change-log values are stored: compact JSON text, never a float for a decimal."""

from __future__ import annotations

import json
from typing import Any

#: Deepest nesting a stored value may have: an answer is a scalar or a list, a change-log payload a
#: dict of lists and dicts (row values, attachment facts); anything deeper did not come from here.
MAX_DEPTH = 16


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # built once: dump runs per value


def dump(value: Any) -> str:
    return _ENCODER.encode(value)


def is_empty(value: Any) -> bool:
    """None, "" and [] all mean "no answer"."""
    return value is None or value == "" or value == []


def depth(value: Any) -> int:
    """How deeply lists and dicts nest in ``value`` (a scalar is 0), without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, (list, dict)):
            level += 1
            deepest = max(deepest, level)
            if level > MAX_DEPTH:
                return level
            stack.extend((v, level) for v in (item.values() if isinstance(item, dict) else item))
    return deepest


def load(text: str) -> Any:
    """A stored value; ValueError (French) for text that is not JSON or nests deeper than MAX_DEPTH."""
    try:
        value = json.loads(text)
    except RecursionError:
        raise ValueError(f"une valeur est imbriquée sur plus de {MAX_DEPTH} niveaux") from None
    except (json.JSONDecodeError, TypeError):
        raise ValueError("une valeur enregistrée n'est pas lisible") from None
    if isinstance(value, (list, dict)) and depth(value) > MAX_DEPTH:  # a scalar nests nothing
        raise ValueError(f"une valeur est imbriquée sur plus de {MAX_DEPTH} niveaux")
    return value
