"""Fichier › Importer un formulaire en ligne…: a démarche's schema JSON becomes a template of the user's.

The schema is converted by :func:`~spie_desktop.exports.schema_import.template_from_schema`, checked
like any template, shown with its warnings, then saved in the user templates folder (so « Nouveau
dossier » lists it) and, if the user wants, a dossier is started from it at once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..presentation import plural
from . import dialogs
from .style import make_muted, scaled_font

if TYPE_CHECKING:
    from ..forms import Template
    from ..settings import Settings
    from .main_window import MainWindow
    from .start_screen import NewDossierRequest

SCHEMA_FILTER = "Formulaire de démarche (*.json);;Tous les fichiers (*)"


class ImportChoice(Enum):
    SAVE_AND_CREATE = "save_and_create"
    SAVE = "save"
    CANCEL = "cancel"


@dataclass(frozen=True)
class SchemaPreview:
    """What the user sees before saving: the converted template, its warnings, where it will go."""

    source: Path
    data: dict[str, Any]  # the spie-template
    template: Template
    warnings: list[str]
    target: Path
    replaces: bool  # a template with the same id and version is already in the user folder


def ask_schema_path(parent: QWidget | None, directory: str = "") -> str | None:
    from .file_dialogs import get_open_file_name  # French sizes and dates, Documents to start

    return get_open_file_name(parent, "Importer un formulaire en ligne", directory, SCHEMA_FILTER) or None


class SchemaImportDialog(QDialog):
    def __init__(self, preview: SchemaPreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choice = ImportChoice.CANCEL
        t = preview.template
        self.setWindowTitle("Importer un formulaire en ligne")
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 100)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.setSpacing(10)
        title = QLabel(t.title, self)
        title.setTextFormat(Qt.TextFormat.PlainText)
        title.setWordWrap(True)
        title.setFont(scaled_font(title.font(), 1.2, bold=True))
        layout.addWidget(title)
        fields = sum(1 for _ in t.iter_fields())
        platform = t.platform
        where = (
            f"https://{platform.host}/commencer/{platform.procedure_path}"
            if platform.procedure_path
            else "adresse inconnue (pas de lien de préremplissage)"
        )
        facts = QFormLayout()
        facts.setHorizontalSpacing(12)
        facts.setVerticalSpacing(4)
        rows = [
            ("Contenu :", f"{plural(len(t.sections), 'section')}, {plural(fields, 'question')}"),
            (
                "Démarche :",
                (f"n° {platform.procedure_number} — " if platform.procedure_number else "") + where,
            ),
            ("Version :", t.version),
            ("Fichier lu :", str(preview.source)),
        ]
        for name, value in rows:
            label = QLabel(value, self)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            facts.addRow(name, label)
        layout.addLayout(facts)
        if preview.warnings:
            head = QLabel(f"À savoir ({len(preview.warnings)}) :", self)
            head.setFont(scaled_font(head.font(), bold=True))
            layout.addWidget(head)
            warnings = QListWidget(self)
            warnings.setAccessibleName("Points d'attention de l'import")
            warnings.setWordWrap(True)
            warnings.addItems(preview.warnings)
            warnings.setMaximumHeight(self.fontMetrics().height() * 10)
            layout.addWidget(warnings)
            self.warnings = warnings
        else:
            layout.addWidget(QLabel("Toutes les questions ont été reprises telles quelles.", self))
        note = QLabel(
            ("Un modèle de même version est déjà installé : il sera remplacé. " if preview.replaces else "")
            + f"Le modèle sera enregistré dans vos modèles ({preview.target.parent}) et proposé par « Nouveau dossier ».",
            self,
        )
        note.setWordWrap(True)
        make_muted(note)
        layout.addWidget(note)
        layout.addStretch(1)
        buttons = QHBoxLayout()
        self.save_button = QPushButton("&Enregistrer le modèle", self)
        self.create_button = QPushButton("Enregistrer et &créer un dossier…", self)
        cancel = QPushButton("Annuler", self)
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(lambda: self._done(ImportChoice.SAVE_AND_CREATE))
        self.save_button.clicked.connect(lambda: self._done(ImportChoice.SAVE))
        cancel.clicked.connect(self.reject)
        buttons.addStretch(1)
        for b in (self.save_button, self.create_button, cancel):
            buttons.addWidget(b)
        layout.addSpacing(6)
        layout.addLayout(buttons)

    def _done(self, choice: ImportChoice) -> None:
        self.choice = choice
        self.accept()


def ask_import_choice(parent: QWidget | None, preview: SchemaPreview) -> ImportChoice:
    dialog = SchemaImportDialog(preview, parent)
    dialog.exec()
    return dialog.choice


def ask_new_dossier_from(
    parent: QWidget | None, settings: Settings, template: Template
) -> NewDossierRequest | None:
    """« Nouveau dossier » with the imported form already chosen."""
    from .start_screen import NewDossierDialog

    dialog = NewDossierDialog(settings, parent)
    select_template(dialog, template)
    return dialog.request() if dialog.exec() else None


def select_template(dialog: Any, template: Template) -> bool:
    combo = dialog.template_combo
    for i in range(combo.count()):
        t = combo.itemData(i)
        if t is not None and t.id == template.id and t.version == template.version:
            combo.setCurrentIndex(i)
            return True
    return False


# -- the work, without widgets ------------------------------------------------------------------


class SchemaImportFailed(Exception):
    """French message fit to show as is."""


def template_file_name(data: dict[str, Any]) -> str:
    import re

    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", f"{data.get('id', 'demarche')}-{data.get('version', '1')}").strip(
        "-."
    )
    return (stem or "demarche") + ".json"


def prepare(source: str | Path) -> SchemaPreview:
    """Read and convert a schema; raise SchemaImportFailed with a French message."""
    from ..exports.schema_import import SchemaImportError, template_from_schema
    from ..forms import TemplateError, parse_template
    from ..safe_json import TEMPLATE_LIMITS, JsonInputError, read_json_file
    from ..settings import user_templates_dir

    src = Path(source)
    try:
        raw = read_json_file(src, limits=TEMPLATE_LIMITS, source=src.name)
    except FileNotFoundError:
        raise SchemaImportFailed(f"Le fichier « {src} » est introuvable.") from None
    except OSError:
        raise SchemaImportFailed(f"Le fichier « {src.name} » ne peut pas être lu.") from None
    except JsonInputError as exc:
        raise SchemaImportFailed(f"{exc}.") from None
    try:
        data, warnings = template_from_schema(raw, source=str(src))
        template = parse_template(data, source=str(src))
    except (SchemaImportError, TemplateError) as exc:
        raise SchemaImportFailed(str(exc)) from None
    target = user_templates_dir() / template_file_name(data)
    return SchemaPreview(src, data, template, warnings, target, target.exists())


def save(preview: SchemaPreview) -> Path:
    """Write the template into the user folder (atomically); OSError on failure."""
    from ..atomic import atomic_write_text

    preview.target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(preview.target, json.dumps(preview.data, ensure_ascii=False, indent=2) + "\n")
    return preview.target


# -- the flow -----------------------------------------------------------------------------------


def import_schema(window: MainWindow) -> Path | None:
    """Ask for a schema, show what it becomes, save it; maybe start a dossier. The saved path, or None."""
    from ..forms import registry
    from .export_jobs import failure_message

    settings = window.settings
    folder = settings.ui.get("schema_folder") if isinstance(settings.ui.get("schema_folder"), str) else ""
    source = ask_schema_path(window, folder)
    if not source:
        return None
    settings.ui["schema_folder"] = str(Path(source).parent)
    try:
        preview = prepare(source)
    except SchemaImportFailed as exc:
        dialogs.show_error(window, str(exc), "Formulaire non importé")
        return None
    choice = ask_import_choice(window, preview)
    if choice is ImportChoice.CANCEL:
        return None
    try:
        path = save(preview)
    except OSError as exc:
        dialogs.show_error(
            window, failure_message(exc, preview.target), "Le modèle n'a pas pu être enregistré"
        )
        return None
    try:
        template = registry.load(path)
    except Exception as exc:  # noqa: BLE001 - written but unreadable: say so rather than crash
        dialogs.show_error(window, str(exc), "Le modèle n'a pas pu être relu")
        return path
    window.statusBar().showMessage(f"Formulaire « {template.title} » ajouté à vos modèles.", 10000)
    if choice is ImportChoice.SAVE_AND_CREATE:
        request = ask_new_dossier_from(window, settings, template)
        if request is not None:
            window.create_dossier(request)
    return path
