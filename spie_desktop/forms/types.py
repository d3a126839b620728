"""The shape of a form template: sections, fields and rules, as immutable values.

Field types use the online platform's ``type_champ`` names so that a démarche's schema maps
onto a template without translation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Iterator, Mapping


class FieldType(StrEnum):
    # structure
    HEADER_SECTION = "header_section"
    EXPLICATION = "explication"
    REPETITION = "repetition"
    # standard
    TEXT = "text"
    TEXTAREA = "textarea"
    INTEGER_NUMBER = "integer_number"
    DECIMAL_NUMBER = "decimal_number"
    DATE = "date"
    DATETIME = "datetime"
    EMAIL = "email"
    PHONE = "phone"
    YES_NO = "yes_no"
    CHECKBOX = "checkbox"
    DROP_DOWN_LIST = "drop_down_list"
    MULTIPLE_DROP_DOWN_LIST = "multiple_drop_down_list"
    CIVILITE = "civilite"
    IBAN = "iban"
    SIRET = "siret"
    PIECE_JUSTIFICATIVE = "piece_justificative"
    # places
    DEPARTEMENTS = "departements"
    EPCI = "epci"

    @property
    def holds_answer(self) -> bool:
        """False for fields that only show text (headers, explanations)."""
        return self not in (FieldType.HEADER_SECTION, FieldType.EXPLICATION)

    @property
    def is_attachment(self) -> bool:
        return self is FieldType.PIECE_JUSTIFICATIVE


#: Types whose answer is stored as text.
TEXT_TYPES = frozenset(
    {
        FieldType.TEXT,
        FieldType.TEXTAREA,
        FieldType.EMAIL,
        FieldType.PHONE,
        FieldType.SIRET,
        FieldType.IBAN,
        FieldType.CIVILITE,
        FieldType.DROP_DOWN_LIST,
        FieldType.DEPARTEMENTS,
        FieldType.EPCI,
    }
)
BOOLEAN_TYPES = frozenset({FieldType.YES_NO, FieldType.CHECKBOX})


@dataclass(frozen=True)
class VisibleIf:
    """Show a field only while another field of the same scope equals a value.

    ``field`` names a sibling (inside a repetition row: another child of the row, else a
    top-level field).
    """

    field: str
    equals: Any


@dataclass(frozen=True)
class FieldSpec:
    id: str
    type: FieldType
    label: str
    description: str = ""
    required: bool = False
    character_limit: int | None = None
    min: str | None = None  # decimal as text, so no float ever creeps in
    max: str | None = None
    positive: bool = False
    start_date: str | None = None  # ISO date, or "$parameter"
    end_date: str | None = None
    options: tuple[str, ...] = ()
    other_option: bool = False
    children: tuple["FieldSpec", ...] = ()
    min_rows: int | None = None
    visible_if: VisibleIf | None = None
    ds_id: str | None = None
    level: int = 2  # header_section only
    placeholder: str = ""
    unit: str = ""  # shown next to numbers, e.g. "€" or "ETP"
    row_label: str = ""  # repetition only: what one row is ("Membre", "Action")

    @property
    def is_repetition(self) -> bool:
        return self.type is FieldType.REPETITION

    def child(self, child_id: str) -> "FieldSpec":
        for c in self.children:
            if c.id == child_id:
                return c
        raise KeyError(child_id)


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    description: str = ""
    fields: tuple[FieldSpec, ...] = ()

    def answer_fields(self) -> Iterator[FieldSpec]:
        return (f for f in self.fields if f.type.holds_answer)


@dataclass(frozen=True)
class Rule:
    """A declarative cross-field rule; ``kind`` picks its meaning, ``args`` its operands.

    Templates never carry code: the checks package knows each kind (see forms/rules.py for
    the vocabulary and its validation).
    """

    id: str
    kind: str
    severity: str  # "bloquant" | "avertissement"
    message: str
    section: str | None
    args: Mapping[str, Any]


@dataclass(frozen=True)
class Platform:
    host: str = "www.demarches-simplifiees.fr"
    procedure_path: str | None = None
    procedure_number: int | None = None


@dataclass(frozen=True)
class Template:
    id: str
    version: str
    title: str
    description: str
    deadline: str | None
    platform: Platform
    parameters: Mapping[str, Any]
    sections: tuple[Section, ...]
    rules: tuple[Rule, ...] = ()
    source: str = ""  # where it was loaded from, for messages
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def section(self, section_id: str) -> Section:
        for s in self.sections:
            if s.id == section_id:
                return s
        raise KeyError(section_id)

    def iter_fields(self) -> Iterator[tuple[Section, FieldSpec]]:
        """Top-level fields in form order, with their section."""
        for s in self.sections:
            for f in s.fields:
                yield s, f

    def field(self, field_id: str) -> FieldSpec:
        return self.field_index()[field_id][1]

    def section_of(self, field_id: str) -> Section:
        return self.field_index()[field_id][0]

    def field_index(self) -> dict[str, tuple[Section, FieldSpec]]:
        cached = self.__dict__.get("_index")
        if cached is None:
            cached = {f.id: (s, f) for s, f in self.iter_fields()}
            object.__setattr__(self, "_index", cached)
        return cached

    def parameter(self, name: str, default: Any = None) -> Any:
        return self.parameters.get(name, default)
