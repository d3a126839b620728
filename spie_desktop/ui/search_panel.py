"""« Rechercher » (Ctrl+F) and « Remplacer » (Ctrl+H): a dock listing every match of the dossier.

The panel asks :mod:`spie_desktop.search` for hits in the controller's snapshot (unsaved edits
included), shows them by section with an excerpt, and emits ``hitChosen`` on Enter or click: the
window goes to the field and :func:`select_match` selects the match in its input. Replacing
previews every changed answer first, then writes them through the controller as one batch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..search import HitKind, Replacement, SearchHit, plan_replacements, search
from .accessible_text import with_clear_button
from .edit_batch import edit_batch
from .section_list import WrapDelegate, plural

if TYPE_CHECKING:
    from .controller import DossierController

HIT_ROLE = Qt.ItemDataRole.UserRole + 1
SEARCH_DELAY_MS = 200
MAX_SHOWN = 500  # a one-letter query on a long dossier: the list stays responsive


def hit_text(hit: SearchHit) -> str:
    where = hit.question if not hit.location else f"{hit.question} ({hit.location})"
    return f"{hit.kind.value} — {where}\n{hit.excerpt_text()}"


def apply_replacements(controller: DossierController, plan: list[Replacement], label: str) -> int:
    """Write each replacement through the controller's normal edit path; how many answers changed."""
    done = 0
    with edit_batch(controller, label):
        for r in plan:
            if controller.value(r.path) != r.old:  # changed since the preview: leave it alone
                continue
            controller.set_value(r.path, r.new)
            done += 1
    return done


def utf16_offset(text: str, index: int) -> int:
    """Qt counts positions in UTF-16 units; Python in code points (they differ past U+FFFF)."""
    return len(text[:index].encode("utf-16-le")) // 2


def select_match(widget: QWidget | None, hit: SearchHit) -> bool:
    """Select the match in the field's input when it still holds the searched text."""
    if widget is None or hit.kind is not HitKind.ANSWER:
        return False
    edit = getattr(widget, "edit", None)
    if isinstance(edit, QLineEdit) and edit.text() == hit.text:
        start = utf16_offset(hit.text, hit.start)
        edit.setSelection(start, utf16_offset(hit.text, hit.end) - start)
        return True
    if isinstance(edit, QPlainTextEdit) and edit.toPlainText() == hit.text:
        cursor = edit.textCursor()
        cursor.setPosition(utf16_offset(hit.text, hit.start))
        cursor.setPosition(utf16_offset(hit.text, hit.end), QTextCursor.MoveMode.KeepAnchor)
        edit.setTextCursor(cursor)
        edit.ensureCursorVisible()
        return True
    return False


class ReplacePreview(QDialog):
    """Each answer that would change, before → after, with a box to leave it out."""

    def __init__(
        self, plan: list[Replacement], query: str, replacement: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Remplacer : aperçu")
        self.plan = plan
        layout = QVBoxLayout(self)
        count = sum(r.hit_count for r in plan)
        intro = QLabel(
            f"« {query} » sera remplacé par « {replacement} » : "
            f"{plural(count, 'occurrence', 'occurrences')} dans "
            f"{plural(len(plan), 'réponse', 'réponses')}. Décochez ce qui doit rester tel quel.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.tree = QTreeWidget(self)
        self.tree.setAccessibleName("Réponses modifiées par le remplacement")
        self.tree.setHeaderLabels(["Question", "Avant", "Après"])
        self.tree.setRootIsDecorated(False)
        self.tree.setWordWrap(True)
        for r in plan:
            where = r.question if not r.location else f"{r.question} ({r.location})"
            item = QTreeWidgetItem(self.tree, [where, _short(r.old), _short(r.new)])
            item.setCheckState(0, Qt.CheckState.Checked)
            item.setToolTip(1, r.old)
            item.setToolTip(2, r.new)
        layout.addWidget(self.tree, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.ok = buttons.addButton("Remplacer", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(self.fontMetrics().averageCharWidth() * 120, self.fontMetrics().height() * 24)

    def chosen(self) -> list[Replacement]:
        return [
            r
            for i, r in enumerate(self.plan)
            if self.tree.topLevelItem(i).checkState(0) == Qt.CheckState.Checked
        ]


def _short(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def confirm_replacements(
    parent: QWidget | None, plan: list[Replacement], query: str, replacement: str
) -> list[Replacement] | None:
    """The preview; the replacements kept, or None if cancelled (tests replace this function)."""
    dialog = ReplacePreview(plan, query, replacement, parent)
    return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None


class SearchPanel(QWidget):
    hitChosen = Signal(object)  # SearchHit
    replaced = Signal(int)  # answers changed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchPanel")
        self.controller: DossierController | None = None
        self.hits: list[SearchHit] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        self.query = QLineEdit(self)
        self.query.setPlaceholderText("Rechercher dans le dossier")
        self.query.setAccessibleName("Texte à rechercher")
        with_clear_button(self.query)
        self.query.textChanged.connect(lambda _t: self._timer.start())
        self.query.returnPressed.connect(self._enter)
        layout.addWidget(self.query)
        self.exact = QCheckBox("Respecter les &majuscules et les accents", self)
        self.exact.toggled.connect(lambda _on: self.refresh())
        layout.addWidget(self.exact)
        self.replace_row = QWidget(self)
        row = QHBoxLayout(self.replace_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.replacement = QLineEdit(self.replace_row)
        self.replacement.setPlaceholderText("Remplacer par")
        self.replacement.setAccessibleName("Texte de remplacement")
        self.replacement.returnPressed.connect(self.replace_all)
        self.replace_button = QPushButton("&Tout remplacer…", self.replace_row)
        self.replace_button.setToolTip("Dans les réponses écrites seulement ; un aperçu s'affiche d'abord.")
        self.replace_button.clicked.connect(self.replace_all)
        row.addWidget(self.replacement, 1)
        row.addWidget(self.replace_button)
        self.replace_row.hide()
        layout.addWidget(self.replace_row)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleDescription(
            "Nombre de résultats"
        )  # its name is its text (« 22 résultats. »)
        layout.addWidget(self.summary)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("searchResults")
        self.tree.setAccessibleName("Résultats de la recherche, par section")
        self.tree.setAccessibleDescription("Entrée ou clic : aller au champ et sélectionner le texte trouvé.")
        self.tree.setHeaderHidden(True)
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.tree.setItemDelegate(WrapDelegate(self.tree))
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.itemClicked.connect(self._on_item)
        self.tree.itemActivated.connect(self._on_item)
        layout.addWidget(self.tree, 1)
        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS, timeout=self.refresh)

    def set_controller(self, controller: DossierController | None) -> None:
        self.controller = controller
        self.refresh()

    def show_replace(self, on: bool) -> None:
        self.replace_row.setVisible(on)
        read_only = self.controller is None or self.controller.read_only
        self.replace_button.setEnabled(not read_only)
        self.replacement.setEnabled(not read_only)

    def refresh(self) -> None:
        self._timer.stop()
        text = self.query.text()
        c = self.controller
        self.hits = (
            search(c.snapshot(), text, exact=self.exact.isChecked()) if c is not None and text.strip() else []
        )
        self.tree.setUpdatesEnabled(False)
        self.tree.clear()
        groups: dict[str, QTreeWidgetItem] = {}
        for hit in self.hits[:MAX_SHOWN]:
            group = groups.get(hit.section_title)
            if group is None:
                group = groups[hit.section_title] = QTreeWidgetItem(self.tree, [hit.section_title])
                font = group.font(0)
                font.setBold(True)
                group.setFont(0, font)
                group.setFlags(Qt.ItemFlag.ItemIsEnabled)
                group.setExpanded(True)
            item = QTreeWidgetItem(group, [hit_text(hit)])
            item.setData(0, HIT_ROLE, hit)
            item.setToolTip(0, hit.text[:500])
        self.tree.setUpdatesEnabled(True)
        if not text.strip():
            self.summary.setText("")
        elif not self.hits:
            self.summary.setText(f"Aucun résultat pour « {text} ».")
        else:
            more = f" (les {MAX_SHOWN} premiers sont affichés)" if len(self.hits) > MAX_SHOWN else ""
            self.summary.setText(f"{plural(len(self.hits), 'résultat', 'résultats')}{more}.")

    def hit_items(self) -> list[QTreeWidgetItem]:
        out = []
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            out += [group.child(j) for j in range(group.childCount())]
        return out

    def _enter(self) -> None:
        """Enter in the query: the first result (or the one after the current one)."""
        if self._timer.isActive():
            self.refresh()
        items = self.hit_items()
        if not items:
            return
        current = self.tree.currentItem()
        i = items.index(current) + 1 if current in items else 0
        item = items[i % len(items)]
        self.tree.setCurrentItem(item)
        self._on_item(item)

    def _on_item(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        hit = item.data(0, HIT_ROLE)
        if hit is not None:
            self.hitChosen.emit(hit)

    def replace_all(self) -> None:
        c = self.controller
        query = self.query.text()
        if c is None or c.read_only or not query.strip():
            return
        replacement = self.replacement.text()
        plan = plan_replacements(c.snapshot(), query, replacement, exact=self.exact.isChecked())
        if not plan:
            self.summary.setText(f"Aucune réponse écrite ne contient « {query} ».")
            return
        chosen = confirm_replacements(self.window(), plan, query, replacement)
        if not chosen:
            return
        done = apply_replacements(c, chosen, f"Remplacer « {query} » par « {replacement} »")
        self.refresh()
        self.summary.setText(
            f"{plural(done, 'réponse modifiée', 'réponses modifiées')}. " + self.summary.text()
        )
        self.replaced.emit(done)
