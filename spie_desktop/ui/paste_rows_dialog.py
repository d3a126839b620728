"""« Coller des lignes… » on a repetition (or Ctrl+V on it): cells copied from a spreadsheet, shown
in a preview where each column is mapped to one of the row's questions, with what cannot be read
said cell by cell; the rows are added through the controller as one batch. « Copier les lignes »
puts the rows on the clipboard as a spreadsheet reads them (TSV and HTML).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QEvent, QMimeData, QObject, Qt
from PySide6.QtGui import QAction, QBrush, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..forms.types import FieldSpec
from . import style
from .edit_batch import edit_batch
from .section_list import plural
from .style import Tone

# table_paste (and the search module it needs) loads at the first paste or copy, not with the first
# repetition shown: 20 ms of a first visit (issue 14).
if TYPE_CHECKING:
    from ..table_paste import PastePlan


class RepetitionField(Protocol):
    """The repetition widget the rows are pasted into (a protocol: the repetition imports this module)."""

    spec: FieldSpec
    controller: Any  # the window's DossierController
    order: list[str]  # its row ids, in order
    paste_button: QPushButton
    copy_button: QPushButton
    paste_action: QAction

    def row_values(self, row_id: str) -> dict[str, Any]: ...

    def window(self) -> QWidget: ...

    def addAction(self, action: QAction) -> None: ...

    def isAncestorOf(self, child: QWidget) -> bool: ...


IGNORE = "— ne pas reprendre —"


class PasteRowsDialog(QDialog):
    def __init__(self, spec: FieldSpec, cells: list[list[str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.cells = cells
        from ..table_paste import pasteable_children, plan_paste

        self.children = pasteable_children(spec)
        self.plan = plan_paste(spec, cells)
        self.setWindowTitle(f"Coller des lignes : {spec.label}")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Vérifiez à quelle question va chaque colonne. Les cases que l'application ne sait pas "
            "lire sont signalées et restent vides ; vous pourrez les compléter ensuite.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        width = max((len(r) for r in cells), default=0)
        self.combos: list[QComboBox] = []
        self.table = QTableWidget(self)
        self.table.setAccessibleName("Aperçu des lignes à ajouter")
        self.table.setColumnCount(width)
        self.table.horizontalHeader().setVisible(False)
        layout.addWidget(self.table, 1)
        self.problems = QLabel(self)
        self.problems.setWordWrap(True)
        self.problems.setObjectName("pasteProblems")
        layout.addWidget(self.problems)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.ok = buttons.addButton("Ajouter", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        for j in range(width):
            combo = QComboBox(self.table)
            combo.setAccessibleName(f"Question de la colonne {j + 1}")
            combo.addItem(IGNORE, None)
            for c in self.children:
                combo.addItem(c.label, c.id)
            mapped = self.plan.columns[j] if j < len(self.plan.columns) else None
            combo.setCurrentIndex(max(0, combo.findData(mapped)) if mapped else 0)
            combo.currentIndexChanged.connect(lambda _i: self._remap())
            self.combos.append(combo)
        self._fill()
        fm = self.fontMetrics()
        table_width = (
            sum(self.table.columnWidth(j) for j in range(width))
            + self.table.verticalHeader().width()
            + 2 * self.table.frameWidth()
            + fm.averageCharWidth() * 4
        )
        self.resize(
            max(fm.averageCharWidth() * 90, min(table_width, fm.averageCharWidth() * 170)), fm.height() * 26
        )

    def columns(self) -> list[str | None]:
        return [c.currentData() for c in self.combos]

    def _remap(self) -> None:
        from ..table_paste import plan_paste

        self.plan = plan_paste(self.spec, self.cells, self.columns())
        self._fill()

    def _fill(self) -> None:
        plan = self.plan
        data = plan.cells
        self.table.setRowCount(len(data) + 1)
        for j, combo in enumerate(self.combos):
            self.table.setCellWidget(0, j, combo)
        self.table.setVerticalHeaderLabels(["Question"] + [str(i + 1) for i in range(len(data))])
        bad = {(p.row, p.column): p.message for p in plan.problems}
        warn = QBrush(style.tone_color(self.palette(), Tone.WARNING))
        for i, row in enumerate(data):
            for j in range(len(self.combos)):
                text = row[j] if j < len(row) else ""
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                message = bad.get((i, j))
                if message:
                    item.setIcon(style.tone_icon(Tone.WARNING))
                    item.setForeground(warn)
                    item.setToolTip(message)
                    item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, message)
                elif self.combos[j].currentData() is None:
                    item.setForeground(QBrush(style.muted_color(self.palette())))
                self.table.setItem(i + 1, j, item)
        self.table.resizeColumnsToContents()
        for j, combo in enumerate(self.combos):  # the question's name must be readable above its column
            self.table.setColumnWidth(j, max(self.table.columnWidth(j), combo.sizeHint().width()))
        rows = sum(1 for r in plan.rows if r)
        self.ok.setText(f"Ajouter {plural(rows, 'ligne', 'lignes')}")
        self.ok.setEnabled(rows > 0)
        if plan.problems:
            lines = [f"Ligne {p.row + 1}, colonne {p.column + 1} : {p.message}" for p in plan.problems[:8]]
            more = len(plan.problems) - len(lines)
            if more > 0:
                lines.append(f"… et {plural(more, 'autre case', 'autres cases')}.")
            self.problems.setText(
                f"{plural(len(plan.problems), 'case illisible', 'cases illisibles')} "
                "(laissées vides) :\n" + "\n".join(lines)
            )
            style.set_text_color(self.problems, style.tone_color(self.palette(), Tone.WARNING))
        else:
            self.problems.setText("Toutes les cases ont été lues.")


def ask_paste_rows(parent: QWidget | None, spec: FieldSpec, cells: list[list[str]]) -> PastePlan | None:
    """The preview; the plan to apply, or None if cancelled (tests replace this function)."""
    dialog = PasteRowsDialog(spec, cells, parent)
    return dialog.plan if dialog.exec() == QDialog.DialogCode.Accepted else None


def clipboard_cells() -> list[list[str]]:
    data = QApplication.clipboard().mimeData()
    if data is None:
        return []
    from ..table_paste import read_clipboard

    return read_clipboard(data.text() if data.hasText() else "", data.html() if data.hasHtml() else None)


def add_rows(field: RepetitionField, plan: PastePlan) -> int:
    """Add the plan's rows at the end, through the controller, as one batch; how many were added."""
    controller = field.controller
    added = 0
    with edit_batch(controller, f"Coller des lignes dans « {field.spec.label} »"):
        for values in plan.rows:
            if values and controller.add_row(field.spec.id, dict(values)):
                added += 1
    return added


def paste_rows(field: RepetitionField) -> int:
    """« Coller des lignes… »: read the clipboard, preview, add. How many rows were added."""
    if field.controller.read_only:
        return 0
    cells = clipboard_cells()
    if not cells:
        from . import dialogs

        dialogs.show_info(
            field.window(),
            "Coller des lignes",
            "Le presse-papiers ne contient pas de cellules : copiez d'abord des lignes dans "
            "votre tableur (LibreOffice Calc, Excel), puis recommencez.",
        )
        return 0
    plan = ask_paste_rows(field.window(), field.spec, cells)
    return add_rows(field, plan) if plan is not None else 0


def copy_rows(field: RepetitionField) -> int:
    """« Copier les lignes »: every row, with a header, as TSV and HTML. How many rows were copied."""
    rows = [field.row_values(rid) for rid in field.order]
    from ..table_paste import rows_as_table

    tsv, markup = rows_as_table(field.spec, rows)
    data = QMimeData()
    data.setText(tsv)
    data.setHtml(markup)
    QApplication.clipboard().setMimeData(data)
    app = QApplication.instance()
    if not getattr(app, "_spie_clipboard_hook", False):
        app.aboutToQuit.connect(release_clipboard)
        app._spie_clipboard_hook = True  # type: ignore[attr-defined]
    return len(rows)


def release_clipboard() -> None:
    """Before quitting, our rows go back on the clipboard as plain text: Qt (6.8–6.11, PySide) crashes
    at exit while the clipboard still holds a QMimeData made in Python."""
    clipboard = QApplication.clipboard()
    clipboard.setText(clipboard.text())


def install_row_paste(field: RepetitionField, row: QLayout) -> None:
    """The two buttons beside « Ajouter … », and Ctrl+V on the repetition (its text inputs keep their own)."""
    paste = QPushButton("Coller des lignes…", field)
    paste.setAccessibleName(f"Coller des lignes depuis un tableur : {field.spec.label}")
    paste.setToolTip("Des cellules copiées dans LibreOffice Calc ou Excel, avec ou sans ligne d'en-tête.")
    paste.clicked.connect(lambda: paste_rows(field))
    copy = QPushButton("Copier les lignes", field)
    copy.setAccessibleName(f"Copier les lignes pour un tableur : {field.spec.label}")
    copy.clicked.connect(lambda: copy_rows(field))
    row.addWidget(paste)  # after « Ajouter … », flowing onto the next line when the form is narrow
    row.addWidget(copy)
    paste.setVisible(not field.controller.read_only)
    action = QAction("Coller des lignes", field)
    action.setShortcut(QKeySequence(QKeySequence.StandardKey.Paste))
    action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    action.triggered.connect(lambda _c=False: paste_rows(field))
    field.addAction(action)
    field.paste_button, field.copy_button, field.paste_action = paste, copy, action
    cells = _CellPaste(field)
    QApplication.instance().focusChanged.connect(cells.focus_changed)


class _CellPaste(QObject):
    """Ctrl+V of several spreadsheet cells in one entry of a row (an amount, a name) opens the preview
    instead of pasting « 1 234,56<tab>Obtenu… » as one value; a single cell pastes as usual."""

    def __init__(self, field: RepetitionField) -> None:
        super().__init__(field)
        self.field = field

    def focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if isinstance(new, QLineEdit) and not new.property("spieCellPaste") and self.field.isAncestorOf(new):
            new.setProperty("spieCellPaste", True)
            new.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.matches(QKeySequence.StandardKey.Paste)
        ):
            text = QApplication.clipboard().text().strip("\r\n")
            if "\t" in text or "\n" in text:
                paste_rows(self.field)
                return True
        return False
