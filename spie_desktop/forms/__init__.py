"""Form templates: data files describing the call's form, loaded into immutable values."""

from .conditions import is_visible
from .loader import TemplateError, load_template_file, parse_template
from .paths import ROW_KEY, FieldPath, new_row_id
from .types import FieldSpec, FieldType, Platform, Rule, Section, Template, VisibleIf

__all__ = [
    "ROW_KEY",
    "FieldPath",
    "FieldSpec",
    "FieldType",
    "Platform",
    "Rule",
    "Section",
    "Template",
    "TemplateError",
    "VisibleIf",
    "is_visible",
    "load_template_file",
    "new_row_id",
    "parse_template",
]
