"""Annuler / Rétablir in the real window: Ctrl+Z across fields and rows, redo, grouped typing,
going back to the field, a merge in one step, and the « Annuler » bars agreeing with the stack."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPlainTextEdit

from spie_desktop.app import create_application
from spie_desktop.forms import registry
from spie_desktop.models import DossierFile, open_dossier
from spie_desktop.settings import Settings
from spie_desktop.ui import dialogs
from spie_desktop.ui.main_window import MainWindow

TEMPLATE = "ami-spie-2021-vague2"
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("SPIE_DESKTOP_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("SPIE_DESKTOP_DATA_DIR", str(tmp_path / "data"))
    for name in ("confirm", "show_error", "ask_text", "ask_open_path", "show_info"):
        monkeypatch.setattr(dialogs, name, _unexpected(name))
    create_application()
    w = MainWindow(Settings(author_name="Camille Test", author_organisation="CD Test"))
    qtbot.addWidget(w)
    w.resize(1100, 800)
    w.show()
    qtbot.waitExposed(w)
    DossierFile.create(tmp_path / "d.spie", registry.find(TEMPLATE), "Dossier").close()
    assert w.open_path(tmp_path / "d.spie")
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=2000)
    w.controller.undo_session.history.clock = Clock()
    yield w
    if w.controller is not None:
        w.controller.discard_and_close()
        w.controller = None


def _unexpected(name):
    def fail(*args, **kwargs):
        raise AssertionError(f"dialogue inattendu : {name}")

    return fail


def shown(action) -> str:
    """An action's text as the menu shows it (without the mnemonic's « & »)."""
    return action.text().replace("&&", "\0").replace("&", "").replace("\0", "&")


def area(window, path: str):
    field = window.current_form().widget_for(path)
    return next(i for i in field.inputs() if isinstance(i, QPlainTextEdit))


def line(window, path: str):
    return window.current_form().widget_for(path).inputs()[0]


def type_in(qtbot, widget, text: str) -> None:
    widget.setFocus(Qt.FocusReason.MouseFocusReason)
    qtbot.keyClicks(widget, text)


def ctrl_z(qtbot, shift: bool = False) -> None:
    qtbot.keyClick(
        QApplication.focusWidget(), Qt.Key.Key_Z, CTRL | (SHIFT if shift else Qt.KeyboardModifier.NoModifier)
    )


def test_ctrl_z_undoes_two_fields_and_a_row_removal_in_order_and_logs_the_undos(window, qtbot):
    c = window.controller
    assert not window.undo_actions.act_undo.isEnabled() and shown(window.undo_actions.act_undo) == "Annuler"
    window.show_section("territoire")
    type_in(qtbot, area(window, "perimetre"), "Trois EPCI")
    assert shown(window.undo_actions.act_undo) == "Annuler la saisie de « Périmètre du projet »"
    window.show_section("porteur")
    type_in(qtbot, line(window, "porteur_nom"), "Mission locale")
    window.show_section("consortium")
    rep = window.current_form().widget_for("consortium")
    qtbot.mouseClick(rep.add_button, Qt.MouseButton.LeftButton)
    (rid,) = c.row_ids("consortium")
    type_in(qtbot, line(window, f"consortium[{rid}].structure"), "CAF")
    qtbot.mouseClick(rep.cards[rid].buttons["remove"], Qt.MouseButton.LeftButton)
    assert c.row_ids("consortium") == [] and rep.removed is not None
    assert (
        shown(window.undo_actions.act_undo)
        == "Annuler la suppression d'une ligne de « Membres du consortium »"
    )
    n = c.dossier.change_count

    ctrl_z(qtbot)  # the removal: the row is back, the bar goes, the cursor is in the row
    assert c.row_ids("consortium") == [rid] and c.value(f"consortium[{rid}].structure") == "CAF"
    assert rep.removed is None
    assert rep.cards[rid].isAncestorOf(QApplication.focusWidget())
    ctrl_z(qtbot)  # the typing in the row
    assert c.value(f"consortium[{rid}].structure") is None
    assert line(window, f"consortium[{rid}].structure").text() == ""
    ctrl_z(qtbot)  # the added row
    assert c.row_ids("consortium") == []
    ctrl_z(qtbot)  # the other section's field: the window goes back there
    assert window._section_id == "porteur" and c.value("porteur_nom") is None
    assert (
        QApplication.focusWidget() is line(window, "porteur_nom") and line(window, "porteur_nom").text() == ""
    )
    assert shown(window.undo_actions.act_undo) == "Annuler la saisie de « Périmètre du projet »"
    ctrl_z(qtbot)
    assert window._section_id == "territoire" and area(window, "perimetre").toPlainText() == ""
    assert not window.undo_actions.act_undo.isEnabled()
    assert shown(window.undo_actions.act_redo) == "Rétablir la saisie de « Périmètre du projet »"

    log = c.dossier.changes()[n:]
    assert [(x.op, x.path) for x in log] == [
        ("row_add", f"consortium[{rid}]"),
        ("set", f"consortium[{rid}].structure"),
        ("row_remove", f"consortium[{rid}]"),
        ("set", "porteur_nom"),
        ("set", "perimetre"),
    ]
    assert log[-1].old == "Trois EPCI" and log[-1].new is None and log[-1].author == "Camille Test"

    # Rétablir: Ctrl+Maj+Z and Ctrl+Y, in the original order
    ctrl_z(qtbot, shift=True)
    assert c.value("perimetre") == "Trois EPCI" and area(window, "perimetre").toPlainText() == "Trois EPCI"
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Y, CTRL)
    assert c.value("porteur_nom") == "Mission locale" and window._section_id == "porteur"
    for _ in range(3):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Y, CTRL)
    assert c.row_ids("consortium") == []
    assert not window.undo_actions.act_redo.isEnabled()
    assert [x.op for x in c.dossier.changes()[-5:]] == ["set", "set", "row_add", "set", "row_remove"]


def test_typing_is_grouped_by_bursts_and_the_inputs_own_undo_is_off(window, qtbot):
    c = window.controller
    clock = c.undo_session.history.clock
    window.show_section("territoire")
    edit = area(window, "perimetre")
    type_in(qtbot, edit, "Trois")
    clock.now += 3  # a pause of three seconds
    qtbot.keyClicks(edit, " EPCI")
    assert len(c.undo_session.history.undo_stack) == 2
    assert not edit.isUndoRedoEnabled() and not edit.document().isUndoAvailable()
    ctrl_z(qtbot)
    assert edit.toPlainText() == "Trois" and c.value("perimetre") == "Trois"
    assert QApplication.focusWidget() is edit
    # a line edit: Ctrl+Z goes to the dossier's history, never to the widget's own
    window.show_section("porteur")
    nom = line(window, "porteur_nom")
    type_in(qtbot, nom, "Alpha")
    ctrl_z(qtbot)
    assert nom.text() == "" and c.value("porteur_nom") is None
    ctrl_z(qtbot)  # the next step is the other field's: the window goes there
    assert window._section_id == "territoire" and c.value("perimetre") is None


def test_undo_after_leaving_the_section_goes_back_to_the_field(window, qtbot):
    c = window.controller
    window.show_section("territoire")
    edit = area(window, "perimetre")
    type_in(qtbot, edit, "Deux EPCI voisins")
    qtbot.keyClick(edit, Qt.Key.Key_PageDown, CTRL)
    assert window._section_id == "consortium" and not c.pending
    ctrl_z(qtbot)
    assert window._section_id == "territoire"
    assert QApplication.focusWidget() is area(window, "perimetre")
    assert area(window, "perimetre").toPlainText() == "" and c.dossier.get("perimetre") is None
    assert "Annulé : la saisie de « Périmètre du projet »" in window.statusBar().currentMessage()


def test_a_merge_is_undone_in_one_step_and_only_what_it_brought(window, qtbot, tmp_path, monkeypatch):
    c = window.controller
    window.show_section("porteur")
    type_in(qtbot, line(window, "porteur_nom"), "Mission locale")
    c.flush()
    copy = c.dossier.save_copy(tmp_path / "copie.spie")
    with open_dossier(copy, author="Partenaire") as theirs:
        theirs.set_value("perimetre", "Le territoire du partenaire")
        rid = theirs.add_row("consortium", {"structure": "CCAS"})
    monkeypatch.setattr(dialogs, "ask_open_path", lambda *a, **k: str(copy))
    monkeypatch.setattr(dialogs, "show_info", lambda *a, **k: None)
    window.collab_actions.integrate_copy()
    assert c.value("perimetre") == "Le territoire du partenaire" and c.row_ids("consortium") == [rid]
    assert shown(window.undo_actions.act_undo) == "Annuler l'intégration de « copie.spie »"
    n = c.dossier.change_count
    window.undo_actions.act_undo.trigger()
    assert c.value("perimetre") is None and c.row_ids("consortium") == []
    assert c.value("porteur_nom") == "Mission locale"  # this user's own typing is another step
    ops = sorted(x.op for x in c.dossier.changes()[n:])
    assert ops == ["row_remove", "set"]
    assert shown(window.undo_actions.act_undo) == "Annuler la saisie de « Nom de la structure porteuse »"
    window.undo_actions.act_redo.trigger()
    assert c.value("perimetre") == "Le territoire du partenaire" and c.row_ids("consortium") == [rid]


def test_an_undo_refuses_when_the_field_changed_since(window, qtbot, monkeypatch):
    c = window.controller
    window.show_section("porteur")
    type_in(qtbot, line(window, "porteur_nom"), "Alpha")
    c.flush()
    c.dossier.set_value("porteur_nom", "Beta")  # as a restore or a merge would, outside the history
    n = c.dossier.change_count
    ctrl_z(qtbot)
    assert c.dossier.get("porteur_nom") == "Beta" and c.dossier.change_count == n
    assert window.notice_banner.isVisible()
    assert "« Nom de la structure porteuse » a changé depuis" in window.notice_banner.text()
    assert window.undo_actions.act_undo.isEnabled()  # the step stays, nothing was lost


def test_the_rows_undo_bar_and_ctrl_z_agree(window, qtbot):
    c = window.controller
    window.show_section("consortium")
    rep = window.current_form().widget_for("consortium")
    qtbot.mouseClick(rep.add_button, Qt.MouseButton.LeftButton)
    (rid,) = c.row_ids("consortium")
    qtbot.mouseClick(rep.cards[rid].buttons["remove"], Qt.MouseButton.LeftButton)
    assert rep.undo_bar.isVisibleTo(rep)
    qtbot.mouseClick(rep.undo_button, Qt.MouseButton.LeftButton)  # the bar's « Annuler » is Ctrl+Z
    assert c.row_ids("consortium") == [rid] and not rep.undo_bar.isVisibleTo(rep)
    assert shown(window.undo_actions.act_undo) == "Annuler l'ajout d'une ligne à « Membres du consortium »"
    assert (
        shown(window.undo_actions.act_redo)
        == "Rétablir la suppression d'une ligne de « Membres du consortium »"
    )
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Y, CTRL)  # removed again, by Rétablir
    assert c.row_ids("consortium") == []
    ctrl_z(qtbot)
    assert c.row_ids("consortium") == [rid] and not rep.undo_bar.isVisibleTo(rep)


def test_the_files_undo_bar_and_the_stack_agree(window, qtbot, tmp_path):
    c = window.controller
    window.show_section("pieces_jointes")
    field = window.current_form().widget_for("rib")
    source = tmp_path / "rib.pdf"
    source.write_bytes(b"%PDF-1.4 rib")
    assert field.attach(source)
    (info,) = c.attachments("rib")
    field.remove(info.id, "rib.pdf")
    assert c.attachments("rib") == [] and field.undo_bar is not None
    assert shown(window.undo_actions.act_undo) == "Annuler le retrait du fichier « rib.pdf »"
    field.undo_remove()
    (back,) = c.attachments("rib")
    assert c.attachment_data(back.id) == b"%PDF-1.4 rib"
    assert shown(window.undo_actions.act_undo) == "Annuler l'ajout du fichier « rib.pdf »"
    assert window.undo_actions.act_redo.isEnabled()
    window.undo_actions.act_redo.trigger()
    assert c.attachments("rib") == []
    window.undo_actions.act_undo.trigger()
    assert [a.name for a in c.attachments("rib")] == ["rib.pdf"] and field.undo_bar is None


def test_the_shortcuts_dialog_says_undo_is_for_the_session(qtbot):
    from spie_desktop.ui.shortcuts_dialog import ShortcutsDialog

    d = ShortcutsDialog()
    qtbot.addWidget(d)
    texts = [d.tree.topLevelItem(i).text(1) for i in range(d.tree.topLevelItemCount())]
    assert any(t.startswith("Annuler la dernière modification du dossier") for t in texts)
    assert any(t.startswith("Rétablir") for t in texts)
    assert "pendant la session" in d.note.text()


def test_title_entrusted_section_and_a_batch_are_steps(window, qtbot, monkeypatch):
    from spie_desktop.ui import collab_dialogs

    c = window.controller
    monkeypatch.setattr(dialogs, "ask_text", lambda *a, **k: "Nouveau titre")
    window.rename()
    assert window.header.title.text() == "Nouveau titre"
    monkeypatch.setattr(collab_dialogs, "ask_entrust", lambda *a, **k: ("budget", "Mission locale"))
    window.collab_actions.entrust_section()
    assert c.entrusted() == {"budget": "Mission locale"}
    assert shown(window.undo_actions.act_undo) == "Annuler le partenaire d'une section"
    # a paste of rows, as another command would do it: one step
    with c.undoable("le collage de 2 lignes"):
        for name in ("CAF", "CCAS"):
            rid = c.add_row("consortium")
            c.set_value(f"consortium[{rid}].structure", name)
    assert len(c.row_ids("consortium")) == 2
    assert shown(window.undo_actions.act_undo) == "Annuler le collage de 2 lignes"
    window.undo_actions.act_undo.trigger()
    assert c.row_ids("consortium") == [] and window._section_id == "consortium"
    window.undo_actions.act_undo.trigger()
    assert c.entrusted() == {} and window._section_id == "budget"
    window.undo_actions.act_undo.trigger()
    assert c.dossier.title == "Dossier" and window.header.title.text() == "Dossier"
    assert [x.op for x in c.dossier.changes()[-3:]] == ["row_remove", "entrust", "title"]
