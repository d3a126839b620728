"""The checked form as the engine and the rules see it: each field's plan (spec, section, rows), the
template's plan, one row of a repetition, and the context of one check (snapshot, visibility, values).

A leaf of checks/: the engine (engine.py) runs the check with it, the cross-field rules
(cross_rules.py) read values through it; it imports neither (the rules are compiled by the function
the engine hands to :class:`TemplatePlan`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from ..forms.conditions import is_visible
from ..forms.paths import ROW_KEY
from ..forms.types import FieldSpec, FieldType, Rule, Section, Template
from ..snapshot import AttachmentInfo, DossierSnapshot
from .field_rules import FieldCheck, Finding
from .report import Problem, Severity

_ROW_ID = re.compile(r"^[A-Za-z0-9_-]+$")


class FieldPlan:
    """A field with its prepared check, its section and (for a repetition) its children's plans."""

    __slots__ = (
        "check",
        "child_index",
        "children",
        "counts_as_required",
        "id",
        "is_attachment",
        "is_repetition",
        "section_id",
        "spec",
    )

    def __init__(self, spec: FieldSpec, section_id: str, template: Template) -> None:
        self.spec = spec
        self.id = spec.id
        self.section_id = section_id
        self.check = FieldCheck(spec, template.parameters)
        self.is_attachment = spec.type is FieldType.PIECE_JUSTIFICATIVE
        self.is_repetition = spec.type is FieldType.REPETITION
        self.children = tuple(
            FieldPlan(c, section_id, template) for c in spec.children if c.type.holds_answer
        )
        self.child_index = {c.id: c for c in self.children}
        self.counts_as_required = spec.required or (self.is_repetition and bool(spec.min_rows))


class SectionPlan:
    __slots__ = ("fields", "id", "section")

    def __init__(self, section: Section, template: Template) -> None:
        self.section = section
        self.id = section.id
        self.fields = tuple(FieldPlan(f, section.id, template) for f in section.fields if f.type.holds_answer)


class TemplatePlan:
    """What checking needs from a template, computed once per template object."""

    def __init__(self, template: Template, compile_rule: Callable[[Rule, TemplatePlan], Any]) -> None:
        """``compile_rule`` turns one of the template's cross-field rules into its checker
        (:func:`.cross_rules.compile_rule`, handed by the engine: the rules read this module)."""
        self.template = template
        self.sections = tuple(SectionPlan(s, template) for s in template.sections)
        self.fields: dict[str, FieldPlan] = {f.id: f for s in self.sections for f in s.fields}
        self.field_order = {f.id: i for i, f in enumerate(self.fields.values())}
        self.child_order = {(f.id, c.id): i for f in self.fields.values() for i, c in enumerate(f.children)}
        self.rules = tuple(compile_rule(r, self) for r in template.rules)
        # a date already outside its own field's range is not reported again by a dates rule
        self.date_rule_ids = frozenset(r.id for r in template.rules if r.kind == "dates_within")


class Row:
    """One repetition row as seen by the checks: its position, stable id and values."""

    __slots__ = ("field", "id", "index", "rep", "values")

    def __init__(self, rep: FieldPlan, index: int, values: Mapping[str, Any]) -> None:
        self.rep = rep
        self.field = rep.id
        self.index = index
        row_id = values.get(ROW_KEY)
        self.id = row_id if isinstance(row_id, str) and _ROW_ID.match(row_id) else str(index)
        self.values = values

    @property
    def location(self) -> str:
        """Where the row is, in French ("Membre 3"): only needed when a problem is reported."""
        label, index = self.rep.spec.row_label, self.index
        return (
            f"{label} {index + 1}" if label else f"Ligne {index + 1} de «\u00a0{self.rep.spec.label}\u00a0»"
        )

    def path(self, child: str) -> str:
        return f"{self.field}[{self.id}].{child}"

    def display_path(self, child: str) -> str:
        return f"{self.field}[{self.index}].{child}"


class CheckContext:
    """One check run: the answers, attachments by path, today's date, and helpers for rules."""

    def __init__(self, plan: TemplatePlan, snapshot: DossierSnapshot, today: date) -> None:
        self.plan = plan
        answers = snapshot.answers
        self.answers: Mapping[str, Any] = answers if isinstance(answers, Mapping) else {}
        self.parameters: Mapping[str, Any] = plan.template.parameters
        self.today = today
        self.attachments: dict[str, list[AttachmentInfo]] = {}
        for a in snapshot.attachments or ():
            self.attachments.setdefault(a.path, []).append(a)
        self._rows: dict[str, list[Row]] = {}
        self._visible: dict[str, bool] = {}

    def visible(self, fp: FieldPlan, row: Row | None = None) -> bool:
        spec = fp.spec
        if spec.visible_if is None:
            return True
        if row is not None:
            return is_visible(spec, self.answers, row.values)
        cached = self._visible.get(fp.id)
        if cached is None:
            cached = self._visible[fp.id] = is_visible(spec, self.answers)
        return cached

    def rows(self, rep: FieldPlan) -> list[Row]:
        rows = self._rows.get(rep.id)
        if rows is None:
            raw = self.answers.get(rep.id)
            rows = []
            if isinstance(raw, list):
                rows = [Row(rep, i, r) for i, r in enumerate(raw) if isinstance(r, Mapping)]
            self._rows[rep.id] = rows
        return rows

    def value(self, fp: FieldPlan, row: Row | None = None) -> Any:
        return self.answers.get(fp.id) if row is None else row.values.get(fp.id)

    def answered(self, fp: FieldPlan, row: Row | None = None) -> bool:
        """Whether a field holds an answer (rows for a repetition, a file for an attachment)."""
        if fp.is_attachment:
            return bool(self.attachments.get(fp.id if row is None else row.path(fp.id)))
        if fp.is_repetition:
            return bool(self.rows(fp))
        return fp.check.answered(self.value(fp, row))

    def problem(
        self,
        fp: FieldPlan | None,
        row: Row | None,
        severity: Severity,
        rule_id: str,
        message: str,
        *,
        missing: bool = False,
        section_id: str | None = None,
    ) -> Problem:
        if fp is None:
            return Problem(severity, section_id or "", "", "", "", message, rule_id, None, missing)
        if row is None:
            path = display = fp.id
            index = None
            location = ""
        else:
            path, display, index, location = row.path(fp.id), row.display_path(fp.id), row.index, row.location
        return Problem(
            severity,
            section_id or fp.section_id,
            path,
            display,
            fp.spec.label,
            message,
            rule_id,
            index,
            missing,
            location,
        )

    def from_finding(self, fp: FieldPlan, row: Row | None, f: Finding) -> Problem:
        return self.problem(fp, row, f.severity, f.rule_id, f.message, missing=f.missing)
