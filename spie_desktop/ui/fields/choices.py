"""Choices: Oui/Non (with an unanswered state), civilité, checkbox, drop-down lists."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ...forms import FieldType
from .. import style
from .base import FieldWidget, label_text, link_button
from .wrap import FlowLayout, WrapCheckBox

PLACEHOLDER_ENTRY = "— Choisir —"
OTHER_ENTRY = "Autre…"


class RadioField(FieldWidget):
    """yes_no (Oui/Non → True/False) and civilite (M./Mme): none checked means unanswered."""

    def build(self) -> None:
        if self.spec.type is FieldType.YES_NO:
            self.choices: list[tuple[str, Any]] = [("Oui", True), ("Non", False)]
        else:
            self.choices = [("Madame", "Mme"), ("Monsieur", "M.")]
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        row = FlowLayout(spacing=18)  # goes to two lines rather than widen a narrow form
        self.buttons: list[QRadioButton] = []
        for i, (text, _) in enumerate(self.choices):
            b = QRadioButton(text.replace("&", "&&"), self)  # an option's "&" is no mnemonic
            b.setAccessibleName(f"{self.spec.label} : {text}")
            self.group.addButton(b, i)
            self.buttons.append(b)
            row.addWidget(b)
        self.clear_button = link_button("Effacer la réponse", self)
        self.clear_button.setAccessibleName(f"Effacer la réponse : {self.spec.label}")
        row.addWidget(self.clear_button)
        self.body.addLayout(row)
        self.group.idClicked.connect(self._clicked)
        self.clear_button.clicked.connect(self._clear)

    def inputs(self) -> list[QWidget]:
        return [*self.buttons, self.clear_button]

    def set_read_only(self, read_only: bool) -> None:
        for b in self.buttons:
            b.setEnabled(not read_only)
        self.clear_button.setVisible(not read_only and self.group.checkedId() >= 0)

    def show_value(self, value: Any) -> None:
        index = next(
            (i for i, (_, v) in enumerate(self.choices) if v == value and type(v) is type(value)), -1
        )
        self.group.setExclusive(False)  # an exclusive group cannot go back to "none checked"
        for i, b in enumerate(self.buttons):
            b.setChecked(i == index)
        self.group.setExclusive(True)
        self.clear_button.setVisible(index >= 0 and not self.controller.read_only)

    def _clicked(self, index: int) -> None:
        self.commit(self.choices[index][1], immediate=True)
        self.clear_button.setVisible(True)

    def _clear(self) -> None:
        self.commit(None, immediate=True)
        self.show_value(None)
        self.buttons[0].setFocus(Qt.FocusReason.OtherFocusReason)


class CheckboxField(FieldWidget):
    """checkbox: the box carries the label, as on the platform; True/False, None until touched."""

    shows_label = False

    def build(self) -> None:
        self.box = WrapCheckBox(label_text(self.spec), self)
        self.box.setAccessibleName(self.spec.label)
        self.body.addWidget(self.box, 0, Qt.AlignmentFlag.AlignLeft)
        if self.spec.description:
            self.help_label = QLabel(self.spec.description, self)
            self.help_label.setTextFormat(Qt.TextFormat.PlainText)
            self.help_label.setWordWrap(True)
            self.help_label.setObjectName("help")
            style.make_muted(self.help_label)
            margin = self.box.style().pixelMetric(self.box.style().PixelMetric.PM_IndicatorWidth) + 8
            self.help_label.setContentsMargins(margin, 0, 0, 0)
            self.body.addWidget(self.help_label)
        self.box.clicked.connect(lambda checked: self.commit(bool(checked), immediate=True))

    def inputs(self) -> list[QWidget]:
        return [self.box]

    def show_value(self, value: Any) -> None:
        self.box.setChecked(value is True)


class NoWheelComboBox(QComboBox):
    """A combo box that ignores the mouse wheel unless focused, so scrolling the form never changes answers."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def wheelEvent(self, event) -> None:
        # Ctrl + wheel zooms the window (ui/zoom.py watches the form's view): it goes on to the form
        if self.hasFocus() and not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            super().wheelEvent(event)
        else:
            event.ignore()


class DropDownField(FieldWidget):
    """drop_down_list: "— Choisir —", the options, and "Autre…" with a free text when allowed."""

    def build(self) -> None:
        self.combo = NoWheelComboBox(self)
        self.combo.addItem(PLACEHOLDER_ENTRY, None)
        for option in self.spec.options:
            self.combo.addItem(option, option)
        self.other_index = -1
        if self.spec.other_option:
            self.combo.addItem(OTHER_ENTRY, _OTHER)
            self.other_index = self.combo.count() - 1
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.combo.setMinimumContentsLength(20)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.combo)
        row.addStretch(1)
        self.body.addLayout(row)
        self.other_edit = QLineEdit(self)
        self.other_edit.setPlaceholderText("Précisez")
        self.other_edit.setAccessibleName(f"{self.spec.label} : autre, précisez")
        self.other_edit.hide()
        self.body.addWidget(self.other_edit)
        self.combo.activated.connect(self._activated)
        self.other_edit.textEdited.connect(lambda text: self.commit(text))

    def inputs(self) -> list[QWidget]:
        return [self.combo, self.other_edit]

    def set_read_only(self, read_only: bool) -> None:
        self.combo.setEnabled(not read_only)
        self.other_edit.setReadOnly(read_only)

    def show_value(self, value: Any) -> None:
        self.other_edit.hide()
        if value is None or value == "":
            self.combo.setCurrentIndex(0)
            return
        index = self.combo.findData(value)
        if index > 0 and value != _OTHER:
            self.combo.setCurrentIndex(index)
            return
        if self.other_index >= 0:
            self.combo.setCurrentIndex(self.other_index)
            self.other_edit.setText(str(value))
            self.other_edit.show()
            return
        # A value that is no longer an option (template changed, merge): shown, never dropped.
        self.combo.addItem(f"{value} (hors liste)", value)
        self.combo.setCurrentIndex(self.combo.count() - 1)

    def _activated(self, index: int) -> None:
        data = self.combo.itemData(index)
        if data == _OTHER:
            self.other_edit.show()
            self.commit(self.other_edit.text() or None, immediate=True)
            self.other_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.other_edit.hide()
        self.commit(data, immediate=True)

    def current_text(self) -> str:
        return self.combo.currentText()


_OTHER = "\u0000autre"  # item data of the "Autre…" entry: no option can be equal to it


class MultiChoiceField(FieldWidget):
    """multiple_drop_down_list: a column of checkboxes; stores the checked options in their order."""

    def build(self) -> None:
        self.boxes: list[QCheckBox] = []
        self._column = QVBoxLayout()
        self._column.setContentsMargins(0, 0, 0, 0)
        self._column.setSpacing(4)
        for option in self.spec.options:
            self._add_box(option)
        self.body.addLayout(self._column)

    def _add_box(self, option: str, extra: bool = False) -> QCheckBox:
        box = WrapCheckBox(option.replace("&", "&&") + (" (hors liste)" if extra else ""), self)
        box.setProperty("option", option)
        box.setAccessibleName(f"{self.spec.label} : {option}")
        box.clicked.connect(self._clicked)
        self._column.addWidget(box, 0, Qt.AlignmentFlag.AlignLeft)
        self.boxes.append(box)
        return box

    def inputs(self) -> list[QWidget]:
        return list(self.boxes)

    def show_value(self, value: Any) -> None:
        chosen = (
            list(value) if isinstance(value, list) else ([value] if isinstance(value, str) and value else [])
        )
        known = {b.property("option") for b in self.boxes}
        for option in chosen:
            if option not in known:
                box = self._add_box(option, extra=True)
                box.installEventFilter(self)
                known.add(option)
        for b in self.boxes:
            b.setChecked(b.property("option") in chosen)

    def _clicked(self) -> None:
        chosen = [b.property("option") for b in self.boxes if b.isChecked()]
        self.commit(chosen or None, immediate=True)
