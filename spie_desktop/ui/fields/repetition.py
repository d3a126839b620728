"""repetition: rows as collapsible cards (see row_card.py), each a small form of the row's children.

Rows are cards, not table cells, so long answers stay readable. A collapsed card is only its
header (number, first answer, problem count): its children are built the first time it opens.
Cards themselves are built only for the rows in or near the view (row_window.py): a 5 000-row
budget costs what its visible rows cost. What must outlive a card (which rows are open) lives
here. Removal is undone from an inline bar.

Import circle allowed: its rows (``row_card``, ``row_window``) name the repetition for its type only,
under ``TYPE_CHECKING``, and build their fields through the package's ``make_field`` at call time.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

from ...forms import FieldType
from ...forms.paths import FieldPath
from .. import style
from .attention import is_empty, shows_problems
from .base import FieldWidget
from .row_card import SUMMARY_TYPES, AnswersView, RowCard, short_value
from .row_window import UNDO, RowWindow
from .wrap import FlowLayout

EXPAND_ALL_UP_TO = 5  # rows shown open when the form opens; beyond, all start folded
TEXT_TITLE_TYPES = (FieldType.TEXT, FieldType.EPCI)


def title_child(spec) -> str | None:
    """The child whose answer names a row in its header: a required text, else a required
    drop-down (« Catégorie de dépense »), else any text."""
    children = spec.children
    for test in (
        lambda c: c.required and c.type in TEXT_TITLE_TYPES,
        lambda c: c.required and c.type is FieldType.DROP_DOWN_LIST,
        lambda c: c.type in TEXT_TITLE_TYPES,
    ):
        for c in children:
            if test(c):
                return c.id
    return None


FEMININE = {
    "action",
    "dépense",
    "ressource",
    "ligne",
    "structure",
    "étape",
    "personne",
    "pièce",
    "convention",
    "commune",
    "intercommunalité",
    "collectivité",
    "mesure",
    "activité",
    "date",
}


def add_label(row_label: str) -> str:
    """« Ajouter un membre », « Ajouter une action », « Ajouter un EPCI »."""
    noun = row_label.strip() or "ligne"
    if not noun.isupper():
        noun = noun[0].lower() + noun[1:]
    article = "une" if noun.lower() in FEMININE else "un"
    return f"Ajouter {article} {noun}"


class RepetitionField(FieldWidget):
    """repetition: cards, « Ajouter un membre », per-row Dupliquer / Monter / Descendre / Supprimer."""

    PRELOAD = (
        "spie_desktop.ui.paste_rows_dialog",  # « Coller des lignes… », made with the field
        "spie_desktop.ui.fields.expander_access",  # the rows' expanders
    )

    def build(self) -> None:
        self.cards: dict[str, RowCard] = {}  # the rows built (near the view, or asked for)
        self.order: list[str] = []
        self._index: dict[str, int] = {}
        self.expanded_rows: set[str] = set()  # open rows, built or not
        self.pinned: set[str] = set()  # rows asked for by card(): kept built while others scroll away
        self._read_only = False
        self.child_problems: dict[str, tuple] = {}
        self._expand_next: set[str] = set()
        self._first_load = True
        self.removed = None  # the last RemovedRow, for « Annuler »
        self.rows = RowWindow(self)
        self.body.addSpacing(4)
        self.body.addWidget(self.rows)
        self.empty_label = QLabel("Aucune ligne pour l'instant.", self)
        style.make_muted(self.empty_label)
        self.body.addWidget(self.empty_label)

        self.undo_bar = QFrame(self.rows)
        style.form_look(self.undo_bar, "undoBar")
        bar = QHBoxLayout(self.undo_bar)
        bar.setContentsMargins(10, 4, 4, 4)
        self.undo_text = QLabel(self.undo_bar)
        self.undo_text.setTextFormat(Qt.TextFormat.PlainText)
        self.undo_text.setWordWrap(True)
        bar.addWidget(self.undo_text, 1)
        self.undo_button = QPushButton("Annuler", self.undo_bar)
        self.undo_button.clicked.connect(self.undo_remove)
        bar.addWidget(self.undo_button)
        self.undo_close = QToolButton(self.undo_bar)
        self.undo_close.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # a click focuses it, not the page
        self.undo_close.setText("Fermer")
        self.undo_close.setAutoRaise(True)
        self.undo_close.clicked.connect(self.hide_undo)
        bar.addWidget(self.undo_close)
        self.undo_bar.hide()  # shown where the removed row was, inside the list of rows
        self._undo_index = 0

        self.add_button = QPushButton(add_label(self.spec.row_label), self)
        self.add_button.setAccessibleName(f"{add_label(self.spec.row_label)} : {self.spec.label}")
        buttons = QWidget(self)
        row = FlowLayout(buttons)  # « Ajouter … », « Coller des lignes… », « Copier les lignes », wrapping
        row.setContentsMargins(0, 4, 0, 0)
        row.addWidget(self.add_button)
        self.body.addWidget(buttons)
        from ..paste_rows_dialog import install_row_paste  # « Coller des lignes… », « Copier les lignes »

        install_row_paste(self, row)
        self.add_button.clicked.connect(self.add)
        self.controller.valueChanged.connect(self._value_changed)
        self._prefix = f"{self.spec.id}["
        self.title_child_id = title_child(self.spec)

    def inputs(self) -> list[QWidget]:
        return [self.add_button]

    def tab_chain(self) -> list[QWidget]:
        chain: list[QWidget] = []
        for w in self._row_widgets():
            chain.extend([self.undo_button, self.undo_close] if w is self.undo_bar else w.tab_chain())
        chain += [self.add_button, self.paste_button, self.copy_button]
        return chain

    def row_items(self) -> list[str]:
        """Row ids in order, with UNDO where the removed row stood."""
        items = list(self.order)
        if self.removed is not None:
            items.insert(min(self._undo_index, len(items)), UNDO)
        return items

    def _row_widgets(self) -> list[QWidget]:
        """The built cards in row order, with the undo bar where the removed row stood."""
        return [
            self.undo_bar if k == UNDO else self.cards[k]
            for k in self.row_items()
            if k == UNDO or k in self.cards
        ]

    def _lay_out_rows(self) -> None:
        self.rows.set_items(
            self.row_items()
        )  # at once, not at the next event loop turn: focus and tests follow

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self.add_button.setVisible(not read_only)
        for card in self.cards.values():
            card.set_read_only(read_only)

    def refresh(self) -> None:
        self.rows_changed()

    def focus_input(self) -> bool:
        if self.order:
            self.card(self.order[0]).toggle.setFocus(Qt.FocusReason.OtherFocusReason)
            return True
        if self.add_button.isVisible():
            self.add_button.setFocus(Qt.FocusReason.OtherFocusReason)
            return True
        return False

    # -- reading ---------------------------------------------------------------------------------

    def answers_view(self) -> AnswersView:
        return AnswersView(self.controller)

    def row_values(self, row_id: str) -> dict[str, Any]:
        return {c.id: self.controller.value(f"{self.spec.id}[{row_id}].{c.id}") for c in self.spec.children}

    def row_summary(self, row_id: str, limit: int = 3) -> str:
        """Short answers of a folded row besides its title (choices, numbers, dates), « · »-separated."""
        parts = []
        for c in self.spec.children:
            path = f"{self.spec.id}[{row_id}].{c.id}"
            if c.type is FieldType.PIECE_JUSTIFICATIVE:
                n = len(self.controller.attachments(path))
                text = f"{n} fichier{'s' if n > 1 else ''} joint{'s' if n > 1 else ''}" if n else ""
            elif c.id == self.title_child_id or c.type not in SUMMARY_TYPES:
                continue
            else:
                text = short_value(c, self.controller.value(path))
            if text:
                parts.append(text)
            if len(parts) == limit:
                break
        return " · ".join(parts)

    def row_problem_paths(self, row_id: str) -> list[str]:
        prefix = f"{self.spec.id}[{row_id}]."
        paths = [p for p, probs in self.child_problems.items() if probs and p.startswith(prefix)]
        if not paths or any(not is_empty(v) for v in self.row_values(row_id).values()):
            return paths  # a row with answers says what it lacks, folded or not
        return [p for p in paths if shows_problems(self.controller, p)]  # a new, empty row: no red yet

    def card(self, row_id: str) -> RowCard | None:
        """The card of a row, built (and placed) now if it was not: None for a row that is not there."""
        card = self.cards.get(row_id)
        if card is None and row_id in self._index:
            card = self.build_card(row_id)
            self.pinned = {row_id}  # the last row asked for stays built while the window moves
            self.rows.relayout()
            self.structure_changed()
        return card

    def index_of(self, row_id: str) -> int:
        return self._index.get(row_id, 0)

    def build_card(self, rid: str) -> RowCard:
        """Called by the row window for a row coming into view (and by card())."""
        card = RowCard(self, rid, self.rows)
        self.cards[rid] = card
        card.set_read_only(self._read_only)
        card.set_position(self._index.get(rid, 0), len(self.order))
        if rid in self.expanded_rows:
            card.set_expanded(True, relayout=False)
        return card

    def drop_card(self, rid: str) -> None:
        card = self.cards.pop(rid, None)
        if card is not None:
            card.hide()
            card.deleteLater()

    # -- keeping up with the dossier ---------------------------------------------------------------

    def rows_changed(self) -> None:
        ids = list(self.controller.row_ids(self.spec.id))
        self._index = {rid: i for i, rid in enumerate(ids)}
        self.order = ids
        if self.removed is not None and self.removed.values.get("_id") in self._index:  # back by Ctrl+Z
            self.removed = None
        self.rows.items = self.row_items()  # before dropping: a focus moving meanwhile may scroll the window
        for rid in [r for r in self.cards if r not in self._index]:
            self.drop_card(rid)
        self.expanded_rows &= self._index.keys()
        self.pinned &= self._index.keys()
        if self._first_load and len(ids) <= EXPAND_ALL_UP_TO:
            self.expanded_rows.update(ids)
        self._first_load = False
        self.expanded_rows.update(r for r in self._expand_next if r in self._index)
        self._expand_next -= self._index.keys()
        self._read_only = bool(self.controller.read_only)
        for rid, card in list(self.cards.items()):
            card.set_position(self._index[rid], len(ids))
            if rid in self.expanded_rows and not card.expanded:
                card.set_expanded(True, relayout=False)
        self._lay_out_rows()
        self.empty_label.setVisible(not ids)
        self.structure_changed()

    def _value_changed(self, path: str) -> None:
        if path.startswith(self._prefix):
            p = FieldPath.parse(path)
            card = self.cards.get(p.row or "")
            if card is None:
                return  # a row not built reads its answers when it comes into view
            card.update_header()  # the title, and a folded row's summary, follow every child (issue 12)
            if p.child in self._condition_fields:
                card.update_visibility()
        elif path in self._condition_fields:
            for card in self.cards.values():
                card.update_visibility()

    @property
    def _condition_fields(self) -> set[str]:
        cached = self.__dict__.get("_cond")
        if cached is None:
            cached = {c.visible_if.field for c in self.spec.children if c.visible_if is not None}
            self.__dict__["_cond"] = cached
        return cached

    # -- actions ---------------------------------------------------------------------------------

    def add(self) -> str | None:
        rid = self.controller.add_row(self.spec.id) if not self.controller.read_only else None
        if rid:
            self._open_and_focus(rid)
        return rid

    def duplicate(self, row_id: str) -> str | None:
        rid = self.controller.duplicate_row(self.spec.id, row_id)
        if rid:
            self._open_and_focus(rid)
        return rid

    def _open_and_focus(self, rid: str) -> None:
        if rid not in self._index:  # the controller's rowsChanged has not reached us (another hub)
            self._expand_next.add(rid)
            self.rows_changed()
        card = self.card(rid)
        if card is None:
            return
        card.set_expanded(True)
        for w in card.children_widgets.values():
            if w.isVisibleTo(card) and w.focus_input():
                break
        else:
            card.toggle.setFocus(Qt.FocusReason.OtherFocusReason)
        self._reveal(card)

    def _reveal(self, card: RowCard, *, with_focus: bool = True) -> None:
        """The row in view with the cursor in it (the form scrolls; one never types blind)."""
        from PySide6.QtWidgets import QApplication

        form = self.parentWidget()
        while form is not None and not hasattr(form, "reveal"):
            form = form.parentWidget()
        if form is None:
            return
        focus = QApplication.focusWidget() if with_focus else None
        focus = focus if focus is not None and card.isAncestorOf(focus) else None
        for _ in range(4):  # scrolling builds the rows that come into view: their real heights move it
            tops = list(self.rows._tops)
            form.reveal(card, focus)
            if self.rows._tops == tops:
                break

    def move(self, row_id: str, step: int) -> None:
        if row_id not in self._index:
            return
        key = "up" if step < 0 else "down"
        self.controller.move_row(self.spec.id, row_id, self._index[row_id] + step)
        card = self.card(row_id)
        if card is None:
            return
        button = card.buttons[key]
        if not button.isEnabled():
            button = card.buttons["down" if key == "up" else "up"]
        if button.isEnabled():
            button.setFocus(Qt.FocusReason.OtherFocusReason)

    def remove(self, row_id: str) -> None:
        card = self.card(row_id)
        title = card.title() if card else (self.spec.row_label or "Ligne")
        index = self._index.get(row_id, 0)
        removed = self.controller.remove_row(self.spec.id, row_id)
        if removed is None:
            return
        self.removed = removed
        self._undo_index = index
        self.undo_text.setText(f"{title} : ligne supprimée.")
        self.undo_button.setAccessibleName(f"Annuler la suppression de {title}")
        self._lay_out_rows()
        self.structure_changed()
        if self.order:  # focus stays nearby, never lost to the window
            neighbour = self.card(self.order[min(index, len(self.order) - 1)])
            neighbour.toggle.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.undo_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def undo_remove(self) -> str | None:
        if self.removed is None:
            return None
        removed, self.removed = self.removed, None
        rid = removed.values.get("_id")
        if rid:
            self._expand_next.add(rid)
        restored = self.controller.restore_row(removed)
        if not restored:  # refused (read-only, disk): the offer stays
            self.removed = removed
        self._lay_out_rows()
        self.structure_changed()
        if restored:
            self._open_and_focus(restored)
        return restored

    def hide_undo(self) -> None:
        """« Fermer »: the removal stays, the offer to undo it goes."""
        self.removed = None
        self._lay_out_rows()
        self.structure_changed()

    # -- problems and focus ----------------------------------------------------------------------

    def apply_report_problems(self, by_path: dict[str, tuple]) -> None:
        """Problems of this repetition's rows, keyed by stored child path."""
        old, self.child_problems = self.child_problems, by_path
        changed = {FieldPath.parse(p).row for p in set(old) | set(by_path) if old.get(p) != by_path.get(p)}
        for rid in changed:  # a re-check after each pause in typing touches only the rows it concerns
            card = self.cards.get(rid or "")
            if card is not None:
                card.apply_problems()

    def widget_for(self, path: str, *, open_row: bool = True) -> FieldWidget | None:
        """The child widget of a stored row path; opens the row (building it) when asked."""
        p = FieldPath.parse(path)
        card = self.card(p.row or "") if open_row else self.cards.get(p.row or "")
        if card is None:
            return None
        if open_row:
            if not card.expanded:
                card.set_expanded(True)
            if self.isVisible():  # the rows around it built and measured now: a scroll to it stays put
                self._reveal(card, with_focus=False)
        return card.children_widgets.get(p.child or "")

    def focus_row(self, index: int) -> bool:
        """↑ / ↓ on a row's header: the previous or next row's header, built and scrolled into view."""
        if not 0 <= index < len(self.order):
            return False
        card = self.card(self.order[index])
        if card is None:
            return False
        card.toggle.setFocus(Qt.FocusReason.OtherFocusReason)
        self._reveal(card)
        return True
