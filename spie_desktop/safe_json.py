"""The one JSON reader for everything that comes from outside: bounded, strict, French when it refuses.

Every JSON the application reads from a user or a partner (interchange documents, answers to apply,
templates, schemas, the template embedded in a ``.spie``) goes through :func:`loads`. A linear
pre-scan refuses, with the line and column at fault, what ``json`` would choke on or silently
accept: nesting deeper than a limit (RecursionError), integers of thousands of digits (ValueError),
``NaN``/``Infinity`` and numbers that overflow to infinity, and keys repeated in one object (the
last one would silently win). No Qt here.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import SpieError

MIB = 1024 * 1024


@dataclass(frozen=True)
class JsonLimits:
    """How much of an untrusted JSON text is read: size, nesting, number lengths."""

    max_bytes: int = 64 * MIB
    max_depth: int = 64
    max_int_digits: int = 40
    max_number_chars: int = 100


TEMPLATE_LIMITS = JsonLimits(max_bytes=8 * MIB)
# interchange documents carry attachments (up to 200 Mio each) in Base64
DOCUMENT_LIMITS = JsonLimits(max_bytes=1024 * MIB)


class JsonInputError(SpieError, ValueError):
    """A JSON input refused; ``str()`` is French and says where (line, column) when it is known."""

    def __init__(self, detail: str, line: int = 0, column: int = 0, source: str = "") -> None:
        self.detail = detail
        self.line = line
        self.column = column
        self.source = source
        super().__init__(f"{self.where_prefix()}{detail}{self.at()}")

    def at(self) -> str:
        if not self.line or f"(ligne {self.line}," in self.detail:
            return ""
        return f" (ligne {self.line}, colonne {self.column})"

    def where_prefix(self) -> str:
        return f"« {self.source} » : " if self.source else ""

    @property
    def reason(self) -> str:
        """The refusal without the source name, for callers that name the file themselves."""
        return f"{self.detail}{self.at()}"


_TOKEN = re.compile(
    r'"[^"\\]*(?:\\.[^"\\]*)*"(?P<colon>\s*:)?'
    r"|(?P<open>[\[{])|(?P<close>[\]}])"
    r"|(?P<number>-?[0-9][0-9.eE+-]*)"
    r"|(?P<const>-?(?:NaN|Infinity))",
    re.DOTALL,
)


def _line_col(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    return line, pos - (text.rfind("\n", 0, pos) + 1) + 1


def _scan(text: str, limits: JsonLimits, source: str) -> None:
    """Refuse depth, huge numbers, non-finite constants and duplicate keys, with their position."""

    def fail(detail: str, pos: int) -> JsonInputError:
        line, col = _line_col(text, pos)
        return JsonInputError(detail, line, col, source)

    keys: list[set[str] | None] = []
    for m in _TOKEN.finditer(text):
        if m["open"]:
            if len(keys) >= limits.max_depth:
                raise fail(f"imbrication trop profonde (plus de {limits.max_depth} niveaux)", m.start())
            keys.append(set() if m["open"] == "{" else None)
        elif m["close"]:
            if keys:
                keys.pop()
        elif m["colon"] is not None:
            seen = keys[-1] if keys else None
            if seen is not None:
                raw = text[m.start() : m.start("colon")]
                key = json.loads(raw) if "\\" in raw else raw[1:-1]
                if key in seen:
                    shown = key if len(key) <= 80 else key[:80] + "…"
                    raise fail(f"la clé « {shown} » apparaît deux fois dans le même objet", m.start())
                seen.add(key)
        elif m["number"]:
            number = m["number"]
            digits = len(number.lstrip("-"))
            is_int = not any(c in number for c in ".eE")
            if is_int and digits > limits.max_int_digits:
                raise fail(
                    f"nombre entier trop long ({digits} chiffres, au plus {limits.max_int_digits})", m.start()
                )
            if len(number) > limits.max_number_chars:
                raise fail(
                    f"nombre trop long ({len(number)} caractères, au plus {limits.max_number_chars})",
                    m.start(),
                )
            if not is_int:
                try:
                    finite = math.isfinite(float(number))
                except ValueError:
                    finite = True  # not a number at all: json.loads says where the syntax breaks
                if not finite:
                    raise fail(f"le nombre « {number} » est hors limites", m.start())
        elif m["const"]:
            raise fail(f"« {m['const']} » n'est pas un nombre JSON accepté", m.start())


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise JsonInputError(f"la clé « {key[:80]} » apparaît deux fois dans le même objet")
        out[key] = value
    return out


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise JsonInputError(f"le nombre « {text[:40]} » est hors limites")
    return value


def _refuse_constant(name: str) -> Any:
    raise JsonInputError(f"« {name} » n'est pas un nombre JSON accepté")


def loads(text: str | bytes, *, source: str = "", limits: JsonLimits = DOCUMENT_LIMITS) -> Any:
    """Parse JSON from outside, or raise :class:`JsonInputError` (French, with line and column)."""
    if isinstance(text, (bytes, bytearray)):
        if len(text) > limits.max_bytes:
            raise _too_big(len(text), limits, source)
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError:
            raise JsonInputError("le contenu n'est pas du texte UTF-8", source=source) from None
    if len(text) > limits.max_bytes:
        raise _too_big(len(text), limits, source)
    text = text.removeprefix("\ufeff")
    _scan(text, limits, source)
    try:
        return json.loads(
            text, object_pairs_hook=_no_duplicates, parse_float=_finite_float, parse_constant=_refuse_constant
        )
    except JsonInputError as exc:
        raise JsonInputError(exc.detail, source=source) from None
    except json.JSONDecodeError as exc:
        raise JsonInputError(
            f"ce n'est pas du JSON valide (ligne {exc.lineno}, colonne {exc.colno} : {_french(exc.msg)})",
            exc.lineno,
            exc.colno,
            source,
        ) from None
    except (RecursionError, ValueError, MemoryError) as exc:  # a backstop: the scan should have said why
        raise JsonInputError(
            f"ce JSON ne peut pas être lu ({exc.__class__.__name__})", source=source
        ) from None


def _too_big(size: int, limits: JsonLimits, source: str) -> JsonInputError:
    return JsonInputError(
        f"fichier trop volumineux ({size // MIB} Mio, au plus {limits.max_bytes // MIB} Mio)", source=source
    )


def read_json_file(
    path: str | Path, *, limits: JsonLimits = DOCUMENT_LIMITS, source: str | None = None
) -> Any:
    """Read and parse a JSON file without reading more than the size limit.

    OSError (FileNotFoundError included) is left to the caller, who knows how to name the file;
    everything about the content is a :class:`JsonInputError`.
    """
    p = Path(path)
    name = str(p) if source is None else source
    with p.open("rb") as fh:
        data = fh.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        raise _too_big(len(data), limits, name)
    return loads(data, source=name, limits=limits)


_MESSAGES = {
    "Expecting value": "une valeur est attendue",
    "Expecting property name enclosed in double quotes": "un nom de clé entre guillemets est attendu",
    "Expecting ':' delimiter": "« : » est attendu",
    "Expecting ',' delimiter": "« , » est attendu",
    "Unterminated string starting at": "texte sans guillemet fermant",
    "Invalid control character at": "caractère de contrôle dans un texte",
    "Invalid \\escape": "séquence d'échappement invalide",
    "Invalid \\uXXXX escape": "séquence \\u invalide",
    "Extra data": "contenu en trop après la fin du JSON",
}


def _french(msg: str) -> str:
    return _MESSAGES.get(msg, "syntaxe incorrecte")
