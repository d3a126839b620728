"""One section of the dossier as a scrollable form: title, description, then each field's widget.

The form keeps conditional fields (``visible_if``) in step with the answers as they are typed,
shows the completeness report's problems under the fields they concern, and can bring any
stored path (a row's child included) into view with the keyboard focus on it.
"""

from __future__ import annotations

import bisect
import time
from collections import defaultdict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, cast

import shiboken6
from PySide6.QtCore import QEvent, QPoint, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from ..forms import FieldPath, FieldType, Section, Template, is_visible
from . import after_paint, idle_slices, scroll_anchor, style
from .fields import FieldWidget, make_field, preload as preload_fields
from .fields.attention import mark_touched
from .fields.base import MessageLine
from .fields.row_card import AnswersView
from .style import Tone
from .tab_order import apply_tab_order

FIRST_SCREEN_MARGIN = 200  # px of fields built beyond the first screen before it is shown
UNPAINTED_BUILD_MS = 500  # a form never painted (window minimised) is built anyway

if TYPE_CHECKING:
    from .fields.repetition import RepetitionField


def _repetition(w: FieldWidget) -> RepetitionField | None:
    """``w`` if it is a repetition (fields/repetition.py is imported once a section shows one)."""
    if w.spec.type is not FieldType.REPETITION:
        return None
    from .fields.repetition import RepetitionField

    return w if isinstance(w, RepetitionField) else None


REQUIRED_LEGEND = "Les questions marquées d'un astérisque (*) sont obligatoires."


class SectionForm(QScrollArea):
    """The centre of the main window for one section: ``SectionForm(controller, section)``."""

    tabOrderChanged = Signal()  # the fields' Tab order was set again (a row added, a field shown)

    def __init__(self, controller, section: Section, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.section = section
        self._fields: dict[str, FieldWidget] = {}  # built so far, in form order (see ``fields``)
        self._dependents: dict[str, list[FieldWidget]] = defaultdict(list)
        self._report = None  # the last report applied, for the fields built after it
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setObjectName(f"section:{section.id}")
        self.setAccessibleName(section.title)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not a Tab stop: it shows no focus, its fields do

        page = QWidget()
        page.setObjectName("sectionPage")
        outer = QHBoxLayout(page)
        outer.setContentsMargins(
            style.SECTION_MARGIN, style.SECTION_MARGIN, style.SECTION_MARGIN, style.SECTION_MARGIN
        )
        column_widget = QWidget(page)
        column_widget.setMaximumWidth(style.FORM_MAX_WIDTH)
        outer.addStretch(0)
        outer.addWidget(column_widget, 1)
        outer.addStretch(0)
        column = QVBoxLayout(column_widget)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(style.FIELD_SPACING)
        self.column = column

        head = QVBoxLayout()
        head.setSpacing(6)
        self.title_label = QLabel(section.title, column_widget)
        self.title_label.setTextFormat(
            Qt.TextFormat.PlainText
        )  # titles, help and partner names come from the file
        self.title_label.setWordWrap(True)
        self.title_label.setFont(style.scaled_font(self.title_label.font(), 1.6, bold=True))
        self.title_label.setAccessibleName(section.title)
        head.addWidget(self.title_label)
        # « Section confiée à : Mission locale du … » (words, not a colour), kept up to date after an
        # entrusting or a merge: both end with a re-check, hence reportChanged.
        self.entrusted_label = QLabel(column_widget)
        self.entrusted_label.setTextFormat(Qt.TextFormat.PlainText)
        self.entrusted_label.setObjectName("entrustedTo")
        self.entrusted_label.setWordWrap(True)
        self.entrusted_label.setFont(style.scaled_font(self.entrusted_label.font(), 1.05, bold=True))
        self.entrusted_label.hide()
        head.addWidget(self.entrusted_label)
        if section.description:
            self.description_label = QLabel(section.description, column_widget)
            self.description_label.setTextFormat(Qt.TextFormat.PlainText)
            self.description_label.setWordWrap(True)
            self.description_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.description_label.setFont(style.scaled_font(self.description_label.font(), 1.05))
            head.addWidget(self.description_label)
        if any(f.required for f in section.fields) or any(
            c.required for f in section.fields for c in f.children
        ):
            legend = QLabel(REQUIRED_LEGEND, column_widget)
            legend.setWordWrap(True)
            style.make_muted(legend)
            head.addWidget(legend)
        column.addLayout(head)

        self.section_problems = QFrame(column_widget)
        style.form_look(self.section_problems, "sectionProblems")
        box = QVBoxLayout(self.section_problems)
        box.setContentsMargins(10, 8, 10, 8)
        self.section_problem_lines = MessageLine(self.section_problems)
        box.addWidget(self.section_problem_lines)
        self.section_problems.hide()
        column.addWidget(self.section_problems)

        self.budget_panel = None
        rules = getattr(controller.template, "rules", ())
        if any(r.kind == "sum_equals" and r.section in (None, "", section.id) for r in rules):
            from .budget_panel import BudgetPanel, has_budget  # the exports' totals load only here

            if has_budget(controller.template, section.id):  # section J: live totals above the rows
                self.budget_panel = BudgetPanel(controller, column_widget)
                column.addWidget(self.budget_panel)

        column.addStretch(1)
        self._column_widget = column_widget
        self._page = page
        self._unbuilt = list(section.fields)
        self._position = {spec.id: i for i, spec in enumerate(section.fields)}
        self._built_at: list[int] = []  # the places in the form of the fields in ``_fields``, in order
        # is_visible reads answers with get and in, all AnswersView offers of a Mapping
        self._answers = cast("Mapping[str, Any]", AnswersView(controller))
        # In the window, the first screenful of fields is built now and the others once it has been
        # painted, a few at a time (issue 14: a first visit waited for every field of the section).
        # Fields their condition hides show nothing on that screen: they are built with the rest.
        screen = parent.height() if parent is not None and parent.isVisible() else 0
        if screen > 0:  # measured where they will stand (fonts, zoom), not on a page outside the window
            self.setWidget(page)
        self._build_fields(screen=screen + FIRST_SCREEN_MARGIN if screen > 0 else None, defer_hidden=True)
        if screen <= 0:
            self.setWidget(page)

        self._tab_timer = QTimer(self, singleShot=True, interval=0, timeout=self.update_tab_order)
        if self._unbuilt:
            # the rest, once the first screenful is painted: the page's paint (it covers the viewport,
            # which then gets none)
            page.installEventFilter(self)
            QTimer.singleShot(UNPAINTED_BUILD_MS, self, self._start_slices)  # never painted
        self.update_visibility()
        self.update_tab_order()
        controller.valueChanged.connect(self._value_changed)
        self.update_entrusted()
        controller.reportChanged.connect(self.update_entrusted)
        from .comments import install_comment_shortcut

        self.comment_shortcut = install_comment_shortcut(self, self.comment_focused)
        if controller.read_only:
            self.setProperty("readOnly", True)

    # -- building: the first screenful at once, the rest after the first paint --------------------

    @property
    def fields(self) -> dict[str, FieldWidget]:
        """Every field's widget, in form order (the fields not built yet are built first)."""
        self.finish_building()
        return self._fields

    @property
    def fully_built(self) -> bool:
        return not self._unbuilt

    def _build_fields(
        self, *, screen: int | None = None, until: float | None = None, defer_hidden: bool = False
    ) -> list[FieldWidget]:
        """Build the next unbuilt fields: all of them, or until ``screen`` pixels of form are filled,
        or until the ``until`` clock time; the new widgets. ``defer_hidden``: leave the fields their
        condition hides now for a later call (they take no room on the screen being filled)."""
        built: list[FieldWidget] = []
        column = self.column
        holder = self.parentWidget()
        room = holder.width() if holder is not None else self.width()
        width = min(style.FORM_MAX_WIDTH, max(room - 2 * style.SECTION_MARGIN, 300))
        used = 0
        pending = self._unbuilt
        i = 0
        out_of_order = False
        while i < len(pending):
            spec = pending[i]
            if defer_hidden and spec.visible_if is not None and not is_visible(spec, self._answers):
                i += 1
                continue
            del pending[i]
            w = make_field(spec, self.controller, spec.id, self._column_widget)
            place = self._position[spec.id]
            k = bisect.bisect_left(self._built_at, place)
            if k == len(self._built_at):
                column.insertWidget(column.count() - 1, w)  # before the closing stretch
            else:  # a field left for later (hidden) goes back to its place: before the next one built
                after = self._fields[self.section.fields[self._built_at[k]].id]
                column.insertWidget(column.indexOf(after), w)
                out_of_order = True
            self._built_at.insert(k, place)
            self._fields[spec.id] = w
            if spec.visible_if is not None:
                self._dependents[spec.visible_if.field].append(w)
            w.structureChanged.connect(self._schedule_tab_order)
            built.append(w)
            if screen is not None:
                used += (w.heightForWidth(width) if w.hasHeightForWidth() else w.sizeHint().height()) + (
                    style.FIELD_SPACING
                )
                if used >= screen:
                    break
            if until is not None and time.perf_counter() >= until:
                break
        if out_of_order:  # ``_fields`` is in form order (Tab, reports, the first field), once per call
            self._fields = dict(sorted(self._fields.items(), key=lambda item: self._position[item[0]]))
        return built

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Paint and watched is self._page and self._unbuilt:
            # at start-up, with the rest of what the first paint does not need (ui/after_paint.py)
            after_paint.later(self._start_slices, key=f"slices:{id(self)}")
        return super().eventFilter(watched, event)

    def _start_slices(self) -> None:
        if shiboken6.isValid(self) and self._unbuilt:  # not closed before the first paint's work ran
            idle_slices.add(self, self._build_slice)

    def _build_slice(self, deadline: float) -> bool:
        """A few more fields, until ``deadline`` (ui/idle_slices.py); True while some are left."""
        if self._unbuilt:
            self._settle_new(self._build_fields(until=deadline))
        if self._unbuilt:
            return True
        self._page.removeEventFilter(self)
        return False

    def finish_building(self) -> None:
        """Build every field not built yet, now (a jump to a field, a search, a test)."""
        if self._unbuilt:
            self._settle_new(self._build_fields())
            self._page.removeEventFilter(self)
            self._tab_timer.stop()
            self.update_tab_order()  # whoever asked may press Tab next

    def _settle_new(self, built: list[FieldWidget]) -> None:
        """Fields just built take the form's state: shown or hidden, problems, Tab order."""
        if not built:
            return
        shown = self._column_widget.isVisible()
        with self._one_layout():
            for w in built:
                if w.spec.visible_if is not None:
                    self._apply_visibility(w)
                elif shown and not w.testAttribute(Qt.WidgetAttribute.WA_WState_ExplicitShowHide):
                    w.show()  # a child added to a shown page shows only at the next event otherwise
            if self._report is not None:
                self._apply_report(self._report, built)
        self._schedule_tab_order()

    # -- partners and review comments --------------------------------------------------------------

    def entrusted_to(self) -> str:
        try:
            return self.controller.entrusted().get(self.section.id, "")
        except Exception:  # noqa: BLE001 - the dossier was closed under a late signal
            return ""

    def update_entrusted(self, *_: object) -> None:
        partner = self.entrusted_to()
        text = f"Section confiée à : {partner}" if partner else ""
        if text != self.entrusted_label.text():
            self.entrusted_label.setText(text)
            self.entrusted_label.setAccessibleName(text)
        self.entrusted_label.setVisible(bool(partner))

    def comment_focused(self):
        """Ctrl+Alt+M: the comments of the field (or row header) that has the keyboard focus."""
        from .fields.row_card import RowCard

        w = QApplication.focusWidget()
        while w is not None and w is not self:
            if isinstance(w, FieldWidget) and w.spec.type.holds_answer:
                return w.open_comments()
            if isinstance(w, RowCard):
                return w.open_comments()
            w = w.parentWidget()
        return None

    # -- conditional display -------------------------------------------------------------------------

    def _value_changed(self, path: str) -> None:
        if self._unbuilt and any(
            spec.visible_if is not None and spec.visible_if.field == path for spec in self._unbuilt
        ):
            self.finish_building()  # a field this answer may show was left for later: built now
        dependents = self._dependents.get(path)
        if dependents:
            with self._one_layout():
                for w in dependents:
                    self._apply_visibility(w)
            self._schedule_tab_order()

    def _apply_visibility(self, w: FieldWidget) -> None:
        visible = is_visible(w.spec, self._answers)
        # a widget just added to a shown page is hidden until its layout shows it, unless told
        if visible == w.isHidden() or not w.testAttribute(Qt.WidgetAttribute.WA_WState_ExplicitShowHide):
            w.setVisible(visible)

    def update_visibility(self) -> None:
        with self._one_layout():
            for ws in self._dependents.values():
                for w in ws:
                    self._apply_visibility(w)

    def is_shown(self, field_id: str) -> bool:
        w = self.fields.get(field_id)
        return w is not None and not w.isHidden()

    # -- keyboard --------------------------------------------------------------------------------

    def _schedule_tab_order(self) -> None:
        self._tab_timer.start()

    def update_tab_order(self) -> None:
        """Tab follows the form's order, including rows opened or added since the form was built."""
        apply_tab_order(self.tab_stops(), self)  # linear: setTabOrder walks the focus chain each time
        self.tabOrderChanged.emit()  # the window puts its buttons after the last one again

    def tab_stops(self) -> list[QWidget]:
        """The form's Tab stops in form order (hidden ones included: Tab skips them)."""
        return [
            x
            for w in self._fields.values()
            for x in w.tab_chain()
            if x.focusPolicy() & Qt.FocusPolicy.TabFocus
        ]

    # -- problems --------------------------------------------------------------------------------

    @contextmanager
    def _one_layout(self) -> Iterator[None]:
        """Many fields showing or hiding lines at once cost one layout, not one per change.

        Qt lays out every visible ancestor each time a child is shown, so on a shown form of n
        fields n changes cost n full layouts (the quadratic open of a large template).
        """
        page = self.widget()
        layouts = [
            lay for lay in (self.column, page.layout() if page is not None else None) if lay is not None
        ]
        if not self.isVisible() or not layouts:
            yield
            return
        for lay in layouts:
            lay.setEnabled(False)
        try:
            yield
        finally:
            for lay in layouts:
                lay.setEnabled(True)
                lay.invalidate()

    def apply_report(self, report) -> None:
        """Show each field's problems under it; problems about the section as a whole on top."""
        scroll_anchor.hold(self)  # lines appearing above the pointer or the cursor do not push it
        self._report = report
        with self._one_layout():
            self._apply_report(report, list(self._fields.values()))

    def _apply_report(self, report, widgets: list[FieldWidget]) -> None:
        by_path: dict[str, list] = defaultdict(list)
        general: list = []
        if report is not None:
            for p in report.problems:
                if p.path:
                    by_path[p.path].append(p)
                elif p.section_id == self.section.id:
                    general.append(p)
        for w in widgets:
            fid = w.spec.id
            if not w.spec.type.holds_answer:
                continue
            w.set_problems(tuple(by_path.get(fid, ())))
            rep = _repetition(w)
            if rep is not None:
                prefix = f"{fid}["
                rep.apply_report_problems({p: tuple(v) for p, v in by_path.items() if p.startswith(prefix)})
        self.section_problem_lines.set_messages(
            [(Tone.ERROR if p.blocking else Tone.WARNING, p.message) for p in general]
        )
        self.section_problems.setVisible(bool(general))

    def reveal_problems(self) -> None:
        """After « Vérifier le dossier »: every field shows its problems, touched or not."""
        scroll_anchor.hold(self)
        self.finish_building()
        for w in self.findChildren(FieldWidget):
            w.show_problems()
        for w in self.fields.values():
            rep = _repetition(w)
            if rep is not None:
                for card in rep.cards.values():
                    card.update_header()

    # -- focus -------------------------------------------------------------------------------------

    def widget_for(self, path: str) -> FieldWidget | None:
        """The widget showing a stored path (opening its row when inside a repetition)."""
        try:
            p = FieldPath.parse(path)
        except ValueError:
            return None
        w = self.fields.get(p.field)
        if w is None or p.row is None:
            return w
        rep = _repetition(w)
        if rep is None:
            return None
        return rep.widget_for(path)

    def focus_path(self, path: str) -> bool:
        """Scroll to the widget of a stored path and give it the focus; False if absent or hidden."""
        target = self.widget_for(path)
        if target is None:
            return False
        top = self.fields[FieldPath.parse(path).field]
        if top.isHidden() or target.isHidden():
            return False
        self._settle_layout()
        mark_touched(self.controller, path)  # one comes to see it: its problem shows
        target.show_problems()
        target.focus_input()
        self._scroll_to(target)
        QTimer.singleShot(0, lambda: self._scroll_to(target))  # once the opened row is laid out
        return True

    def _scroll_rect_into_view(self, top: int, height: int, margin: int = 24) -> None:
        """Scroll the least so that [top, top + height] of the page shows whole (its top if too tall).

        Qt's ensureWidgetVisible aims at a line edit's cursor, not the whole box: not enough here."""
        bar = self.verticalScrollBar()
        view = self.viewport().height()
        value = bar.value()
        if top - margin < value or height + 2 * margin > view:
            value = top - margin
        elif top + height + margin > value + view:
            value = top + height + margin - view
        bar.setValue(max(0, value))

    def reveal(self, target: QWidget, focus: QWidget | None = None) -> None:
        """Bring a widget (a row just added) into view, then the focused input inside it, now and once
        the layout has caught up: one never types below the visible part."""
        self._settle_layout()
        self._scroll_to(target)
        if focus is not None and focus is not target:
            self._scroll_to(focus)

        def later() -> None:
            self._scroll_to(target)
            if focus is not None and focus is not target:
                self._scroll_to(focus)

        QTimer.singleShot(0, later)

    def focus_first(self) -> bool:
        """The cursor on the section's first input, the form scrolled to its top (Ctrl+PgDown)."""
        for w in [*self._fields.values(), None]:
            if w is None and self._unbuilt:  # none in the first screenful: the rest is built now
                self.finish_building()
                return self.focus_first()
            if w is None:
                break
            if w.isHidden() or not w.spec.type.holds_answer:
                continue
            if w.focus_input():
                self.verticalScrollBar().setValue(0)
                focus = QApplication.focusWidget()
                self.reveal(focus if focus is not None and w.isAncestorOf(focus) else w)
                return True
        return False

    def _settle_layout(self) -> None:
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        page = self.widget()
        if page is not None and page.layout() is not None:
            page.layout().activate()

    def _scroll_to(self, target: QWidget) -> None:
        scroll_anchor.release(self)  # a deliberate scroll: the held position is not put back
        try:
            page = self.widget()
            if target.isVisibleTo(page):
                self._scroll_rect_into_view(target.mapTo(page, QPoint(0, 0)).y(), target.height())
                self.horizontalScrollBar().setValue(0)  # the field whole, never cut on its left
        except RuntimeError:  # the widget went away meanwhile (row removed)
            pass


def preload(template: Template) -> None:
    """Import what the first visit of each of ``template``'s sections would: its field types'
    widgets and what they build with, the budget panel. The window runs it in its idle time once a
    dossier is shown, so that a first visit builds without waiting for imports (Budget: 45 ms)."""
    preload_fields([f for s in template.sections for f in s.fields])
    # QStyle's Python class (16 ms of enums): the first paint no longer builds it (see
    # section_list.WrapDelegate), a first visit's check boxes and banners draw through it
    from PySide6.QtWidgets import QStyle  # noqa: F401

    from ..exports import place_text  # noqa: F401 - presentation.display_value's own late import

    if any(r.kind == "sum_equals" for r in template.rules):
        from . import budget_panel  # noqa: F401 - imported for later
