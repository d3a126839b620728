"""Repetitions in the review copy: tables with totals when they fit, one card or block per row otherwise."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, Spacer

from ..forms import FieldSpec, FieldType, is_visible
from .pdf_grid import Grid, GridRow, GridStyle
from .pdf_plain import para
from .pdf_style import (
    ACCENT,
    FONT,
    FONT_BOLD,
    INK,
    REQUIRED_MARK,
    RULE,
    TOTAL_BG,
    ZEBRA,
    Para,
    capped,
    clean,
    markup,
    paragraphs,
    plain_lines,
)
from .text import (
    NOT_ANSWERED,
    answer_text,
    child_path,
    count_label,
    is_answered,
    repetition_totals,
    row_children,
    table_children,
)

#: Narrowest sensible column per type, in characters of typical content.
_MIN_CHARS = {
    FieldType.TEXTAREA: 24,
    FieldType.TEXT: 10,
    FieldType.EMAIL: 16,
    FieldType.PIECE_JUSTIFICATIVE: 14,
    FieldType.MULTIPLE_DROP_DOWN_LIST: 12,
    FieldType.DROP_DOWN_LIST: 6,
    FieldType.IBAN: 20,
    FieldType.SIRET: 14,
    FieldType.EPCI: 10,
    FieldType.DECIMAL_NUMBER: 12,
    FieldType.PHONE: 12,
    FieldType.DATETIME: 16,
    FieldType.DATE: 10,
    FieldType.INTEGER_NUMBER: 7,
    FieldType.DEPARTEMENTS: 4,
    FieldType.YES_NO: 4,
    FieldType.CHECKBOX: 4,
    FieldType.CIVILITE: 4,
}
_NUMERIC = (FieldType.DECIMAL_NUMBER, FieldType.INTEGER_NUMBER)
#: Cells that read badly when wrapped: sized to fit on one line.
_RIGID = frozenset(
    {
        *_NUMERIC,
        FieldType.DATE,
        FieldType.DATETIME,
        FieldType.YES_NO,
        FieldType.CHECKBOX,
        FieldType.DEPARTEMENTS,
        FieldType.CIVILITE,
        FieldType.SIRET,
    }
)
TABLE_MAX_COLUMNS = 6
RIGID_MAX_CHARS = 24  # longer (invalid) values in rigid columns wrap like any text
TABLE_MAX_CELL = 350  # characters; longer answers make one block per row instead of a squeezed table

if TYPE_CHECKING:
    from reportlab.lib.styles import ParagraphStyle

    from ..snapshot import CommentInfo, DossierSnapshot


class RepetitionHost(Protocol):
    """What the story builder (pdf_story.StoryBuilder) gives the repetition renderer."""

    s: DossierSnapshot
    st: dict[str, ParagraphStyle]
    width: float
    include_comments: bool

    def tick(self) -> None: ...
    def answer(self, spec: FieldSpec, value: Any, path: str, *, indent: bool) -> list[Flowable]: ...
    def notes_for(self, path: str) -> list[Flowable]: ...
    def comment(self, c: CommentInfo) -> Para: ...


class RepetitionRenderer:
    """Repetitions as tables or cards, a part of the story builder (composition, not a mixin): it
    reads the snapshot, styles and width through the builder it is given."""

    def __init__(self, host: RepetitionHost) -> None:
        self.host = host
        self._texts: dict = {}

    @property
    def s(self) -> DossierSnapshot:
        return self.host.s

    @property
    def st(self) -> dict[str, ParagraphStyle]:
        return self.host.st

    @property
    def width(self) -> float:
        return self.host.width

    @property
    def include_comments(self) -> bool:
        return self.host.include_comments

    def tick(self) -> None:
        self.host.tick()

    def answer(self, spec: FieldSpec, value: Any, path: str, *, indent: bool) -> list[Flowable]:
        return self.host.answer(spec, value, path, indent=indent)

    def notes_for(self, path: str) -> list[Flowable]:
        return self.host.notes_for(path)

    def comment(self, c: CommentInfo) -> Para:
        return self.host.comment(c)

    # -- repetitions ---------------------------------------------------------------------------

    def repetition(self, spec: FieldSpec) -> list[Flowable]:
        rows = self.s.rows(spec.id)
        if not rows:
            return [
                para(
                    NOT_ANSWERED if spec.required else "Aucune ligne.",
                    self.st["missing" if spec.required else "empty"],
                )
            ]
        cols = table_children(spec, self.s)
        if not self.fits_table(spec, rows, cols):
            return self.blocks(spec, rows) + self.totals(spec)  # blocks print each cell's comments
        out = self.table(spec, rows, cols)  # totals inside the table
        for c in self.s.comments if self.include_comments else ():
            if c.path.startswith(f"{spec.id}["):
                out.append(self.comment(c))
        return out

    def fits_table(self, spec: FieldSpec, rows: list, cols: list[FieldSpec]) -> bool:
        if not cols or len(cols) > TABLE_MAX_COLUMNS:
            return False
        for row in rows:
            for c in cols:
                v = row.get(c.id)
                if isinstance(v, str) and (len(v) > TABLE_MAX_CELL or v.count("\n") > 6):
                    return False
        return True

    def widths(self, spec: FieldSpec, cols: list[FieldSpec], rows: list) -> list[float]:
        """Numbers, dates and short choices get the width they need on one line; text columns
        share the rest by their typical content, never narrower than their longest word."""
        pad = 9.0
        first = max(0.9 * cm, stringWidth(str(len(rows)), FONT, 8.4) + pad)
        avail = self.width - first
        totals = {t.child.id: [t.overall] + [a for _, a in t.groups] for t in repetition_totals(self.s, spec)}
        rigid: dict[int, float] = {}
        floors, weights = [], []
        for i, c in enumerate(cols):
            texts = [self.text_of(spec, c, r) or "" for r in rows[:300]]
            head_word = max(c.label.split(), key=len, default="")
            floor = stringWidth(head_word, FONT_BOLD, 8.2) + pad
            words = {w for t in texts for w in t.split()} if c.type not in _RIGID else set()
            if words:
                floor = max(floor, min(max(stringWidth(w, FONT, 8.4) for w in words) + pad, avail * 0.3))
            if c.type in _RIGID:
                need = max(
                    [stringWidth(t, FONT, 8.4) for t in texts]
                    + [stringWidth(t, FONT_BOLD, 8.4) for t in totals.get(c.id, [])]
                    + [0]
                )
                rigid[i] = min(max(floor, need + pad), avail * 0.3)
            floors.append(floor)
            lengths = sorted(len(t) for t in texts)
            typical = lengths[len(lengths) * 3 // 4] if lengths else 0
            weights.append(max(_MIN_CHARS.get(c.type, 10), min(typical, 48)))
        widths = [rigid.get(i, 0.0) for i in range(len(cols))]
        flex = [i for i in range(len(cols)) if i not in rigid]
        remaining = avail - sum(rigid.values())
        if flex and remaining > sum(floors[i] for i in flex):
            fixed: dict[int, float] = {}
            for _ in range(len(flex)):
                free = [i for i in flex if i not in fixed]
                room = remaining - sum(fixed.values())
                total_w = sum(weights[i] for i in free)
                below = [i for i in free if room * weights[i] / total_w < floors[i]]
                if not below:
                    for i in free:
                        fixed[i] = room * weights[i] / total_w
                    break
                for i in below:
                    fixed[i] = floors[i]
            for i, w in fixed.items():
                widths[i] = w
        else:  # too many columns for the page: shrink everything alike
            for i in flex:
                widths[i] = floors[i]
            scale = avail / sum(widths)
            widths = [w * scale for w in widths]
        return [first] + widths

    def cell(self, spec: FieldSpec, child: FieldSpec, row: Any, inner: float | None = None) -> Flowable | str:
        """A cell's content. One-line values of rigid columns, and texts that ``plain_lines`` can break
        for the cell's ``inner`` width, are plain strings drawn in the table's font: the same on paper
        as a Paragraph, and several times cheaper."""
        st = self.st
        if not is_visible(child, self.s.answers, row):
            return ""
        text = self.text_of(spec, child, row)
        if text is None:
            return para(NOT_ANSWERED, st["cell_missing"]) if child.required else "—"
        if child.type in _RIGID and "\n" not in text and len(text) <= RIGID_MAX_CHARS:
            return clean(text)
        if inner is not None:
            lines = plain_lines(clean(capped(text)), inner)
            if lines is not None:
                return lines
        return para(markup(capped(text)), st["cell_num" if child.type in _NUMERIC else "cell"])

    def text_of(self, spec: FieldSpec, child: FieldSpec, row: Any) -> str | None:
        """``answer_text`` of a row's cell, computed once per export (widths and cells both need it)."""
        key = (id(row), child.id)
        memo = self._texts
        if key not in memo:
            memo[key] = (answer_text(self.s, child, row.get(child.id), child_path(spec, row, child)), row)
        return memo[key][0]

    def table(self, spec: FieldSpec, rows: list, cols: list[FieldSpec]) -> list[Flowable]:
        """One grid for all the rows: the header begins every page it runs on, the stripes run on,
        the totals close it."""
        st = self.st
        head = [para("N°", st["cell_head"])] + [
            para(
                markup(capped(c.label + (f" ({c.unit})" if c.unit and c.unit != "€" else ""), 300)),
                st["cell_head_num" if c.type in _NUMERIC else "cell_head"],
            )
            for c in cols
        ]
        widths = self.widths(spec, cols, rows)
        inner = [w - 8 for w in widths[1:]]  # the cells' left and right padding, 4 each
        data = [GridRow(head, background=ACCENT, body=False)]
        for i, row in enumerate(rows, 1):
            self.tick()
            cells = [str(i)] + [self.cell(spec, c, row, w) for c, w in zip(cols, inner, strict=True)]
            data.append(GridRow(cells, background=ZEBRA if i % 2 == 0 else None))
        data += self.total_rows(spec, cols)
        style = GridStyle(
            fonts=[(FONT, 8.4, 10.6)] * (len(cols) + 1),
            ink=INK,
            rule=(0.4, RULE),
            pad=(3, 3, 4, 4),
            align=["LEFT"] + ["RIGHT" if c.type in _NUMERIC else "LEFT" for c in cols],
        )
        return [Spacer(1, 3), Grid(data, widths, style, repeat=1), Spacer(1, 2)]

    def total_rows(self, spec: FieldSpec, cols: list[FieldSpec]) -> list[GridRow]:
        """The rows that close a table: a total per group when the amounts are grouped, then the
        overall total; the label spans the columns before the first amount."""
        st = self.st
        totals = [t for t in repetition_totals(self.s, spec) if t.child in cols]
        if not totals:
            return []
        index = {c.id: i + 1 for i, c in enumerate(cols)}
        first_num = min(index[t.child.id] for t in totals)
        span_to = max(0, first_num - 1)
        groups = [g for g, _ in totals[0].groups] if len(totals[0].groups) > 1 else []
        lines = [
            (f"Total {capped(g, 200)}", {t.child.id: dict(t.groups).get(g, "") for t in totals})
            for g in groups
        ]
        lines.append(("Total général" if groups else "Total", {t.child.id: t.overall for t in totals}))
        out: list[GridRow] = []
        for label, amounts in lines:
            cells: list[Any] = [""] * (len(cols) + 1)
            cells[0] = para(markup(label), st["cell_total"])
            for cid, amount in amounts.items():
                cells[index[cid]] = para(markup(amount), st["cell_total_num"])
            out.append(
                GridRow(
                    cells,
                    background=TOTAL_BG,
                    span=span_to + 1,
                    rule_above=None if out else (1, ACCENT),
                )
            )
        return out

    def totals(self, spec: FieldSpec) -> list[Flowable]:
        st = self.st
        style = GridStyle(fonts=[(FONT, 8.4, 10.6)] * 2, ink=INK, rule=(0.4, RULE), pad=(3, 3, 6, 6))
        out: list[Flowable] = []
        for t in repetition_totals(self.s, spec):
            data = (
                [
                    [
                        para(f"Total {markup(capped(g, 200))}", st["cell_total"]),
                        para(markup(capped(a, 200)), st["cell_total_num"]),
                    ]
                    for g, a in t.groups
                ]
                if len(t.groups) > 1
                else []
            )
            data.append(
                [
                    para(f"Total — {markup(capped(t.child.label, 300))}", st["cell_total"]),
                    para(markup(capped(t.overall, 200)), st["cell_total_num"]),
                ]
            )
            rows = [GridRow(cells, background=TOTAL_BG) for cells in data]
            out += [Spacer(1, 4), Grid(rows, [7 * cm, 4 * cm], style, repeat=0)]
        return out

    def blocks(self, spec: FieldSpec, rows: list) -> list[Flowable]:
        """One block per row: a two-column card when the row's answers are short, else stacked."""
        out: list[Flowable] = []
        noun = spec.row_label or "Ligne"
        for i, row in enumerate(rows, 1):
            self.tick()
            kids = row_children(spec, self.s, row)
            short = all(
                not isinstance(row.get(c.id), str)
                or (len(row[c.id]) <= TABLE_MAX_CELL and row[c.id].count("\n") <= 6)
                for c in kids
            )
            out += (
                self.card(spec, row, kids, f"{noun} {i}")
                if short
                else self.stacked(spec, row, kids, f"{noun} {i}")
            )
            for c in kids:
                out += self.notes_for(child_path(spec, row, c))
        return out

    def card(self, spec: FieldSpec, row: Any, kids: list[FieldSpec], title: str) -> list[Flowable]:
        st = self.st
        data: list[list[Any]] = [[para(markup(capped(title, 300)), st["cell_head"]), ""]]
        w = self.width - 10
        label_w = max(w * 0.3, min(4.4 * cm, w * 0.4))
        pad = 12  # the cells' default left and right padding, 6 each
        for c in kids:
            label: Any = (
                None
                if c.required
                else plain_lines(clean(capped(c.label, 300)), label_w - pad, FONT_BOLD, 8.2)
            )
            if label is None:
                label = para(
                    markup(capped(c.label, 300)) + (REQUIRED_MARK if c.required else ""), st["cell_label"]
                )
            value = row.get(c.id)
            if c.type is FieldType.TEXTAREA and isinstance(value, str) and value.strip():
                cell: Any = [para(p, st["cell"]) for p in paragraphs(value)]
                cell.append(para(markup(count_label(value, c.character_limit)), st["cell_meta"]))
            else:
                cell = self.cell(spec, c, row, w - label_w - pad)
            data.append([label, cell])
        style = GridStyle(
            fonts=[(FONT_BOLD, 8.2, 10.6), (FONT, 8.4, 10.6)],
            ink=INK,
            rule=(0.4, RULE),
            lines="rows",
            pad=(2.5, 2.5, 6, 6),
            column_background=(0, ZEBRA),
        )
        rows = [GridRow(data[0], background=ACCENT, span=2, body=False)]
        rows += [GridRow(cells) for cells in data[1:]]
        table = Grid(rows, [label_w, w - label_w], style, repeat=1, h_align="RIGHT")
        return [CondPageBreak(3 * cm), Spacer(1, 6), table]

    def stacked(self, spec: FieldSpec, row: Any, kids: list[FieldSpec], title: str) -> list[Flowable]:
        st = self.st
        out: list[Flowable] = [CondPageBreak(2.4 * cm), para(markup(capped(title, 300)), st["row_title"])]
        out[-1].keep_with_next = True
        for child in kids:
            path = child_path(spec, row, child)
            text = markup(child.label) + (REQUIRED_MARK if child.required else "")
            value = row.get(child.id)
            answered = is_answered(
                child, value, self.s.attachments_at(path) if child.type.is_attachment else ()
            )
            body = self.answer(child, value, path, indent=True)
            if not answered:
                body = [
                    para(
                        NOT_ANSWERED if child.required else "—",
                        st["row_missing" if child.required else "row_empty"],
                    )
                ]
            label = para(text, st["row_label"])
            label.keep_with_next = True
            out += [CondPageBreak(1.6 * cm), label]
            out += body
        return out
