"""Dates typed as dd/mm/yyyy or picked on a calendar; empty means empty (no fake default date)."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QDate, QEvent, Qt
from PySide6.QtWidgets import QLineEdit, QToolButton, QWidget

from ...formatting import format_date, parse_french_date, parse_iso_date
from ...forms import FieldType
from ..style import Tone
from .base import FieldWidget, link_button
from .calendar import CalendarPopup
from .wrap import FlowLayout

_DATETIME_TYPED = re.compile(
    r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?:\s+(?:à\s+)?(\d{1,2})[:h](\d{2}))?\s*$"
)


def date_value(text: str) -> str | None:
    """ "11/10/2021" → "2021-10-11"; anything that is no real date is kept as typed."""
    if not text.strip():
        return None
    d = parse_french_date(text)
    return d.isoformat() if d is not None else text


def datetime_value(text: str) -> str | None:
    """ "11/10/2021 14:30" → "2021-10-11T14:30"; else as typed."""
    if not text.strip():
        return None
    m = _DATETIME_TYPED.match(text)
    if m and m[4] is not None:
        try:
            return datetime(int(m[3]), int(m[2]), int(m[1]), int(m[4]), int(m[5])).strftime("%Y-%m-%dT%H:%M")
        except ValueError:
            return text
    return text


def format_datetime_value(value: str) -> str:
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        return value
    return dt.strftime("%d/%m/%Y %H:%M")


class DateField(FieldWidget):
    """date (and datetime): an entry dd/mm/yyyy, a calendar button, and « Effacer »."""

    def build(self) -> None:
        self.with_time = self.spec.type is FieldType.DATETIME
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText("jj/mm/aaaa hh:mm" if self.with_time else "jj/mm/aaaa")
        sample = "00/00/0000 00:00" if self.with_time else "00/00/00000"
        self.edit.setMinimumWidth(self.edit.fontMetrics().horizontalAdvance(sample) + 24)
        self.edit.setMaximumWidth(self.edit.minimumWidth() + 40)
        self.calendar_button = QToolButton(self)
        self.calendar_button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # a click focuses it, not the page
        self.calendar_button.setText("Calendrier…")
        self.calendar_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.calendar_button.setAccessibleName(
            f"Calendrier : {self.spec.label}"
        )  # the word on the button first
        self.calendar_button.setAccessibleDescription("Choisir la date dans un calendrier (Alt+Bas)")
        self.calendar_button.setToolTip("Choisir la date dans un calendrier (Alt+Bas)")
        self.clear_button = link_button("Effacer la date", self)
        self.clear_button.setAccessibleName(f"Effacer la date : {self.spec.label}")
        row = FlowLayout(spacing=6)  # goes to two lines rather than widen a narrow form
        row.addWidget(self.edit)
        row.addWidget(self.calendar_button)
        row.addWidget(self.clear_button)
        self.body.addLayout(row)
        self.popup: CalendarPopup | None = None
        self.edit.textEdited.connect(self._edited)
        self.edit.editingFinished.connect(self._finished)
        self.calendar_button.clicked.connect(self.open_calendar)
        self.clear_button.clicked.connect(self.clear)

    def inputs(self) -> list[QWidget]:
        return [self.edit, self.calendar_button, self.clear_button]

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)
        self.calendar_button.setVisible(not read_only)
        self.clear_button.setVisible(not read_only)

    def eventFilter(self, obj, event) -> bool:
        """Alt+Bas or F4 in the entry opens the calendar, as in a combo box."""
        if (
            obj is self.edit
            and event.type() == QEvent.Type.KeyPress
            and (
                event.key() == Qt.Key.Key_F4
                or (event.key() == Qt.Key.Key_Down and event.modifiers() & Qt.KeyboardModifier.AltModifier)
            )
        ):
            self.open_calendar()
            return True
        return super().eventFilter(obj, event)

    def stored_for(self, text: str) -> str | None:
        return datetime_value(text) if self.with_time else date_value(text)

    def show_value(self, value: Any) -> None:
        if value is None:
            text = ""
        elif self.with_time:
            text = format_datetime_value(str(value))
        else:
            text = format_date(value) if isinstance(value, str) else str(value)
        if self.edit.text() != text:
            self.edit.setText(text)
        self.clear_button.setEnabled(bool(text))
        self._update_hint(strict=True)

    def _edited(self, text: str) -> None:
        self.commit(self.stored_for(text))
        self.clear_button.setEnabled(bool(text))
        self._update_hint(strict=False)

    def _finished(self) -> None:
        value = self.stored_for(self.edit.text())
        if value is not None and value != self.edit.text():  # a real date: show it dd/mm/yyyy
            self.show_value(value)
        self._update_hint(strict=True)

    def _update_hint(self, *, strict: bool) -> None:
        text = self.edit.text().strip()
        if not text:
            self.set_hint([])
            return
        value = self.stored_for(text)
        ok = value != text or (not self.with_time and parse_iso_date(text) is not None)
        if ok:
            self.set_hint([])
        elif strict or len(text) >= 10:
            example = "25/12/2022 14:30" if self.with_time else "25/12/2022"
            self.set_hint(
                [(Tone.WARNING, f"Ce n'est pas une date : écrivez-la jj/mm/aaaa, par exemple {example}.")]
            )
        else:
            self.set_hint([])

    def current_date(self) -> date | None:
        value = self.value()
        if isinstance(value, str):
            return parse_iso_date(value[:10])
        return None

    def open_calendar(self) -> None:
        if self.controller.read_only:
            return
        if self.popup is None:
            self.popup = CalendarPopup(self)
            self.popup.clicked.connect(self._picked)
            self.popup.activated.connect(self._picked)
            self.popup.closed.connect(self._calendar_closed)
        d = self.current_date() or date.today()
        self.popup.setSelectedDate(QDate(d.year, d.month, d.day))
        self.popup.show_under(self.edit)

    def _calendar_closed(self) -> None:
        """Échap in the calendar: back on « Calendrier… », its focus ring showing."""
        self.window().activateWindow()
        self.calendar_button.setFocus(Qt.FocusReason.PopupFocusReason)

    def _picked(self, qdate: QDate) -> None:
        picked = date(qdate.year(), qdate.month(), qdate.day())
        if self.with_time:
            old = self.value()
            hhmm = old[11:16] if isinstance(old, str) and len(old) >= 16 else "00:00"
            value = f"{picked.isoformat()}T{hhmm}"
        else:
            value = picked.isoformat()
        if self.popup is not None:
            self.popup.hide()
        self.commit(value, immediate=True)
        self.show_value(value)
        self.window().activateWindow()
        self.edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def clear(self) -> None:
        self.commit(None, immediate=True)
        self.show_value(None)
        self.edit.setFocus(Qt.FocusReason.OtherFocusReason)
