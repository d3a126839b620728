"""« Totaux du budget » at the top of the budget section: expenses per year and overall, resources,
the balance and the State's share, recomputed as one types (see ``spie_desktop.budget``: the
same figures as the PDF and the check)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from ..budget import BudgetSummary, budget_rules, budget_summary
from ..forms.paths import ROW_KEY
from ..snapshot import DossierSnapshot
from . import style
from .style import Tone

#: After the last keystroke, before the totals follow (a snapshot of the dossier is cheap, not free).
UPDATE_DELAY_MS = 150


def has_budget(template, section_id: str) -> bool:
    """True for the section the template's balance rule belongs to."""
    rules = budget_rules(template)
    if rules is None:
        return False
    rule = rules[0]
    section = rule.section
    if not section:
        try:
            section = template.section_of(rule.args["left"]["sum"]["field"]).id
        except KeyError:
            return False
    return section == section_id


def _summed_fields(template) -> set[str]:
    """The field ids the budget's two rules name (balance and State share): what the totals add up."""
    out: set[str] = set()

    def walk(raw: Any) -> None:
        if isinstance(raw, dict):
            if isinstance(raw.get("field"), str):
                out.add(raw["field"])
            for v in raw.values():
                walk(v)
        elif isinstance(raw, (list, tuple)):
            for v in raw:
                walk(v)

    for rule in budget_rules(template) or ():
        if rule is not None:
            walk(dict(rule.args))
    return out


class BudgetPanel(QFrame):
    """The totals, one line each: words on the left (they wrap), the amount on the right."""

    def __init__(self, controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        style.form_look(self, "budgetTotals")
        self.setAccessibleName("Totaux du budget")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(style.CARD_PADDING, 10, style.CARD_PADDING, 10)
        title = QLabel("Totaux du budget (mis à jour pendant la saisie)", self)
        title.setFont(style.scaled_font(title.font(), bold=True))
        title.setWordWrap(True)
        outer.addWidget(title)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(12)
        self.grid.setVerticalSpacing(3)
        self.grid.setColumnStretch(0, 1)
        outer.addLayout(self.grid)
        self._rows: list[tuple[QLabel, QLabel]] = []
        self.summary: BudgetSummary | None = None
        self._timer = QTimer(self, singleShot=True, interval=UPDATE_DELAY_MS, timeout=self.update_totals)
        controller.valueChanged.connect(self._schedule)
        controller.rowsChanged.connect(self._schedule)
        self.update_totals()

    def _schedule(self, *_: object) -> None:
        self._timer.start()

    def _row(self, i: int) -> tuple[QLabel, QLabel]:
        while len(self._rows) <= i:
            words, figure = QLabel(self), QLabel(self)
            words.setWordWrap(True)
            words.setTextFormat(Qt.TextFormat.PlainText)
            figure.setTextFormat(Qt.TextFormat.PlainText)
            figure.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            figure.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            n = len(self._rows)
            self.grid.addWidget(words, n, 0)
            self.grid.addWidget(figure, n, 1)
            self._rows.append((words, figure))
        return self._rows[i]

    def _budget_snapshot(self) -> DossierSnapshot:
        """The answers the totals read, unsaved edits included: every top-level answer (conditions may
        name them) and the rows of the repetitions the budget's rules add up, not the whole dossier
        (a snapshot of a 5 000-row dossier costs a visible pause; issue 14)."""
        c = self.controller
        template = c.template
        wanted = _summed_fields(template)
        answers: dict[str, Any] = {}
        for _section, spec in template.iter_fields():
            if spec.is_repetition:
                if spec.id in wanted:
                    answers[spec.id] = [
                        {
                            ROW_KEY: rid,
                            **{
                                k: v
                                for k, v in (
                                    (ch.id, c.value(f"{spec.id}[{rid}].{ch.id}")) for ch in spec.children
                                )
                                if v is not None
                            },
                        }
                        for rid in c.row_ids(spec.id)
                    ]
            else:
                value = c.value(spec.id)
                if value is not None:
                    answers[spec.id] = value
        return DossierSnapshot(template=template, info=c.dossier.info, answers=answers)

    def update_totals(self) -> None:
        try:
            summary = budget_summary(self._budget_snapshot())
        except Exception:  # noqa: BLE001 - the dossier was closed under a late signal
            return
        self.summary = summary
        if summary is None:
            self.hide()
            return
        lines = summary.lines()
        for i, line in enumerate(lines):
            words, figure = self._row(i)
            words.setText(line.label)
            figure.setText(line.amount)
            font = style.scaled_font(self.font(), bold=line.strong)
            words.setFont(font)
            figure.setFont(font)
            words.setAccessibleName(f"{line.label} : {line.amount}")
            tone = None
            if line is summary.balance:
                tone = Tone.OK if summary.balanced else Tone.ERROR
            for w in (words, figure):
                if tone is None:
                    w.setPalette(self.palette())
                else:
                    style.set_text_color(w, style.tone_color(w.palette(), tone))
            words.show()
            figure.show()
        for words, figure in self._rows[len(lines) :]:
            words.hide()
            figure.hide()

    def texts(self) -> list[tuple[str, str]]:
        """(words, amount) of each line shown, for tests and screen readers."""
        return [(w.text(), f.text()) for w, f in self._rows if not w.isHidden()]
