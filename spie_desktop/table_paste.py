"""Rows pasted from a spreadsheet (LibreOffice Calc, Excel): the clipboard's tab-separated text or
HTML table, read into a repetition's rows, and rows copied out the same way.

Columns go to the row's questions by header (labels compared with accents and case folded), else
by position; cells are read as the widgets read typing (« 1 234,56 », « 1234,56 € », « 31/12/2023 »,
drop-down values matched to their options). What cannot be read is reported cell by cell, never
guessed. Pure functions: no Qt.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

from .formatting import (
    format_date,
    format_decimal,
    format_integer,
    parse_decimal,
    parse_french_date,
    parse_integer,
)
from .forms.types import FieldSpec, FieldType
from .search import fold_text

#: Children a pasted cell can fill (a file cannot come from a spreadsheet cell).
PASTEABLE = frozenset(
    t for t in FieldType if t.holds_answer and not t.is_attachment and t is not FieldType.REPETITION
)
_CURRENCY = re.compile(r"\s*(?:€|eur|euros?)\s*$", re.IGNORECASE)
_SHORT_DATE = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2})")
_THOUSANDS_DOTS = re.compile(r"[+-]?\d{1,3}(?:\.\d{3})+")
YES = {"oui", "o", "vrai", "x", "1", "yes", "true"}
NO = {"non", "n", "faux", "0", "no", "false"}


# -- reading the clipboard -------------------------------------------------------------------------


def parse_tsv(text: str) -> list[list[str]]:
    """Tab-separated lines; a cell in double quotes may hold tabs, line breaks and doubled quotes."""
    rows: list[list[str]] = []
    row: list[str] = []
    cell: list[str] = []
    i, n = 0, len(text)
    at_start = True
    while i < n:
        ch = text[i]
        if at_start and ch == '"':
            j = i + 1
            while j < n:
                if text[j] == '"':
                    if j + 1 < n and text[j + 1] == '"':
                        cell.append('"')
                        j += 2
                        continue
                    break
                cell.append(text[j])
                j += 1
            i = j + 1
            at_start = False
            continue
        if ch == "\t":
            row.append("".join(cell))
            cell, at_start = [], True
        elif ch in "\r\n":
            if ch == "\r" and i + 1 < n and text[i + 1] == "\n":
                i += 1
            row.append("".join(cell))
            rows.append(row)
            row, cell, at_start = [], [], True
        else:
            cell.append(ch)
            at_start = False
        i += 1
    if cell or row:
        row.append("".join(cell))
        rows.append(row)
    return [r for r in rows if any(c.strip() for c in r)]


class _TableParser(HTMLParser):
    """The first <table>'s cells as text (<br> and paragraphs as line breaks, colspan kept as empty cells)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._span = 1
        self._depth = 0
        self._done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._done:
            return
        if tag == "table":
            self._depth += 1
        elif self._depth == 1 and tag == "tr":
            self._row = []
        elif self._depth == 1 and tag in ("td", "th") and self._row is not None:
            self._cell = []
            span = dict(attrs).get("colspan") or "1"
            self._span = int(span) if span.isdigit() and 0 < int(span) < 100 else 1
        elif self._cell is not None and tag == "br":
            self._cell.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if self._done:
            return
        if tag == "table":
            self._depth -= 1
            if self._depth == 0:
                self._done = True
        elif self._depth == 1 and tag in ("td", "th") and self._row is not None and self._cell is not None:
            text = re.sub(r"[ \t\r\n]+", " ", "".join(self._cell).replace("\n", "\x00")).replace("\x00", "\n")
            self._row.append("\n".join(line.strip() for line in text.split("\n")).strip())
            self._row += [""] * (self._span - 1)
            self._cell = None
        elif self._depth == 1 and tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None
        elif self._cell is not None and tag in ("p", "div"):
            self._cell.append("\n")

    def handle_data(self, data: str) -> None:
        if self._cell is not None and not self._done:
            self._cell.append(data)


def parse_html_table(markup: str) -> list[list[str]]:
    parser = _TableParser()
    parser.feed(markup)
    parser.close()
    return [r for r in parser.rows if any(c.strip() for c in r)]


def read_clipboard(text: str | None, markup: str | None = None) -> list[list[str]]:
    """The cells of what was copied: the HTML table when there is one (it keeps cells whole), else the text."""
    if markup and "<table" in markup.lower():
        rows = parse_html_table(markup)
        if rows:
            return rows
    return parse_tsv(text or "")


# -- mapping columns -------------------------------------------------------------------------------


def pasteable_children(spec: FieldSpec) -> list[FieldSpec]:
    return [c for c in spec.children if c.type in PASTEABLE]


def _label_match(cell: str, child: FieldSpec) -> bool:
    a, b = fold_text(cell).strip(" :*"), fold_text(child.label).strip(" :*")
    if not a:
        return False
    return a == b or fold_text(child.id.replace("_", " ")) == a or (len(a) >= 4 and (a in b or b in a))


def map_columns(spec: FieldSpec, rows: list[list[str]]) -> tuple[bool, list[str | None]]:
    """(first row is a header, child id of each column or None). By header when the first row names
    at least one question (and no cell of it reads as data for its column), else by position."""
    children = pasteable_children(spec)
    width = max((len(r) for r in rows), default=0)
    if rows:
        mapping: list[str | None] = []
        used: set[str] = set()
        for cell in rows[0]:
            child = next((c for c in children if c.id not in used and _label_match(cell, c)), None)
            mapping.append(child.id if child else None)
            if child:
                used.add(child.id)
        if used:
            return True, mapping + [None] * (width - len(mapping))
    return False, [children[i].id if i < len(children) else None for i in range(width)]


# -- reading cells ---------------------------------------------------------------------------------


def read_number(text: str) -> Decimal | None:
    """« 1 234,56 », « 1234,56 € », « 12 500 », « 1.234,56 », « 1,234.56 », « 1 234 € »."""
    s = _CURRENCY.sub("", text.strip()).strip()
    s = re.sub(r"[\s\u00a0\u202f']", "", s)
    if "," in s and "." in s:
        if s.rfind(",") > s.rfind("."):
            s = s.replace(".", "")
        else:
            s = s.replace(",", "")
    elif "." in s and _THOUSANDS_DOTS.fullmatch(s):
        s = s.replace(".", "")
    return parse_decimal(s)


def read_date(text: str) -> date | None:
    d = parse_french_date(text)
    if d is not None:
        return d
    m = _SHORT_DATE.fullmatch(text.strip())
    if m:
        try:
            return date(2000 + int(m[3]), int(m[2]), int(m[1]))
        except ValueError:
            return None
    return None


def _option(child: FieldSpec, text: str) -> str | None:
    folded = fold_text(text).strip()
    for o in child.options:
        if fold_text(o) == folded:
            return o
    return None


def read_cell(child: FieldSpec, text: str) -> tuple[Any, str]:
    """(stored value, French problem or ""); an empty cell is no answer (None, "")."""
    s = text.strip()
    if not s:
        return None, ""
    t = child.type
    if t in (FieldType.DECIMAL_NUMBER, FieldType.INTEGER_NUMBER):
        n = read_number(s)
        if n is None:
            return None, f"« {s} » n'est pas un nombre."
        if t is FieldType.INTEGER_NUMBER:
            if n != n.to_integral_value():
                return None, f"« {s} » n'est pas un nombre entier."
            return parse_integer(format(n.to_integral_value(), "f")), ""
        return format(n, "f"), ""
    if t is FieldType.DATE:
        d = read_date(s)
        return (d.isoformat(), "") if d is not None else (None, f"« {s} » n'est pas une date (jj/mm/aaaa).")
    if t is FieldType.DROP_DOWN_LIST:
        o = _option(child, s)
        if o is not None:
            return o, ""
        if child.other_option:
            return s, ""
        return None, f"« {s} » n'est pas un choix possible ({', '.join(child.options)})."
    if t is FieldType.MULTIPLE_DROP_DOWN_LIST:
        chosen: list[str] = []
        bad: list[str] = []
        for part in re.split(r"[;\n]|,(?=\s)", s):
            if part.strip():
                o = _option(child, part)
                (chosen if o is not None else bad).append(o if o is not None else part.strip())
        if bad:
            return None, f"« {', '.join(bad)} » : pas parmi les choix possibles."
        return chosen, ""
    if t in (FieldType.YES_NO, FieldType.CHECKBOX):
        f = fold_text(s)
        if f in YES:
            return True, ""
        if f in NO:
            return False, ""
        return None, f"« {s} » : attendu oui ou non."
    if t is FieldType.CIVILITE:
        f = fold_text(s).rstrip(".")
        if f in ("m", "mr", "monsieur"):
            return "M.", ""
        if f in ("mme", "madame"):
            return "Mme", ""
        return None, f"« {s} » : attendu M. ou Mme."
    if t is FieldType.TEXT:
        return " ".join(s.split()), ""
    return s, ""


@dataclass(frozen=True)
class CellProblem:
    row: int  # 0-based among the pasted rows
    column: int
    message: str


@dataclass(frozen=True)
class PastePlan:
    """What a paste would add: one dict per row, the columns' questions, and what could not be read."""

    columns: tuple[str | None, ...]  # child id per column (None: ignored)
    headers: tuple[str, ...]  # the pasted header cells ("" when mapped by position)
    rows: tuple[dict[str, Any], ...]
    cells: tuple[tuple[str, ...], ...]  # the pasted text, for the preview
    problems: tuple[CellProblem, ...] = field(default=())
    header_row: bool = False

    def problems_at(self, row: int) -> list[CellProblem]:
        return [p for p in self.problems if p.row == row]


def plan_paste(spec: FieldSpec, rows: list[list[str]], columns: list[str | None] | None = None) -> PastePlan:
    """Read ``rows`` (cells as text) into values of ``spec``'s children; ``columns`` overrides the mapping."""
    header_row, mapping = map_columns(spec, rows)
    headers = tuple(rows[0]) if header_row and rows else ()
    data = rows[1:] if header_row else rows
    if columns is not None:
        mapping = list(columns)
    children = {c.id: c for c in spec.children}
    out: list[dict[str, Any]] = []
    problems: list[CellProblem] = []
    for i, cells in enumerate(data):
        values: dict[str, Any] = {}
        for j, text in enumerate(cells):
            child_id = mapping[j] if j < len(mapping) else None
            if child_id is None or child_id not in children:
                continue
            value, problem = read_cell(children[child_id], text)
            if problem:
                problems.append(CellProblem(i, j, problem))
            elif value is not None:
                values[child_id] = value
        out.append(values)
    return PastePlan(
        tuple(mapping), headers, tuple(out), tuple(tuple(r) for r in data), tuple(problems), header_row
    )


# -- copying out -----------------------------------------------------------------------------------


def cell_text(child: FieldSpec, value: Any) -> str:
    """A value as a French spreadsheet reads it back (« 1234,56 », « 31/12/2023 », « Oui »)."""
    if value is None:
        return ""
    t = child.type
    if t is FieldType.DECIMAL_NUMBER:
        return format_decimal(value).replace("\u00a0", "")
    if t is FieldType.INTEGER_NUMBER:
        return format_integer(value).replace("\u00a0", "")
    if t is FieldType.DATE:
        return format_date(value)
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def rows_as_table(spec: FieldSpec, rows: list[dict[str, Any]]) -> tuple[str, str]:
    """(TSV, HTML) of rows with a header of the questions, for the clipboard."""
    children = pasteable_children(spec)
    table = [[c.label for c in children]] + [[cell_text(c, r.get(c.id)) for c in children] for r in rows]

    def tsv_cell(s: str) -> str:
        return '"' + s.replace('"', '""') + '"' if any(ch in s for ch in '\t\n\r"') else s

    tsv = "".join("\t".join(tsv_cell(c) for c in line) + "\n" for line in table)
    body = "".join(
        "<tr>" + "".join(f"<{tag}>{html.escape(c).replace(chr(10), '<br>')}</{tag}>" for c in line) + "</tr>"
        for tag, line in (("th" if i == 0 else "td", line) for i, line in enumerate(table))
    )
    return tsv, f"<table>{body}</table>"
