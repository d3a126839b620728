"""The list of sections on the left: one click reaches any section, each shows its state.

A state is an icon of its own shape *and* a text ("En cours · 3 réponses manquantes"), so the
list reads the same to a screen reader, in greyscale and for people who do not see colours.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

from ..checks.report import SectionProgress, SectionState
from .icons import state_icon

if TYPE_CHECKING:
    from ..checks.report import CompletenessReport
    from ..forms import Template

SECTION_ID_ROLE = Qt.ItemDataRole.UserRole + 1


def percent_of(progress: float) -> int:
    """Whole percent, rounded down: "100 %" only when everything is answered."""
    return int(progress * 100 + 1e-9)


def answers_text(answered: int, required: int) -> str:
    """"1 réponse obligatoire sur 246 donnée" style, with French agreement."""
    noun = "réponse obligatoire donnée" if answered <= 1 else "réponses obligatoires données"
    return f"{answered} {noun} sur {required}"


def plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def state_text(progress: SectionProgress) -> str:
    """"En cours · 3 réponses manquantes", "À corriger · 2 problèmes bloquants", "Complète"."""
    parts = [progress.state.label]
    if progress.state is SectionState.PROBLEMS and progress.blocking:
        parts.append(plural(progress.blocking, "problème à corriger", "problèmes à corriger"))
    if progress.remaining > 0:
        parts.append(plural(progress.remaining, "réponse manquante", "réponses manquantes"))
    elif progress.state is not SectionState.PROBLEMS and progress.warnings:
        parts.append(plural(progress.warnings, "avertissement", "avertissements"))
    return " · ".join(parts)


class SectionList(QListWidget):
    """Emits ``sectionChosen(section_id)`` when the user picks a section (click, Enter, arrows)."""

    sectionChosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sectionList")
        self.setAccessibleName("Sections du dossier")
        self.setAccessibleDescription("Choisissez une section à remplir ; chacune indique son état.")
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setSpacing(2)
        self.setResizeMode(QListWidget.ResizeMode.Adjust)
        size = self.fontMetrics().height() + 2
        self.setIconSize(QSize(size, size))
        self.setStyleSheet("QListWidget#sectionList::item { padding: 5px 4px; }")
        self._titles: dict[str, str] = {}
        self._updating = False
        self.currentItemChanged.connect(self._on_current)

    def set_template(self, template: "Template") -> None:
        self._updating = True
        self.clear()
        self._titles = {}
        for section in template.sections:
            item = QListWidgetItem(section.title, self)
            item.setData(SECTION_ID_ROLE, section.id)
            self._titles[section.id] = section.title
            self._set_item(item, section.title, None)
        self._updating = False

    def _set_item(self, item: QListWidgetItem, title: str, progress: SectionProgress | None) -> None:
        if progress is None:
            item.setText(title)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, title)
            item.setToolTip(title)
            return
        status = state_text(progress)
        item.setText(f"{title}\n{status}")
        item.setIcon(state_icon(progress.state))
        item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{title}, {status}")
        item.setToolTip(f"{title}\n{status} ({progress.answered} sur {progress.required} réponses obligatoires)")

    def preferred_width(self) -> int:
        """Wide enough for the longest section title on one line."""
        fm = self.fontMetrics()
        longest = max((fm.horizontalAdvance(t) for t in self._titles.values()), default=200)
        return longest + self.iconSize().width() + 48 + self.verticalScrollBar().sizeHint().width()

    def apply_report(self, report: "CompletenessReport | None") -> None:
        if report is None:
            return
        by_id = {s.section_id: s for s in report.sections}
        for i in range(self.count()):
            item = self.item(i)
            sid = item.data(SECTION_ID_ROLE)
            self._set_item(item, self._titles.get(sid, sid), by_id.get(sid))

    def section_ids(self) -> list[str]:
        return [self.item(i).data(SECTION_ID_ROLE) for i in range(self.count())]

    def current_section(self) -> str | None:
        item = self.currentItem()
        return item.data(SECTION_ID_ROLE) if item else None

    def select_section(self, section_id: str) -> None:
        """Select without emitting ``sectionChosen`` (the window already switched)."""
        for i in range(self.count()):
            if self.item(i).data(SECTION_ID_ROLE) == section_id:
                self._updating = True
                self.setCurrentRow(i)
                self._updating = False
                self.scrollToItem(self.item(i))
                return

    def item_text(self, section_id: str) -> str:
        for i in range(self.count()):
            if self.item(i).data(SECTION_ID_ROLE) == section_id:
                return self.item(i).text()
        raise KeyError(section_id)

    def _on_current(self, current: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if current is not None and not self._updating:
            self.sectionChosen.emit(current.data(SECTION_ID_ROLE))
