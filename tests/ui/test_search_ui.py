"""Rechercher (Ctrl+F) and Remplacer (Ctrl+H) in a real window: accent-folded query, jump, selection,
replace-all previewed then written to the file."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPlainTextEdit
from writing_window import close_window, make_dossier, open_window, writing_settings  # noqa: F401

from spie_desktop.models import open_dossier
from spie_desktop.ui import search_panel

DIAG = "Les besoins repérés par les Élus du Diagnostic : mobilité, garde d'enfants."


@pytest.fixture
def window(qtbot, tmp_path, writing_settings):  # noqa: F811
    path = make_dossier(
        tmp_path / "d.spie",
        {"perimetre": "Tout le département.", "diagnostic_territorial": DIAG},
        rows={"consortium": [{"structure": "CCAS de Valence", "role": "Relais auprès des élus"}]},
    )
    w = open_window(qtbot, writing_settings, path)
    yield w
    close_window(w)


def test_ctrl_f_accent_folded_query_jumps_to_the_field_and_selects_the_match(window, qtbot):
    window.show_section("recevabilite")
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    panel = window.writing.search_panel
    assert panel is not None and window.writing.search_dock.isVisible()
    assert QApplication.focusWidget() is panel.query
    qtbot.keyClicks(panel.query, "elus")
    qtbot.waitUntil(lambda: bool(panel.hit_items()))
    texts = [i.text(0) for i in panel.hit_items()]
    assert any("Diagnostic territorial" in t and "« Élus »" in t for t in texts)
    assert any("Nom de la structure" not in t and "Rôle dans le projet (Membre 1)" in t for t in texts)
    qtbot.keyClick(panel.query, Qt.Key.Key_Return)  # the first result: the diagnostic, section C
    assert window._section_id == "territoire"
    focused = QApplication.focusWidget()
    assert isinstance(focused, QPlainTextEdit) and focused.toPlainText() == DIAG
    assert focused.textCursor().selectedText() == "Élus"
    qtbot.keyClick(panel.query, Qt.Key.Key_Return)  # next: inside the consortium row
    focused = QApplication.focusWidget()
    assert window._section_id == "consortium"
    assert isinstance(focused, QPlainTextEdit) and focused.textCursor().selectedText() == "élus"
    panel.query.setText("introuvable")
    panel.refresh()
    assert panel.hit_items() == [] and "Aucun résultat" in panel.summary.text()


def test_replace_all_previews_then_writes_every_text_answer(window, qtbot, monkeypatch, tmp_path):
    seen = {}

    def confirm(parent, plan, query, replacement):
        seen["plan"] = [(r.path.split("[")[0], r.old, r.new) for r in plan]
        return plan

    monkeypatch.setattr(search_panel, "confirm_replacements", confirm)
    qtbot.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    panel = window.writing.search_panel
    assert panel.replace_row.isVisible()
    panel.query.setText("ELUS")
    panel.replacement.setText("conseillers départementaux")
    qtbot.mouseClick(panel.replace_button, Qt.MouseButton.LeftButton)
    assert seen["plan"] == [
        ("diagnostic_territorial", DIAG, DIAG.replace("Élus", "conseillers départementaux")),
        ("consortium", "Relais auprès des élus", "Relais auprès des conseillers départementaux"),
    ]
    assert "2 réponses modifiées" in panel.summary.text()
    path = window.controller.path
    close_window(window)
    with open_dossier(path) as d:
        assert d.get("diagnostic_territorial") == DIAG.replace("Élus", "conseillers départementaux")
        rid = d.row_ids("consortium")[0]
        assert d.get(f"consortium[{rid}].role") == "Relais auprès des conseillers départementaux"
        recorded = [c.path for c in d.changes()]
        assert "diagnostic_territorial" in recorded and f"consortium[{rid}].role" in recorded


def test_replace_cancelled_in_the_preview_changes_nothing(window, qtbot, monkeypatch):
    monkeypatch.setattr(search_panel, "confirm_replacements", lambda *a: None)
    window.writing.show_search(replace=True)
    panel = window.writing.search_panel
    panel.query.setText("élus")
    panel.replacement.setText("x")
    panel.replace_all()
    assert window.controller.value("diagnostic_territorial") == DIAG
