"""Qt's own file dialog in French whatever LANG says (words, sizes, types, dates), and file
dialogs starting where the person expects."""

from __future__ import annotations

import os
import time

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QPushButton, QTreeView

from spie_desktop.app import create_application
from spie_desktop.ui import file_dialogs


def _wait_rows(dialog, n: int):
    tree = dialog.findChild(QTreeView)
    for _ in range(100):
        QApplication.processEvents()
        if tree.model().rowCount(tree.rootIndex()) >= n:
            break
        time.sleep(0.02)
    return tree


def test_qt_file_dialog_is_french_to_the_last_word(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("LANG", "C.UTF-8")
    create_application()
    (tmp_path / "dossier.pdf").write_bytes(b"x" * 2048)
    (tmp_path / "Pièces").mkdir()
    os.utime(tmp_path / "dossier.pdf", (1796138100, 1796138100))  # 1er décembre 2026
    dialog = file_dialogs._dialog(None, "Exporter", str(tmp_path), "Documents PDF (*.pdf)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    qtbot.addWidget(dialog)
    dialog.show()
    tree = _wait_rows(dialog, 2)
    labels = [w.text() for w in dialog.findChildren(QLabel) if w.text()]
    assert "&Voir dans\u00a0:" in labels and "Fichiers de &type\u00a0:" in labels
    assert not any("Look in" in t or "Files of" in t for t in labels)
    assert {b.text() for b in dialog.findChildren(QPushButton)} >= {"&Enregistrer", "Annuler"}
    model, root = tree.model(), tree.rootIndex()
    rows = {
        model.index(r, 0, root).data(): [model.index(r, c, root).data() for c in range(4)]
        for r in range(model.rowCount(root))
    }
    assert rows["Pièces"][2] == "Dossier"
    _name, size, kind, when = rows["dossier.pdf"]
    assert size == "2,0\u00a0Ko" and kind == "Fichier PDF"
    assert when.startswith(time.strftime("%d/%m/%Y", time.localtime(1796138100)))
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)]
    assert headers == ["Nom", "Taille", "Type", "Dernière modification"]
    # the fallback never hides a string it does not know
    assert QCoreApplication.translate("Contexte", "Texte inconnu") == "Texte inconnu"


def test_a_hidden_suggestion_starts_in_documents(tmp_path, monkeypatch):
    data = tmp_path / "data"
    (data / "exemples").mkdir(parents=True)
    monkeypatch.setenv("SPIE_DESKTOP_DATA_DIR", str(data))
    monkeypatch.setattr(file_dialogs, "documents_dir", lambda: tmp_path / "Documents")
    example = data / "exemples" / "exemple.pdf"
    assert file_dialogs.visible_start(str(example)) == str(tmp_path / "Documents" / "exemple.pdf")
    mine = tmp_path / "travail" / "dossier.pdf"
    assert file_dialogs.visible_start(str(mine)) == str(mine)  # a user's dossier: its own folder


def test_attachments_start_in_the_last_folder_used(tmp_path, monkeypatch):
    monkeypatch.setattr(file_dialogs, "attachment_folder", file_dialogs.FolderMemory())
    monkeypatch.setattr(file_dialogs, "documents_dir", lambda: tmp_path / "Documents")
    assert file_dialogs.attachment_start() == str(tmp_path / "Documents")
    scans = tmp_path / "scans"
    scans.mkdir()
    file_dialogs.remember_attachment_dir(str(scans / "lettre.pdf"))
    assert file_dialogs.attachment_start() == str(scans)


def test_attach_asks_in_the_start_folder(tmp_path, monkeypatch):
    from spie_desktop.ui.fields import attachment

    seen = {}

    def fake(parent, caption, directory="", file_filter=""):
        seen["dir"] = directory
        return str(tmp_path / "scans" / "a.pdf")

    monkeypatch.setattr(file_dialogs, "get_open_file_name", fake)
    monkeypatch.setattr(file_dialogs, "attachment_folder", file_dialogs.FolderMemory())
    monkeypatch.setattr(file_dialogs, "documents_dir", lambda: tmp_path / "Documents")
    assert attachment.choose_file(None, "Joindre") == str(tmp_path / "scans" / "a.pdf")
    assert seen["dir"] == str(tmp_path / "Documents")
    assert file_dialogs.attachment_folder.get() == tmp_path / "scans"


def test_the_attachment_folder_survives_a_restart(tmp_path, monkeypatch):
    """Bound to the settings (as the window does), the folder is saved and read back next time."""
    from spie_desktop.settings import Settings, load_settings, save_settings

    path = tmp_path / "settings.json"
    settings = Settings()
    monkeypatch.setattr(file_dialogs, "attachment_folder", file_dialogs.FolderMemory())
    file_dialogs.bind_settings(settings.ui, lambda: save_settings(settings, path))
    scans = tmp_path / "scans"
    scans.mkdir()
    file_dialogs.remember_attachment_dir(str(scans / "lettre.pdf"))
    later = file_dialogs.FolderMemory()  # the next session
    later.bind(load_settings(path).ui, lambda: None)
    monkeypatch.setattr(file_dialogs, "attachment_folder", later)
    assert file_dialogs.attachment_start() == str(scans)
    scans.rmdir()  # gone since (an unplugged key): Documents again, no error
    monkeypatch.setattr(file_dialogs, "documents_dir", lambda: tmp_path / "Documents")
    assert file_dialogs.attachment_start() == str(tmp_path / "Documents")


def test_open_and_schema_dialogs_start_in_documents_with_french_sizes(tmp_path, monkeypatch, qtbot):
    """Ctrl+O and « Importer un formulaire en ligne » go through the French dialog: proxy model,
    Documents when no folder is known, never the current directory."""
    from spie_desktop.ui import schema_import_dialog

    monkeypatch.setattr(file_dialogs, "documents_dir", lambda: tmp_path / "Documents")
    seen = []
    real = file_dialogs._dialog

    def spy(parent, caption, directory, file_filter):
        dialog = real(parent, caption, directory, file_filter)
        seen.append((caption, directory, type(dialog.proxyModel()).__name__))
        monkeypatch.setattr(dialog, "exec", lambda: 0)
        return dialog

    monkeypatch.setattr(file_dialogs, "_dialog", spy)
    from spie_desktop.ui import dialogs

    assert dialogs.ask_open_path(None, "") is None
    assert schema_import_dialog.ask_schema_path(None, "") is None
    assert seen == [
        ("Ouvrir un dossier", str(tmp_path / "Documents"), "FrenchFileModel"),
        ("Importer un formulaire en ligne", str(tmp_path / "Documents"), "FrenchFileModel"),
    ]
