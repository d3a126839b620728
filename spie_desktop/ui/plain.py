"""Text that comes from a dossier or a template is shown as plain text, never as markup.

A received ``.spie`` carries its own template, answers and author names: Qt would render any of them
as HTML wherever it auto-detects rich text (QLabel, QMessageBox, tooltips), so a partner's file
could fake a « vérifiée par la DREETS » or hide text in white. Every widget that shows such text
goes through these helpers.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

if TYPE_CHECKING:  # the window's start-up opens no message box (its Python class and enums, issue 14)
    from PySide6.QtWidgets import QMessageBox

PLAIN = Qt.TextFormat.PlainText
#: what html.escape replaces, in its order (``&`` first); the module ``html`` also loads its 2 000
#: named entities, 4 ms of the window's start-up for five replacements (issue 14)
_MARKUP = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))
_QUOTES = (('"', "&quot;"), ("'", "&#x27;"))


def _escape(text: str, quote: bool) -> str:
    for ch, entity in _MARKUP + _QUOTES if quote else _MARKUP:
        text = text.replace(ch, entity)
    return text


def plain(label: QLabel) -> QLabel:
    """The label shows its text literally (also every later ``setText``)."""
    label.setTextFormat(PLAIN)
    return label


def plain_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    return plain(QLabel(text, parent))


def plain_box(box: QMessageBox) -> QMessageBox:
    """A message box whose text and informative text are shown literally."""
    box.setTextFormat(PLAIN)
    return box


def escape(text: object) -> str:
    """Text to embed in the application's own markup: escaped, line breaks kept."""
    return _escape(str(text), True).replace("\n", "<br>")


def tooltip(text: str) -> str:
    """A tooltip that shows ``text`` literally.

    Qt renders a tooltip as HTML when ``Qt::mightBeRichText`` says so, so an empty tooltip stays
    empty and any other is escaped inside an explicit paragraph (rich text whose content is literal).
    """
    if not text:
        return ""
    return "<p style='white-space:pre-wrap'>" + _escape(text, False) + "</p>"


def window_title(text: str) -> str:
    """A title from the file inside a window title: ``[*]`` would be Qt's « modified » placeholder."""
    return text.replace("[*]", "[*][*]")


def action_text(text: str) -> str:
    """Text from the file as a menu entry: ``&`` would be read as a keyboard mnemonic."""
    return text.replace("&", "&&")


def short(text: str, limit: int = 120) -> str:
    """Someone else's free text (a lock holder) on one short line: no control or format
    characters, at most ``limit`` characters."""
    cleaned = "".join(" " if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in str(text))
    cleaned = " ".join(cleaned.split())
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"
