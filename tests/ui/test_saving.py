"""Saving as the user lives it: autosave on section change, honest failure banner, nothing lost."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from spie_desktop.app import create_application
from spie_desktop.forms import registry
from spie_desktop.models import DossierFile, SaveFailed, open_dossier
from spie_desktop.settings import Settings
from spie_desktop.ui import dialogs
from spie_desktop.ui.controller import SaveState
from spie_desktop.ui.dialogs import QUESTIONS
from spie_desktop.ui.main_window import MainWindow

DIALOGS = list(QUESTIONS)


def _unexpected(name):
    def fail(*args, **kwargs):
        raise AssertionError(f"dialogue inattendu : {name}")

    return fail


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("SPIE_DESKTOP_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("SPIE_DESKTOP_DATA_DIR", str(tmp_path / "data"))
    for name in DIALOGS:
        monkeypatch.setattr(dialogs, name, _unexpected(name))
    create_application()
    w = MainWindow(Settings(author_name="Camille Test"))  # closed below, after its dossier is let go
    w.resize(1100, 780)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()  # shortcuts (Ctrl+PgDn) go to the active window
    path = tmp_path / "dossier.spie"
    DossierFile.create(path, registry.find("ami-spie-2021-vague2"), "Dossier de test").close()
    assert w.open_path(path)
    w.show_section("porteur")
    yield w
    if w.controller is not None:
        w.controller.discard_and_close()
        w.controller = None
    w.close()
    w.deleteLater()


def type_into(qtbot, window, path: str, text: str) -> QLineEdit:
    field = window.current_form().widget_for(path)
    edit = next(i for i in field.inputs() if isinstance(i, QLineEdit))
    edit.setFocus()
    qtbot.keyClicks(edit, text)
    return edit


def on_disk(path: Path, field: str):
    with open_dossier(path, read_only=True) as d:
        return d.get(field)


def break_disk(monkeypatch, controller, reason: str = "le disque est plein") -> None:
    def fail(*args, **kwargs):
        raise SaveFailed(reason)

    monkeypatch.setattr(controller.dossier, "set_value", fail)


def test_changing_section_saves_at_once(window, qtbot):
    path = window.controller.path
    type_into(qtbot, window, "porteur_nom", "CD de la Drome")
    assert window.controller.pending  # still within the debounce delay
    qtbot.keyClick(window.current_form(), Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert window._section_id == "territoire"
    assert not window.controller.pending
    assert on_disk(path, "porteur_nom") == "CD de la Drome"
    assert window.header.save_label.text() == "Enregistré"


def test_autosave_within_about_a_second(window, qtbot):
    type_into(qtbot, window, "porteur_nom", "Autosave")
    assert window.header.save_label.text() in (SaveState.PENDING.value, SaveState.SAVING.value)
    qtbot.waitUntil(lambda: window.header.save_label.text() == "Enregistré", timeout=2500)
    assert on_disk(window.controller.path, "porteur_nom") == "Autosave"


def test_failure_banner_keeps_edits_and_copy_holds_them(window, qtbot, monkeypatch, tmp_path):
    c = window.controller
    original = c.path
    break_disk(monkeypatch, c)
    edit = type_into(qtbot, window, "porteur_nom", "Texte precieux")
    assert not c.flush()
    banner = window.save_banner
    assert banner.isVisible()
    lead = "Vos dernières modifications ne sont pas encore enregistrées : le disque est plein"
    assert banner.text().startswith(lead)
    assert window.header.save_label.text() == "Échec de l'enregistrement"
    assert window.status_save.text() == "Échec de l'enregistrement"
    assert c.pending == {"porteur_nom": "Texte precieux"}  # kept in memory
    assert edit.text() == "Texte precieux"  # and still on screen
    assert on_disk(original, "porteur_nom") is None

    dest = tmp_path / "copie.spie"
    monkeypatch.setattr(dialogs, "ask_save_path", lambda parent, suggested, title="": str(dest))
    qtbot.mouseClick(banner.copy_button, Qt.MouseButton.LeftButton)
    assert on_disk(dest, "porteur_nom") == "Texte precieux"
    # the window now works in the copy, on the same section, everything saved
    assert window.controller.path == dest
    assert window._section_id == "porteur"
    assert not banner.isVisible()
    assert window.header.save_label.text() == "Enregistré"
    field = window.current_form().widget_for("porteur_nom")
    assert next(i for i in field.inputs() if isinstance(i, QLineEdit)).text() == "Texte precieux"
    assert not original.with_name(original.name + ".lock").exists()  # the original was let go


def test_banner_leaves_when_saving_works_again(window, qtbot, monkeypatch):
    c = window.controller
    break_disk(monkeypatch, c, "le fichier ou le disque est en lecture seule")
    type_into(qtbot, window, "porteur_nom", "Plus tard")
    c.flush()
    assert window.save_banner.isVisible()
    assert "lecture seule" in window.save_banner.text()
    monkeypatch.setattr(c.dossier, "set_value", DossierFile.set_value.__get__(c.dossier))  # the disk is back
    qtbot.mouseClick(window.save_banner.retry_button, Qt.MouseButton.LeftButton)
    assert not window.save_banner.isVisible()
    assert window.header.save_label.text() == "Enregistré"
    assert on_disk(c.path, "porteur_nom") == "Plus tard"


def test_real_read_only_file_fails_honestly(window, qtbot, monkeypatch, tmp_path):
    """A file that really cannot be written (SQLite refuses): same banner, nothing lost."""
    c = window.controller
    engine_path = c.path
    # reopen the connection read-only under the controller, as a read-only medium would behave
    from spie_desktop.models.connection import connect

    c.dossier.store.use_connection(connect(engine_path, read_only=True))
    type_into(qtbot, window, "porteur_nom", "Sur un disque protege")
    assert not c.flush()
    assert window.save_banner.isVisible()
    assert "lecture seule" in window.save_banner.text()
    assert c.pending["porteur_nom"] == "Sur un disque protege"
    dest = tmp_path / "sauve.spie"
    monkeypatch.setattr(dialogs, "ask_save_path", lambda parent, suggested, title="": str(dest))
    window.act_save_copy.trigger()  # the menu does the same as the banner after a failure
    assert on_disk(dest, "porteur_nom") == "Sur un disque protege"
    assert window.controller.path == dest


@pytest.mark.parametrize("choice", list(dialogs.UnsavedChoice))
def test_closing_with_unsaved_edits_asks(window, qtbot, monkeypatch, tmp_path, choice):
    c = window.controller
    break_disk(monkeypatch, c)
    type_into(qtbot, window, "porteur_nom", "Dernier mot")
    asked = []
    dest = tmp_path / "a-l-abri.spie"
    monkeypatch.setattr(
        dialogs, "ask_unsaved_choice", lambda parent, message: asked.append(message) or choice
    )
    monkeypatch.setattr(dialogs, "ask_save_path", lambda parent, suggested, title="": str(dest))
    window.close()
    assert asked and "disque est plein" in asked[0]
    if choice is dialogs.UnsavedChoice.CANCEL:
        assert window.isVisible() and window.controller is c and c.pending
        return
    assert not window.isVisible() and window.controller is None
    if choice is dialogs.UnsavedChoice.SAVE_COPY:
        assert on_disk(dest, "porteur_nom") == "Dernier mot"
    else:
        assert not dest.exists()


def test_save_copy_from_menu_keeps_working_in_original(window, qtbot, monkeypatch, tmp_path):
    type_into(qtbot, window, "porteur_nom", "Partage")
    dest = tmp_path / "pour-le-partenaire.spie"
    monkeypatch.setattr(dialogs, "ask_save_path", lambda parent, suggested, title="": str(dest))
    original = window.controller.path
    window.act_save_copy.trigger()
    assert on_disk(dest, "porteur_nom") == "Partage"
    assert window.controller.path == original


def test_removed_file_is_said_and_nothing_lost(window, qtbot, monkeypatch, tmp_path):
    c = window.controller
    original = c.path
    original.unlink()  # someone deleted (or moved) the file while it was open
    type_into(qtbot, window, "porteur_nom", "Encore la")
    assert not c.flush()
    assert "a été déplacé ou supprimé" in window.save_banner.text()
    assert c.pending["porteur_nom"] == "Encore la"
    dest = tmp_path / "retrouve.spie"
    monkeypatch.setattr(dialogs, "ask_save_path", lambda parent, suggested, title="": str(dest))
    qtbot.mouseClick(window.save_banner.copy_button, Qt.MouseButton.LeftButton)
    assert on_disk(dest, "porteur_nom") == "Encore la"
    assert window.controller.path == dest and not window.save_banner.isVisible()


def test_copy_that_cannot_be_written_keeps_everything(window, qtbot, monkeypatch, tmp_path):
    c = window.controller
    break_disk(monkeypatch, c)
    type_into(qtbot, window, "porteur_nom", "Toujours la")
    c.flush()
    errors = []
    monkeypatch.setattr(
        dialogs, "ask_save_path", lambda parent, suggested, title="": str(tmp_path / "x.spie")
    )
    monkeypatch.setattr(dialogs, "show_error", lambda parent, text, title="": errors.append(text))

    def no_copy(dest):
        raise SaveFailed("le disque est plein")

    monkeypatch.setattr(c, "save_copy", no_copy)
    qtbot.mouseClick(window.save_banner.copy_button, Qt.MouseButton.LeftButton)
    assert errors and "disque est plein" in errors[0]
    assert window.controller is c and c.pending["porteur_nom"] == "Toujours la"
    assert window.save_banner.isVisible()
