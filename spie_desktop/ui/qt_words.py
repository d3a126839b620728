"""The few words of Qt's own dialogs that its French catalogue (qtbase_fr) lacks in Qt 6.

Installed by ``app.install_french`` with the application; kept apart from :mod:`.file_dialogs` so that
starting the window does not load the file dialog's classes (start-up, issue 14).
"""

from __future__ import annotations

from PySide6.QtCore import QTranslator

#: Words of Qt's file dialog that qtbase_fr lacks in Qt 6 (mnemonics added, contexts renamed).
MISSING_FRENCH: dict[tuple[str, str], str] = {
    ("QFileDialog", "&Look in:"): "&Voir dans\u00a0:",
    ("QFileDialog", "Files of &type:"): "Fichiers de &type\u00a0:",
    ("QFileDialog", "File &name:"): "&Nom de fichier\u00a0:",
    ("QAbstractFileIconProvider", "Folder"): "Dossier",
    ("QAbstractFileIconProvider", "Drive"): "Disque",
    ("QAbstractFileIconProvider", "File"): "Fichier",
    ("QAbstractFileIconProvider", "File Folder"): "Dossier",
    ("QAbstractFileIconProvider", "%1 File"): "Fichier %1",
    ("QFileSystemModel", "Folder"): "Dossier",
    ("QFileSystemModel", "%1 File"): "Fichier %1",
}


class FallbackTranslator(QTranslator):
    """The few French words Qt's catalogue misses; every other string is left to qtbase_fr."""

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        return MISSING_FRENCH.get((context, source))  # None: not ours, the next catalogue answers

    def isEmpty(self) -> bool:
        return False
