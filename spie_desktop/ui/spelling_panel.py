"""« Vérifier l'orthographe du dossier »: every unknown word of the written answers, one-line entries
included, grouped by word, each place one Enter from its field with the word selected."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..search import HitKind, SearchHit
from ..spelling import UnknownWord, check_dossier
from .section_list import plural
from .spell_highlighter import SpellService

if TYPE_CHECKING:
    from .controller import DossierController

PLACE_ROLE = Qt.ItemDataRole.UserRole + 1
WORD_ROLE = Qt.ItemDataRole.UserRole + 2


def as_hit(u: UnknownWord) -> SearchHit:
    return SearchHit(
        HitKind.ANSWER, u.section_id, u.section_title, u.question, u.path, u.text, u.start, u.end, u.location
    )


class SpellingPanel(QWidget):
    placeChosen = Signal(object)  # SearchHit of the unknown word

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("spellingPanel")
        self.controller: DossierController | None = None
        self.unknown: list[UnknownWord] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("unknownWords")
        self.tree.setAccessibleName("Mots inconnus du dossier")
        self.tree.setAccessibleDescription(
            "Entrée ou clic sur un endroit : aller au champ, le mot sélectionné."
        )
        self.tree.setHeaderHidden(True)
        self.tree.setWordWrap(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.itemActivated.connect(self._on_item)
        self.tree.itemClicked.connect(self._on_item)
        layout.addWidget(self.tree, 1)
        row = QHBoxLayout()
        self.add_button = QPushButton("&Ajouter au dictionnaire", self)
        self.ignore_button = QPushButton("&Ignorer", self)
        self.refresh_button = QPushButton("&Actualiser", self)
        self.add_button.clicked.connect(lambda: self._accept(add=True))
        self.ignore_button.clicked.connect(lambda: self._accept(add=False))
        self.refresh_button.clicked.connect(self.refresh)
        for b in (self.add_button, self.ignore_button, self.refresh_button):
            row.addWidget(b)
        row.addStretch(1)
        layout.addLayout(row)

    def set_controller(self, controller: DossierController | None) -> None:
        self.controller = controller

    def refresh(self) -> None:
        service = SpellService.instance()
        c = self.controller
        self.tree.clear()
        self.unknown = []
        if c is None:
            return
        if not service.wait_ready():
            self.summary.setText(service.error or "Le dictionnaire français n'est pas disponible.")
            return
        self.unknown = check_dossier(c.snapshot(), service.checker)
        groups: dict[str, list[UnknownWord]] = {}
        for u in self.unknown:
            groups.setdefault(u.word, []).append(u)
        for word, places in groups.items():
            group = QTreeWidgetItem(self.tree, [f"{word} — {plural(len(places), 'fois', 'fois')}"])
            group.setData(0, WORD_ROLE, word)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            for u in places:
                hit = as_hit(u)
                where = u.question if not u.location else f"{u.question} ({u.location})"
                item = QTreeWidgetItem(group, [f"{u.section_title} › {where}\n{hit.excerpt_text()}"])
                item.setData(0, PLACE_ROLE, hit)
                item.setData(0, WORD_ROLE, word)
            group.setExpanded(len(groups) <= 30)
        if not groups:
            self.summary.setText("Aucun mot inconnu dans les réponses écrites du dossier.")
        else:
            self.summary.setText(
                f"{plural(len(groups), 'mot inconnu', 'mots inconnus')}, "
                f"{plural(len(self.unknown), 'endroit', 'endroits')}."
            )

    def word_items(self) -> list[QTreeWidgetItem]:
        return [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]

    def _on_item(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        hit = item.data(0, PLACE_ROLE)
        if hit is None and item.childCount():
            hit = item.child(0).data(0, PLACE_ROLE)
        if hit is not None:
            self.placeChosen.emit(hit)

    def _accept(self, *, add: bool) -> None:
        item = self.tree.currentItem()
        word = item.data(0, WORD_ROLE) if item is not None else None
        if not word:
            return
        service = SpellService.instance()
        service.add_word(word) if add else service.ignore_word(word)
        self.refresh()
