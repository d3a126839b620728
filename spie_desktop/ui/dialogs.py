"""Every dialog the window opens, each behind a small module-level function.

The window calls these functions, never QMessageBox or QFileDialog directly, so tests replace
one function with ``monkeypatch`` and drive the rest of the window for real. Each imports the Qt
dialog it opens: the window's start-up opens none (QMessageBox's Python class and enums, issue 14).

Import circle allowed: :func:`ask_new_dossier` and :func:`ask_author` open the dialogs of
:mod:`.start_screen` and :mod:`.preferences`, whose « Parcourir… » ask :func:`ask_folder` back through
this module at call time — this module is the one place tests replace the questions.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from ..formatting import format_datetime
from .plain import plain_box, short

if TYPE_CHECKING:
    from ..models import DossierLocked
    from ..settings import Settings
    from .start_screen import NewDossierRequest

SPIE_FILTER = "Dossiers SPIE (*.spie)"


class LockChoice(Enum):
    READ_ONLY = "read_only"
    TAKE_OVER = "take_over"
    CANCEL = "cancel"


class UnsavedChoice(Enum):
    SAVE_COPY = "save_copy"
    DISCARD = "discard"
    CANCEL = "cancel"


#: The questions the window asks through this module (tests replace each by a failure, so that an
#: unexpected dialog fails the test instead of blocking it).
QUESTIONS = (
    "ask_open_path",
    "ask_save_path",
    "ask_folder",
    "confirm",
    "show_error",
    "show_info",
    "ask_text",
    "ask_lock_choice",
    "ask_unsaved_choice",
    "ask_new_dossier",
    "ask_author",
)


def ask_open_path(parent: QWidget | None, directory: str = "") -> str | None:
    filters = f"{SPIE_FILTER};;Tous les fichiers (*)"
    from . import file_dialogs  # Qt's file dialog classes load when one opens

    path = file_dialogs.get_open_file_name(parent, "Ouvrir un dossier", directory, filters)
    return path or None


def ask_save_path(
    parent: QWidget | None, suggested: str, title: str = "Enregistrer une copie sous…"
) -> str | None:
    """A path for a new .spie file (the extension is added when the user left it out)."""
    from . import file_dialogs  # Qt's file dialog classes load when one opens

    path = file_dialogs.get_save_file_name(parent, title, suggested, SPIE_FILTER)  # Documents for the example
    if not path:
        return None
    return path if path.lower().endswith(".spie") else path + ".spie"


def ask_folder(parent: QWidget | None, directory: str = "", title: str = "Choisir un dossier") -> str | None:
    from . import file_dialogs  # Qt's file dialog classes load when one opens

    path = file_dialogs.get_existing_directory(parent, title, directory)
    return path or None


def confirm(parent: QWidget | None, title: str, text: str, ok_text: str = "") -> bool:
    from PySide6.QtWidgets import QMessageBox

    box = plain_box(
        QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.Cancel, parent)
    )
    ok = box.addButton(ok_text or "OK", QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(ok)
    box.exec()
    return box.clickedButton() is ok


def show_error(parent: QWidget | None, text: str, title: str = "Opération impossible") -> None:
    from PySide6.QtWidgets import QMessageBox

    box = plain_box(QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent))
    box.exec()


def show_info(parent: QWidget | None, title: str, text: str) -> None:
    from PySide6.QtWidgets import QMessageBox

    box = plain_box(
        QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, parent)
    )
    box.exec()


def ask_text(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
    from PySide6.QtWidgets import QInputDialog, QLineEdit

    value, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, text)
    value = value.strip()
    return value if ok and value else None


def ask_lock_choice(parent: QWidget | None, exc: DossierLocked) -> LockChoice:
    """The file is open elsewhere: say who and since when, and let the user choose."""
    from PySide6.QtWidgets import QMessageBox

    holder = exc.holder
    who = short(holder.who)
    when = format_datetime(holder.since) if holder.since else "une date inconnue"
    box = plain_box(QMessageBox(parent))
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Dossier déjà ouvert")
    box.setText(f"Ce dossier est déjà ouvert par {who} depuis le {when}.")
    if exc.stale:
        box.setInformativeText(
            "Ce verrou semble abandonné (l'application a peut-être été fermée brutalement). "
            "Vous pouvez reprendre le dossier ou l'ouvrir en lecture seule."
        )
    else:
        box.setInformativeText(
            "Vous pouvez l'ouvrir en lecture seule. Ne reprenez le dossier que si vous êtes certain "
            "que l'autre fenêtre est fermée : sinon, les modifications de l'un écraseraient celles de l'autre."
        )
    read_only = box.addButton("Ouvrir en lecture seule", QMessageBox.ButtonRole.AcceptRole)
    take = box.addButton(
        "Reprendre le dossier" if exc.stale else "Reprendre quand même",
        QMessageBox.ButtonRole.DestructiveRole,
    )
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(read_only)
    box.exec()
    clicked = box.clickedButton()
    if clicked is read_only:
        return LockChoice.READ_ONLY
    if clicked is take:
        if not exc.stale and not confirm(
            parent,
            "Reprendre le dossier",
            f"{who} a peut-être encore ce dossier ouvert. Le reprendre peut faire perdre ses "
            "modifications. Continuer ?",
            "Reprendre le dossier",
        ):
            return LockChoice.CANCEL
        return LockChoice.TAKE_OVER
    return LockChoice.CANCEL


def ask_unsaved_choice(parent: QWidget | None, message: str) -> UnsavedChoice:
    """Closing while the last edits cannot be written: keep them in a copy, drop them, or stay."""
    from PySide6.QtWidgets import QMessageBox

    box = plain_box(QMessageBox(parent))
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Modifications non enregistrées")
    box.setText("Vos dernières modifications n'ont pas pu être enregistrées dans le fichier.")
    box.setInformativeText(message)
    copy = box.addButton("Enregistrer une copie sous…", QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton("Fermer sans enregistrer", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(copy)
    box.exec()
    clicked = box.clickedButton()
    if clicked is copy:
        return UnsavedChoice.SAVE_COPY
    if clicked is discard:
        return UnsavedChoice.DISCARD
    return UnsavedChoice.CANCEL


def ask_new_dossier(parent: QWidget | None, settings: Settings) -> NewDossierRequest | None:
    from .start_screen import NewDossierDialog

    dialog = NewDossierDialog(settings, parent)
    return dialog.request() if dialog.exec() else None


def ask_author(parent: QWidget | None, settings: Settings, *, first_start: bool = False) -> bool:
    """Edit the author's name, organisation and default folder; True when the user confirmed."""
    from .preferences import PreferencesDialog

    dialog = PreferencesDialog(settings, parent, first_start=first_start)
    return bool(dialog.exec())


def show_about(parent: QWidget | None) -> None:
    from PySide6.QtWidgets import QMessageBox

    from .. import APP_NAME, __version__

    QMessageBox.about(
        parent,
        f"À propos de {APP_NAME}",
        f"<h3>{APP_NAME} {__version__}</h3>"
        "<p>Préparer hors ligne, à plusieurs, le dossier de candidature à l'appel à manifestation "
        "d'intérêt « Service public de l'insertion et de l'emploi » (SPIE), puis le reporter sur "
        "demarches-simplifiees.fr.</p><p>Licence EUPL-1.2.</p>",
    )


def show_shortcuts(parent: QWidget | None) -> None:
    from .shortcuts_dialog import ShortcutsDialog

    ShortcutsDialog(parent).exec()


def default_copy_name(path: Path) -> str:
    return str(path.with_name(f"{path.stem} - copie{path.suffix or '.spie'}"))
