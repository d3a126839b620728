"""Review comments in the wizard, driven like a person: the marker and its count, the comments
window (add, resolve, reopen), a whole row's comments, read-only dossiers, the keyboard, and a
comment written in the wizard printed in the PDF review copy."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QLabel, QMenu, QWidget

from spie_desktop.models import DossierFile, open_dossier
from spie_desktop.ui import comments as comments_ui
from spie_desktop.ui.comments import CommentsDialog, counts_text
from spie_desktop.ui.controller import DossierController

FRENCH_DATE = re.compile(r"le \d{2}/\d{2}/\d{4} à \d{2}:\d{2}")


@pytest.fixture
def signed(tmp_path, all_types_template):
    """A dossier of every field type, written by Claire of the Département, with two members."""
    d = DossierFile.create(
        tmp_path / "relu.spie",
        all_types_template,
        "Relecture",
        author="Claire Martin",
        organisation="Département du Val",
    )
    d.add_row("membres", {"structure": "Mission locale du Val"})
    d.add_row("membres", {"structure": "Association Tremplin"})
    yield d
    d.close()


@pytest.fixture
def ctl(qtbot, signed):
    c = DossierController(signed)
    yield c
    c._save_timer.stop()
    c._check_timer.stop()


def close_dialogs():
    for w in QApplication.topLevelWidgets():
        if isinstance(w, CommentsDialog) or (isinstance(w, QWidget) and w.findChild(CommentsDialog)):
            for d in [w] if isinstance(w, CommentsDialog) else w.findChildren(CommentsDialog):
                d.close()


def test_a_field_shows_its_open_comments_with_an_icon_a_number_and_words(ui, ctl, signed):
    first = signed.add_comment("nom", "Le nom complet, avec la forme juridique.")
    second = signed.add_comment("nom", "Vérifier l'orthographe.")
    signed.set_comment_resolved(second.id)
    form = ui.show_form(ctl, "tout")
    nom = form.fields["nom"]
    marker = nom.comment_marker
    assert marker is not None and marker.isVisible()
    assert marker.text() == "1" and not marker.icon().isNull()
    assert marker.accessibleName() == "1 commentaire ouvert, 1 résolu"
    assert "1 commentaire ouvert, 1 résolu" in nom.inputs()[0].accessibleDescription()
    # a quiet form: fields without comments build no marker at all
    assert form.fields["presentation"].comment_marker is None
    assert form.fields["effectif"].comment_marker is None
    signed.set_comment_resolved(first.id)
    ctl.recheck()  # as after a merge: the controller notices and tells the field
    assert marker.text() == "Résolus" and marker.accessibleName() == "Aucun commentaire ouvert, 2 résolus"
    assert counts_text(2, 0) == "2 commentaires ouverts"


def test_the_marker_stays_out_of_the_tab_chain(ui, ctl, signed):
    signed.add_comment("nom", "À revoir")
    form = ui.show_form(ctl, "tout")
    marker = form.fields["nom"].comment_marker
    assert not marker.focusPolicy() & Qt.FocusPolicy.TabFocus
    chain = [w for f in form.fields.values() for w in f.tab_chain()]
    assert marker not in chain


def test_adding_resolving_and_reopening_from_the_comments_window(ui, qtbot, ctl, signed):
    form = ui.show_form(ctl, "tout")
    field = form.fields["presentation"]
    dialog = field.open_comments()
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Commentaires — Présentation"
    assert dialog.empty_label.isVisible() and not dialog.add_button.isEnabled()
    shown = [lab.text() for lab in dialog.findChildren(QLabel) if lab.isVisible()]
    assert [s for s in shown if "Aucun commentaire" in s] == [
        "Aucun commentaire pour l'instant."
    ]  # said once
    assert dialog.signature.text() == "Signé : Claire Martin (Département du Val)"
    dialog.editor.setPlainText("  Trop long : resserrer sur le public cible.  ")
    assert dialog.add_button.isEnabled()
    dialog.add_button.click()
    assert dialog.editor.toPlainText() == ""
    stored = signed.comments("presentation")
    assert [(c.text, c.author, c.organisation, c.resolved) for c in stored] == [
        ("Trop long : resserrer sur le public cible.", "Claire Martin", "Département du Val", False)
    ]
    assert field.comment_marker.isVisible() and field.comment_marker.text() == "1"
    assert field.comment_marker.accessibleName() == "1 commentaire ouvert"
    assert dialog.summary.isVisible() and dialog.summary.text() == "1 commentaire ouvert."
    assert not dialog.empty_label.isVisible()
    [card] = dialog.cards
    texts = " ".join(lab.text() for lab in card.findChildren(QLabel))
    assert "Claire Martin" in texts and "Département du Val" in texts and "Ouvert" in texts
    assert FRENCH_DATE.search(texts), texts
    assert card.toggle_button.text() == "Marquer comme résolu"

    card.toggle_button.click()
    assert signed.comments("presentation")[0].resolved
    assert field.comment_marker.text() == "Résolu"
    [card] = dialog.cards  # the list was rebuilt
    assert card.state_label.text().startswith("Résolu le ") and card.toggle_button.text() == "Rouvrir"
    card.toggle_button.click()
    assert not signed.comments("presentation")[0].resolved
    assert field.comment_marker.text() == "1" and dialog.cards[0].state_label.text() == "Ouvert"
    # on disk, signed and dated
    signed.close()
    with open_dossier(signed.path, read_only=True) as again:
        [c] = again.comments("presentation")
        assert c.author == "Claire Martin" and not c.resolved
    dialog.close()


def test_a_row_gathers_its_fields_comments_and_new_ones_go_on_its_naming_field(ui, qtbot, ctl, signed):
    first, second = signed.row_ids("membres")
    signed.add_comment(f"membres[{first}].role", "Préciser le rôle dans le COPIL.")
    form = ui.show_form(ctl, "tout")
    rep = form.fields["membres"]
    card = rep.card(first)
    assert card.comment_marker is not None and card.comment_marker.text() == "1"
    assert card.comment_marker.accessibleName() == "1 commentaire ouvert sur cette ligne"
    assert card.toggle.accessibleDescription() == "1 commentaire ouvert sur cette ligne."
    assert rep.card(second).comment_marker is None
    role = card.children_widgets["role"]
    assert role.comment_marker.text() == "1"

    dialog = card.open_comments()
    qtbot.addWidget(dialog)
    assert dialog.heading.text() == "Membres › Membre 1 — Mission locale du Val"
    assert "Sur : Rôle" in [lab.text() for lab in dialog.cards[0].findChildren(QLabel)]
    dialog.editor.setPlainText("Cette ligne est à confirmer par la mission locale.")
    assert dialog.add_comment()
    # stored on the row's naming field (the models address comments by field path)
    assert [c.text for c in signed.comments(f"membres[{first}].structure")] == [
        "Cette ligne est à confirmer par la mission locale."
    ]
    assert card.comment_marker.text() == "2" and len(dialog.cards) == 2
    assert card.children_widgets["structure"].comment_marker.text() == "1"
    # folded, the row still says it
    card.set_expanded(False)
    assert card.comment_marker.isVisible() and card.comment_marker.text() == "2"
    # a field inside the row names its row in the window's title
    other = role.open_comments()
    assert other is dialog  # one comments window per form, retargeted
    assert dialog.windowTitle() == "Commentaires — Membre 1 — Mission locale du Val › Rôle"
    assert [c.text for c in dialog.target.comments(ctl)] == ["Préciser le rôle dans le COPIL."]
    dialog.close()


def test_read_only_dossiers_show_comments_but_cannot_add_or_resolve(qtbot, ui, tmp_path, all_types_template):
    path = tmp_path / "lecture.spie"
    with DossierFile.create(
        path, all_types_template, "Lecture", author="Karim", organisation="Mission locale"
    ) as d:
        d.add_comment("nom", "Nom à vérifier")
    ro = open_dossier(path, read_only=True)
    c = DossierController(ro)
    try:
        form = ui.show_form(c, "tout")
        marker = form.fields["nom"].comment_marker
        assert marker.isVisible() and marker.text() == "1"
        dialog = form.fields["nom"].open_comments()
        qtbot.addWidget(dialog)
        assert len(dialog.cards) == 1 and dialog.cards[0].toggle_button is None
        assert not dialog.add_box.isVisible() and dialog.read_only_note.isVisible()
        assert "lecture seule" in dialog.read_only_note.text()
        assert c.add_comment("nom", "Interdit") is None
        assert c.set_comment_resolved(ro.comments("nom")[0].id) is False
        assert len(ro.comments()) == 1
        # no « Commenter » offered on hover in a read-only dossier
        form.fields["presentation"].enterEvent(None)
        assert form.fields["presentation"].comment_marker is None
        dialog.close()
    finally:
        c._check_timer.stop()
        ro.close()


def test_hovering_a_field_offers_to_comment_it(ui, ctl):
    form = ui.show_form(ctl, "tout")
    field = form.fields["effectif"]
    field.enterEvent(None)
    marker = field.comment_marker
    assert marker.isVisible() and marker.text() == "Commenter"
    assert marker.accessibleName() == "Commenter"  # the word on the button (WCAG 2.5.3)
    field.leaveEvent(None)
    assert not marker.isVisible()


def test_ctrl_alt_m_opens_the_comments_of_the_focused_field(ui, qtbot, ctl, signed):
    from PySide6.QtTest import QTest

    form = ui.show_form(ctl, "tout")
    edit = form.fields["courriel"].inputs()[0]
    edit.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is edit)
    QTest.keyClick(edit, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    dialog = form.findChild(CommentsDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.target.add_path == "courriel"
    dialog.close()
    # a row's header: the row's comments
    first = signed.row_ids("membres")[0]
    card = form.fields["membres"].card(first)
    card.toggle.setFocus(Qt.FocusReason.TabFocusReason)
    assert form.comment_focused().target.prefix == f"membres[{first}]."
    form.findChild(CommentsDialog).close()


def test_the_context_menu_offers_comments_and_the_fields_history(ui, qtbot, ctl, monkeypatch):
    form = ui.show_form(ctl, "tout")
    shown: list = []

    class Actions:
        def show_field_history(self, path, label=""):
            shown.append((path, label))

    form.collab_actions = Actions()  # the main window's (see collab_dialogs.install_collab_menu)
    menus: list[QMenu] = []
    monkeypatch.setattr(comments_ui, "show_menu", lambda menu, pos: menus.append(menu))
    field = form.fields["budget"]
    QApplication.sendEvent(
        field.label,
        QContextMenuEvent(
            QContextMenuEvent.Reason.Mouse, QPoint(2, 2), field.label.mapToGlobal(QPoint(2, 2))
        ),
    )
    [menu] = menus
    assert [a.text() for a in menu.actions()] == ["Ajouter un commentaire…", "Historique de ce champ…"]
    menu.actions()[1].trigger()
    assert shown == [("budget", "Budget")]
    menu.actions()[0].trigger()
    dialog = form.findChild(CommentsDialog)
    assert dialog.target.add_path == "budget"
    dialog.editor.setPlainText("Montant à justifier")
    dialog.add_comment()
    dialog.close()
    QApplication.sendEvent(
        field.label,
        QContextMenuEvent(
            QContextMenuEvent.Reason.Mouse, QPoint(2, 2), field.label.mapToGlobal(QPoint(2, 2))
        ),
    )
    assert menus[-1].actions()[0].text() == "Commentaires (1 commentaire ouvert)…"


def test_typing_never_reads_the_comments_again(ui, ctl, signed, monkeypatch):
    signed.add_comment("nom", "À revoir")
    form = ui.show_form(ctl, "tout")
    calls: list = []
    real = ctl.comment_index.build
    monkeypatch.setattr(ctl.comment_index, "build", lambda: calls.append(1) or real())
    ui.type_into(form.fields["presentation"].inputs()[0], "Une présentation tapée lettre à lettre.")
    assert calls == []
    ctl.flush()
    ctl.recheck()  # the dossier changed: the index is rebuilt once, in memory (no disk read)
    assert len(calls) == 1
    ctl.recheck()
    assert len(calls) == 1


def test_a_comment_written_in_the_wizard_is_in_the_pdf_review_copy(
    qtbot, monkeypatch, tmp_path, example_spie
):
    """End to end: the window, the comments window, « Exporter › Copie de relecture PDF… » with
    « inclure les commentaires », then the PDF's text."""
    from spie_desktop.app import create_application
    from spie_desktop.settings import Settings
    from spie_desktop.ui import export_menu
    from spie_desktop.ui.export_jobs import JobOutcome
    from spie_desktop.ui.export_menu import AfterExport, ExportActions, PdfOptions
    from spie_desktop.ui.main_window import MainWindow

    create_application()
    w = MainWindow(Settings(author_name="Camille Test", author_organisation="CD Test"))
    qtbot.addWidget(w)
    w.resize(1100, 780)
    w.show()
    qtbot.waitExposed(w)
    try:
        assert w.open_path(example_spie)
        w.show_section("porteur")
        field = w.current_form().widget_for("porteur_nom")
        dialog = field.open_comments()
        dialog.editor.setPlainText("Vérifier la raison sociale exacte auprès du greffe.")
        assert dialog.add_comment()
        dialog.close()
        asked: dict = {}

        def ask_options(parent, initial, *, has_comments, can_file):
            asked["has_comments"] = has_comments
            return PdfOptions(include_comments=True)

        out = tmp_path / "relecture.pdf"
        monkeypatch.setattr(export_menu, "ask_pdf_options", ask_options)
        monkeypatch.setattr(export_menu, "ask_export_path", lambda *a: str(out))
        monkeypatch.setattr(export_menu, "ask_after_export", lambda *a: AfterExport.CLOSE)
        ex = w.findChild(ExportActions)
        with qtbot.waitSignal(ex.jobFinished, timeout=60000) as blocker:
            ex.act_pdf.trigger()
        assert blocker.args[0].outcome is JobOutcome.DONE
        assert asked["has_comments"] is True
        text = " ".join(pdf_text(out).split())
        assert "Vérifier la raison sociale exacte auprès du greffe." in text
        assert "Commentaire de Camille Test (CD Test)" in text
    finally:
        if w.controller is not None:
            w.controller.discard_and_close()
            w.controller = None
        w.close()


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)
