"""The list of sections on the left: one click reaches any section, each shows its state.

A state is an icon of its own shape *and* a text ("En cours · 3 réponses manquantes"), so the
list reads the same to a screen reader, in greyscale and for people who do not see colours.
A section entrusted to a partner says so on a line of its own ("Confiée à : Mission locale du …").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QListWidget,
    QListWidgetItem,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from ..checks.states import SectionState
from ..presentation import plural
from .icons import state_icon
from .plain import tooltip

if TYPE_CHECKING:
    from ..checks.report import CompletenessReport, SectionProgress
    from ..forms import Template

SECTION_ID_ROLE = Qt.ItemDataRole.UserRole + 1


def percent_of(progress: float) -> int:
    """Whole percent, rounded down: "100 %" only when everything is answered."""
    return int(progress * 100 + 1e-9)


def answers_text(answered: int, required: int) -> str:
    """ "1 réponse obligatoire sur 246 donnée" style, with French agreement."""
    noun = "réponse obligatoire donnée" if answered <= 1 else "réponses obligatoires données"
    return f"{answered} {noun} sur {required}"


def readiness_text(report) -> str:
    """Whether the dossier can be filed, apart from how many answers it has: « 246 / 246 » with a
    blocking problem is not ready."""
    blocking, warnings = len(report.blocking), len(report.warnings)
    if blocking:
        return f"Pas encore prêt à déposer : {plural(blocking, 'problème bloquant', 'problèmes bloquants')}"
    if warnings:
        return f"Prêt à déposer, {plural(warnings, 'avertissement', 'avertissements')} à relire"
    return "Prêt à déposer"


def state_text(progress: SectionProgress, wrong: int | None = None) -> str:
    """ "En cours · 3 réponses manquantes", "À corriger · 1 réponse à corriger · 2 manquantes", "Complète".

    ``wrong``: blocking problems that are not missing answers (wrong formats, broken rules); when
    unknown, the section's blocking count is used.
    """
    parts = [progress.state.label]
    if progress.state is SectionState.PROBLEMS:
        n = progress.blocking if wrong is None else wrong
        if n:
            parts.append(plural(n, "réponse à corriger", "réponses à corriger"))
        if progress.remaining > 0:
            parts.append(plural(progress.remaining, "manquante", "manquantes"))
    elif progress.remaining > 0:
        parts.append(plural(progress.remaining, "réponse manquante", "réponses manquantes"))
    elif progress.warnings:
        parts.append(plural(progress.warnings, "avertissement", "avertissements"))
    return " · ".join(parts)


def viewport_width(view: QAbstractScrollArea) -> int:
    """``view.viewport().width()``, without asking for the viewport.

    The viewport is a widget Qt made, and its first Python wrapper makes shiboken set up the Python
    class of every widget class it could be: 39 of them with their enums, 4 ms of the start-up
    (issue 14). The room the frame leaves, less the vertical scroll bar when it takes room, is the
    same width (tests/ui/test_viewport_width.py)."""
    width = view.maximumViewportSize().width()  # inside the frame and margins, as if no bar were needed
    bar = view.verticalScrollBar()
    if bar.isVisibleTo(view) and view.verticalScrollBarPolicy() != Qt.ScrollBarPolicy.ScrollBarAlwaysOn:
        width -= bar.sizeHint().width()  # maximumViewportSize already leaves an always-on bar's room
    return width


class WrapDelegate(QStyledItemDelegate):
    """Draws an item's whole text, wrapped to the view's width (Qt's own delegate elides it).

    For the section list and the check view's tree; the view must relayout when resized. The
    height is computed here; Qt's style draws the item (background, icon, focus, wrapped text):
    drawing from Python would need QStyle's Python class, whose enums cost 16 ms of the start-up.
    """

    PADDING = 4

    def _text_rect(self, option: QStyleOptionViewItem, index: QModelIndex) -> QRect:
        view = cast(QAbstractItemView, self.parent())  # the list or tree it was made for
        depth = 0
        parent = index.parent()
        while parent.isValid():
            depth += 1
            parent = parent.parent()
        indent = view.indentation() * (depth + 1) if hasattr(view, "indentation") else 0
        # the icon's spacing, the style's focus and text margins (Fusion: 3 px each side of the text)
        width = viewport_width(view) - indent - view.iconSize().width() - 18 - self.PADDING
        return QRect(0, 0, max(width, 80), 10_000)

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        option.features |= QStyleOptionViewItem.ViewItemFeature.WrapText
        option.textElideMode = Qt.TextElideMode.ElideNone

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        rect = opt.fontMetrics.boundingRect(self._text_rect(opt, index), Qt.TextFlag.TextWordWrap, opt.text)
        return QSize(rect.width(), max(rect.height(), opt.decorationSize.height()) + 10)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        opt.rect = opt.rect.adjusted(self.PADDING, 0, -2, 0)
        super().paint(painter, opt, index)  # text centred in the height sizeHint gave it


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
        self.setItemDelegate(WrapDelegate(self))
        self._titles: dict[str, str] = {}
        self._progress: dict[str, tuple[SectionProgress | None, int | None]] = {}
        self._entrusted: dict[str, str] = {}
        #: Where the sections' partners come from ({section id: partner}); by default the window's
        #: controller, read each time a report arrives (entrusting and merging both end in a re-check).
        self.entrusted_source: Callable[[], dict[str, str]] | None = None
        self._updating = False
        self.currentItemChanged.connect(self._on_current)

    def set_template(self, template: Template) -> None:
        self._updating = True
        self.clear()
        self._titles = {}
        self._progress = {}
        self._entrusted = self._read_entrusted()
        for section in template.sections:
            item = QListWidgetItem(section.title, self)
            item.setData(SECTION_ID_ROLE, section.id)
            self._titles[section.id] = section.title
            self._set_item(item, section.title, None)
        self._updating = False

    def _set_item(
        self, item: QListWidgetItem, title: str, progress: SectionProgress | None, wrong: int | None = None
    ) -> None:
        sid = item.data(SECTION_ID_ROLE)
        self._progress[sid] = (progress, wrong)
        partner = self._entrusted.get(sid, "")
        who = f"Confiée à : {partner}" if partner else ""
        if progress is None:
            item.setText("\n".join(t for t in (title, who) if t))
            item.setData(Qt.ItemDataRole.AccessibleTextRole, ", ".join(t for t in (title, who) if t))
            item.setToolTip(tooltip("\n".join(t for t in (title, who) if t)))
            return
        status = state_text(progress, wrong)
        item.setText("\n".join(t for t in (title, status, who) if t))
        item.setIcon(state_icon(progress.state))
        item.setData(Qt.ItemDataRole.AccessibleTextRole, ", ".join(t for t in (title, status, who) if t))
        item.setToolTip(
            tooltip(
                "\n".join(
                    t
                    for t in (
                        title,
                        f"{status} ({progress.answered} sur {progress.required} réponses obligatoires)",
                        who,
                    )
                    if t
                )
            )
        )

    # -- sections entrusted to partners ----------------------------------------------------------

    def _read_entrusted(self) -> dict[str, str]:
        source = self.entrusted_source
        if source is None:
            controller = getattr(self.window(), "controller", None)
            source = controller.entrusted if controller is not None else None
        if source is None:
            return {}
        try:
            return dict(source() or {})
        except Exception:  # noqa: BLE001 - a closed dossier under a late signal: nothing to show
            return {}

    def set_entrusted(self, entrusted: dict[str, str] | None = None) -> None:
        """Show who each section is entrusted to (None: read it again from ``entrusted_source``)."""
        entrusted = self._read_entrusted() if entrusted is None else dict(entrusted)
        if entrusted == self._entrusted:
            return
        self._entrusted = entrusted
        for i in range(self.count()):
            item = self.item(i)
            sid = item.data(SECTION_ID_ROLE)
            progress, wrong = self._progress.get(sid, (None, None))
            self._set_item(item, self._titles.get(sid, sid), progress, wrong)
        self.doItemsLayout()

    def entrusted_to(self, section_id: str) -> str:
        return self._entrusted.get(section_id, "")

    def preferred_width(self) -> int:
        """Wide enough for the longest title and a usual state line, each on one line."""
        fm = self.fontMetrics()
        texts = [*self._titles.values(), "Non commencée · 12 réponses manquantes"]
        longest = max(fm.horizontalAdvance(t) for t in texts)
        return longest + self.iconSize().width() + 40 + self.verticalScrollBar().sizeHint().width()

    def apply_report(self, report: CompletenessReport | None) -> None:
        if report is None:
            return
        self._entrusted = self._read_entrusted()
        by_id = {s.section_id: s for s in report.sections}
        wrong: dict[str, int] = {}
        for p in report.problems:
            if p.blocking and not p.missing:
                wrong[p.section_id] = wrong.get(p.section_id, 0) + 1
        for i in range(self.count()):
            item = self.item(i)
            sid = item.data(SECTION_ID_ROLE)
            self._set_item(item, self._titles.get(sid, sid), by_id.get(sid), wrong.get(sid, 0))
        self.doItemsLayout()  # the state lines changed length: heights follow

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
