"""Text answers: one-line entries with format hints as you type, and growing text areas."""

from __future__ import annotations

import re
from functools import partial
from typing import Any

import shiboken6
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QTextOption
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QSizePolicy, QWidget

from ...checks import formats
from ...checks.formats import FormatOutcome
from ...formatting import format_integer
from ...forms import FieldType
from ...presentation import LEVEL_WORDS, CountLevel, character_count, plural
from .. import after_paint, style
from ..style import Tone
from .base import FieldWidget

PLACEHOLDERS = {
    FieldType.EMAIL: "nom@exemple.fr",
    FieldType.PHONE: "01 23 45 67 89",
    FieldType.SIRET: "123 456 789 00012",
    FieldType.IBAN: "FR76 3000 6000 0112 3456 7890 189",
    FieldType.EPCI: "Nom de l'EPCI ou numéro SIREN",
}


def _attach_spelling(edit: QPlainTextEdit, controller) -> None:
    """The spelling underline and context menu of a text area (still there: a form closed before the
    first paint has none to get)."""
    from ..spell_highlighter import attach_spelling

    if shiboken6.isValid(edit):
        attach_spelling(edit, controller)


#: Widths in average characters: short identifiers get a short entry, free text the full width.
WIDTHS = {
    FieldType.SIRET: "123 456 789 00012 00",
    FieldType.PHONE: "+33 1 23 45 67 89 00",
    FieldType.IBAN: "FR76 3000 6000 0112 3456 7890 189 00",
    FieldType.EMAIL: "prenom.nom@departement-exemple.fr",
}


def _typed(n: int) -> str:
    return plural(n, "saisi")


def format_hint(kind: FieldType, text: str, *, strict: bool) -> list[tuple[Tone, str]]:
    """What to say under an identifier being typed; ``strict`` once the user has left the entry."""
    s = text.strip()
    if not s:
        return []
    if kind is FieldType.SIRET:
        digits = formats.siret_digits(s)
        if not digits.isdigit():
            return [(Tone.WARNING, "Format attendu : 14 chiffres (espaces acceptés), sans lettres.")]
        if len(digits) < 14:
            return [(Tone.INFO, f"Format attendu : 14 chiffres — {_typed(len(digits))}.")]
        if len(digits) > 14:
            return [(Tone.WARNING, f"Format attendu : 14 chiffres — {len(digits)} saisis, c'est trop.")]
        if formats.check_siret(s) is FormatOutcome.BAD_CHECKSUM:
            return [
                (
                    Tone.WARNING,
                    "Ce SIRET ne passe pas le contrôle de clé : vérifiez les chiffres "
                    "(avis de situation INSEE).",
                )
            ]
        return [(Tone.OK, "SIRET bien formé.")]
    if kind is FieldType.EMAIL:
        if formats.check_email(s) is FormatOutcome.OK:
            return []
        if strict or s.count("@") > 1 or " " in s:
            return [(Tone.WARNING, "Format attendu : une adresse comme nom@exemple.fr.")]
        return []
    if kind is FieldType.PHONE:
        if formats.check_phone(s) is FormatOutcome.OK:
            return []
        if strict or re.search(r"[A-Za-z]", s):
            return [
                (
                    Tone.WARNING,
                    "Format attendu : un numéro français, 10 chiffres (01 23 45 67 89) ou +33 1 23 45 67 89.",
                )
            ]
        return []
    if kind is FieldType.IBAN:
        outcome = formats.check_iban(s)
        if outcome is FormatOutcome.OK:
            return [(Tone.OK, "IBAN bien formé.")]
        if outcome is FormatOutcome.BAD_CHECKSUM:
            return [(Tone.WARNING, "Cet IBAN ne passe pas le contrôle de clé : recopiez-le depuis le RIB.")]
        if strict:
            return [(Tone.WARNING, "Format attendu : FR76 suivi de 23 caractères pour un compte français.")]
        return []
    if kind is FieldType.EPCI:
        compact = re.sub(r"[\s.\-]", "", s)
        if compact.isdigit() and len(compact) != 9:
            return [(Tone.INFO, f"Un SIREN compte 9 chiffres — {_typed(len(compact))}.")]
        return []
    return []


class LineField(FieldWidget):
    """text, email, phone, siret, iban, epci: a line edit; hints as you type, never blocking."""

    def build(self) -> None:
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText(self.spec.placeholder or PLACEHOLDERS.get(self.spec.type, ""))
        self.edit.setClearButtonEnabled(False)
        width = WIDTHS.get(self.spec.type)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1 if width is None else 0)
        if width is not None:
            self.edit.setMinimumWidth(self.edit.fontMetrics().horizontalAdvance(width) + 16)
            row.addStretch(1)
        self.body.addLayout(row)
        self._strict = False
        self.edit.textEdited.connect(self._edited)
        self.edit.editingFinished.connect(self._finished)

    def inputs(self) -> list[QWidget]:
        return [self.edit]

    def show_value(self, value: Any) -> None:
        text = "" if value is None else str(value)
        if self.edit.text() != text:
            self.edit.setText(text)
        self._strict = bool(text)
        self._update_hint()

    def _edited(self, text: str) -> None:
        self.commit(text)
        self._update_hint()

    def _finished(self) -> None:
        self._strict = True
        self._update_hint()

    def _update_hint(self) -> None:
        hint = format_hint(self.spec.type, self.edit.text(), strict=self._strict)
        if self.spec.type is FieldType.EPCI and not hint and not self.spec.description:
            hint = [(Tone.INFO, "Le nom de l'intercommunalité ou son numéro SIREN (9 chiffres).")]
        self.set_hint(hint)


#: A "word" this long is no word: the editor then wraps anywhere (see GrowingTextEdit.fit_wrap).
LONG_WORD = 400
_LONG_WORD = re.compile(rf"\S{{{LONG_WORD}}}")


class GrowingTextEdit(QPlainTextEdit):
    """A plain-text editor as tall as its content (no inner scroll bar) between min and max lines.

    The height follows the document's line count, which the plain-text layout already keeps:
    nothing is measured per keystroke, only when the number of lines changes.
    """

    def __init__(self, parent: QWidget | None = None, min_lines: int = 4, max_lines: int = 22) -> None:
        super().__init__(parent)
        self.min_lines, self.max_lines = min_lines, max_lines
        self.setTabChangesFocus(True)
        self.setUndoRedoEnabled(False)  # Ctrl+Z is the dossier's (see FieldWidget.eventFilter)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._lines = -1
        self.document().documentLayout().documentSizeChanged.connect(self._size_changed)
        self._apply_lines(min_lines)

    def wheelEvent(self, event) -> None:
        """Ctrl + wheel zooms the whole window (ui/zoom.py, which watches the form's view), not
        this text alone as Qt's editor would: it goes on to the form."""
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            event.ignore()
        else:
            super().wheelEvent(event)

    def fit_wrap(self, text: str) -> None:
        """Qt's word-boundary wrapping is quadratic in the length of a word it cannot break (a
        2 M-character word took minutes): a text holding such a word wraps anywhere (linear)."""
        mode = (
            QTextOption.WrapMode.WrapAnywhere
            if _LONG_WORD.search(text)
            else QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere
        )
        if self.wordWrapMode() != mode:
            self.setWordWrapMode(mode)

    def insertFromMimeData(self, source) -> None:
        if source.hasText() and _LONG_WORD.search(source.text()):
            self.fit_wrap(source.text())  # before the paste is laid out
        super().insertFromMimeData(source)

    def _size_changed(self, size) -> None:  # QSizeF: (width, line count) for a plain-text layout
        self._apply_lines(self.count_lines())

    def count_lines(self) -> int:
        """Wrapped lines of the text, up to one more than the maximum height shows.

        The plain-text layout only wraps the blocks it has shown and counts the others as one
        line each; asking for a block's rectangle wraps it. Called when the line count changes
        (a wrap, a new paragraph) or the width does, never for a keystroke within a line.
        """
        layout = self.document().documentLayout()
        lines = 0
        block = self.document().firstBlock()
        while block.isValid() and lines <= self.max_lines:
            if block.isVisible():
                layout.blockBoundingRect(block)
                lines += max(1, block.lineCount())
            block = block.next()
        return lines

    def _apply_lines(self, lines: int) -> None:
        lines = max(self.min_lines, min(self.max_lines, lines))
        if lines == self._lines:
            return
        self._lines = lines
        margins = self.contentsMargins()
        height = (
            lines * self.fontMetrics().lineSpacing()
            + 2 * self.document().documentMargin()
            + 2 * self.frameWidth()
            + margins.top()
            + margins.bottom()
            + 6
        )
        self.setFixedHeight(round(height))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():  # re-wrapped: the line count may differ
            self._apply_lines(self.count_lines())

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self.height())


class TextAreaField(FieldWidget):
    """textarea: grows with its text; a counter in UTF-8 bytes like the platform, warning from 75 %."""

    WARN_SHARE = 0.75

    def build(self) -> None:
        self.edit = GrowingTextEdit(self)
        if self.spec.placeholder:
            self.edit.setPlaceholderText(self.spec.placeholder)
        self.body.addWidget(self.edit)
        # at start-up, once the window has painted (the highlighter and the dictionary's code are not
        # needed to show the text; the dictionary itself loads later still): ui/after_paint.py
        after_paint.later(partial(_attach_spelling, self.edit, self.controller))
        self.counter = QLabel(self)
        self.counter.setObjectName("counter")
        self.counter.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.counter_icon = QLabel(self)
        size = style.icon_size(self.counter)
        self.counter_icon.setPixmap(style.tone_icon(Tone.WARNING).pixmap(size))
        self.counter_icon.setFixedSize(size)
        self.counter_icon.setAccessibleName("Attention")
        self.counter_icon.hide()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        row.addStretch(1)
        row.addWidget(self.counter_icon)
        row.addWidget(self.counter)
        self.body.addLayout(row)
        self._counter_state: tuple | None = None
        self._fix_counter_size()
        self._muted = style.muted_color(self.counter.palette())
        self._warn = style.tone_color(self.counter.palette(), Tone.WARNING)
        style.set_text_color(self.counter, self._muted)
        self._text = ""  # what the area holds, as last shown or committed
        self.edit.textChanged.connect(self._changed)
        self.counter.setBuddy(self.edit)  # the counter labels the text area (AT-SPI « labelled by »)
        self._loading = False

    def inputs(self) -> list[QWidget]:
        return [self.edit]

    def accessible_description(self) -> str:
        """The field's description, then the counter (its words when the limit comes near)."""
        counter = self.counter.text() if hasattr(self, "counter") else ""
        limit = self.spec.character_limit
        tail = (
            f"Compteur : {counter}."
            if counter
            else f"Limite conseillée : {format_integer(limit)} caractères."
            if limit
            else ""
        )
        return " ".join(p for p in (super().accessible_description(), tail) if p)

    def show_value(self, value: Any) -> None:
        text = "" if value is None else str(value)
        self._text = text
        if self.edit.toPlainText() != text:
            self._loading = True
            try:
                self.edit.fit_wrap(text)
                self.edit.setPlainText(text)
            finally:
                self._loading = False
        self._update_counter(text)

    def _changed(self) -> None:
        if self._loading:
            return
        text = self.edit.toPlainText()
        if text == self._text:  # the spelling underline redrawn: the document says « changed », not the text
            return
        self._text = text
        self.edit.fit_wrap(text)
        self.commit(text)
        self._update_counter(text)

    def _fix_counter_size(self) -> None:
        """A fixed-size counter: changing its text then never re-lays out the whole form per keystroke."""
        fm = self.counter.fontMetrics()
        limit = self.spec.character_limit
        widest = "8" * max(6, len(format_integer(limit or 0)) + 2)
        longest = (
            f"{widest} / {format_integer(limit)} caractères{LEVEL_WORDS[CountLevel.OVER]}"
            if limit
            else f"{widest} caractères"
        )
        # Wide enough for the count, two lines for the warning words: it never sets the form's width.
        short = f"{widest} / {format_integer(limit)} caractères —" if limit else longest
        self.counter.setWordWrap(True)
        self.counter.setFixedSize(fm.horizontalAdvance(short) + 8, fm.height() * (2 if limit else 1))

    def counter_text(self) -> str:
        return self.counter.text()

    def _update_counter(self, text: str) -> None:
        counted = character_count(text, self.spec.character_limit, near_share=self.WARN_SHARE)
        level = counted.level.value
        state = (counted.count, level)
        if state == self._counter_state:
            return
        self._counter_state = state
        changed_level = bool(counted.limit) and (level > 0) != self.counter_icon.isVisibleTo(self)
        if changed_level:
            self.counter_icon.setVisible(level > 0)
            style.set_text_color(self.counter, self._warn if level else self._muted)
        self.counter.setText(counted.text())
        if counted.limit and (changed_level or not self.edit.hasFocus()):  # said when it matters, not per key
            self._describe_inputs()

    @property
    def counter_warns(self) -> bool:
        return bool(self._counter_state and self._counter_state[1] > 0)
