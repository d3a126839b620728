"""The history dialog: who changed what and when (newest first), restoring the value a change
replaced, and exporting the dossier as it was at a chosen date and time.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..formatting import format_datetime
from . import dialogs
from .plain import tooltip, window_title

if TYPE_CHECKING:
    from ..collab.history import HistoryEntry
    from ..models import DossierFile


JSON_FILTER = "Fichier d'échange JSON (*.json)"


def ask_json_path(parent: QWidget | None, suggested: str) -> str | None:
    from .file_dialogs import get_save_file_name

    path = get_save_file_name(parent, "Exporter le dossier tel qu'il était", suggested, JSON_FILTER)
    if not path:
        return None
    return path if path.lower().endswith(".json") else path + ".json"


class HistoryDialog(QDialog):
    """Who changed what and when, newest first; restore an earlier value; export a past state."""

    COLUMNS = ("Date", "Par", "Champ", "Modification")

    def __init__(
        self,
        dossier: DossierFile,
        path: str | None = None,
        *,
        label: str = "",
        on_restore: Callable[[int], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.dossier = dossier
        self.path = path
        self.on_restore = on_restore
        self.setWindowTitle(
            window_title(f"Historique de « {label or path} »") if path else "Historique du dossier"
        )
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, len(self.COLUMNS), self)
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(True)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.restore_button = QPushButton("Rétablir la valeur d'avant", self)
        self.restore_button.setToolTip(
            "Remet la valeur qui précédait cette modification (une nouvelle modification)"
        )
        row.addWidget(self.restore_button)
        row.addStretch(1)
        when_label = QLabel("Le dossier tel qu'il était le :", self)
        row.addWidget(when_label)
        self.when = QDateTimeEdit(QDateTime.currentDateTime(), self)
        when_label.setBuddy(self.when)
        self.when.setAccessibleName("Le dossier tel qu'il était le")
        self.when.setDisplayFormat("dd/MM/yyyy HH:mm")
        self.when.setCalendarPopup(True)
        row.addWidget(self.when)
        self.export_button = QPushButton("Exporter…", self)
        row.addWidget(self.export_button)
        layout.addLayout(row)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.button(QDialogButtonBox.StandardButton.Close).setText("Fermer")
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.restore_button.clicked.connect(self.restore_selected)
        self.export_button.clicked.connect(self.export_at)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.entries: list[HistoryEntry] = []
        self.reload()
        screen = self.screen().availableGeometry() if self.screen() is not None else None
        avg = self.fontMetrics().averageCharWidth()
        width, height = avg * 140, self.fontMetrics().height() * 32
        if screen is not None:
            width, height = min(width, screen.width() - 40), min(height, screen.height() - 60)
        self.resize(width, height)

    def reload(self) -> None:
        from ..collab.history import history

        self.entries = list(reversed(history(self.dossier, self.path)))
        self.table.setRowCount(len(self.entries))
        for i, e in enumerate(self.entries):
            for col, text in enumerate((format_datetime(e.at), e.who, e.label, e.text)):
                item = QTableWidgetItem(text)
                item.setToolTip(tooltip(text))
                self.table.setItem(i, col, item)
        self.table.resizeColumnsToContents()
        # « Champ » is capped so that « Modification » (what changed) gets the room; both wrap
        header = self.table.horizontalHeader()
        avg = self.fontMetrics().averageCharWidth()
        if header.sectionSize(2) > avg * 36:
            header.resizeSection(2, avg * 36)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(avg * 6)
        self.table.resizeRowsToContents()
        self._selection_changed()

    def selected(self) -> HistoryEntry | None:
        rows = self.table.selectionModel().selectedRows()
        return self.entries[rows[0].row()] if rows else None

    def _selection_changed(self) -> None:
        e = self.selected()
        self.restore_button.setEnabled(bool(e and e.restorable and not self.dossier.read_only))
        if e is not None:
            self.when.setDateTime(
                QDateTime.fromString(
                    datetime.fromisoformat(e.at).astimezone().strftime("%Y-%m-%d %H:%M:%S"),
                    "yyyy-MM-dd HH:mm:ss",
                )
            )

    def restore_selected(self) -> None:
        e = self.selected()
        if e is None or not e.restorable:
            return
        from ..models import DossierError

        try:
            if self.on_restore is not None:
                self.on_restore(e.change_id)
            else:
                from ..collab.history import restore

                restore(self.dossier, e.change_id)
        except DossierError as exc:
            dialogs.show_error(self, str(exc))
            return
        self.reload()

    def export_at(self) -> None:
        from ..atomic import atomic_write_text
        from ..collab.history import attachments_missing_at, snapshot_at
        from ..interchange import document_from_snapshot, dumps
        from ..models import DossierError

        when = self.when.dateTime().toPython().astimezone()
        stem = Path(self.dossier.path).stem
        target = ask_json_path(
            self, str(Path(self.dossier.path).with_name(f"{stem} au {when:%Y-%m-%d %Hh%M}.json"))
        )
        if not target:
            return
        try:
            snap = snapshot_at(self.dossier, when)
            atomic_write_text(target, dumps(document_from_snapshot(snap)))
        except (DossierError, OSError) as exc:
            dialogs.show_error(self, str(exc))
            return
        missing = attachments_missing_at(self.dossier, when)
        note = (
            (
                "\n\nPièces jointes de cette date qui ne sont plus dans le dossier (non exportées) : "
                + ", ".join(missing)
            )
            if missing
            else ""
        )
        dialogs.show_info(
            self,
            "Export terminé",
            f"Le dossier tel qu'il était le {format_datetime(when)} est enregistré dans :\n{target}{note}",
        )
