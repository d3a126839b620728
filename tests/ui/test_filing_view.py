"""« Dépôt en ligne »: Copier puts exactly the answer on the clipboard and marks it; Tab reaches every
button; one block per repetition row; attachments listed and saved out; the démarche link and the
prefill part for a form imported from the platform."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QPushButton

from spie_desktop.app import create_application
from spie_desktop.exports.text import PasteKind
from spie_desktop.models import DossierFile
from spie_desktop.settings import Settings
from spie_desktop.ui import dialogs, export_files, export_menu, filing_view
from spie_desktop.ui.dialogs import QUESTIONS
from spie_desktop.ui.export_menu import ExportActions
from spie_desktop.ui.filing_view import CHANGED, COPIED, FilingView
from spie_desktop.ui.main_window import MainWindow

SAMPLE_SCHEMA = Path(__file__).resolve().parents[1] / "exports" / "fixtures" / "ds-demarche-schema.json"
DIALOGS = list(QUESTIONS)


def _unexpected(name):
    def fail(*args, **kwargs):
        raise AssertionError(f"dialogue inattendu : {name} {args[1:]}")

    return fail


@pytest.fixture
def window(qtbot, monkeypatch):
    for name in DIALOGS:
        monkeypatch.setattr(dialogs, name, _unexpected(name))
    for name in ("ask_export_path", "ask_after_export", "open_externally", "show_in_folder"):
        monkeypatch.setattr(export_menu, name, _unexpected(name))
        monkeypatch.setattr(export_files, name, _unexpected(name))
    monkeypatch.setattr(filing_view, "ask_folder", _unexpected("ask_folder"))
    monkeypatch.setattr(filing_view, "_COPIED", {})  # each test starts a new session
    create_application()
    w = MainWindow(Settings(author_name="Camille Test"))
    qtbot.addWidget(w)
    w.resize(1100, 780)
    w.show()
    qtbot.waitExposed(w)
    yield w
    for view in w.findChildren(FilingView):
        view.close()
    if w.controller is not None:
        w.controller.discard_and_close()
        w.controller = None


def open_view(window, qtbot) -> FilingView:
    exports = window.findChild(ExportActions)
    exports.act_filing.trigger()
    view = window.findChild(FilingView)
    assert view is not None and view.isVisible() and not view.isModal()
    qtbot.waitExposed(view)
    return view


@pytest.fixture
def example_view(window, example_spie, qtbot):
    assert window.open_path(example_spie)
    return open_view(window, qtbot)


def test_copier_puts_exactly_the_answer_on_the_clipboard_and_marks_it(example_view, window, qtbot):
    view = example_view
    row = view.row_for("chef_projet_nom")
    assert row is not None and row.item.text == "Karim Benali" and not row.mark.isVisible()
    QGuiApplication.clipboard().setText("autre chose")
    qtbot.mouseClick(row.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == "Karim Benali"
    assert row.mark.isVisible() and row.mark.text() == COPIED
    assert row.copy_button.accessibleName() == "Copier : Prénom et nom du chef de projet (déjà copiée)"
    total = len(view.copy_buttons())
    assert view.tabs.tabText(0) == f"Réponses à reporter (1 / {total} copiées)"
    # a long answer with its paragraphs comes out exactly as typed
    long_row = next(r for r in view.rows if r.item.char_limit and "\n" in r.item.text)
    long_row.copy_button.click()
    assert QGuiApplication.clipboard().text() == long_row.item.text
    assert window.controller.snapshot().value(long_row.item.path) == long_row.item.text
    # the marks last for the session: close the view, open it again
    view.close()
    qtbot.waitUntil(lambda: window.findChild(FilingView) is None)
    again = open_view(window, qtbot)
    assert again.row_for("chef_projet_nom").mark.text() == COPIED
    assert again.row_for(long_row.item.path).mark.isVisible()


def test_a_change_after_copying_is_flagged(example_view, window, qtbot):
    view = example_view
    view.row_for("chef_projet_nom").copy_button.click()
    assert not view.stale_bar.isVisible()
    window.controller.set_value("chef_projet_nom", "Karima Benali")
    assert view.stale_bar.isVisible()
    qtbot.mouseClick(view.refresh_button, Qt.MouseButton.LeftButton)
    row = view.row_for("chef_projet_nom")
    assert row.item.text == "Karima Benali" and row.mark.text() == CHANGED and not view.stale_bar.isVisible()
    row.copy_button.click()
    assert row.mark.text() == COPIED and QGuiApplication.clipboard().text() == "Karima Benali"


def test_tab_reaches_every_copier_button_in_order(example_view, ui):
    view = example_view
    buttons = view.copy_buttons()
    assert len(buttons) > 200
    assert all(b.accessibleName().startswith("Copier : ") for b in buttons)
    ui.activate(view)
    buttons[0].setFocus(Qt.FocusReason.TabFocusReason)
    reached = [QApplication.focusWidget()]
    for _ in range(len(buttons) - 1):
        ui.press(QApplication.focusWidget(), Qt.Key.Key_Tab)
        reached.append(QApplication.focusWidget())
    assert reached == buttons  # nothing in between: one Tab, the next answer
    last = buttons[-1]
    assert last.visibleRegion().isEmpty() is False  # the scroll area followed the focus


def test_repetition_rows_are_one_block_each(example_view, window):
    view = example_view
    snapshot = window.controller.snapshot()
    rows = sum(len(snapshot.rows(f.id)) for _, f in snapshot.template.iter_fields() if f.is_repetition)
    blocks = [f for f in view.findChildren(QFrame, "rowBlock")]
    assert len(blocks) == rows > 5
    member = next(
        r for r in view.rows if r.item.label == "Membres du consortium, membre 2 — Nom de la structure"
    )
    block = next(b for b in blocks if b.isAncestorOf(member))
    inside = [r for r in view.rows if block.isAncestorOf(r)]
    assert inside[0] is member and all(r.item.row_index == 1 for r in inside)
    assert any(
        label.text() == "Membres du consortium — ajouter « Membre 2 »" for label in block.findChildren(QLabel)
    )
    assert member.label.text() == "Nom de la structure *"  # the block says which row; the row says what
    assert (
        member.label.accessibleName() == "Membres du consortium, membre 2 — Nom de la structure (obligatoire)"
    )
    assert not any(r.item.kind is PasteKind.ROW for r in view.rows)


def test_textarea_shows_the_platform_count(example_view):
    from spie_desktop.formatting import format_integer, utf8_length

    row = next(r for r in example_view.rows if r.item.char_limit and "é" in r.item.text)
    notes = [w.text() for w in row.findChildren(type(row.label)) if "caractères" in w.text()]
    expected = (
        f"{format_integer(utf8_length(row.item.text))} / {format_integer(row.item.char_limit)} caractères"
    )
    assert len(notes) == 1 and notes[0].startswith(expected) and "comptés comme la plateforme" in notes[0]


def test_attachments_listed_and_saved_out_of_the_dossier(example_view, window, monkeypatch, tmp_path):
    view = example_view
    view.tabs.setCurrentIndex(1)
    tree = view.attachments_tree
    assert view.tabs.tabText(1) == "Pièces jointes (9)" and tree.topLevelItemCount() == 9
    assert tree.topLevelItem(0).text(0) == "Membres du consortium, membre 1 — Lettre d'engagement signée"
    assert tree.topLevelItem(0).text(1).endswith(".pdf") and "Ko" in tree.topLevelItem(0).text(2)
    out = tmp_path / "pieces"
    out.mkdir()
    (out / "rib-departement.pdf").write_bytes(b"deja la")  # never replaced
    monkeypatch.setattr(filing_view, "ask_folder", lambda parent, directory="": str(out))
    written = view.save_attachments()
    assert len(written) == 9 and (out / "rib-departement.pdf").read_bytes() == b"deja la"
    by_name = {a.name: a for a in window.controller.snapshot().attachments}
    for p in written:
        name = p.name if p.name in by_name else p.name.replace(" (2)", "")
        assert hashlib.sha256(p.read_bytes()).hexdigest() == by_name[name].sha256
    assert "9 fichiers enregistrés" in view.status.text()


def test_no_platform_ids_means_no_prefill_and_no_link(example_view):
    view = example_view
    assert not view.open_demarche.isVisible() and "ne connaît pas l'adresse" in view.link_label.text()
    view.tabs.setCurrentIndex(2)
    assert view.prefill_tab.prefill_link is None
    texts = " ".join(label.text() for label in view.tabs.widget(2).findChildren(type(view.title)))
    assert "pas encore être prérempli" in texts.replace("\u00a0", " ")
    assert view.prefill_tab.link_button.isVisible()


REWORDED = SAMPLE_SCHEMA.parent / "ds-ami-spie-reworded-schema.json"


def test_the_builtin_template_is_linked_from_the_view_then_prefilled(
    example_view, window, qtbot, monkeypatch
):
    from spie_desktop.ui import link_dialog

    view = example_view
    view.tabs.setCurrentIndex(2)
    shown: list = []

    def confirm(parent, plan):
        dialog = link_dialog.LinkDialog(plan, parent)  # the real dialog, driven as a person would
        shown.append({k: g.childCount() for k, g in dialog.groups.items()})
        item, _pair = dialog.doubtful_items[0]
        item.setCheckState(0, Qt.CheckState.Unchecked)  # « Structure membre » is not « Nom de la structure »
        return dialog.kept_plan()

    monkeypatch.setattr(link_dialog, "ask_link_source", lambda parent: str(REWORDED))
    monkeypatch.setattr(link_dialog, "show_link_dialog", confirm)
    infos: list = []
    monkeypatch.setattr(dialogs, "show_info", lambda parent, title, text: infos.append(text))
    qtbot.mouseClick(view.prefill_tab.link_button, Qt.MouseButton.LeftButton)
    assert shown == [{"reliees": 20, "douteuses": 1, "dossier_seul": 42, "demarche_seule": 2}]
    assert len(infos) == 1 and "91024" in infos[0] and "20 question(s)" in infos[0].replace("\u00a0", " ")
    t = window.controller.template
    assert t.platform.procedure_number == 91024 and t.field("porteur_nom").ds_id
    assert window.controller.dossier.changes()[-1].op == "link"
    view.tabs.setCurrentIndex(2)
    assert view.prefill_tab.prefill.body["champ_Q2hhbXAtNjEwMg"] == window.controller.dossier.get(
        "porteur_nom"
    )
    rows = view.prefill_tab.prefill.body["champ_Q2hhbXAtNjExNQ"]
    assert all("champ_Q2hhbXAtNjExNw" not in r for r in rows)  # the unticked doubtful pair is not linked
    assert view.prefill_tab.send_button.isEnabled() and view.prefill_tab.sent_label.text().startswith(
        "Pas encore envoyé"
    )


def test_send_on_click_records_and_says_it(example_view, window, qtbot, monkeypatch):
    from datetime import datetime

    from spie_desktop.exports import link_store, online
    from spie_desktop.ui import link_dialog, online_send

    monkeypatch.setattr(link_dialog, "ask_link_source", lambda parent: str(REWORDED))
    monkeypatch.setattr(link_dialog, "show_link_dialog", lambda parent, plan: plan)
    monkeypatch.setattr(dialogs, "show_info", lambda *a: None)
    view = example_view
    view.prefill_tab.link_demarche()
    sent_bodies: list = []

    def fake_send(
        template, body, **kw
    ):  # the network part has its contract tests in tests/exports/test_online.py
        sent_bodies.append(body)
        return online.SentDossier(
            "https://www.demarches-simplifiees.fr/commencer/ami-spie-essai?prefill_token=t",
            777,
            "RG9zc2llci03Nzc=",
            "prefilled",
            "t",
            datetime(2026, 3, 2, 9, tzinfo=UTC),
        )

    monkeypatch.setattr(online, "send_prefill", fake_send)
    asked: list = []
    monkeypatch.setattr(online_send, "confirm_send", lambda parent, text: asked.append(text) or True)
    opened: list = []
    monkeypatch.setattr(export_files, "open_externally", lambda target: opened.append(target) or True)
    said: list = []
    monkeypatch.setattr(online_send, "show_sent", lambda parent, text: said.append(text))
    view.tabs.setCurrentIndex(2)
    qtbot.mouseClick(view.prefill_tab.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(said), timeout=10000)
    assert asked and "www.demarches-simplifiees.fr" in asked[0]
    assert len(sent_bodies) == 1 and sent_bodies[0]["champ_Q2hhbXAtNjEwMg"] == window.controller.dossier.get(
        "porteur_nom"
    )
    assert opened == ["https://www.demarches-simplifiees.fr/commencer/ami-spie-essai?prefill_token=t"]
    assert "777" in said[0] and "07/03/2026" in said[0]
    assert link_store.last_sent(window.controller.dossier.changes())["dossier_number"] == 777
    qtbot.waitUntil(lambda: "n°" in view.prefill_tab.sent_label.text(), timeout=5000)
    assert "777" in view.prefill_tab.sent_label.text() and "07/03/2026" in view.prefill_tab.sent_label.text()


@pytest.fixture
def imported_window(window, tmp_path):
    assert SAMPLE_SCHEMA.exists(), "fixture manquante : tests/exports/fixtures/ds-demarche-schema.json"
    from spie_desktop.ui import schema_import_dialog

    preview = schema_import_dialog.prepare(SAMPLE_SCHEMA)
    d = DossierFile.create(tmp_path / "importe.spie", preview.template, "Dossier importé")
    d.set_value("champ_5003", "Département de la Drôme")
    d.set_value("champ_5015", "Association")  # not an option of the démarche: refused, with the reason
    d.set_value("champ_5013", True)
    d.close()
    assert window.open_path(tmp_path / "importe.spie")
    return window


def test_demarche_link_and_prefill_for_an_imported_form(imported_window, qtbot, monkeypatch, tmp_path):
    opened: list = []
    monkeypatch.setattr(export_files, "open_externally", lambda target: opened.append(target) or True)
    view = open_view(imported_window, qtbot)
    url = "https://www.demarches-simplifiees.fr/commencer/ami-exemple"
    assert view.open_demarche.isVisible() and url in view.link_label.text()
    qtbot.mouseClick(view.open_demarche, Qt.MouseButton.LeftButton)
    assert opened == [url]

    view.tabs.setCurrentIndex(2)
    link = view.prefill_tab.prefill_link.text()
    assert (
        link.startswith(url + "?") and "champ_Q2hhbXAtNTAwMw=" in link and "champ_Q2hhbXAtNTAxMw=true" in link
    )
    page_text = " ".join(w.text() for w in view.tabs.widget(2).findChildren(type(view.title)))
    assert "Type de porteur : « Association »" in page_text.replace("\u00a0", " ")  # refused, with the reason
    assert "Lettre d'engagement du conseil départemental" in page_text  # to upload online
    assert "Lien : ouvrez-le dans le navigateur" in page_text
    copy_link = next(
        b for b in view.tabs.widget(2).findChildren(QPushButton) if b.text() == "Copier le &lien"
    )
    copy_link.click()
    assert QGuiApplication.clipboard().text() == link

    out = tmp_path / "prefill.json"
    monkeypatch.setattr(export_files, "ask_export_path", lambda *args: str(out))
    infos: list = []
    monkeypatch.setattr(dialogs, "show_info", lambda parent, title, text: infos.append(title))
    view.prefill_tab.save_prefill()
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["link"] == link and data["body"]["champ_Q2hhbXAtNTAwMw"] == "Département de la Drôme"
    assert infos == ["Données de préremplissage"]


def test_the_view_closes_with_its_dossier(example_view, window, qtbot):
    assert window.close_dossier()
    qtbot.waitUntil(lambda: window.findChild(FilingView) is None, timeout=3000)


def test_the_filter_keeps_the_questions_holding_the_words_accents_and_case_folded(example_view, qtbot):
    view = example_view
    total = len(view.rows)
    qtbot.keyClicks(
        view.filter_edit, "MOBILITE"
    )  # « mobilité » in the answers, typed without accent in capitals
    shown = [r for r in view.rows if not r.isHidden()]
    assert 0 < len(shown) < total
    assert all("mobilite" in _folded(f"{r.item.section_title} {r.item.label} {r.item.text}") for r in shown)
    assert view.filter_status.text() == f"{len(shown)} question{'s' if len(shown) > 1 else ''} sur {total}"
    hidden_headings = [g for g, rows in view._groups if all(r.isHidden() for r in rows)]
    assert hidden_headings and all(g.isHidden() for g in hidden_headings)  # no empty section left on screen
    view.filter_edit.clear()
    assert all(not r.isHidden() for r in view.rows) and view.filter_status.text() == ""


def _folded(text: str) -> str:
    from spie_desktop.search import fold_text

    return fold_text(text)
