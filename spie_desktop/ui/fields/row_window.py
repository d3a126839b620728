"""A windowed list of repetition rows: only the rows in or near the visible part of the form are
built as RowCards (issue 14). A 5 000-row budget opens as fast as a 10-row one.

The window is a plain widget as tall as all its rows (so the form's one vertical scroll bar stays
the only one, issue 12); rows it has never built count for an estimated height, rows it has built
for their measured one. On every scroll, resize or change of a built row's size it places the
built cards at their offsets, builds those that came near the view (half a view above and below)
and, beyond ``MAX_BUILT`` cards, drops the farthest ones (never the one holding the focus). The
owner (``RepetitionField``) keeps what must outlive a card: which rows are open, the problems.

Import circle allowed: the repetition (:class:`.repetition.RepetitionField`) is named for its type
only, under ``TYPE_CHECKING``.
"""

from __future__ import annotations

import time
from bisect import bisect_left, bisect_right
from itertools import accumulate
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPoint, QSize
from PySide6.QtWidgets import QApplication, QScrollArea, QSizePolicy, QWidget

from .. import idle_slices

if TYPE_CHECKING:
    from .repetition import RepetitionField

UNDO = "\x00undo"  # the item standing for the « ligne supprimée — Annuler » bar
SPACING = 8
MAX_BUILT = 60  # cards kept built; beyond, those far from the view go
NO_VIEW_HEIGHT = 900  # the rows "in view" of a shown field outside any scroll area


def widget_height(w: QWidget, width: int) -> int:
    h = w.heightForWidth(width) if w.hasHeightForWidth() else -1
    return max(h if h >= 0 else w.sizeHint().height(), w.minimumHeight())


class RowWindow(QWidget):
    """The rows of one repetition, built as they come into view."""

    def __init__(self, owner: RepetitionField) -> None:
        super().__init__(owner)
        self.owner = owner
        self.items: list[str] = []  # row ids in order, UNDO where the removed row stood
        self.heights: dict[str, int] = {}  # last measured height of each row ever built
        self.estimate = 0  # height of a row never built: the last folded row measured
        self._tops: list[int] = []
        self._total = 0
        self._area: QScrollArea | None = None
        self._busy = False
        self._again = False
        # Until its first paint, only the rows in view are built; the half views above and below,
        # ready for scrolling, once it has been painted (issue 14: a first visit waited for them).
        self._first_paint_pending = True
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setObjectName("rowWindow")

    # -- geometry ----------------------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        return QSize(max(self.width(), 200), self._total)

    def minimumSizeHint(self) -> QSize:
        return QSize(0, self._total)

    def top_of(self, key: str) -> int | None:
        """The y offset of a row (or of the undo bar) in this widget, built or not."""
        try:
            return self._tops[self.items.index(key)]
        except (ValueError, IndexError):
            return None

    def scroll_area(self) -> QScrollArea | None:
        """The form's scroll area, found once the form holds this field; its scrolling moves the window."""
        if self._area is None:
            w = self.parentWidget()
            while w is not None and not isinstance(w, QScrollArea):
                w = w.parentWidget()
            if w is not None:
                self._area = w
                w.verticalScrollBar().valueChanged.connect(self._scrolled)
                page = w.widget()
                if self._first_paint_pending and page is not None:
                    page.installEventFilter(self)  # the page covers the viewport: its paint
        return self._area

    def view_range(self, near: bool = True) -> tuple[int, int]:
        """The part of this widget in view (``near``: and half a view more on each side, once the
        form has been painted), in its own coordinates."""
        area = self.scroll_area()
        if area is None:
            return 0, NO_VIEW_HEIGHT
        viewport = area.viewport()
        top = self.mapFrom(viewport, QPoint(0, 0)).y()
        height = max(viewport.height(), 100)
        margin = height // 2 if near and not self._first_paint_pending else 0
        return top - margin, top + height + margin

    # -- placing ---------------------------------------------------------------------------------

    def set_items(self, items: list[str]) -> None:
        self.items = items
        self.relayout()

    def _measure(self, width: int) -> None:
        for rid, card in self.owner.cards.items():
            h = widget_height(card, width)
            self.heights[rid] = h
            if not card.expanded and not card.summary.text():
                self.estimate = h
        if self.owner.removed is not None:
            self.heights[UNDO] = widget_height(self.owner.undo_bar, width)

    def _offsets(self) -> None:
        estimate = self.estimate or self.fontMetrics().height() * 2 + 20
        heights = self.heights
        sizes = [heights.get(k, estimate) + SPACING for k in self.items]
        ends = list(accumulate(sizes))
        self._tops = [0, *ends[:-1]] if ends else []
        self._total = max(0, ends[-1] - SPACING) if ends else 0

    def wanted(self, near: bool = True) -> list[str]:
        """The row ids in view (``near``: or half a view away); none while the form is not shown
        (its first show builds them, where they really are)."""
        if not self.isVisible():
            return []
        lo, hi = self.view_range(near)
        first = max(0, bisect_right(self._tops, lo) - 1)
        last = bisect_left(self._tops, hi)
        return [k for k in self.items[first:last] if k != UNDO]

    def relayout(self) -> None:
        """Build the rows in view, drop far ones, and place every built card at its offset. The rows
        half a view away are built in the idle time (ui/idle_slices.py), a slice at a time, as are
        the rows in view of a repetition that such a slice showed: a scroll, a resize or a new row
        waits for what it shows, never for what it might show next."""
        if self._busy:
            self._again = True
            return
        self._busy = True
        before = set(self.owner.cards)
        until = idle_slices.deadline()  # within a slice: the rows half a view away too, until then
        cut = False  # the slice ended before every wanted row was built
        try:
            for _ in range(4):  # building a row changes its height (estimate → measured): settle
                self._again = False
                width = max(self.width(), 1)
                self._measure(width)
                self._offsets()
                built: list[str] = []
                missing = [rid for rid in self.wanted(near=until is not None) if rid not in self.owner.cards]
                for rid in missing:
                    if until is not None and built and time.perf_counter() >= until:
                        cut = True  # the rest at the next turn of the event loop
                        break
                    self.owner.build_card(rid)
                    built.append(rid)
                if built:
                    self._measure(width)
                    self._offsets()
                self._prune()
                self._place(width)
                if cut or (not built and not self._again):
                    break
        finally:
            self._busy = False
        if set(self.owner.cards) != before:  # rows built or let go: the form's Tab order follows them
            self.owner.structure_changed()
        if cut or (
            not self._first_paint_pending and any(r not in self.owner.cards for r in self.wanted())
        ):  # the rest in the coming turns
            idle_slices.add(self, self._build_rest)

    def _place(self, width: int) -> None:
        if self.minimumHeight() != self._total or self.maximumHeight() != self._total:
            self.setFixedHeight(self._total)
            # Every layout up to the form's page forgets its cached height now (Qt would pass the
            # change up one posted event per level, after a scroll to the new row had been computed).
            w = self.parentWidget()
            while w is not None and not isinstance(w, QScrollArea):
                if w.layout() is not None:
                    w.layout().invalidate()
                w = w.parentWidget()
        index = {k: i for i, k in enumerate(self.items)} if len(self.owner.cards) > 8 else None
        for rid, card in self.owner.cards.items():
            i = index.get(rid) if index is not None else self.items.index(rid) if rid in self.items else None
            if i is None:
                continue
            geometry = (0, self._tops[i], width, self.heights.get(rid, 0))
            if card.geometry().getRect() != geometry:
                card.setGeometry(*geometry)
            if card.isHidden():
                card.show()
        bar = self.owner.undo_bar
        if self.owner.removed is not None and UNDO in self.items:
            i = self.items.index(UNDO)
            bar.setGeometry(0, self._tops[i], width, self.heights.get(UNDO, 0))
            if bar.isHidden():
                bar.show()
        elif not bar.isHidden():
            bar.hide()

    def _prune(self) -> None:
        cards = self.owner.cards
        if len(cards) <= MAX_BUILT:
            return
        keep = set(self.wanted()) | self.owner.pinned
        focus = QApplication.focusWidget()
        where = {k: i for i, k in enumerate(self.items)}
        lo, hi = self.view_range()
        middle = bisect_right(self._tops, (lo + hi) // 2)
        far = sorted(
            (
                rid
                for rid in cards
                if rid not in keep and not (focus is not None and cards[rid].isAncestorOf(focus))
            ),
            key=lambda rid: -abs(where.get(rid, 0) - middle),
        )
        for rid in far[: len(cards) - MAX_BUILT * 2 // 3]:
            self.owner.drop_card(rid)

    # -- events ----------------------------------------------------------------------------------

    def _scrolled(self, _value: int) -> None:
        if self.isVisible():
            self.relayout()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:  # a built row grew or shrank
            self.relayout()
            return True
        return super().event(event)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self.relayout()

    def moveEvent(self, event) -> None:
        super().moveEvent(event)
        self.relayout()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.scroll_area()
        self.relayout()

    def eventFilter(self, watched, event) -> bool:
        """The form's first paint (its page's): now the rows half a view away are built too,
        whether or not any row of this repetition was in view (Tab from the field above reaches
        the first row below the view, as before)."""
        if event.type() == QEvent.Type.Paint and self._first_paint_pending:
            self._first_paint_pending = False
            watched.removeEventFilter(self)
            idle_slices.add(self, self._build_rest)
        return False

    def _build_rest(self, _deadline: float) -> bool:
        """The rows not built yet that are wanted (after the first paint: those half a view above
        and below), in this slice (ui/idle_slices.py, with the form's own fields); a relayout cut
        short queues this again."""
        if self.isVisible():
            self.relayout()
        return False
