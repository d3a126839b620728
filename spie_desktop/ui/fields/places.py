"""Places: the département, searched by code or name, stored as its code ("56")."""

from __future__ import annotations

import json
import unicodedata
from functools import cache
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QComboBox, QCompleter, QHBoxLayout, QWidget

from ...resources_path import resource
from ..style import Tone
from .base import FieldWidget
from .choices import NoWheelComboBox

DASH = "\u2013"


@cache
def departements() -> tuple[tuple[str, str], ...]:
    """(code, nom) of every département, from the data file shipped in resources."""
    data = json.loads(resource("data", "departements.json").read_text(encoding="utf-8"))
    return tuple((d["code"], d["nom"]) for d in data)


def departement_label(code: str, nom: str) -> str:
    return f"{code} {DASH} {nom}"


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    return (
        "".join(c for c in text if not unicodedata.combining(c)).replace("-", " ").replace("'", " ").strip()
    )


def resolve_departement(text: str) -> str | None:
    """The code meant by what was typed: "56", "Morbihan", "morbihan", "56 – Morbihan", "Côtes-d'Armor"
    (the platform writes ’); None if unclear. The platform's own rule, in forms/places.py."""
    from ...forms.places import departement_code

    return departement_code(text)


class DepartementField(FieldWidget):
    """departements: an editable, searchable combo box of « 56 – Morbihan »."""

    def build(self) -> None:
        self.combo = NoWheelComboBox(self)
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.combo.addItem("", None)
        for code, nom in departements():
            self.combo.addItem(departement_label(code, nom), code)
        completer = QCompleter(self.combo.model(), self.combo)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.combo.setCompleter(completer)
        self.combo.lineEdit().setPlaceholderText("Tapez un numéro ou un nom : 56, Morbihan…")
        self.combo.setMinimumContentsLength(28)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.combo)
        row.addStretch(1)
        self.body.addLayout(row)
        self.combo.activated.connect(self._activated)
        completer.activated[str].connect(self._completed)
        self.combo.lineEdit().editingFinished.connect(self._typed)
        # the first suggestion is highlighted as the list opens: Enter takes what is shown selected
        self._highlight_timer = QTimer(self, singleShot=True, interval=0, timeout=self._highlight_first)
        self.combo.lineEdit().textEdited.connect(self._highlight_timer.start)

    @property
    def completer(self):
        """The completer in use (the combo box may replace the one given at build time)."""
        return self.combo.lineEdit().completer() or self.combo.completer()

    def _highlight_first(self) -> None:
        completer = self.completer
        if completer is None:
            return
        popup = completer.popup()
        model = popup.model()
        if (
            popup.isVisible()
            and model is not None
            and model.rowCount() > 0
            and not popup.currentIndex().isValid()
        ):
            popup.setCurrentIndex(model.index(0, 0))

    def inputs(self) -> list[QWidget]:
        return [self.combo]

    def set_read_only(self, read_only: bool) -> None:
        self.combo.setEnabled(not read_only)

    def show_value(self, value: Any) -> None:
        if value is None or value == "":
            self.combo.setCurrentIndex(0)
            self.combo.setEditText("")
            self.set_hint([])
            return
        index = self.combo.findData(value)
        if index >= 0:
            self.combo.setCurrentIndex(index)
            self.set_hint([])
        else:
            self.combo.setCurrentIndex(-1)
            self.combo.setEditText(str(value))
            self.set_hint(
                [(Tone.WARNING, "Ce n'est pas un département de la liste : choisissez-le dans la liste.")]
            )

    def _store(self, value: Any) -> None:
        if value != self.value():
            self.commit(value, immediate=True)

    def _activated(self, index: int) -> None:
        self._store(self.combo.itemData(index))
        self.set_hint([])

    def _completed(self, text: str) -> None:
        index = self.combo.findText(text)
        if index >= 0:
            self.combo.setCurrentIndex(index)
            self._activated(index)

    def _typed(self) -> None:
        text = self.combo.currentText().strip()
        if not text:
            self._store(None)
            self.set_hint([])
            return
        code = resolve_departement(text)
        index = self.combo.findText(text)
        if index > 0:
            code = self.combo.itemData(index)
        completer = self.completer
        if (
            code is None
            and completer is not None
            and completer.completionPrefix() == text
            and completer.completionCount() == 1
        ):
            index = self.combo.findText(completer.currentCompletion())  # « Drôm » → « 26 – Drôme »
            if index > 0:
                code = self.combo.itemData(index)
        if code is not None:
            self.combo.setCurrentIndex(self.combo.findData(code))
            self._store(code)
            self.set_hint([])
        else:  # kept as typed, so nothing is lost; the check will point at it
            self._store(text)
            self.set_hint(
                [(Tone.WARNING, "Ce n'est pas un département de la liste : choisissez-le dans la liste.")]
            )
