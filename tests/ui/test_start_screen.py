"""Accueil: create a dossier, open one, recent dossiers (moved ones too), the example, drag and drop."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from spie_desktop.app import create_application
from spie_desktop.forms import registry
from spie_desktop.models import DossierFile, open_dossier
from spie_desktop.resources_path import resource
from spie_desktop.settings import Settings, load_settings
from spie_desktop.ui import dialogs
from spie_desktop.ui.main_window import MainWindow
from spie_desktop.ui.start_screen import NewDossierDialog, dossier_file_name, free_path

TEMPLATE = "ami-spie-2021-vague2"


@pytest.fixture
def settings(tmp_path, monkeypatch):
    monkeypatch.setenv("SPIE_DESKTOP_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("SPIE_DESKTOP_DATA_DIR", str(tmp_path / "data"))
    for name in ("show_error", "ask_unsaved_choice", "ask_lock_choice", "ask_open_path", "ask_new_dossier"):
        monkeypatch.setattr(
            dialogs, name, lambda *a, name=name, **k: pytest.fail(f"dialogue inattendu : {name}")
        )
    return Settings(
        author_name="Camille Test", author_organisation="CD Test", default_folder=str(tmp_path / "docs")
    )


@pytest.fixture
def window(qtbot, settings):
    create_application()
    w = MainWindow(settings)
    qtbot.addWidget(w)
    w.resize(1100, 760)
    w.show()
    qtbot.waitExposed(w)
    yield w
    if w.controller is not None:
        w.controller.discard_and_close()
        w.controller = None


def make_dossier(path: Path, title: str) -> Path:
    DossierFile.create(path, registry.find(TEMPLATE), title).close()
    return path


def test_create_dossier_from_start_screen(window, qtbot, monkeypatch, tmp_path):
    def fill(parent, settings):
        dialog = NewDossierDialog(settings, parent)
        qtbot.addWidget(dialog)
        assert not dialog.create_button.isEnabled()  # no title yet
        assert dialog.template_combo.currentText() == "AMI SPIE 2021 – deuxième vague"  # newest wave first
        dialog.title_edit.setFocus()
        qtbot.keyClicks(dialog.title_edit, "Candidature SPIE / Drome")
        assert dialog.create_button.isEnabled()
        assert dialog.file_label.toolTip() == str(tmp_path / "docs" / "Candidature SPIE Drome.spie")
        assert dialog.file_label.text() == f"Candidature SPIE Drome.spie\ndans {tmp_path / 'docs'}"
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
        assert dialog.result() == NewDossierDialog.DialogCode.Accepted
        return dialog.request()

    monkeypatch.setattr(dialogs, "ask_new_dossier", fill)
    qtbot.mouseClick(window.start.new_button, Qt.MouseButton.LeftButton)
    path = tmp_path / "docs" / "Candidature SPIE Drome.spie"
    assert path.exists()
    assert window.controller is not None and window.controller.path == path
    assert window.header.title.text() == "Candidature SPIE / Drome"
    assert window.pages.currentWidget() is window.dossier_page
    assert window.controller.dossier.author == "Camille Test"
    window.close_dossier()
    assert load_settings().recent_files[0] == str(path.resolve())
    with open_dossier(path, read_only=True) as d:
        assert d.template.id == TEMPLATE and d.title == "Candidature SPIE / Drome"


def test_file_names_from_titles():
    assert dossier_file_name("Candidature : SPIE? <Drôme>") == "Candidature SPIE Drôme.spie"
    assert dossier_file_name("  ...  ") == "Dossier SPIE.spie"
    assert len(dossier_file_name("x" * 300)) == 80 + len(".spie")


def test_free_path_never_overwrites(tmp_path):
    (tmp_path / "A.spie").write_bytes(b"")
    (tmp_path / "A (2).spie").write_bytes(b"")
    assert free_path(tmp_path, "A.spie") == tmp_path / "A (3).spie"


def test_open_with_the_open_button(window, qtbot, monkeypatch, tmp_path):
    path = make_dossier(tmp_path / "recu.spie", "Reçu d'un partenaire")
    monkeypatch.setattr(dialogs, "ask_open_path", lambda parent, directory="": str(path))
    qtbot.mouseClick(window.start.open_button, Qt.MouseButton.LeftButton)
    assert window.controller.path == path
    assert window.header.title.text() == "Reçu d'un partenaire"


def test_recent_dossiers_show_details_and_moved_files(window, qtbot, settings, tmp_path):
    kept = make_dossier(tmp_path / "garde.spie", "Dossier gardé")
    gone = make_dossier(tmp_path / "parti.spie", "Dossier déplacé")
    for p in (gone, kept):
        assert window.open_path(p)
        window.close_dossier()
    gone.rename(tmp_path / "ailleurs.spie")
    window.start.refresh()
    tree = window.start.recent
    rows = {tree.topLevelItem(i).text(3): tree.topLevelItem(i) for i in range(tree.topLevelItemCount())}
    row = rows[str(kept.resolve())]
    assert row.text(0) == "Dossier gardé\nAMI SPIE 2021 – deuxième vague"
    assert row.text(1) == "0 %"
    assert row.text(2) != "—"
    moved = rows[str(gone.resolve())]
    assert moved.text(0) == "Dossier déplacé\nFichier introuvable (déplacé ou supprimé)"
    assert "introuvable" in moved.data(0, Qt.ItemDataRole.AccessibleTextRole)

    tree.setCurrentItem(moved)
    qtbot.mouseClick(window.start.remove_button, Qt.MouseButton.LeftButton)
    assert str(gone.resolve()) not in settings.recent_files
    assert tree.topLevelItemCount() == 1
    assert str(gone.resolve()) not in load_settings().recent_files

    tree.setCurrentItem(tree.topLevelItem(0))
    tree.setFocus()
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    assert window.controller is not None and window.controller.path == kept


def test_recent_list_reads_a_changed_file_again(window, tmp_path):
    path = make_dossier(tmp_path / "d.spie", "Titre 1")
    assert window.open_path(path)
    window.close_dossier()
    with open_dossier(path) as d:  # a partner renamed it meanwhile
        d.set_title("Titre 2")
    window.start.refresh()
    assert window.start.recent.topLevelItem(0).text(0).startswith("Titre 2")


def test_open_example_as_a_copy(window, qtbot, tmp_path):
    original = resource("examples", "exemple-dossier.json")
    before = original.read_bytes()
    qtbot.mouseClick(window.start.example_button, Qt.MouseButton.LeftButton)
    c = window.controller
    assert c is not None and c.path.suffix == ".spie"
    assert str(c.path).startswith(str(tmp_path / "data"))
    assert original.read_bytes() == before
    assert c.report is not None and c.report.progress > 0.9


def _drag(window, path: Path):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    pos = QPointF(window.rect().center())
    enter = QDragEnterEvent(
        pos.toPoint(),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, enter)
    drop = QDropEvent(
        pos, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(window, drop)
    return enter, drop


def test_drop_a_spie_file_opens_it(window, tmp_path):
    path = make_dossier(tmp_path / "glisse.spie", "Glissé")
    enter, _drop = _drag(window, path)
    assert enter.isAccepted()
    assert window.controller is not None and window.controller.path == path


def test_drop_of_another_file_is_refused(window, tmp_path):
    other = tmp_path / "notes.txt"
    other.write_text("x")
    enter, _ = _drag(window, other)
    assert not enter.isAccepted()
    assert window.controller is None
