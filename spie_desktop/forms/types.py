"""The shape of a form template: sections, fields and rules, as immutable values.

Field types use the online platform's ``type_champ`` names so that a démarche's schema maps
onto a template without translation.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


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
    FORMATTED = "formatted"
    DOSSIER_LINK = "dossier_link"
    # answered offline as text, never prefilled by the platform
    NUMBER = "number"
    LINKED_DROP_DOWN_LIST = "linked_drop_down_list"
    RNA = "rna"
    RNF = "rnf"
    # places
    ADDRESS = "address"
    COMMUNES = "communes"
    DEPARTEMENTS = "departements"
    REGIONS = "regions"
    PAYS = "pays"
    EPCI = "epci"
    # answered online only: a map, or data the platform fetches from another administration
    CARTE = "carte"
    ANNUAIRE_EDUCATION = "annuaire_education"
    CNAF = "cnaf"
    DGFIP = "dgfip"
    POLE_EMPLOI = "pole_emploi"
    MESRI = "mesri"
    COJO = "cojo"
    REFERENTIEL = "referentiel"
    ENGAGEMENT_JURIDIQUE = "engagement_juridique"

    @property
    def holds_answer(self) -> bool:
        """False for fields with no offline answer (headers, explanations, online-only questions)."""
        return self not in (FieldType.HEADER_SECTION, FieldType.EXPLICATION) and self not in ONLINE_ONLY_TYPES

    @property
    def is_attachment(self) -> bool:
        return self is FieldType.PIECE_JUSTIFICATIVE

    @property
    def is_online_only(self) -> bool:
        """A question the platform asks that can only be answered there (a map, a register lookup)."""
        return self in ONLINE_ONLY_TYPES


#: The nine real platform types with no offline answer: listed « À faire en ligne ».
ONLINE_ONLY_TYPES = frozenset(
    {
        FieldType.CARTE,
        FieldType.ANNUAIRE_EDUCATION,
        FieldType.CNAF,
        FieldType.DGFIP,
        FieldType.POLE_EMPLOI,
        FieldType.MESRI,
        FieldType.COJO,
        FieldType.REFERENTIEL,
        FieldType.ENGAGEMENT_JURIDIQUE,
    }
)


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
        FieldType.FORMATTED,
        FieldType.DOSSIER_LINK,
        FieldType.NUMBER,
        FieldType.LINKED_DROP_DOWN_LIST,
        FieldType.RNA,
        FieldType.RNF,
        FieldType.ADDRESS,
        FieldType.COMMUNES,
        FieldType.REGIONS,
        FieldType.PAYS,
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
    """One question of a form: its type, label, help, constraints and children."""

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
    children: tuple[FieldSpec, ...] = ()
    min_rows: int | None = None
    visible_if: VisibleIf | None = None
    ds_id: str | None = None
    level: int = 2  # header_section only
    placeholder: str = ""
    unit: str = ""  # shown next to numbers, e.g. "€" or "ETP"
    row_label: str = ""  # repetition only: what one row is ("Membre", "Action")
    collapsible_text: str = ""  # explication only: the text shown when unfolded online
    file_template: str = ""  # attachment only: address of the model file the platform offers

    @property
    def is_repetition(self) -> bool:
        return self.type is FieldType.REPETITION

    def child(self, child_id: str) -> FieldSpec:
        for c in self.children:
            if c.id == child_id:
                return c
        raise KeyError(child_id)


@dataclass(frozen=True)
class Section:
    """One section of a form: a title, its help and its questions."""

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
    """Where the démarche lives on demarches-simplifiees.fr."""

    host: str = "www.demarches-simplifiees.fr"
    procedure_path: str | None = None
    procedure_number: int | None = None


@dataclass(frozen=True)
class Template:
    """A whole form (the questions of a call): sections, rules and its démarche."""

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
