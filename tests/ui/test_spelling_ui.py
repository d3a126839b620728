"""Spell checking in a real window: « mobilite » underlined in a text area, corrected from the
context menu, added to the personal dictionary; the dossier-wide list jumps to the word."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QTextCharFormat
from PySide6.QtWidgets import QApplication, QPlainTextEdit
from writing_window import close_window, make_dossier, open_window, writing_settings  # noqa: F401

from spie_desktop.settings import data_dir
from spie_desktop.spelling import PERSONAL_FILE, read_word_list
from spie_desktop.ui import dialogs, spell_highlighter
from spie_desktop.ui.spell_highlighter import SpellService

TEXT = "La mobilite des personnes reste un frein."


@pytest.fixture
def window(qtbot, tmp_path, writing_settings):  # noqa: F811
    SpellService.instance().reload_words()  # this test's data folder, no word left by another test
    w = open_window(qtbot, writing_settings, make_dossier(tmp_path / "d.spie"))
    w.show_section("territoire")
    yield w
    close_window(w)
    SpellService.instance().set_enabled(True)


def _area(window, field_id: str) -> QPlainTextEdit:
    return window.current_form().widget_for(field_id).edit


def underlined(edit: QPlainTextEdit) -> list[str]:
    """The words drawn with the spell-check underline, as the layout will paint them."""
    out = []
    block = edit.document().firstBlock()
    while block.isValid():
        for r in block.layout().formats():
            if r.format.underlineStyle() == QTextCharFormat.UnderlineStyle.SpellCheckUnderline:
                out.append(block.text()[r.start : r.start + r.length])
        block = block.next()
    return out


def _point_on(edit: QPlainTextEdit, word: str) -> QPoint:
    cursor = edit.textCursor()
    cursor.setPosition(edit.toPlainText().index(word) + 2)
    return edit.cursorRect(cursor).center()


def test_misspelt_word_is_underlined_and_corrected_from_the_menu(window, qtbot, monkeypatch):
    edit = _area(window, "diagnostic_territorial")
    edit.setFocus()
    qtbot.keyClicks(edit, TEXT)
    assert underlined(edit) == ["mobilite"]
    menus = []
    monkeypatch.setattr(spell_highlighter, "show_menu", lambda menu, pos: menus.append(menu))
    edit.customContextMenuRequested.emit(_point_on(edit, "mobilite"))
    texts = [a.text() for a in menus[0].actions() if not a.isSeparator()]
    assert texts[0] == "mobilité"
    assert "Ajouter au dictionnaire" in texts and "Ignorer" in texts
    assert len(texts) > 5  # the editor's own entries (Copier, Coller…) stay below
    menus[0].actions()[0].trigger()
    assert edit.toPlainText() == TEXT.replace("mobilite", "mobilité")
    assert underlined(edit) == []
    window.controller.flush()
    assert window.controller.dossier.get("diagnostic_territorial") == TEXT.replace("mobilite", "mobilité")


def test_add_to_dictionary_and_turning_it_off(window, qtbot, monkeypatch):
    edit = _area(window, "perimetre")
    edit.setFocus()
    qtbot.keyClicks(edit, "Un quartier Kerbratois et des benevoles ")
    assert underlined(edit) == ["Kerbratois", "benevoles"]
    menus = []
    monkeypatch.setattr(spell_highlighter, "show_menu", lambda menu, pos: menus.append(menu))
    edit.customContextMenuRequested.emit(_point_on(edit, "Kerbratois"))
    next(a for a in menus[0].actions() if a.text() == "Ajouter au dictionnaire").trigger()
    assert underlined(edit) == ["benevoles"]
    assert "Kerbratois" in read_word_list(data_dir() / PERSONAL_FILE)
    monkeypatch.setattr(
        dialogs, "ask_author", lambda parent, s, **k: setattr(s, "spell_check", False) or True
    )
    window.edit_preferences()
    assert underlined(edit) == []
    assert window.settings.spell_check is False


def test_the_dossier_names_are_accepted_and_the_list_jumps_to_the_word(window, qtbot):
    c = window.controller
    c.set_value("porteur_nom", "Association Alzeyrac Solidarité")
    c.set_value("resume", "Alzeyrac porte le projet avec des benevoles.")
    c.flush()
    window.writing.show_spelling()
    panel = window.writing.spelling_panel
    words = [i.data(0, spell_highlighter.Qt.ItemDataRole.UserRole + 2) for i in panel.word_items()]
    assert words == ["benevoles"]
    place = panel.word_items()[0].child(0)
    assert "Résumé du projet" in place.text(0)
    panel.tree.setCurrentItem(place)
    panel.tree.itemActivated.emit(place, 0)
    focused = QApplication.focusWidget()
    assert window._section_id == "projet"
    assert isinstance(focused, QPlainTextEdit) and focused.textCursor().selectedText() == "benevoles"


def test_a_new_name_redraws_only_the_text_areas_that_hold_it(window, qtbot, monkeypatch):
    """Issue 14: a pause in typing no longer reads the whole dossier nor redraws every text area:
    the vocabulary follows the answer that changed, and only an area holding a changed word redraws."""
    service = SpellService.instance()
    assert service.wait_ready()
    c = window.controller
    tracker = service._controllers[c]
    qtbot.waitUntil(lambda: tracker.vocabulary.filled and tracker._filling is None, timeout=10_000)
    holding, other = _area(window, "diagnostic_territorial"), _area(window, "perimetre")
    holding.setPlainText("Le projet Zorglubie avance.")
    other.setPlainText("Un quartier sans nom propre.")
    assert underlined(holding) == ["Zorglubie"]
    redrawn = []
    for edit in (holding, other):
        h = edit._spell_highlighter
        monkeypatch.setattr(
            h, "rehighlight", lambda h=h, edit=edit: (redrawn.append(edit), type(h).rehighlight(h))
        )
    monkeypatch.setattr(c, "snapshot", lambda: pytest.fail("the whole dossier was read again"))
    c.set_value("porteur_nom", "Association Zorglubie")
    tracker.update()  # what the timer does a moment after the change
    assert "Zorglubie" in service.checker.dossier_words
    assert redrawn == [holding] and underlined(holding) == []
    c.set_value("porteur_nom", "Association")
    tracker.update()
    assert "Zorglubie" not in service.checker.dossier_words and underlined(holding) == ["Zorglubie"]


def test_redrawing_the_underline_is_not_an_edit(window, qtbot, monkeypatch):
    """The CI saw « Modifications en attente… » appear with nobody typing: a redrawn underline makes
    the document say « changed » (QSyntaxHighlighter), and the text area took that for an edit, saved
    the same text again and, on a team server, could have refused a change nobody made."""
    c = window.controller
    edit = _area(window, "diagnostic_territorial")
    edit.setFocus()
    qtbot.keyClicks(edit, TEXT)
    assert c.flush()
    states = []
    c.saveStateChanged.connect(states.append)
    written = []
    monkeypatch.setattr(c.dossier, "set_value", lambda *a, **k: written.append(a))
    edit._spell_highlighter.rehighlight()  # what a new name in the dossier or a new word does
    SpellService.instance()._redraw()
    QApplication.processEvents()
    assert c.pending == {} and states == [] and c.flush() and written == []
    qtbot.keyClicks(edit, " Oui.")  # a real edit still goes through
    assert c.pending == {"diagnostic_territorial": TEXT + " Oui."}
