"""Answers as text: the shared walk over visible fields, the ``.txt``/``.md`` copy, and paste items.

The walk and the French rendering of values live here because the PDF, the text copy and the
wizard's *Dépôt en ligne* view must show exactly the same thing for every answer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from ..atomic import atomic_write_text
from ..formatting import format_datetime, format_size, parse_decimal, parse_integer, utf8_length
from ..forms import FieldSpec, FieldType, Section, Template, is_visible
from ..forms.paths import ROW_KEY
from ..presentation import character_count, display_value
from ..snapshot import AttachmentInfo, DossierSnapshot
from ..totals import (  # noqa: F401 - re-exported: the exports' names for them
    Totals,
    grouping_child,
    is_blank,
    numeric_children,
    repetition_totals,
)

NOT_ANSWERED = "Non renseigné"
NO_ANSWER = "—"


# -- the walk ----------------------------------------------------------------------------------


def visible_fields(snapshot: DossierSnapshot, section: Section) -> list[FieldSpec]:
    """The section's fields shown with the current answers (headers and explanations included)."""
    return [f for f in section.fields if is_visible(f, snapshot.answers)]


def row_children(spec: FieldSpec, snapshot: DossierSnapshot, row: Mapping[str, Any]) -> list[FieldSpec]:
    return [c for c in spec.children if c.type.holds_answer and is_visible(c, snapshot.answers, row)]


def table_children(spec: FieldSpec, snapshot: DossierSnapshot) -> list[FieldSpec]:
    """Columns of a repetition: children visible in at least one row (all of them when empty)."""
    rows = snapshot.rows(spec.id)
    kids = [c for c in spec.children if c.type.holds_answer]
    if not rows:
        return [c for c in kids if c.visible_if is None]
    return [c for c in kids if any(is_visible(c, snapshot.answers, r) for r in rows)]


def child_path(spec: FieldSpec, row: Mapping[str, Any], child: FieldSpec) -> str:
    return f"{spec.id}[{row.get(ROW_KEY, '')}].{child.id}"


def is_answered(spec: FieldSpec, value: Any, attachments: list[AttachmentInfo] | tuple = ()) -> bool:
    """Answered the way the platform sees it: a file for an attachment, a ticked box if required."""
    if spec.type.is_attachment:
        return bool(attachments)
    if spec.type is FieldType.CHECKBOX and spec.required:
        return value is True
    return not is_blank(value)


def attachment_line(a: AttachmentInfo, *, sha: bool = False) -> str:
    line = f"{a.name} ({format_size(a.size)})"
    return f"{line}, SHA-256 {a.sha256[:12]}…" if sha and a.sha256 else line


def answer_text(snapshot: DossierSnapshot, spec: FieldSpec, value: Any, path: str) -> str | None:
    """What to show for one field, or None when it is not answered."""
    attachments = snapshot.attachments_at(path) if spec.type.is_attachment else []
    if not is_answered(spec, value, attachments):
        return None
    if spec.type.is_attachment:
        return "\n".join(attachment_line(a) for a in attachments)
    return display_value(spec, value)


def count_label(text: str, limit: int | None) -> str:
    """ "523 / 2 000 caractères (comptés comme la plateforme)": UTF-8 bytes, like the platform."""
    return character_count(text, limit).text(how_counted=True)


def demarche_url(template: Template) -> str | None:
    """The démarche's start page on the platform, when the template knows it."""
    from ..platform_hosts import HostNotAllowed, platform_base

    p = template.platform
    if not p.procedure_path:
        return None
    try:
        return f"{platform_base(p.host)}/commencer/{p.procedure_path}"
    except HostNotAllowed:
        return None  # never a link to a host outside the allow-list


def applicant_name(snapshot: DossierSnapshot) -> str:
    """The applicant's name: the field named by parameter ``applicant_field``, else a name field of
    the section about the porteur, else the first text field there."""
    answers = snapshot.answers
    named = snapshot.template.parameter("applicant_field")
    if isinstance(named, str) and not is_blank(answers.get(named)):
        return str(answers[named])
    for s in snapshot.template.sections:
        if "porteur" not in f"{s.id} {s.title}".lower():
            continue
        texts = [f for f in s.fields if f.type is FieldType.TEXT]
        preferred = [
            f for f in texts if re.search(r"nom|d[ée]nomination|raison|structure", f"{f.id} {f.label}", re.I)
        ]
        for f in preferred + texts:
            if not is_blank(answers.get(f.id)):
                return str(answers[f.id])
    return ""


def territory(snapshot: DossierSnapshot) -> str:
    """Département(s) and EPCI answered, or the field named by parameter ``territory_field``."""
    answers = snapshot.answers
    named = snapshot.template.parameter("territory_field")
    if isinstance(named, str) and not is_blank(answers.get(named)):
        return str(answers[named])
    found: dict[FieldType, list[str]] = {FieldType.DEPARTEMENTS: [], FieldType.EPCI: []}
    for _, f in snapshot.template.iter_fields():
        if f.type in found and not is_blank(answers.get(f.id)):
            v = answers[f.id]
            found[f.type] += [str(x) for x in v] if isinstance(v, list) else [str(v)]
        for c in f.children if f.is_repetition else ():
            if c.type in found:
                found[c.type] += [str(r[c.id]) for r in snapshot.rows(f.id) if not is_blank(r.get(c.id))]
    deps, epcis = (list(dict.fromkeys(found[t])) for t in (FieldType.DEPARTEMENTS, FieldType.EPCI))
    parts = []
    if deps:
        parts.append(("Département " if len(deps) == 1 else "Départements ") + ", ".join(deps))
    if epcis:
        parts.append("EPCI : " + ", ".join(epcis))
    return " ; ".join(parts)


# -- text and Markdown copy --------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|&~])")
_MD_LINE_START = re.compile(r"^(\s*)([-+=]|\d+\.)", re.M)


def _md_escape(text: str) -> str:
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return _MD_LINE_START.sub(
        lambda m: m[1] + "\\" + m[2] if m[2][0] in "-+=" else m[1] + m[2][:-1] + "\\.", text
    )


class _Writer:
    def __init__(self, md: bool) -> None:
        self.md = md
        self.lines: list[str] = []

    def title(self, text: str, level: int) -> None:
        if self.md:
            self.lines += [f"{'#' * level} {_md_escape(text)}", ""]
        else:
            bar = {1: "=", 2: "=", 3: "-"}.get(level, "-")
            self.lines += [text, bar * min(len(text), 78), ""] if level <= 3 else [text, ""]

    def label(self, text: str, indent: int = 0) -> None:
        if self.md:
            self.lines.append(("- " if indent >= 2 else "") + f"**{_md_escape(text)}**")
        else:
            self.lines.append(("  " * indent) + text)

    def body(self, text: str, indent: int = 0) -> None:
        if not self.md:
            self.lines += [("  " * indent + ln) if ln.strip() else "" for ln in text.split("\n")]
            return
        # Markdown: rows are lists (indentation would make code blocks); line breaks are hard breaks
        lines = _md_escape(text).split("\n")
        lines = [
            ln + "\\" if i + 1 < len(lines) and ln and lines[i + 1] else ln for i, ln in enumerate(lines)
        ]
        first, rest = ("- ", "  ") if indent == 2 else ("  ", "  ") if indent >= 3 else ("", "")
        self.lines += [(first if i == 0 else rest) + ln if ln else "" for i, ln in enumerate(lines)]

    def note(self, text: str, indent: int = 0) -> None:
        if self.md:
            self.lines.append(("  " if indent >= 3 else "") + f"*{_md_escape(text)}*")
        else:
            self.lines.append("  " * indent + f"[{text}]")

    def blank(self) -> None:
        if self.lines and self.lines[-1] != "":
            self.lines.append("")


def export_text(snapshot: DossierSnapshot, fmt: str = "txt", *, now: datetime | None = None) -> str:
    """The dossier in the online form's order, for filing by copy and paste (``fmt``: txt or md)."""
    if fmt not in ("txt", "md"):
        raise ValueError(f"format inconnu « {fmt} » (txt ou md)")
    md = fmt == "md"
    w = _Writer(md)
    t = snapshot.template
    w.title(snapshot.info.title or t.title, 1)
    w.body(t.title)
    when = format_datetime((now or datetime.now(UTC)).isoformat())
    w.body(f"Copie texte exportée le {when}, dans l'ordre du formulaire en ligne.")
    url = demarche_url(t)
    if url:
        w.body(f"Démarche : {url}")
    w.blank()
    for section in t.sections:
        w.title(section.title, 2)
        for spec in visible_fields(snapshot, section):
            _text_field(w, snapshot, spec)
    files = attachments_to_upload(snapshot)
    w.title("Pièces jointes à déposer en ligne", 2)
    if not files:
        w.body("Aucune pièce jointe enregistrée dans le dossier.")
    for label, a in files:
        line = f"{label} : {attachment_line(a, sha=True)}"
        w.lines.append(f"- {_md_escape(line)}" if md else f"- {line}")
    w.blank()
    lines = _md_hard_breaks(w.lines) if md else w.lines
    return "\n".join(lines).rstrip("\n") + "\n"


def _md_hard_breaks(lines: list[str]) -> list[str]:
    """Consecutive lines stay separate lines in rendered Markdown (a trailing backslash)."""
    out = list(lines)
    for i in range(len(out) - 1):
        cur, nxt = out[i], out[i + 1]
        if cur and nxt and not cur.startswith("#") and not nxt.startswith("- ") and not cur.endswith("\\"):
            out[i] = cur + "\\"
    return out


ONLINE_ONLY = "À remplir en ligne, sur la plateforme (cette question ne se prépare pas hors ligne)"


def _text_field(w: _Writer, snapshot: DossierSnapshot, spec: FieldSpec) -> None:
    if spec.type is FieldType.HEADER_SECTION:
        w.title(spec.label, 3)
        return
    if spec.type is FieldType.EXPLICATION:
        w.note(
            spec.label
            + (f" — {spec.description}" if spec.description else "")
            + (f" — {spec.collapsible_text}" if spec.collapsible_text else "")
        )
        w.blank()
        return
    w.label(spec.label + (" *" if spec.required else ""))
    if spec.type.is_online_only:
        w.body(ONLINE_ONLY)
        w.blank()
        return
    if spec.is_repetition:
        rows = snapshot.rows(spec.id)
        if not rows:
            w.body(NOT_ANSWERED if spec.required else NO_ANSWER)
        for i, row in enumerate(rows, 1):
            w.blank()
            w.label(f"{spec.row_label or 'Ligne'} {i}", 1)
            for child in row_children(spec, snapshot, row):
                text = answer_text(snapshot, child, row.get(child.id), child_path(spec, row, child))
                if text is None:
                    text = NOT_ANSWERED if child.required else NO_ANSWER
                if "\n" in text or child.type is FieldType.TEXTAREA:
                    w.label(f"{child.label} :", 2)
                    w.body(text, 3)
                    value = row.get(child.id)
                    if child.type is FieldType.TEXTAREA and isinstance(value, str) and value.strip():
                        w.note(count_label(value, child.character_limit), 3)
                else:
                    w.body(f"{child.label} : {text}", 2)
        for tot in repetition_totals(snapshot, spec):
            if not rows:
                break
            w.blank()
            for group, amount in tot.groups:
                w.body(f"Total {tot.child.label} — {group} : {amount}", 1)
            w.body(f"Total {tot.child.label} : {tot.overall}", 1)
        w.blank()
        return
    value = snapshot.answers.get(spec.id)
    text = answer_text(snapshot, spec, value, spec.id)
    if text is None:
        w.body(NOT_ANSWERED if spec.required else NO_ANSWER)
    else:
        w.body(text)
        if spec.type is FieldType.TEXTAREA:
            w.note(count_label(str(value), spec.character_limit))
    w.blank()


def write_text(
    snapshot: DossierSnapshot, out_path: str | Path, fmt: str = "txt", *, now: datetime | None = None
) -> None:
    atomic_write_text(out_path, export_text(snapshot, fmt, now=now))


def attachments_to_upload(snapshot: DossierSnapshot) -> list[tuple[str, AttachmentInfo]]:
    """(question label, file) for every file of a visible attachment field, in form order."""
    out = []
    for section in snapshot.template.sections:
        for spec in visible_fields(snapshot, section):
            if spec.type.is_attachment:
                out += [(spec.label, a) for a in snapshot.attachments_at(spec.id)]
            elif spec.is_repetition:
                for i, row in enumerate(snapshot.rows(spec.id), 1):
                    for child in row_children(spec, snapshot, row):
                        if child.type.is_attachment:
                            label = f"{spec.label}, {(spec.row_label or 'ligne').lower()} {i} — {child.label}"
                            out += [(label, a) for a in snapshot.attachments_at(child_path(spec, row, child))]
    return out


# -- paste items for the "Dépôt en ligne" view -------------------------------------------------


class PasteKind(StrEnum):
    TEXT = "texte"  # paste into a text box
    NUMBER = "nombre"  # paste into a number box (plain digits, decimal comma)
    DATE = "date"  # type the date (dd/mm/yyyy) into the date box
    CHOICE = "choix"  # pick the option(s) online; the text says which
    ATTACHMENT = "piece_jointe"  # upload the file(s) by hand
    ROW = "ligne"  # press "Ajouter un élément" in a repetition before its children


@dataclass(frozen=True)
class PasteItem:
    """One step of filing online: what to paste (or pick, or upload) for one visible field."""

    section_id: str
    section_title: str
    path: str  # stored field path (row id inside repetitions): a stable key for "copied" marks
    label: str  # the question, with "ligne N" inside repetitions
    text: str  # what goes to the clipboard; "" when there is nothing to paste
    kind: PasteKind
    required: bool = False
    answered: bool = True
    char_count: int | None = None  # UTF-8 bytes, textareas only
    char_limit: int | None = None
    attachments: tuple[AttachmentInfo, ...] = ()
    row_index: int | None = None  # 0-based, inside repetitions

    @property
    def is_attachment(self) -> bool:
        return self.kind is PasteKind.ATTACHMENT

    @property
    def over_limit(self) -> bool:
        return (
            self.char_limit is not None and self.char_count is not None and self.char_count > self.char_limit
        )


_KINDS = {
    FieldType.INTEGER_NUMBER: PasteKind.NUMBER,
    FieldType.DECIMAL_NUMBER: PasteKind.NUMBER,
    FieldType.DATE: PasteKind.DATE,
    FieldType.DATETIME: PasteKind.DATE,
    FieldType.YES_NO: PasteKind.CHOICE,
    FieldType.CHECKBOX: PasteKind.CHOICE,
    FieldType.DROP_DOWN_LIST: PasteKind.CHOICE,
    FieldType.MULTIPLE_DROP_DOWN_LIST: PasteKind.CHOICE,
    FieldType.CIVILITE: PasteKind.CHOICE,
    FieldType.DEPARTEMENTS: PasteKind.CHOICE,
    FieldType.EPCI: PasteKind.CHOICE,
    FieldType.PIECE_JUSTIFICATIVE: PasteKind.ATTACHMENT,
    FieldType.COMMUNES: PasteKind.CHOICE,
    FieldType.REGIONS: PasteKind.CHOICE,
    FieldType.PAYS: PasteKind.CHOICE,
}


def paste_text(spec: FieldSpec, value: Any) -> str:
    """The answer as one types it online: no thousands separators, decimal comma, dd/mm/yyyy."""
    if is_blank(value) and not isinstance(value, bool):
        return ""
    t = spec.type
    if t is FieldType.INTEGER_NUMBER:
        n = parse_integer(value)
        return str(n) if n is not None else str(value)
    if t is FieldType.DECIMAL_NUMBER:
        d = parse_decimal(value)
        return format(d, "f").replace(".", ",") if d is not None else str(value)
    if t is FieldType.MULTIPLE_DROP_DOWN_LIST and isinstance(value, list):
        return "\n".join(map(str, value))
    if t is FieldType.DATETIME and isinstance(value, str):
        return format_datetime(value).replace(" à ", " ")
    from .place_text import place_text

    place = place_text(spec, value, for_paste=True)
    return place if place is not None else display_value(spec, value)


def _item(
    snapshot: DossierSnapshot,
    section: Section,
    spec: FieldSpec,
    value: Any,
    path: str,
    label: str,
    row_index: int | None,
) -> PasteItem:
    files = tuple(snapshot.attachments_at(path)) if spec.type.is_attachment else ()
    text = "\n".join(a.name for a in files) if files else paste_text(spec, value)
    count = utf8_length(text) if spec.type is FieldType.TEXTAREA else None
    return PasteItem(
        section_id=section.id,
        section_title=section.title,
        path=path,
        label=label,
        text=text,
        kind=_KINDS.get(spec.type, PasteKind.TEXT),
        required=spec.required,
        answered=is_answered(spec, value, files),
        char_count=count,
        char_limit=spec.character_limit if spec.type is FieldType.TEXTAREA else None,
        attachments=files,
        row_index=row_index,
    )


def paste_items(snapshot: DossierSnapshot) -> list[PasteItem]:
    """Every visible answer field in the online form's order, ready for a *Copier* button each."""
    items: list[PasteItem] = []
    for section in snapshot.template.sections:
        for spec in visible_fields(snapshot, section):
            if not spec.type.holds_answer:
                continue
            if not spec.is_repetition:
                items.append(
                    _item(snapshot, section, spec, snapshot.answers.get(spec.id), spec.id, spec.label, None)
                )
                continue
            noun = spec.row_label or "Ligne"
            for i, row in enumerate(snapshot.rows(spec.id)):
                row_path = f"{spec.id}[{row.get(ROW_KEY, '')}]"
                items.append(
                    PasteItem(
                        section_id=section.id,
                        section_title=section.title,
                        path=row_path,
                        label=f"{spec.label} — ajouter « {noun} {i + 1} »",
                        text="",
                        kind=PasteKind.ROW,
                        required=spec.required,
                        row_index=i,
                    )
                )
                for child in row_children(spec, snapshot, row):
                    items.append(
                        _item(
                            snapshot,
                            section,
                            child,
                            row.get(child.id),
                            child_path(spec, row, child),
                            f"{spec.label}, {noun.lower()} {i + 1} — {child.label}",
                            i,
                        )
                    )
    return items
