"""Places and countries chosen from the platform's own lists (resources/data, forms/places.py).

Each widget stores exactly what the prefill sends or resolves without doubt:
- regions: the INSEE code ("53"); pays: the ISO code ("FR");
- communes: « <code INSEE>-<code postal> » ("56121-56100"), chosen as « Lorient (56100) »;
- epci: « <département>/<SIREN> » ("56/200042174"): the EPCI field has its own département
  selector, as online, so an EPCI outside the applicant's département keeps its own.
Something typed that the list does not know is kept as typed (nothing is lost) with a warning.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from ...forms import places
from ..style import Tone
from .base import FieldWidget
from .choices import NoWheelComboBox
from .wrap import FlowLayout

DASH = places.DASH


def _searchable(combo: QComboBox, placeholder: str) -> QCompleter:
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    completer = QCompleter(combo.model(), combo)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    combo.setCompleter(completer)
    combo.lineEdit().setPlaceholderText(placeholder)
    combo.setMinimumContentsLength(30)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    return completer


class CodeListField(FieldWidget):
    """A searchable list of (code, label); the code is stored."""

    noun = ""
    placeholder = ""

    def items(self) -> tuple[tuple[str, str], ...]:
        raise NotImplementedError

    def resolve(self, text: str) -> str | None:
        raise NotImplementedError

    def build(self) -> None:
        self.combo = NoWheelComboBox(self)
        completer = _searchable(self.combo, self.placeholder)
        self.combo.addItem("", None)
        for code, label in self.items():
            self.combo.addItem(label, code)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.combo)
        row.addStretch(1)
        self.body.addLayout(row)
        self.combo.activated.connect(lambda i: self._store(self.combo.itemData(i)))
        completer.activated[str].connect(self._completed)
        self.combo.lineEdit().editingFinished.connect(self._typed)

    def inputs(self) -> list[QWidget]:
        return [self.combo]

    def set_read_only(self, read_only: bool) -> None:
        self.combo.setEnabled(not read_only)

    def _unknown(self) -> list[tuple[Tone, str]]:
        return [
            (
                Tone.WARNING,
                f"Ce n'est pas {self.noun} de la liste de la plateforme : choisissez dans la liste.",
            )
        ]

    def show_value(self, value: Any) -> None:
        code = self.resolve(value) if isinstance(value, str) else None
        index = self.combo.findData(code) if code else (0 if value in (None, "") else -1)
        if index >= 0:
            self.combo.setCurrentIndex(index)
            self.set_hint([])
        else:
            self.combo.setCurrentIndex(-1)
            self.combo.setEditText(str(value))
            self.set_hint(self._unknown())

    def _store(self, value: Any) -> None:
        self.set_hint([])
        if value != self.value():
            self.commit(value, immediate=True)

    def _completed(self, text: str) -> None:
        index = self.combo.findText(text)
        if index >= 0:
            self.combo.setCurrentIndex(index)
            self._store(self.combo.itemData(index))

    def _typed(self) -> None:
        text = self.combo.currentText().strip()
        if not text:
            self._store(None)
            return
        index = self.combo.findText(text)
        code = self.combo.itemData(index) if index > 0 else self.resolve(text)
        if code is not None:
            self.combo.setCurrentIndex(self.combo.findData(code))
            self._store(code)
        else:
            if text != self.value():
                self.commit(text, immediate=True)
            self.set_hint(self._unknown())


class RegionField(CodeListField):
    noun = "une région"
    placeholder = "Tapez un code ou un nom : 53, Bretagne…"

    def items(self) -> tuple[tuple[str, str], ...]:
        return tuple(
            (code, f"{code} {DASH} {name}")
            for code, name in sorted(places.regions(), key=lambda r: places.fold(r[1]))
        )

    def resolve(self, text: str) -> str | None:
        return places.region_code(text)


class PaysField(CodeListField):
    noun = "un pays"
    placeholder = "Tapez un nom ou un code : France, FR…"

    def items(self) -> tuple[tuple[str, str], ...]:
        return tuple(
            (code, f"{name} ({code})")
            for code, name in sorted(places.pays(), key=lambda p: places.fold(p[1]))
        )

    def resolve(self, text: str) -> str | None:
        if text.endswith(")") and "(" in text:
            text = text.rsplit("(", 1)[1].rstrip(")")
        return places.pays_code(text)


@cache
def _commune_labels() -> tuple[QStringListModel, dict[str, str]]:
    by_label: dict[str, str] = {}
    for c in places.communes():
        by_label.setdefault(c.label, c.answer)
    return QStringListModel(sorted(by_label, key=places.fold)), by_label


def commune_label(value: Any) -> str:
    commune = places.resolve_commune(value)
    return commune.label if commune else (str(value) if value else "")


class CommuneField(FieldWidget):
    """communes: typed as « Lorient » or « 56100 », chosen as « Lorient (56100) »."""

    def build(self) -> None:
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText("Tapez le nom ou le code postal : Lorient, 56100…")
        model, self._answers = _commune_labels()
        completer = QCompleter(model, self.edit)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setMaxVisibleItems(12)
        self.edit.setCompleter(completer)
        self.edit.setMinimumWidth(self.fontMetrics().averageCharWidth() * 36)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit)
        row.addStretch(1)
        self.body.addLayout(row)
        completer.activated[str].connect(self._chosen)
        self.edit.editingFinished.connect(lambda: self._chosen(self.edit.text()))
        self.edit.textEdited.connect(lambda text: self.commit(text.strip() or None))  # nothing typed is lost

    def inputs(self) -> list[QWidget]:
        return [self.edit]

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)

    def show_value(self, value: Any) -> None:
        self.edit.setText(commune_label(value))
        known = value in (None, "") or places.resolve_commune(value) is not None
        self.set_hint([] if known else self._unknown())

    @staticmethod
    def _unknown() -> list[tuple[Tone, str]]:
        return [
            (
                Tone.WARNING,
                (
                    "Commune introuvable ou ambiguë dans la liste de la plateforme : choisissez-la "
                    "dans la liste (nom et code postal)."
                ),
            )
        ]

    def _chosen(self, text: str) -> None:
        text = text.strip()
        answer = self._answers.get(text)
        if answer is None and text:
            commune = places.resolve_commune(text)
            answer = commune.answer if commune else None
        value = answer or (text or None)
        if answer:
            self.edit.setText(commune_label(answer))
        self.set_hint([] if answer or not text else self._unknown())
        if value != self.value():
            self.commit(value, immediate=True)


def epci_answer(departement: str, siren: str) -> str:
    return f"{departement}/{siren}"


def epci_label(value: Any) -> str:
    """« CA Lorient Agglomération (56 – Morbihan) » for a stored answer, else the text as typed."""
    epci = places.resolve_epci(value) if isinstance(value, str) else None
    if epci is None:
        return str(value) if value else ""
    return (
        f"{epci.name} ({epci.departement} {DASH} {places.name_of(places.departements(), epci.departement)})"
    )


class EpciField(FieldWidget):
    """epci: its own département (a list), then the EPCI typed and completed from that département's
    list, as on the platform. Stores « <département>/<SIREN> »; an unknown name is kept as typed."""

    def build(self) -> None:
        self.dep = NoWheelComboBox(self)
        _searchable(self.dep, "56, Morbihan…")
        self.dep.setMinimumContentsLength(22)
        self.dep.addItem("", None)
        for code, name in places.departements():
            if code != "99":
                self.dep.addItem(f"{code} {DASH} {name}", code)
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText("Nom de l'EPCI ou son SIREN")
        self.edit.setMinimumWidth(self.fontMetrics().averageCharWidth() * 28)
        self.model = QStringListModel(self)
        completer = QCompleter(self.model, self.edit)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.edit.setCompleter(completer)
        box = QWidget(self)
        row = FlowLayout(box)  # the département and its label, on two lines when the form is narrow
        dep_label = QLabel("Département de l'EPCI :", box)
        dep_label.setBuddy(self.dep)
        for w in (dep_label, self.dep):
            row.addWidget(w)
        self.body.addWidget(box)
        self.body.addWidget(self.edit)  # the EPCI's name below, the whole width of the form
        self.dep.activated.connect(lambda _i: self._fill(self.dep.currentData()))
        completer.activated[str].connect(self._chosen)
        self.edit.editingFinished.connect(lambda: self._chosen(self.edit.text()))
        self.edit.textEdited.connect(lambda text: self.commit(text.strip() or None))  # nothing typed is lost
        self._labels: dict[str, places.Epci] = {}
        self._fill(None)

    def inputs(self) -> list[QWidget]:
        return [self.edit, self.dep]

    def tab_chain(self) -> list[QWidget]:
        return [self.dep, self.edit]  # in reading order: the département, then the EPCI

    def set_read_only(self, read_only: bool) -> None:
        self.dep.setEnabled(not read_only)
        self.edit.setReadOnly(read_only)

    def _fill(self, departement: str | None) -> None:
        rows = (
            places.epcis(departement)
            if departement
            else tuple(e for code, _ in places.departements() for e in places.epcis(code))
        )
        self._labels = {f"{e.name} ({e.siren})": e for e in rows}
        self.model.setStringList(sorted(self._labels, key=places.fold))

    def show_value(self, value: Any) -> None:
        epci = places.resolve_epci(value, self._dossier_departements()) if isinstance(value, str) else None
        if epci is not None:
            self.dep.setCurrentIndex(self.dep.findData(epci.departement))
            self._fill(epci.departement)
            self.edit.setText(f"{epci.name} ({epci.siren})")
            self.set_hint([])
        else:
            self.edit.setText("" if value is None else str(value))
            self.set_hint([] if value in (None, "") else self._unknown())

    @staticmethod
    def _unknown() -> list[tuple[Tone, str]]:
        return [
            (
                Tone.WARNING,
                (
                    "EPCI introuvable dans la liste de la plateforme : choisissez son département, "
                    "puis l'EPCI proposé, sinon il faudra le choisir en ligne."
                ),
            )
        ]

    def _dossier_departements(self) -> tuple[str, ...]:
        get = self.controller.value
        for _section, spec in self.controller.template.iter_fields():
            if spec.type.value == "departements":
                code = places.departement_code(get(spec.id))
                return (code,) if code else ()
        return ()

    def _chosen(self, text: str) -> None:
        text = text.strip()
        dep = self.dep.currentData()
        epci = self._labels.get(text) or (places.resolve_epci(text, (dep,) if dep else ()) if text else None)
        if epci is not None and dep and epci.departement != dep:
            epci = next((e for e in places.epcis(dep) if e.siren == epci.siren), epci)
        value = epci_answer(epci.departement, epci.siren) if epci else (text or None)
        if epci is not None:
            self.dep.setCurrentIndex(self.dep.findData(epci.departement))
            self.edit.setText(f"{epci.name} ({epci.siren})")
        self.set_hint([] if epci or not text else self._unknown())
        if value != self.value():
            self.commit(value, immediate=True)
