"""« Imprimer… » (Ctrl+P): the options first (printer, copies, recto verso), then the review copy is
made by the same worker as the PDF export and handed to the system (see :mod:`spie_desktop.printing`).

Import circle allowed: the window (:class:`.main_window.MainWindow`) is named for its type only,
under TYPE_CHECKING; the window's writing tools import this module when « Imprimer » is used.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from .. import printing
from ..printing import PrintError, PrintOptions
from ..settings import data_dir
from . import dialogs
from .export_jobs import JobOutcome, JobResult, run_export

if TYPE_CHECKING:
    from .main_window import MainWindow

DEFAULT_PRINTER = "Imprimante par défaut"
SETTINGS_KEY = "print"  # settings.ui: the last options


class PrintOptionsDialog(QDialog):
    def __init__(
        self, options: PrintOptions, names: list[str], default: str | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Imprimer la copie de relecture")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "La copie de relecture (toutes les sections, les questions et vos réponses) est préparée "
            "puis envoyée à l'imprimante.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.printer = QComboBox(self)
        self.printer.setAccessibleName("Imprimante")
        if printing.uses_cups():
            self.printer.addItem(f"{DEFAULT_PRINTER} ({default})" if default else DEFAULT_PRINTER, None)
            for name in names:
                self.printer.addItem(name, name)
            index = self.printer.findData(options.printer) if options.printer else 0
            self.printer.setCurrentIndex(max(0, index))
            form.addRow("&Imprimante :", self.printer)
        self.copies = QSpinBox(self)
        self.copies.setRange(1, 99)
        self.copies.setValue(options.copies)
        self.copies.setAccessibleName("Nombre d'exemplaires")
        form.addRow("&Exemplaires :", self.copies)
        self.two_sided = QCheckBox("&Recto verso", self)
        self.two_sided.setChecked(options.two_sided)
        if printing.uses_cups():
            form.addRow("", self.two_sided)
        else:
            note = QLabel(
                "Windows imprime avec votre lecteur de PDF, sur l'imprimante par défaut et avec ses "
                "réglages (recto verso compris).",
                self,
            )
            note.setWordWrap(True)
            form.addRow("", note)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.ok = buttons.addButton("Imprimer", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def options(self) -> PrintOptions:
        return PrintOptions(
            self.printer.currentData() if self.printer.count() else None,
            self.copies.value(),
            self.two_sided.isChecked() and printing.uses_cups(),
        )


def ask_print_options(parent: QWidget | None, options: PrintOptions) -> PrintOptions | None:
    """The options dialog; None if cancelled (tests replace this function)."""
    names, default = printing.printers()
    dialog = PrintOptionsDialog(options, names, default, parent)
    return dialog.options() if dialog.exec() == QDialog.DialogCode.Accepted else None


def _saved(window: MainWindow) -> PrintOptions:
    store = window.settings.ui.get(SETTINGS_KEY)
    if not isinstance(store, dict):
        return PrintOptions()
    printer = store.get("printer")
    copies = store.get("copies")
    return PrintOptions(
        printer if isinstance(printer, str) else None,
        copies if isinstance(copies, int) and 1 <= copies <= 99 else 1,
        store.get("two_sided") is True,
    )


def print_folder() -> Path:
    """Where the printed copies are written (kept: a Windows reader opens the file after we return)."""
    folder = data_dir() / "impression"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.pdf"):  # copies of earlier prints
        try:
            old.unlink()
        except OSError:
            pass
    return folder


def print_review_copy(window: MainWindow):
    """Ctrl+P: options, the PDF in the background, then the system's printing. The running job, or None."""
    c = window.controller
    if c is None:
        return None
    options = ask_print_options(window, _saved(window))
    if options is None:
        return None
    window.settings.ui[SETTINGS_KEY] = {
        "printer": options.printer,
        "copies": options.copies,
        "two_sided": options.two_sided,
    }
    snapshot = c.snapshot()
    title = c.dossier.title or c.path.stem
    path = print_folder() / "copie-de-relecture.pdf"
    store = window.settings.ui.get("exports", {})
    pdf = store.get("pdf", {}) if isinstance(store, dict) and isinstance(store.get("pdf"), dict) else {}

    def work(progress, cancel) -> Path:
        from ..exports.pdf import write_pdf

        write_pdf(
            snapshot,
            path,
            wide_margins=bool(pdf.get("wide_margins")),
            include_comments=bool(pdf.get("include_comments")),
            progress=progress,
            cancel=cancel,
        )
        return path

    def done(result: JobResult) -> None:
        import shiboken6

        if not shiboken6.isValid(window):
            return
        if result.outcome is JobOutcome.FAILED:
            dialogs.show_error(window, result.message, "La copie à imprimer n'a pas pu être faite")
            return
        if result.outcome is JobOutcome.CANCELLED:
            window.statusBar().showMessage("Impression annulée.", 8000)
            return
        try:
            said = printing.send_to_printer(path, options, title=f"{title} — copie de relecture")
        except PrintError as exc:
            dialogs.show_error(window, str(exc), "Impression impossible")
            return
        window.statusBar().showMessage(said, 10000)

    return run_export(window, work, label="Préparation de la copie à imprimer…", path=path, on_done=done)
