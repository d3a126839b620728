"""One widget per field type of the templates; ``make_field`` picks it.

Import circle allowed: a repetition's rows build their fields with :func:`make_field` at call time
(``row_card``), and this package exports the repetition widget.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ...forms import FieldSpec, FieldType
from ...forms.types import ONLINE_ONLY_TYPES
from .attachment import AttachmentField
from .base import DisplayWidget, FieldHub, FieldWidget
from .choices import CheckboxField, DropDownField, MultiChoiceField, RadioField
from .dates import DateField
from .display import ExplicationField, HeaderSectionField, OnlineOnlyField
from .geo import CommuneField, EpciField, PaysField, RegionField
from .numbers import NumberField
from .places import DepartementField
from .repetition import RepetitionField
from .text import LineField, TextAreaField

WIDGETS: dict[FieldType, type[FieldWidget]] = {
    FieldType.HEADER_SECTION: HeaderSectionField,
    FieldType.EXPLICATION: ExplicationField,
    FieldType.REPETITION: RepetitionField,
    FieldType.TEXT: LineField,
    FieldType.TEXTAREA: TextAreaField,
    FieldType.INTEGER_NUMBER: NumberField,
    FieldType.DECIMAL_NUMBER: NumberField,
    FieldType.DATE: DateField,
    FieldType.DATETIME: DateField,
    FieldType.EMAIL: LineField,
    FieldType.PHONE: LineField,
    FieldType.YES_NO: RadioField,
    FieldType.CHECKBOX: CheckboxField,
    FieldType.DROP_DOWN_LIST: DropDownField,
    FieldType.MULTIPLE_DROP_DOWN_LIST: MultiChoiceField,
    FieldType.CIVILITE: RadioField,
    FieldType.IBAN: LineField,
    FieldType.SIRET: LineField,
    FieldType.PIECE_JUSTIFICATIVE: AttachmentField,
    FieldType.DEPARTEMENTS: DepartementField,
    FieldType.EPCI: EpciField,
    FieldType.COMMUNES: CommuneField,
    FieldType.REGIONS: RegionField,
    FieldType.PAYS: PaysField,
    **{t: OnlineOnlyField for t in ONLINE_ONLY_TYPES},
}


def make_field(spec: FieldSpec, controller, path: str, parent: QWidget | None = None) -> FieldWidget:
    """The widget for one field at one stored path ("field" or "rep[row].child")."""
    return WIDGETS.get(spec.type, LineField)(spec, controller, path, parent)


__all__ = [
    "WIDGETS",
    "AttachmentField",
    "CheckboxField",
    "DateField",
    "DepartementField",
    "DisplayWidget",
    "DropDownField",
    "ExplicationField",
    "FieldHub",
    "FieldWidget",
    "HeaderSectionField",
    "LineField",
    "MultiChoiceField",
    "NumberField",
    "RadioField",
    "RepetitionField",
    "TextAreaField",
    "make_field",
]
