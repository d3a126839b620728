"""One widget per field type of the templates; ``make_field`` picks it.

Import circle allowed: a repetition's rows build their fields with :func:`make_field` at call time
(``row_card``), and this package exports the repetition widget.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QWidget

from ...forms import FieldSpec, FieldType
from ...forms.types import ONLINE_ONLY_TYPES
from .base import DisplayWidget, FieldHub, FieldWidget

if TYPE_CHECKING:
    from .attachment import AttachmentField
    from .choices import CheckboxField, DropDownField, MultiChoiceField, RadioField
    from .dates import DateField
    from .display import ExplicationField, HeaderSectionField, OnlineOnlyField
    from .geo import CommuneField, EpciField, PaysField, RegionField
    from .numbers import NumberField
    from .places import DepartementField
    from .repetition import RepetitionField
    from .text import LineField, TextAreaField

#: Where each widget class lives. A module is imported the first time one of its widgets is made
#: (or named): a section shows without loading the others' code (start-up, issue 14).
MODULES: dict[str, str] = {
    "AttachmentField": "attachment",
    "CheckboxField": "choices",
    "DropDownField": "choices",
    "MultiChoiceField": "choices",
    "RadioField": "choices",
    "DateField": "dates",
    "ExplicationField": "display",
    "HeaderSectionField": "display",
    "OnlineOnlyField": "display",
    "CommuneField": "geo",
    "EpciField": "geo",
    "PaysField": "geo",
    "RegionField": "geo",
    "NumberField": "numbers",
    "DepartementField": "places",
    "RepetitionField": "repetition",
    "LineField": "text",
    "TextAreaField": "text",
}

#: The widget class of each field type, by name (see MODULES; :func:`widget_class` gives the class).
WIDGETS: dict[FieldType, str] = {
    FieldType.HEADER_SECTION: "HeaderSectionField",
    FieldType.EXPLICATION: "ExplicationField",
    FieldType.REPETITION: "RepetitionField",
    FieldType.TEXT: "LineField",
    FieldType.TEXTAREA: "TextAreaField",
    FieldType.INTEGER_NUMBER: "NumberField",
    FieldType.DECIMAL_NUMBER: "NumberField",
    FieldType.DATE: "DateField",
    FieldType.DATETIME: "DateField",
    FieldType.EMAIL: "LineField",
    FieldType.PHONE: "LineField",
    FieldType.YES_NO: "RadioField",
    FieldType.CHECKBOX: "CheckboxField",
    FieldType.DROP_DOWN_LIST: "DropDownField",
    FieldType.MULTIPLE_DROP_DOWN_LIST: "MultiChoiceField",
    FieldType.CIVILITE: "RadioField",
    FieldType.IBAN: "LineField",
    FieldType.SIRET: "LineField",
    FieldType.PIECE_JUSTIFICATIVE: "AttachmentField",
    FieldType.DEPARTEMENTS: "DepartementField",
    FieldType.EPCI: "EpciField",
    FieldType.COMMUNES: "CommuneField",
    FieldType.REGIONS: "RegionField",
    FieldType.PAYS: "PaysField",
    **{t: "OnlineOnlyField" for t in ONLINE_ONLY_TYPES},
}


def __getattr__(name: str) -> Any:
    """``from spie_desktop.ui.fields import LineField`` and the like: the class, its module imported."""
    module = MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def widget_class(field_type: FieldType) -> type[FieldWidget]:
    """The widget class for a field type (a one-line entry for a type without its own)."""
    name = WIDGETS.get(field_type, "LineField")
    return globals().get(name) or __getattr__(name)


def _types(fields) -> set[FieldType]:
    out: set[FieldType] = set()
    for spec in fields:
        out.add(spec.type)
        out |= _types(spec.children)
    return out


def preload(fields) -> None:
    """Import the widget modules of these fields' types, and what those widgets import when first
    built: the first visit of a section then does not wait for them. The window calls it in its idle
    time once a dossier is shown (issue 14: a first visit of Budget spent 45 ms importing)."""
    for cls in {widget_class(t) for t in _types(fields)}:
        for module in cls.PRELOAD:
            importlib.import_module(module)


def make_field(spec: FieldSpec, controller, path: str, parent: QWidget | None = None) -> FieldWidget:
    """The widget for one field at one stored path ("field" or "rep[row].child")."""
    return widget_class(spec.type)(spec, controller, path, parent)


__all__ = [
    "WIDGETS",
    "AttachmentField",
    "CheckboxField",
    "CommuneField",
    "DateField",
    "DepartementField",
    "DisplayWidget",
    "DropDownField",
    "EpciField",
    "ExplicationField",
    "FieldHub",
    "FieldWidget",
    "HeaderSectionField",
    "LineField",
    "MultiChoiceField",
    "NumberField",
    "OnlineOnlyField",
    "PaysField",
    "RadioField",
    "RegionField",
    "RepetitionField",
    "TextAreaField",
    "make_field",
    "widget_class",
]
