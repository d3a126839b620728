"""The main window driven as a user would: sections, shortcuts, typing, reopening, locks, French Qt."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLineEdit, QMessageBox

from spie_desktop.app import create_application, ensure_author, run
from spie_desktop.forms import registry
from spie_desktop.models import DossierFile, open_dossier
from spie_desktop.settings import Settings, load_settings
from spie_desktop.ui import dialogs
from spie_desktop.ui.dialogs import QUESTIONS
from spie_desktop.ui.main_window import MainWindow

TEMPLATE = "ami-spie-2021-vague2"
DIALOGS = list(QUESTIONS)


@pytest.fixture
def settings(tmp_path, monkeypatch):
    monkeypatch.setenv("SPIE_DESKTOP_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("SPIE_DESKTOP_DATA_DIR", str(tmp_path / "data"))
    for name in DIALOGS:  # a dialog nobody expected fails the test instead of blocking it
        monkeypatch.setattr(dialogs, name, _unexpected(name))
    return Settings(author_name="Camille Test", author_organisation="CD Test")


def _unexpected(name):
    def fail(*args, **kwargs):
        raise AssertionError(f"dialogue inattendu : {name} {args[1:]}")

    return fail


@pytest.fixture
def window(qtbot, settings):
    create_application()
    w = MainWindow(settings)
    qtbot.addWidget(w)
    w.resize(1100, 780)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    yield w
    if w.controller is not None:
        w.controller.discard_and_close()
        w.controller = None


def make_dossier(path: Path, title: str = "Dossier de test") -> Path:
    DossierFile.create(path, registry.find(TEMPLATE), title).close()
    return path


def test_open_shows_sections_states_and_save_state(window, tmp_path):
    path = make_dossier(tmp_path / "d.spie")
    assert window.open_path(path)
    assert window.pages.currentWidget() is window.dossier_page
    assert window.header.title.text() == "Dossier de test"
    assert window.header.save_label.text() == "Enregistré"
    assert window.status_save.text() == "Enregistré"
    ids = window.section_list.section_ids()
    assert len(ids) == 12 and window.section_list.current_section() == ids[0]
    # every state is said in words, with the remaining answers
    text = window.section_list.item_text("porteur")
    assert "Non commencée" in text and "réponses manquantes" in text
    assert "Dossier de test" in window.windowTitle()


def test_change_section_by_click_buttons_and_ctrl_page_keys(window, qtbot, tmp_path):
    assert window.open_path(make_dossier(tmp_path / "d.spie"))
    lst = window.section_list
    item = lst.item(3)
    qtbot.mouseClick(lst.viewport(), Qt.MouseButton.LeftButton, pos=lst.visualItemRect(item).center())
    assert window._section_id == "consortium"
    assert window.current_form().section.id == "consortium"
    qtbot.keyClick(lst, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert window._section_id == "public_cible"
    qtbot.keyClick(window.current_form(), Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.current_form(), Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert window._section_id == "territoire"
    qtbot.mouseClick(window.next_button, Qt.MouseButton.LeftButton)
    assert window._section_id == "consortium"
    qtbot.mouseClick(window.prev_button, Qt.MouseButton.LeftButton)
    assert window._section_id == "territoire"
    assert "Section 3 sur 12" in window.position_label.text()
    assert window.next_button.accessibleName() == "Suivant : D. Consortium"
    assert window.next_button.accessibleDescription() == "Aller à la section D. Consortium"
    window.show_section("recevabilite")
    assert not window.prev_button.isEnabled() and not window.act_prev.isEnabled()


def _line_edit(window, path: str) -> QLineEdit:
    w = window.current_form().widget_for(path)
    edits = [i for i in w.inputs() if isinstance(i, QLineEdit)]
    assert edits, f"pas de zone de saisie pour {path}"
    return edits[0]


def test_typed_value_survives_close_and_reopen_with_last_section(window, qtbot, tmp_path):
    path = make_dossier(tmp_path / "d.spie")
    assert window.open_path(path)
    qtbot.mouseClick(window.next_button, Qt.MouseButton.LeftButton)
    edit = _line_edit(window, "porteur_nom")
    edit.setFocus()
    qtbot.keyClicks(edit, "Departement de la Drome")
    qtbot.keyClick(edit, Qt.Key.Key_Tab)
    assert window.close_dossier()
    assert window.pages.currentWidget() is window.start
    with open_dossier(path, read_only=True) as d:  # it reached the file
        assert d.get("porteur_nom") == "Departement de la Drome"
    assert window.open_path(path)
    assert window._section_id == "porteur"  # the last section is remembered per dossier
    assert _line_edit(window, "porteur_nom").text() == "Departement de la Drome"
    assert str(path.resolve()) in load_settings().recent_files


def test_read_only_when_locked_by_someone_else(window, monkeypatch, tmp_path):
    path = make_dossier(tmp_path / "d.spie")
    other = open_dossier(path, author="Dominique Autre")
    seen = []

    def choose(parent, exc):
        seen.append(exc)
        return dialogs.LockChoice.READ_ONLY

    monkeypatch.setattr(dialogs, "ask_lock_choice", choose)
    try:
        assert window.open_path(path)
        assert seen and "Dominique Autre" in seen[0].holder.who and not seen[0].stale
        assert window.controller.read_only
        assert window.read_only_banner.isVisible()
        assert "Lecture seule — ouvert par Dominique Autre" in window.read_only_banner.text()
        assert window.header.save_label.text() == "Lecture seule"
        assert not window.act_rename.isEnabled()
        window.controller.set_value("porteur_nom", "rien")  # refused quietly: nothing pending
        assert not window.controller.pending
    finally:
        window.close_dossier()
        other.close()


def test_lock_choice_cancel_and_stale_take_over(window, monkeypatch, tmp_path):
    path = make_dossier(tmp_path / "d.spie")
    lock = path.with_name(path.name + ".lock")
    import socket

    lock.write_text(
        json.dumps(
            {
                "host": socket.gethostname(),
                "user": "x",
                "pid": 999_999_999,
                "since": "2026-01-01T10:00:00+00:00",
                "author": "Ancien poste",
            }
        )
    )
    monkeypatch.setattr(dialogs, "ask_lock_choice", lambda parent, exc: dialogs.LockChoice.CANCEL)
    assert not window.open_path(path)
    assert window.controller is None
    stale = []

    def take(parent, exc):
        stale.append(exc.stale)
        return dialogs.LockChoice.TAKE_OVER

    monkeypatch.setattr(dialogs, "ask_lock_choice", take)
    assert window.open_path(path)
    assert stale == [True] and not window.controller.read_only
    assert json.loads(lock.read_text())["pid"] == os.getpid()


def test_rename_updates_header_and_file(window, monkeypatch, tmp_path):
    path = make_dossier(tmp_path / "d.spie")
    assert window.open_path(path)
    monkeypatch.setattr(dialogs, "ask_text", lambda parent, title, label, text="": "Nouveau titre")
    window.act_rename.trigger()
    assert window.header.title.text() == "Nouveau titre"
    window.close_dossier()
    with open_dossier(path, read_only=True) as d:
        assert d.title == "Nouveau titre"


def test_menus_are_french_and_export_hook(qtbot, settings, monkeypatch, tmp_path):
    from PySide6.QtWidgets import QMenu

    from spie_desktop.ui import main_window

    create_application()
    monkeypatch.setattr(main_window, "_export_menu_builder", lambda: None)
    plain = MainWindow(settings)
    qtbot.addWidget(plain)
    assert [a.text() for a in plain.menuBar().actions()] == ["&Fichier", "É&dition", "&Dossier", "&Aide"]
    built = []

    def build(window):
        built.append(window)
        menu = QMenu("&Exporter", window)
        menu.addAction("Copie PDF…")
        return menu

    monkeypatch.setattr(main_window, "_export_menu_builder", lambda: build)
    w = MainWindow(settings)
    qtbot.addWidget(w)
    assert built == [w]
    assert [a.text() for a in w.menuBar().actions()] == [
        "&Fichier",
        "É&dition",
        "&Dossier",
        "&Exporter",
        "&Aide",
    ]
    export = w.menuBar().actions()[3]
    assert not export.isEnabled()  # no dossier open yet
    assert w.open_path(make_dossier(tmp_path / "d.spie"))
    assert export.isEnabled()
    w.close_dossier()


def test_standard_buttons_speak_french(qtbot):
    create_application()
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Cancel
        | QDialogButtonBox.StandardButton.Yes
        | QDialogButtonBox.StandardButton.No
        | QDialogButtonBox.StandardButton.Save
    )
    qtbot.addWidget(box)
    texts = {b.text().replace("&", "") for b in box.buttons()}
    assert texts == {"Annuler", "Oui", "Non", "Enregistrer"}
    msg = QMessageBox(QMessageBox.Icon.Question, "t", "x", QMessageBox.StandardButton.Cancel)
    qtbot.addWidget(msg)
    assert msg.button(QMessageBox.StandardButton.Cancel).text().replace("&", "") == "Annuler"


def test_quit_after_show_returns_zero_with_a_file(qtbot, settings, tmp_path):
    path = make_dossier(tmp_path / "d.spie")
    assert run(str(path), quit_after_show=True) == 0
    assert not path.with_name(path.name + ".lock").exists()  # closed cleanly
    assert run(None, quit_after_show=True) == 0


def test_quit_after_show_reports_a_file_that_cannot_open(qtbot, settings, monkeypatch, tmp_path):
    errors = []
    monkeypatch.setattr(dialogs, "show_error", lambda parent, text, title="": errors.append(text))
    assert run(str(tmp_path / "absent.spie"), quit_after_show=True) == 2
    assert errors and "introuvable" in errors[0]


def test_first_start_asks_author_once(qtbot, settings, monkeypatch):
    asked = []

    def ask(parent, s, first_start=False):
        asked.append(first_start)
        s.author_name, s.author_organisation = "Alex", "Pôle emploi"
        return True

    monkeypatch.setattr(dialogs, "ask_author", ask)
    s = load_settings()
    ensure_author(s)
    ensure_author(load_settings())
    assert asked == [True]
    assert load_settings().author_label == "Alex (Pôle emploi)"


def test_preferences_dialog_edits_settings(qtbot, settings):
    from spie_desktop.ui.preferences import PreferencesDialog

    create_application()
    dialog = PreferencesDialog(settings)
    qtbot.addWidget(dialog)
    dialog.name_edit.clear()
    qtbot.keyClicks(dialog.name_edit, "Sam Nouveau")
    dialog.folder_edit.setText("/srv/dossiers")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert settings.author_name == "Sam Nouveau" and settings.default_folder == "/srv/dossiers"
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "Annuler"


def test_shortcuts_dialog_lists_section_keys(qtbot):
    from spie_desktop.ui.shortcuts_dialog import ShortcutsDialog

    create_application()
    d = ShortcutsDialog()
    qtbot.addWidget(d)
    rows = [d.tree.topLevelItem(i).text(1) for i in range(d.tree.topLevelItemCount())]
    assert "Section suivante" in rows and "Vérifier le dossier" in rows


def test_section_list_accessible_text(window, tmp_path):
    assert window.open_path(make_dossier(tmp_path / "d.spie"))
    item = window.section_list.item(0)
    assert item.data(Qt.ItemDataRole.AccessibleTextRole).startswith("A. Recevabilité, Non commencée")
    assert not item.icon().isNull()
    assert window.section_list.accessibleName() == "Sections du dossier"


def test_unwritable_place_offers_read_only(window, monkeypatch, tmp_path):
    path = make_dossier(tmp_path / "d.spie")
    from spie_desktop.models import lock

    def refuse(self, **kwargs):
        raise PermissionError(13, "Permission non accordée")

    monkeypatch.setattr(lock.FileLock, "acquire", refuse)
    asked = []
    monkeypatch.setattr(
        dialogs, "confirm", lambda parent, title, text, ok_text="": asked.append(text) or True
    )
    assert window.open_path(path)
    assert asked and "lecture seule" in asked[0]
    assert window.controller.read_only and window.read_only_banner.isVisible()


def test_ctrl_page_down_works_from_inside_a_textarea(window, qtbot, tmp_path):
    from PySide6.QtWidgets import QPlainTextEdit, QTextEdit

    assert window.open_path(make_dossier(tmp_path / "d.spie"))
    window.show_section("territoire")
    field = window.current_form().widget_for("perimetre")
    area = next(i for i in field.inputs() if isinstance(i, (QPlainTextEdit, QTextEdit)))
    area.setFocus()
    qtbot.keyClicks(area, "Trois EPCI")
    qtbot.keyClick(area, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert window._section_id == "consortium"
    assert window.controller.value("perimetre") == "Trois EPCI"
    assert not window.controller.pending  # flushed on the way out
    # the cursor follows into the new section's form
    assert window.current_form().isAncestorOf(QApplication.focusWidget())


def test_keyboard_reaches_list_form_and_navigation(window, qtbot, tmp_path):
    assert window.open_path(make_dossier(tmp_path / "d.spie"))
    window.act_sections.trigger()
    assert QApplication.focusWidget() is window.section_list
    chain, w = [], window.section_list
    for _ in range(400):
        w = w.nextInFocusChain()
        if w is window.section_list:
            break
        if w.isVisible() and w.isEnabled() and w.focusPolicy() & Qt.FocusPolicy.TabFocus:
            chain.append(w)
    assert window.next_button in chain
    form_inputs = [x for x in chain if window.current_form().isAncestorOf(x)]
    assert form_inputs and chain.index(form_inputs[0]) < chain.index(window.next_button)


def test_information_dialog_and_recent_menu(window, monkeypatch, tmp_path):
    first = make_dossier(tmp_path / "premier.spie", "Premier")
    second = make_dossier(tmp_path / "second.spie", "Second")
    assert window.open_path(first)
    shown = []
    monkeypatch.setattr(dialogs, "show_info", lambda parent, title, text: shown.append(text))
    window.act_info.trigger()
    assert "AMI SPIE 2021 – deuxième vague" in shown[0] and str(first) in shown[0]
    assert window.open_path(second)
    window._fill_recent_menu()
    entries = {a.text(): a for a in window.recent_menu.actions()}
    assert list(entries) == ["second.spie", "premier.spie"]
    entries["premier.spie"].trigger()
    assert window.controller.path == first
    assert window.header.title.text() == "Premier"


def test_a_later_launch_opens_its_file_in_this_window(window, tmp_path):
    import uuid

    from spie_desktop.app import attach_instance_server

    server = attach_instance_server(window, f"spie-test-{uuid.uuid4().hex[:8]}")
    assert server is not None
    path = make_dossier(tmp_path / "double-clic.spie", "Double-clic")
    server.openRequested.emit(str(path), False)
    assert window.controller is not None and window.controller.path == path
    server.close()
