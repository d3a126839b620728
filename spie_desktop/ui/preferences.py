"""Préférences: who is writing (name and organisation, recorded in the change log), where
new dossiers go, and which other hosts of the platform may receive answers (https only).
Asked once at first start, editable any time.

Import circle allowed: « Parcourir… » asks :func:`.dialogs.ask_folder` at call time, through the
module tests replace the questions in, and :mod:`.dialogs` opens this dialog.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..platform_hosts import PLATFORM_HOSTS, HostNotAllowed, is_loopback, normal_host_entry
from ..settings import Settings, default_dossier_dir

HOSTS_HELP = (
    "Les réponses ne sont envoyées qu'à la plateforme (" + ", ".join(PLATFORM_HOSTS) + "). "
    "Ajoutez ici, un par ligne, un autre hôte de la plateforme que votre service utilise "
    "(par exemple « demarches.exemple.gouv.fr ») : il sera toujours joint en https."
)


class PreferencesDialog(QDialog):
    """Edits ``settings`` in place when accepted (the caller saves them)."""

    def __init__(
        self, settings: Settings, parent: QWidget | None = None, *, first_start: bool = False
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle("Bienvenue dans SPIE Desktop" if first_start else "Préférences")
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 95)
        layout = QVBoxLayout(self)
        if first_start:
            intro = QLabel(
                "Avant de commencer, indiquez votre nom et votre structure : ils accompagnent chacune de vos "
                "modifications, pour que les partenaires du consortium sachent qui a écrit quoi. "
                "Vous pourrez les changer dans Édition › Préférences.",
                self,
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
        browse.setAccessibleName(
            "Parcourir : emplacement des nouveaux dossiers"
        )  # the word on the button first
        browse.setAccessibleDescription("Choisir l'emplacement des nouveaux dossiers")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.folder_edit, 1)
        row.addWidget(browse)
        folder_label = QLabel("&Emplacement des nouveaux dossiers :", self)
        folder_label.setBuddy(self.folder_edit)
        form.addRow(folder_label, row)
        self.spell_check = QCheckBox("Souligner les &fautes d'orthographe pendant la saisie", self)
        self.spell_check.setChecked(settings.spell_check)
        form.addRow("", self.spell_check)
        from .zoom import MAX_POINTS, MIN_POINTS

        self.text_size = QSpinBox(self)
        self.text_size.setRange(MIN_POINTS - 1, MAX_POINTS)  # the minimum shows « Taille du système »
        self.text_size.setSpecialValueText("Taille du système")
        self.text_size.setSuffix(" points")
        self.text_size.setValue(settings.text_size or MIN_POINTS - 1)
        self.text_size.setAccessibleName("Taille du texte")
        size_label = QLabel("&Taille du texte :", self)
        size_label.setBuddy(self.text_size)
        form.addRow(size_label, self.text_size)
        layout.addLayout(form)
        self.hosts_edit = QPlainTextEdit("\n".join(settings.extra_hosts), self)
        self.hosts_edit.setAccessibleName("Autres hôtes de la plateforme, un par ligne")
        self.hosts_edit.setTabChangesFocus(True)
        self.hosts_edit.setMaximumHeight(self.fontMetrics().lineSpacing() * 5)
        self.hosts_problem = QLabel(self)
        self.hosts_problem.setTextFormat(Qt.TextFormat.PlainText)
        self.hosts_problem.setWordWrap(True)
        self.hosts_problem.setObjectName("hostsProblem")
        self.hosts_problem.hide()
        if not first_start:
            hosts_label = QLabel("Autres &hôtes de la plateforme :", self)
            hosts_label.setBuddy(self.hosts_edit)
            hosts_help = QLabel(HOSTS_HELP, self)
            hosts_help.setTextFormat(Qt.TextFormat.PlainText)
            hosts_help.setWordWrap(True)
            layout.addWidget(hosts_label)
            layout.addWidget(hosts_help)
            layout.addWidget(self.hosts_edit)
            layout.addWidget(self.hosts_problem)
        else:
            self.hosts_edit.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.buttons = buttons

    def _browse(self) -> None:
        from . import dialogs

        path = dialogs.ask_folder(self, self.folder_edit.text(), "Emplacement des nouveaux dossiers")
        if path:
            self.folder_edit.setText(path)

    def extra_hosts(self) -> list[str]:
        """The hosts typed, normalised; raises HostNotAllowed (French) for the first bad one."""
        out: list[str] = []
        for line in self.hosts_edit.toPlainText().splitlines():
            if not line.strip():
                continue
            host = normal_host_entry(line.strip().removeprefix("https://").rstrip("/"))
            if is_loopback(urlsplit(f"https://{host}").hostname or ""):
                raise HostNotAllowed(line.strip(), "un poste local ne peut pas être ajouté ici")
            if host not in out and host not in PLATFORM_HOSTS:
                out.append(host)
        return out

    def accept(self) -> None:
        try:
            hosts = self.extra_hosts()
        except HostNotAllowed as exc:
            self.hosts_problem.setText(str(exc))
            self.hosts_problem.show()
            self.hosts_edit.setFocus()
            return
        self.settings.extra_hosts = hosts
        self.settings.author_name = self.name_edit.text().strip()
        self.settings.author_organisation = self.org_edit.text().strip()
        folder = self.folder_edit.text().strip()
        self.settings.default_folder = "" if folder == str(default_dossier_dir()) else folder
        self.settings.spell_check = self.spell_check.isChecked()
        size = self.text_size.value()
        self.settings.text_size = 0 if size == self.text_size.minimum() else size
        super().accept()
