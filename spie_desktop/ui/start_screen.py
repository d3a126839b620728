"""Accueil: create a dossier, open one, pick up a recent one, or explore the example.

Recent dossiers show title, form, completion, last change and place; what they show comes from
a small cache in ``settings.ui["recent_info"]`` refreshed (read-only, without locking) only when
the file changed since, so the screen appears at once even with a dozen files on a network share.

Import circle allowed: « Parcourir… » asks :func:`.dialogs.ask_folder` at call time, through the
module tests replace the questions in, and :mod:`.dialogs` opens the new-dossier dialog of this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from .. import APP_NAME
from ..formatting import format_datetime
from ..settings import RECENT_INFO_KEY, Settings, default_dossier_dir, remember_dossier  # noqa: F401
from .icons import app_icon, icon
from .plain import tooltip
from .section_list import percent_of

if TYPE_CHECKING:
    from ..forms import Template

PATH_ROLE = Qt.ItemDataRole.UserRole + 1
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]+')


def dossier_file_name(title: str) -> str:
    """A file name from the dossier's title: "Candidature SPIE – Drôme.spie"."""
    name = _UNSAFE.sub(" ", title)
    name = re.sub(r"\s+", " ", name).strip(" .")[:80].strip(" .")
    return (name or "Dossier SPIE") + ".spie"


def free_path(folder: Path, file_name: str) -> Path:
    """``folder/file_name``, or "name (2).spie", "name (3).spie"… when it is taken."""
    path = folder / file_name
    stem, suffix = path.stem, path.suffix
    n = 2
    while path.exists():
        path = folder / f"{stem} ({n}){suffix}"
        n += 1
    return path


def new_dossier_folder(settings: Settings) -> Path:
    return Path(settings.default_folder) if settings.default_folder else default_dossier_dir()


@dataclass(frozen=True)
class NewDossierRequest:
    template: Template
    title: str
    path: Path


@dataclass(frozen=True)
class RecentEntry:
    path: str
    exists: bool
    title: str = ""
    template: str = ""
    progress: float | None = None
    modified: str = ""  # ISO timestamp of the file's last change


def _mtime_iso(path: Path) -> str:
    return datetime.fromtimestamp(path.stat().st_mtime, UTC).isoformat(timespec="seconds")


def _read_info(path: Path) -> dict | None:
    """Title, form and completion of a dossier, read without locking it; None if unreadable."""
    from ..models import DossierError, open_dossier

    try:
        dossier = open_dossier(path, read_only=True)
    except (DossierError, OSError, LookupError):
        return None
    try:
        progress = None
        try:
            from ..checks import check

            progress = check(dossier.snapshot()).progress
        except Exception:  # noqa: BLE001 - a recent-list detail must never stop the start screen
            progress = None
        return {"title": dossier.title, "template": dossier.template.title, "progress": progress}
    finally:
        dossier.close()


def recent_entries(settings: Settings) -> list[RecentEntry]:
    cache = settings.ui.setdefault(RECENT_INFO_KEY, {})
    out = []
    for p in settings.recent_files:
        path = Path(p)
        try:
            st = path.stat()
        except OSError:
            info = cache.get(p) or {}
            out.append(RecentEntry(p, False, info.get("title", ""), info.get("template", "")))
            continue
        info = cache.get(p)
        if not info or info.get("mtime") != st.st_mtime_ns:
            fresh = _read_info(path)
            if fresh is not None:
                info = {**fresh, "mtime": st.st_mtime_ns}
                cache[p] = info
        info = info or {}
        out.append(
            RecentEntry(
                p,
                True,
                info.get("title") or path.stem,
                info.get("template", ""),
                info.get("progress"),
                _mtime_iso(path),
            )
        )
    return out


class StartScreen(QWidget):
    newRequested = Signal()
    openRequested = Signal()
    exampleRequested = Signal()
    pathChosen = Signal(str)
    recentRemoved = Signal(str)

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setObjectName("startScreen")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(32, 24, 32, 24)
        outer.setSpacing(14)

        head = QHBoxLayout()
        logo = QLabel(self)
        size = self.fontMetrics().height() * 3
        logo.setPixmap(app_icon().pixmap(QSize(size, size)))
        head.addWidget(logo)
        titles = QVBoxLayout()
        title = QLabel(APP_NAME, self)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        title.setFont(font)
        title.setAccessibleName(APP_NAME)
        subtitle = QLabel(
            "Préparez hors ligne, à plusieurs, votre candidature à l'AMI « Service public de l'insertion et "
            "de l'emploi », puis reportez-la sur demarches-simplifiees.fr.",
            self,
        )
        subtitle.setWordWrap(True)
        titles.addWidget(title)
        titles.addWidget(subtitle)
        head.addLayout(titles, 1)
        outer.addLayout(head)

        actions = QHBoxLayout()
        actions.setSpacing(10)
        self.new_button = self._action_button("&Nouveau dossier…", "Partir d'un formulaire vierge de l'appel")
        self.open_button = self._action_button("&Ouvrir un dossier…", "Un fichier .spie reçu ou enregistré")
        self.example_button = self._action_button(
            "Voir l'&exemple", "Une copie d'un dossier complet, pour découvrir"
        )
        self.new_button.setDefault(True)
        self.new_button.clicked.connect(self.newRequested)
        self.open_button.clicked.connect(self.openRequested)
        self.example_button.clicked.connect(self.exampleRequested)
        for b in (self.new_button, self.open_button, self.example_button):
            actions.addWidget(b)
        actions.addStretch(1)
        outer.addLayout(actions)

        recent_title = QLabel("Dossiers récents", self)
        font = recent_title.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        recent_title.setFont(font)
        outer.addWidget(recent_title)
        self.recent = QTreeWidget(self)
        self.recent.setObjectName("recentList")
        self.recent.setAccessibleName("Dossiers récents")
        self.recent.setAccessibleDescription("Entrée : ouvrir le dossier ; Suppr : le retirer de la liste.")
        # answers given, which is not readiness to file: the column says so
        self.recent.setHeaderLabels(
            ["Dossier", "Réponses obligatoires", "Dernière modification", "Emplacement"]
        )
        self.recent.setRootIsDecorated(False)
        self.recent.setAlternatingRowColors(True)
        self.recent.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # keep the file name of long paths
        self.recent.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.recent.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.resizeSection(3, self.fontMetrics().averageCharWidth() * 40)
        self.recent.itemActivated.connect(self._activated)
        self.recent.currentItemChanged.connect(lambda *_: self._update_buttons())
        outer.addWidget(self.recent, 1)
        self.empty_label = QLabel(
            "Aucun dossier récent. Créez un dossier, ouvrez un fichier .spie, ou glissez-le sur cette fenêtre.",
            self,
        )
        self.empty_label.setWordWrap(True)
        outer.addWidget(self.empty_label)

        bottom = QHBoxLayout()
        self.open_recent_button = QPushButton("Ou&vrir", self)
        self.open_recent_button.setAccessibleName("Ouvrir le dossier récent choisi")
        self.open_recent_button.clicked.connect(lambda: self._activated(self.recent.currentItem()))
        self.remove_button = QPushButton("&Retirer de la liste", self)
        self.remove_button.setAccessibleName("Retirer le dossier choisi de la liste des récents")
        self.remove_button.setToolTip(
            "Le fichier n'est pas supprimé : il disparaît seulement de cette liste."
        )
        self.remove_button.clicked.connect(self._remove_current)
        bottom.addWidget(self.open_recent_button)
        bottom.addWidget(self.remove_button)
        bottom.addStretch(1)
        hint = QLabel("Astuce : glissez un fichier .spie sur cette fenêtre pour l'ouvrir.", self)
        bottom.addWidget(hint)
        outer.addLayout(bottom)
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.recent)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self._remove_current)
        self._update_buttons()

    def _action_button(self, text: str, description: str) -> QPushButton:
        button = QPushButton(f"{text}", self)
        button.setToolTip(description)
        button.setAccessibleDescription(description)
        button.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        button.setMinimumHeight(self.fontMetrics().height() * 2 + 8)
        return button

    def showEvent(self, event) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self.refresh)  # after the first paint: reading files may take a moment

    def refresh(self) -> None:
        current = self.current_path()
        self.recent.clear()
        for entry in recent_entries(self.settings):
            if entry.exists:
                name = entry.title + (f"\n{entry.template}" if entry.template else "")
                progress = "—" if entry.progress is None else f"{percent_of(entry.progress)} %"
                modified = format_datetime(entry.modified)
                item = QTreeWidgetItem(self.recent, [name, progress, modified, entry.path])
                item.setIcon(0, icon("file-dossier"))
                item.setData(
                    0,
                    Qt.ItemDataRole.AccessibleTextRole,
                    f"{entry.title}, {entry.template}, {progress} des réponses obligatoires, modifié le {modified}",
                )
            else:
                name = (entry.title or Path(entry.path).stem) + "\nFichier introuvable (déplacé ou supprimé)"
                item = QTreeWidgetItem(self.recent, [name, "—", "—", entry.path])
                item.setIcon(0, icon("file-missing"))
                item.setData(
                    0,
                    Qt.ItemDataRole.AccessibleTextRole,
                    f"{entry.title or Path(entry.path).stem} : fichier introuvable, déplacé ou supprimé",
                )
                font = item.font(0)
                font.setItalic(True)
                item.setFont(0, font)
            item.setData(0, PATH_ROLE, entry.path)
            item.setToolTip(3, tooltip(entry.path))
            if entry.path == current:
                self.recent.setCurrentItem(item)
        if self.recent.currentItem() is None and self.recent.topLevelItemCount():
            self.recent.setCurrentItem(self.recent.topLevelItem(0))
        empty = self.recent.topLevelItemCount() == 0
        self.recent.setVisible(not empty)
        self.empty_label.setVisible(empty)
        self._update_buttons()

    def current_path(self) -> str | None:
        item = self.recent.currentItem()
        return item.data(0, PATH_ROLE) if item else None

    def _update_buttons(self) -> None:
        has = self.recent.currentItem() is not None
        self.open_recent_button.setEnabled(has)
        self.remove_button.setEnabled(has)

    def _activated(self, item: QTreeWidgetItem | None, _column: int = 0) -> None:
        if item is not None:
            self.pathChosen.emit(item.data(0, PATH_ROLE))

    def _remove_current(self) -> None:
        path = self.current_path()
        if path:
            self.recentRemoved.emit(path)


class NewDossierDialog(QDialog):
    """Template, title and folder of a new dossier; the file name follows the title."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from ..forms import registry

        self.setWindowTitle("Nouveau dossier")
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 100)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.template_combo = QComboBox(self)
        self.template_combo.setAccessibleName("Formulaire de l'appel")
        entries, errors = registry.available()
        for entry in reversed(entries):  # the newest wave first
            t = entry.template
            label = t.title + ("" if entry.builtin else " (modèle ajouté)")
            self.template_combo.addItem(label, t)
        self.title_edit = QLineEdit(self)
        self.title_edit.setAccessibleName("Titre du dossier")
        self.title_edit.setPlaceholderText("Par exemple : Candidature SPIE – Drôme")
        self.folder_edit = QLineEdit(str(new_dossier_folder(settings)), self)
        self.folder_edit.setAccessibleName("Dossier où enregistrer le fichier")
        self.folder_edit.setCursorPosition(0)  # the path's start shows
        self.folder_edit.setToolTip(self.folder_edit.text())
        self.folder_edit.textChanged.connect(self.folder_edit.setToolTip)
        browse = QPushButton("&Parcourir…", self)
        browse.setAccessibleName(
            "Parcourir : dossier où enregistrer le fichier"
        )  # the word on the button first
        browse.setAccessibleDescription("Choisir le dossier où enregistrer le fichier")
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(browse)
        for text, widget in (("&Formulaire :", self.template_combo), ("&Titre :", self.title_edit)):
            label = QLabel(text, self)
            label.setBuddy(widget)
            form.addRow(label, widget)
        folder_label = QLabel("&Emplacement :", self)
        folder_label.setBuddy(self.folder_edit)
        form.addRow(folder_label, folder_row)
        self.file_label = QLabel(self)
        self.file_label.setTextFormat(Qt.TextFormat.PlainText)
        self.file_label.setWordWrap(True)
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("Fichier :", self.file_label)
        layout.addLayout(form)
        if errors:
            note = QLabel(
                "Des modèles ajoutés n'ont pas pu être lus :\n" + "\n".join(str(e) for e in errors), self
            )
            note.setTextFormat(Qt.TextFormat.PlainText)
            note.setWordWrap(True)
            layout.addWidget(note)
        line = QFrame(self)
        line.setFrameShape(QFrame.Shape.HLine)
        layout.addWidget(line)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.create_button = self.buttons.addButton(
            "Créer le dossier", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.create_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.title_edit.textChanged.connect(self._update)
        self.folder_edit.textChanged.connect(self._update)
        self.template_combo.currentIndexChanged.connect(self._update)
        self._update()

    def _browse(self) -> None:
        from . import dialogs

        path = dialogs.ask_folder(self, self.folder_edit.text(), "Emplacement du nouveau dossier")
        if path:
            self.folder_edit.setText(path)

    def target_path(self) -> Path:
        folder = Path(self.folder_edit.text().strip() or str(default_dossier_dir())).expanduser()
        return free_path(folder, dossier_file_name(self.title_edit.text()))

    def _update(self) -> None:
        ok = bool(self.title_edit.text().strip()) and self.template_combo.count() > 0
        self.create_button.setEnabled(ok)
        if ok:  # the name, then its folder: a long path never runs off the dialog
            target = self.target_path()
            self.file_label.setText(f"{target.name}\ndans {target.parent}")
            self.file_label.setToolTip(str(target))
        else:
            self.file_label.setText("Donnez un titre au dossier.")

    def request(self) -> NewDossierRequest:
        return NewDossierRequest(
            self.template_combo.currentData(), self.title_edit.text().strip(), self.target_path()
        )
