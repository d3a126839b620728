"""Numbers typed the French way ("1 234,56"), stored exactly as meant, never clamped or rounded.

integer_number stores an int when the text reads as one, else the text as typed;
decimal_number stores a decimal string in dot form ("1234.56"), else the text as typed. The
completeness engine reports what is not a number; the widget only hints.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QWidget

from ...formatting import format_decimal, format_integer, parse_decimal, parse_integer
from ...forms import FieldType
from ..style import Tone
from .base import FieldWidget

MAX_DECIMALS = 3  # the platform's limit for decimal_number
NOT_AN_INTEGER = "Ce n'est pas un nombre entier : seulement des chiffres (espaces acceptés)."


def integer_value(text: str) -> int | str | None:
    """What an integer entry stores for what was typed."""
    if not text.strip():
        return None
    n = parse_integer(text)
    return n if n is not None else text


def decimal_value(text: str) -> str | None:
    """What a decimal entry stores: "1 234,56" → "1234.56"; unreadable text as typed."""
    if not text.strip():
        return None
    d = parse_decimal(text)
    return format(d, "f") if d is not None else text


class NumberField(FieldWidget):
    """integer_number and decimal_number: a line edit with the unit beside it."""

    def build(self) -> None:
        self.is_decimal = self.spec.type is FieldType.DECIMAL_NUMBER
        self.edit = QLineEdit(self)
        self.edit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.edit.setPlaceholderText(self.spec.placeholder or ("0,00" if self.is_decimal else "0"))
        self.edit.setMinimumWidth(self.edit.fontMetrics().averageCharWidth() * 18)
        self.edit.setMaximumWidth(self.edit.fontMetrics().averageCharWidth() * 26)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        row.addWidget(self.edit)
        self.unit_label = None
        if self.spec.unit:
            self.unit_label = QLabel(self.spec.unit, self)
            self.unit_label.setTextFormat(Qt.TextFormat.PlainText)
            self.unit_label.setBuddy(self.edit)
            row.addWidget(self.unit_label)
        row.addStretch(1)
        self.body.addLayout(row)
        self.edit.textEdited.connect(self._edited)
        self.edit.editingFinished.connect(self._finished)

    def inputs(self) -> list[QWidget]:
        return [self.edit]

    def stored_for(self, text: str) -> Any:
        return decimal_value(text) if self.is_decimal else integer_value(text)

    def display_for(self, value: Any) -> str:
        if value is None:
            return ""
        if (
            isinstance(value, str)
            and (parse_decimal(value) if self.is_decimal else parse_integer(value)) is None
        ):
            return value  # not a number: shown exactly as it was typed
        if self.is_decimal:
            # an amount reads the same typed or stored: « 400 000,00 » beside « 450 000,00 »
            if self.spec.unit.strip() == "€":  # at least the cents, never fewer decimals than typed
                d = parse_decimal(value)
                exponent = d.as_tuple().exponent if d is not None else 0
                return format_decimal(value, max(2, -exponent if isinstance(exponent, int) else 2))
            return format_decimal(value)
        return format_integer(value)

    def show_value(self, value: Any) -> None:
        text = self.display_for(value)
        if self.edit.text() != text:
            self.edit.setText(text)
        self._update_hint(self.edit.text())

    def _edited(self, text: str) -> None:
        self.commit(self.stored_for(text))
        self._update_hint(text)

    def _finished(self) -> None:
        """Leaving the entry: tidy the display to "1 234,56", only when it reads as a number."""
        text = self.edit.text()
        parsed = parse_decimal(text) if self.is_decimal else parse_integer(text)
        if parsed is not None:
            shown = self.display_for(self.stored_for(text))
            if shown != text:
                self.edit.setText(shown)

    def _update_hint(self, text: str) -> None:
        s = text.strip()
        if not s:
            self.set_hint([])
            return
        if self.is_decimal:
            d = parse_decimal(s)
            if d is None:
                self.set_hint(
                    [(Tone.WARNING, "Ce n'est pas un nombre : chiffres, espaces et une virgule (1 234,56).")]
                )
            elif -int(d.as_tuple().exponent) > MAX_DECIMALS:
                self.set_hint([(Tone.WARNING, f"La plateforme accepte {MAX_DECIMALS} décimales au plus.")])
            elif self.spec.positive and d < Decimal(0):
                self.set_hint([(Tone.WARNING, "Un nombre positif est attendu.")])
            else:
                self.set_hint([])
        else:
            n = parse_integer(s)
            if n is None:
                self.set_hint([(Tone.WARNING, NOT_AN_INTEGER)])
            elif self.spec.positive and n < 0:
                self.set_hint([(Tone.WARNING, "Un nombre positif est attendu.")])
            else:
                self.set_hint([])
