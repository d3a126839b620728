"""How big a template may be: bounds that keep any admitted template quick to open, check and export.

A template can come from a received ``.spie`` (embedded), so its size is untrusted input. The bounds
are ten to a hundred times what the call's real forms use (12 sections, 19 fields per section,
102 fields, 13 rules, 21 options, texts under 600 characters) and keep the window's one-section
build, the completeness check and the exports around a second at worst
(``benchmarks/bench_template_size.py``). The walk runs on the raw JSON, before parsing, and
names the JSON path at fault.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

MAX_SECTIONS = 100
MAX_FIELDS_PER_SECTION = 150  # the window builds one section at a time
MAX_CHILDREN = 50  # fields of one repetition row
MAX_FIELDS = 500  # in the whole template, repetition children included (the PDF costs ~3 ms a field)
MAX_OPTIONS = 500  # of one drop-down list
MAX_RULES = 100
MAX_RULE_VALUES = 500  # items of any list inside one rule (rows_include values, where.in, dates)
MAX_RULE_VALUES_TOTAL = 1_000  # the same, over all rules: a date reference costs one pass over its rows
MAX_PARAMETERS = 200
MAX_LABEL = 1_000  # a title, a label, an option, an identifier: characters
MAX_TEXT = 20_000  # a description, a rule message, any other text: characters

_SHORT_KEYS = frozenset(
    {
        "id",
        "title",
        "label",
        "type",
        "kind",
        "child",
        "field",
        "ds_id",
        "unit",
        "row_label",
        "placeholder",
        "severity",
        "host",
        "procedure_path",
        "version",
        "format",
    }
)

Fail = Callable[[str, str], Exception]


def check_template_size(data: dict, fail: Fail) -> None:
    """Raise ``fail(path, French message)`` for the first bound a raw template breaks."""
    _check_texts(data, "$", fail)
    sections = data.get("sections")
    if isinstance(sections, list):
        _at_most(sections, MAX_SECTIONS, "$.sections", "sections", fail)
        total = 0
        for i, section in enumerate(sections):
            fields = section.get("fields") if isinstance(section, dict) else None
            if not isinstance(fields, list):
                continue
            path = f"$.sections[{i}].fields"
            _at_most(fields, MAX_FIELDS_PER_SECTION, path, "champs dans une section", fail)
            for j, f in enumerate(fields):
                if not isinstance(f, dict):
                    continue
                total += 1
                total += _check_field(f, f"{path}[{j}]", fail)
                if total > MAX_FIELDS:
                    raise fail(f"{path}[{j}]", f"le modèle a plus de {MAX_FIELDS} champs (limite de taille)")
    params = data.get("parameters")
    if isinstance(params, dict) and len(params) > MAX_PARAMETERS:
        raise fail("$.parameters", f"plus de {MAX_PARAMETERS} paramètres (limite de taille)")
    rules = data.get("rules")
    if isinstance(rules, list):
        _at_most(rules, MAX_RULES, "$.rules", "règles", fail)
        total_values = 0
        for i, rule in enumerate(rules):
            total_values += _check_rule_lists(rule, f"$.rules[{i}]", fail)
            if total_values > MAX_RULE_VALUES_TOTAL:
                raise fail(
                    f"$.rules[{i}]",
                    f"les règles comptent plus de {MAX_RULE_VALUES_TOTAL} valeurs "
                    "en tout (limite de taille du modèle)",
                )


def _check_field(f: dict, path: str, fail: Fail) -> int:
    """Bounds of one field; returns its number of children."""
    options = f.get("options")
    if isinstance(options, list):
        _at_most(options, MAX_OPTIONS, f"{path}.options", "options", fail)
    children = f.get("children")
    if not isinstance(children, list):
        return 0
    _at_most(children, MAX_CHILDREN, f"{path}.children", "champs dans une répétition", fail)
    for k, child in enumerate(children):
        if isinstance(child, dict) and isinstance(child.get("options"), list):
            _at_most(child["options"], MAX_OPTIONS, f"{path}.children[{k}].options", "options", fail)
    return len(children)


def _check_rule_lists(node: Any, path: str, fail: Fail) -> int:
    """Every list inside a rule is short: a rule's cost is its values times the rows, by construction.

    Returns the number of list items in the rule."""
    count = 0
    stack = [(node, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, list):
            _at_most(item, MAX_RULE_VALUES, where, "valeurs dans une règle", fail)
            count += len(item)
            stack.extend((v, f"{where}[{i}]") for i, v in enumerate(item) if isinstance(v, (dict, list)))
        elif isinstance(item, dict):
            stack.extend((v, f"{where}.{k}") for k, v in item.items() if isinstance(v, (dict, list)))
    return count


def _check_texts(node: Any, path: str, fail: Fail) -> None:
    """No text longer than its bound, anywhere (iterative: the JSON reader already bounds the depth)."""
    stack: list[tuple[Any, str, int]] = [(node, path, MAX_TEXT)]
    while stack:
        item, where, limit = stack.pop()
        if isinstance(item, str):
            if len(item) > limit:
                raise fail(where, f"texte trop long ({len(item)} caractères, au plus {limit})")
        elif isinstance(item, dict):
            for k, v in item.items():
                if len(k) > MAX_LABEL:
                    raise fail(where, f"nom de clé trop long ({len(k)} caractères)")
                stack.append((v, f"{where}.{k}", MAX_LABEL if k in _SHORT_KEYS else MAX_TEXT))
        elif isinstance(item, list):
            short = where.endswith(".options") or where.endswith(".values")
            stack.extend((v, f"{where}[{i}]", MAX_LABEL if short else MAX_TEXT) for i, v in enumerate(item))


def _at_most(items: list, limit: int, path: str, what: str, fail: Fail) -> None:
    if len(items) > limit:
        raise fail(path, f"{len(items)} {what}, au plus {limit} (limite de taille du modèle)")
