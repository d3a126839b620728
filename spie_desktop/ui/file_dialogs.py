"""File dialogs in French whatever ``LANG`` says, starting where the person expects.

Where the platform has a native dialog Qt uses it (in the system's language). Qt's own dialog
takes its sizes and dates from the *system* locale (« 2,00 KiB », « 1 12 2026 21:15 » under
``LANG=C.UTF-8``) and some words the French catalogue lacks (« &Look in: », « Folder »): a proxy
model shows sizes in Ko / Mo, dates dd/mm/yyyy hh:mm and types in French, and
:class:`~.qt_words.FallbackTranslator` (installed by ``app.install_french``) supplies the missing
words.

Start folders: a suggested path inside the application's hidden data folder (the example's
copy) is moved to the user's Documents, keeping its file name; attachments start in the last
folder used for one, else Documents.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QIdentityProxyModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QFileDialog, QFileSystemModel, QHeaderView, QTreeView, QWidget

from ..formatting import format_datetime, format_size
from .qt_words import MISSING_FRENCH, FallbackTranslator  # noqa: F401 - named here since the start


class FrenchFileModel(QIdentityProxyModel):
    """Qt's file list with French sizes, types and dates (the system locale may be C)."""

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        source = self.sourceModel()
        if (
            role == Qt.ItemDataRole.DisplayRole
            and isinstance(source, QFileSystemModel)
            and index.column() in (1, 2, 3)
        ):
            info = source.fileInfo(self.mapToSource(index))
            if index.column() == 1:
                return "" if info.isDir() else format_size(info.size())
            if index.column() == 2:
                if info.isDir():
                    return "Dossier"
                return f"Fichier {info.suffix().upper()}" if info.suffix() else "Fichier"
            return format_datetime(info.lastModified().toPython())
        return super().data(index, role)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        source = self.sourceModel()
        return source.headerData(section, orientation, role) if source is not None else None


def documents_dir() -> Path:
    from platformdirs import user_documents_dir

    return Path(user_documents_dir())


def visible_start(suggested: str) -> str:
    """The suggested path, moved to Documents when it lies in the application's hidden folders."""
    if not suggested:
        return str(documents_dir())
    from ..settings import config_dir, data_dir

    path = Path(suggested)
    try:
        resolved = path.resolve()
        hidden = any(resolved.is_relative_to(d.resolve()) for d in (data_dir(), config_dir()))
    except (OSError, ValueError):
        hidden = False
    if hidden:
        return str(documents_dir() / path.name) if path.suffix else str(documents_dir())
    return suggested


ATTACHMENT_FOLDER_KEY = "attachment_folder"


class FolderMemory:
    """The last folder a file was attached from, kept in the settings' ``ui`` part when the window
    binds them (so it survives a restart), else for the session only."""

    def __init__(self) -> None:
        self._store: dict = {}
        self._save: Callable[[], None] | None = None

    def bind(self, store: dict, save: Callable[[], None]) -> None:
        self._store, self._save = store, save

    def get(self) -> Path | None:
        value = self._store.get(ATTACHMENT_FOLDER_KEY)
        return Path(value) if isinstance(value, str) and value else None

    def set(self, folder: Path) -> None:
        if self._store.get(ATTACHMENT_FOLDER_KEY) == str(folder):
            return
        self._store[ATTACHMENT_FOLDER_KEY] = str(folder)
        if self._save is not None:
            self._save()


attachment_folder = FolderMemory()


def bind_settings(ui: dict, save: Callable[[], None]) -> None:
    """The window's settings keep the attachment folder across sessions."""
    attachment_folder.bind(ui, save)


def attachment_start() -> str:
    """The last folder a file was attached from, else Documents."""
    folder = attachment_folder.get()
    try:
        if folder is not None and folder.is_dir():
            return str(folder)
    except OSError:  # a network drive gone away
        pass
    return str(documents_dir())


def remember_attachment_dir(path: str) -> None:
    attachment_folder.set(Path(path).parent)


def _dialog(parent: QWidget | None, caption: str, directory: str, file_filter: str) -> QFileDialog:
    dialog = QFileDialog(parent, caption, directory, file_filter)
    dialog.setProxyModel(FrenchFileModel(dialog))  # used by Qt's own dialog; a native one ignores it
    tree = dialog.findChild(QTreeView, "treeView")
    if tree is not None:  # « Type » and the date whole, never « TO…nt »
        for column in (1, 2, 3):
            tree.header().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    return dialog


def get_open_file_name(
    parent: QWidget | None, caption: str, directory: str = "", file_filter: str = ""
) -> str:
    """A file to open; the dialog starts in ``directory``, or Documents (never the current folder
    nor the application's hidden folders)."""
    dialog = _dialog(parent, caption, visible_start(directory), file_filter)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
    return dialog.selectedFiles()[0] if dialog.exec() and dialog.selectedFiles() else ""


def get_save_file_name(
    parent: QWidget | None, caption: str, suggested: str = "", file_filter: str = ""
) -> str:
    start = visible_start(suggested)
    dialog = _dialog(parent, caption, start, file_filter)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    if Path(start).suffix:
        dialog.selectFile(start)
    return dialog.selectedFiles()[0] if dialog.exec() and dialog.selectedFiles() else ""


def get_existing_directory(parent: QWidget | None, caption: str, directory: str = "") -> str:
    dialog = _dialog(parent, caption, visible_start(directory) if directory else directory, "")
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    return dialog.selectedFiles()[0] if dialog.exec() and dialog.selectedFiles() else ""
