"""Where an export goes and what happens after it: the file filters, the name suggested, the « where
to save » question, opening the result or its folder, and saving the prefill data.

A leaf of the UI's export side: the « Exporter » menu (export_menu), the « Dépôt en ligne » view
(filing_view), its prefill tab (filing_prefill) and the online send (online_send) import it; it
imports none of them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

from . import dialogs
from .export_jobs import failure_message

if TYPE_CHECKING:
    from ..snapshot import DossierSnapshot

PDF_FILTER = "Documents PDF (*.pdf)"
TXT_FILTER = "Texte (*.txt)"
MD_FILTER = "Texte mis en forme Markdown (*.md)"
JSON_FILTER = "Fichiers JSON (*.json)"


class AfterExport(Enum):
    OPEN = "open"
    SHOW_FOLDER = "show_folder"
    CLOSE = "close"


def ask_export_path(
    parent: QWidget | None, title: str, suggested: str, file_filter: str, suffix: str
) -> str | None:
    """Where to write an export (the suffix is added when the user left it out)."""
    from .file_dialogs import get_save_file_name  # French, and Documents for the example's copy

    path = get_save_file_name(parent, title, suggested, file_filter)
    if not path:
        return None
    return path if path.lower().endswith(suffix) else path + suffix


def ask_after_export(
    parent: QWidget | None, path: Path, title: str, text: str, open_label: str
) -> AfterExport:
    box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.NoButton, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    opened = box.addButton(open_label, QMessageBox.ButtonRole.AcceptRole)
    folder = box.addButton("Afficher dans le &dossier", QMessageBox.ButtonRole.ActionRole)
    close = box.addButton("&Fermer", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(opened)
    box.setEscapeButton(close)
    box.exec()
    clicked = box.clickedButton()
    return (
        AfterExport.OPEN
        if clicked is opened
        else AfterExport.SHOW_FOLDER
        if clicked is folder
        else AfterExport.CLOSE
    )


def open_externally(target: str | Path) -> bool:
    """A file in the system's application for it (the PDF viewer prints), or a web address in the browser."""
    url = QUrl(target) if isinstance(target, str) and "://" in target else QUrl.fromLocalFile(str(target))
    return QDesktopServices.openUrl(url)


def show_in_folder(path: str | Path) -> bool:
    """The file's folder in the file manager, the file selected where the system allows it."""
    p = Path(path)
    try:
        if sys.platform == "win32":
            subprocess.Popen(["explorer", "/select,", str(p)])
            return True
        if sys.platform == "darwin":
            subprocess.Popen(["open", "-R", str(p)])
            return True
    except OSError:
        pass
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(p.parent)))


def export_file_name(title: str, what: str, suffix: str) -> str:
    """ "Candidature SPIE – Drôme - copie de relecture.pdf"."""
    from .start_screen import dossier_file_name

    stem = dossier_file_name(title)[: -len(".spie")]
    return f"{stem} - {what}{suffix}" if what else f"{stem}{suffix}"


def save_prefill(parent: QWidget, snapshot: DossierSnapshot, path: Path) -> Path | None:
    """Write the prefill object like the command line's ``export prefill`` and say how to use it."""
    from ..atomic import atomic_write_text
    from ..exports.prefill import build_prefill

    try:
        result = build_prefill(snapshot)
        atomic_write_text(path, json.dumps(result.as_json(), ensure_ascii=False, indent=2) + "\n")
    except Exception as exc:  # noqa: BLE001
        dialogs.show_error(parent, failure_message(exc, path), "Les données n'ont pas pu être enregistrées")
        return None
    lines = [
        f"Données de préremplissage enregistrées :\n{path}",
        "",
    ]  # shown as plain text (labels from the file)
    if not result.body:
        lines += [
            "Aucune réponse ne peut être préremplie : ce formulaire ne porte pas les identifiants de "
            "la plateforme, ou les réponses sont vides.",
            "",
        ]
    lines += [f"• {line}" for line in result.instructions()]
    if result.refused:
        lines += ["", "Non envoyé :"] + [f"• {label} : {reason}" for label, reason in result.refused]
    dialogs.show_info(parent, "Données de préremplissage", "\n".join(lines))
    return path
