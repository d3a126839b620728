"""Préférences: who is writing (name and organisation, recorded in the change log) and where
new dossiers go. Asked once at first start, editable any time."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget,
)

from ..settings import Settings, default_dossier_dir


class PreferencesDialog(QDialog):
    """Edits ``settings`` in place when accepted (the caller saves them)."""

    def __init__(self, settings: Settings, parent: QWidget | None = None, *, first_start: bool = False) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle("Bienvenue dans SPIE Desktop" if first_start else "Préférences")
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 95)
        layout = QVBoxLayout(self)
        if first_start:
            intro = QLabel(
                "Avant de commencer, indiquez votre nom et votre structure : ils accompagnent chacune de vos "
                "modifications, pour que les partenaires du consortium sachent qui a écrit quoi. "
                "Vous pourrez les changer dans Édition › Préférences.", self,
            )
            intro.setWordWrap(True)
            layout.addWidget(intro)
        form = QFormLayout()
        self.name_edit = QLineEdit(settings.author_name, self)
        self.name_edit.setPlaceholderText("Prénom Nom")
        self.name_edit.setAccessibleName("Votre nom")
        self.org_edit = QLineEdit(settings.author_organisation, self)
        self.org_edit.setPlaceholderText("Par exemple : Conseil départemental de la Drôme")
        self.org_edit.setAccessibleName("Votre structure")
        name_label, org_label = QLabel("Votre &nom :", self), QLabel("Votre &structure :", self)
        name_label.setBuddy(self.name_edit)
        org_label.setBuddy(self.org_edit)
        form.addRow(name_label, self.name_edit)
        form.addRow(org_label, self.org_edit)
        self.folder_edit = QLineEdit(settings.default_folder or str(default_dossier_dir()), self)
        self.folder_edit.setAccessibleName("Emplacement des nouveaux dossiers")
        self.folder_edit.setCursorPosition(0)  # the path's start shows, never « mer/home/Documents/… »
        self.folder_edit.setToolTip(self.folder_edit.text())
        self.folder_edit.textChanged.connect(self.folder_edit.setToolTip)
        browse = QPushButton("&Parcourir…", self)
        browse.setAccessibleName("Choisir l'emplacement des nouveaux dossiers")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.folder_edit, 1)
        row.addWidget(browse)
        folder_label = QLabel("&Emplacement des nouveaux dossiers :", self)
        folder_label.setBuddy(self.folder_edit)
        form.addRow(folder_label, row)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.buttons = buttons

    def _browse(self) -> None:
        from . import dialogs

        path = dialogs.ask_folder(self, self.folder_edit.text(), "Emplacement des nouveaux dossiers")
        if path:
            self.folder_edit.setText(path)

    def accept(self) -> None:
        self.settings.author_name = self.name_edit.text().strip()
        self.settings.author_organisation = self.org_edit.text().strip()
        folder = self.folder_edit.text().strip()
        self.settings.default_folder = "" if folder == str(default_dossier_dir()) else folder
        super().accept()
