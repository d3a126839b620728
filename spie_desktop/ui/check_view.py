"""« Vérifier le dossier »: every problem of the report, grouped by section, one click from its field.

Blocking problems come first in each section, then warnings; each line has a shape icon and
says its severity in words. The view follows the controller's reports, so it stays current as
the user types; activating a line (click, Enter) emits ``problemChosen`` and the window jumps.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from ..checks.report import CompletenessReport, Problem, Severity
from .icons import severity_icon
from .plain import tooltip
from .section_list import WrapDelegate, answers_text, percent_of, plural

if TYPE_CHECKING:
    from ..forms import Template

PROBLEM_ROLE = Qt.ItemDataRole.UserRole + 1
WHOLE_DOSSIER = "Ensemble du dossier"


def summary_text(report: CompletenessReport) -> str:
    blocking, warnings = len(report.blocking), len(report.warnings)
    percent = percent_of(report.progress)
    answers = f"{answers_text(report.answered, report.required)} ({percent} %)"
    if not blocking and not warnings:
        return f"Aucun problème : le dossier est prêt à être reporté sur la plateforme. {answers}."
    parts = []
    if blocking:
        parts.append(plural(blocking, "problème bloquant", "problèmes bloquants"))
    if warnings:
        parts.append(plural(warnings, "avertissement", "avertissements"))
    verdict = (
        "le dossier ne peut pas encore être déposé" if blocking else "rien n'empêche de déposer le dossier"
    )
    return f"{' et '.join(parts)} : {verdict}. {answers}."


def problem_text(problem: Problem) -> str:
    severity = "Bloquant" if problem.blocking else "Avertissement"
    where = problem.field_label or WHOLE_DOSSIER
    if problem.location:
        where = f"{where} ({problem.location})"
    return f"{severity} — {where}\n{problem.message}"


class _WrappingTree(QTreeWidget):
    """A tree whose rows grow to show whole messages, recomputed when the dock is resized."""

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.doItemsLayout()


class CheckView(QWidget):
    problemChosen = Signal(object)  # Problem

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checkView")
        self._template: Template | None = None
        self._report: CompletenessReport | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        self.summary = QLabel("La vérification n'a pas encore été faite.", self)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleDescription(
            "Résumé de la vérification"
        )  # its name: its text, as it changes
        layout.addWidget(self.summary)
        self.tree = _WrappingTree(self)
        self.tree.setObjectName("problemTree")
        self.tree.setAccessibleName("Problèmes du dossier, par section")
        self.tree.setAccessibleDescription("Entrée ou clic : aller au champ concerné.")
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(True)
        self.tree.setIndentation(self.fontMetrics().averageCharWidth() * 2)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.tree.setItemDelegate(WrapDelegate(self.tree))
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        size = self.fontMetrics().height()
        self.tree.setIconSize(QSize(size, size))
        self.tree.itemClicked.connect(self._on_item)
        self.tree.itemActivated.connect(self._on_item)
        layout.addWidget(self.tree, 1)

    def set_template(self, template: Template) -> None:
        if template is not self._template:
            self._template = template
            self._report = None  # another dossier: rebuild the list from its next report

    @property
    def report(self) -> CompletenessReport | None:
        return self._report

    def apply_report(self, report: CompletenessReport | None) -> None:
        if report is None:
            return
        unchanged = self._report is not None and self._report.problems == report.problems
        self._report = report
        self.summary.setText(summary_text(report))
        if unchanged:  # typing that changes no problem leaves the list (and its scrolling) alone
            return
        selected = self._selected_key()
        scrolled = self.tree.verticalScrollBar().value()
        self.tree.setUpdatesEnabled(False)
        self.tree.clear()
        to_select = None
        for title, problems in self._groups(report):
            problems = sorted(problems, key=lambda p: 0 if p.blocking else 1)
            blocking = sum(p.blocking for p in problems)
            counts = []
            if blocking:
                counts.append(plural(blocking, "bloquant", "bloquants"))
            if len(problems) - blocking:
                counts.append(plural(len(problems) - blocking, "avertissement", "avertissements"))
            group = QTreeWidgetItem(self.tree, [f"{title} — {', '.join(counts)}"])
            group.setIcon(0, severity_icon(Severity.BLOQUANT if blocking else Severity.AVERTISSEMENT))
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            group.setFlags(group.flags() & ~Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled)
            for p in problems:
                item = QTreeWidgetItem(group, [problem_text(p)])
                item.setIcon(0, severity_icon(p.severity))
                item.setData(0, PROBLEM_ROLE, p)
                item.setData(0, Qt.ItemDataRole.AccessibleTextRole, problem_text(p).replace("\n", " : "))
                item.setToolTip(0, tooltip(p.message))
                if selected is not None and self._key(p) == selected:
                    to_select = item
            group.setExpanded(True)
        if to_select is not None:
            self.tree.setCurrentItem(to_select)
        self.tree.verticalScrollBar().setValue(scrolled)
        self.tree.setUpdatesEnabled(True)

    def _groups(self, report: CompletenessReport) -> list[tuple[str, list[Problem]]]:
        groups: dict[str, list[Problem]] = {}
        for p in report.problems:
            groups.setdefault(p.section_id, []).append(p)
        titles: dict[str, str] = {}
        order: list[str] = [""]
        if self._template is not None:
            titles = {s.id: s.title for s in self._template.sections}
            order += [s.id for s in self._template.sections]
        else:
            order += [s.section_id for s in report.sections]
            titles = {s.section_id: s.title for s in report.sections}
        titles[""] = WHOLE_DOSSIER
        out = [(titles.get(sid, sid), groups.pop(sid)) for sid in order if sid in groups]
        out += [(titles.get(sid, sid), found) for sid, found in groups.items()]
        return out

    @staticmethod
    def _key(p: Problem) -> tuple[str, str, str]:
        return (p.section_id, p.path, p.rule_id)

    def _selected_key(self) -> tuple[str, str, str] | None:
        item = self.tree.currentItem()
        p = item.data(0, PROBLEM_ROLE) if item else None
        return self._key(p) if p else None

    def problem_items(self) -> list[QTreeWidgetItem]:
        out = []
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            out += [group.child(j) for j in range(group.childCount())]
        return out

    def _on_item(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        problem = item.data(0, PROBLEM_ROLE)
        if problem is not None:
            self.problemChosen.emit(problem)
