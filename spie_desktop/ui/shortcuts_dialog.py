"""Aide › Raccourcis clavier: every shortcut of :mod:`.shortcuts` and the other keys, in a table."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from .shortcuts import OTHER_KEYS, SHORTCUTS, UNDO_NOTE, native


class ShortcutsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Raccourcis clavier")
        layout = QVBoxLayout(self)
        tree = QTreeWidget(self)
        tree.setAccessibleName("Raccourcis clavier")
        tree.setHeaderLabels(["Touches", "Action"])
        tree.setRootIsDecorated(False)
        for seq, text in [*SHORTCUTS.values(), *OTHER_KEYS]:
            QTreeWidgetItem(tree, [native(seq), text])
        tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(tree)
        self.tree = tree
        note = QLabel(UNDO_NOTE, self)
        note.setWordWrap(True)
        layout.addWidget(note)
        self.note = note
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(self.fontMetrics().averageCharWidth() * 85, self.fontMetrics().height() * 26)
