"""Text from a file, made safe to write to a terminal: control characters shown, never interpreted.

A title, an answer or an author name may carry ANSI/OSC escape sequences (colours, a fake prompt,
a window title, a hyperlink), a carriage return that overwrites the line, or bidi controls that
reorder what is shown. Everything the command line writes goes through :func:`for_terminal`; a
value printed inside one line goes through :func:`one_line` first, so a newline cannot fake a line.
Escapes are written ``\\u001b``, which is also valid inside a JSON string.
"""

from __future__ import annotations

import re
import sys
from typing import TextIO

# C0 (but tab and newline), DEL, C1, and the bidi/format controls that reorder or hide text
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\ud800-\udfff]"
)
_LINE_BREAKS = re.compile("[\t\n\u2028\u2029]")


def _escape(m: re.Match[str]) -> str:
    return f"\\u{ord(m[0]):04x}"


def for_terminal(text: str) -> str:
    """Every control character except tab and newline written as ``\\uXXXX``."""
    return _UNSAFE.sub(_escape, text)


def one_line(text: object) -> str:
    """A value shown inside a line: its line breaks and tabs become ``⏎``/spaces, controls escaped."""
    s = "" if text is None else str(text)
    s = _LINE_BREAKS.sub(lambda m: " " if m[0] == "\t" else " ⏎ ", s)
    return for_terminal(s)


def echo(text: str = "", *, file: TextIO | None = None) -> None:
    """``print`` for the command line: escaped, and never a UnicodeEncodeError on a narrow console."""
    stream = file if file is not None else sys.stdout
    safe = for_terminal(text) + "\n"
    try:
        stream.write(safe)
    except UnicodeEncodeError:
        encoding = getattr(stream, "encoding", None) or "ascii"
        stream.write(safe.encode(encoding, errors="replace").decode(encoding))
    stream.flush()
