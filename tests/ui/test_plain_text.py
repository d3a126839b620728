"""A received dossier whose template, answers and names carry HTML: every widget shows it literally.

The check is general: in every open window, any label, tooltip or message box that shows one of the
planted words must show the tags around it too. A site that renders the markup shows the word
without its tags (« GRAS » instead of « <b>GRAS</b> ») and fails the test.
"""

from __future__ import annotations

import copy

import pytest
from PySide6.QtGui import Qt as QtGuiQt, QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QListWidget,
    QTableWidget,
    QTreeWidget,
    QWidget,
)

from spie_desktop.collab import MergeOutcome, make_partner_copy, merge
from spie_desktop.forms import parse_template
from spie_desktop.models import DossierFile, open_dossier
from spie_desktop.ui import dialogs
from spie_desktop.ui.plain import escape, tooltip

BOLD = "<b>GRAS</b>"
HIDDEN = '<span style="color:white">CACHÉ</span>'
IMAGE = '<img src="https://collecte.example/pixel.png">IMAGE'
LINK = '<a href="https://collecte.example">LIEN</a>'
MARKUP = f"{BOLD} {HIDDEN} {IMAGE} {LINK}"
#: the word planted in each piece of markup, and the literal text that must show with it
PLANTED = {"GRAS": BOLD, "CACHÉ": HIDDEN, "IMAGE": IMAGE, "LIEN": LINK}


BASE = {
    "format": "spie-template",
    "format_version": 1,
    "id": "recu",
    "version": "1",
    "title": "Modèle",
    "description": "",
    "deadline": None,
    "platform": {},
    "parameters": {},
    "sections": [
        {
            "id": "tout",
            "title": "Tout",
            "description": "",
            "fields": [
                {"id": "titre", "type": "header_section", "label": "Identité", "level": 2},
                {"id": "aide", "type": "explication", "label": "À savoir", "description": "Un texte d'aide."},
                {"id": "nom", "type": "text", "label": "Nom", "required": True},
                {"id": "presentation", "type": "textarea", "label": "Présentation", "character_limit": 400},
                {"id": "effectif", "type": "integer_number", "label": "Effectif", "unit": "personnes"},
                {"id": "accord", "type": "yes_no", "label": "Accord ?"},
                {"id": "certifie", "type": "checkbox", "label": "Je certifie l'exactitude"},
                {
                    "id": "nature",
                    "type": "drop_down_list",
                    "label": "Nature",
                    "options": ["Public", "Privé"],
                    "other_option": True,
                },
                {
                    "id": "publics",
                    "type": "multiple_drop_down_list",
                    "label": "Publics",
                    "options": ["Jeunes", "Seniors"],
                },
                {"id": "piece", "type": "piece_justificative", "label": "Pièce"},
                {
                    "id": "membres",
                    "type": "repetition",
                    "label": "Membres",
                    "row_label": "Membre",
                    "children": [
                        {"id": "structure", "type": "text", "label": "Structure", "required": True},
                        {"id": "role", "type": "textarea", "label": "Rôle", "character_limit": 1000},
                    ],
                },
            ],
        }
    ],
}


def hostile_template():
    t = copy.deepcopy(BASE)
    t["title"] = f"{BOLD} Modèle"
    section = t["sections"][0]
    section["title"] = f"{BOLD} Section"
    section["description"] = MARKUP
    for f in section["fields"]:
        f["label"] = f"{LINK} {f['label']}"
        f["description"] = HIDDEN
        if "options" in f:
            f["options"] = [f"{BOLD} {o}" for o in f["options"]]
        for c in f.get("children", []):
            c["label"] = f"{IMAGE} {c['label']}"
    return parse_template(t)


def rendered(text: str, rich: bool) -> str:
    if not rich:
        return text
    doc = QTextDocument()
    doc.setHtml(text)
    return doc.toPlainText()


def label_shows(label: QLabel) -> str:
    fmt = label.textFormat()
    from PySide6.QtCore import Qt

    rich = fmt == Qt.TextFormat.RichText or (
        fmt == Qt.TextFormat.AutoText and QtGuiQt.mightBeRichText(label.text())
    )
    return rendered(label.text(), rich)


def tip_shows(tip: str) -> str:
    return rendered(tip, QtGuiQt.mightBeRichText(tip))


def interpreted(shown: str) -> list[str]:
    """The planted words shown without their markup around them."""
    return [word for word, literal in PLANTED.items() if word in shown and literal not in shown]


def item_tips(widget: QWidget) -> list[str]:
    tips: list[str] = []
    if isinstance(widget, QListWidget):
        tips += [widget.item(i).toolTip() for i in range(widget.count())]
    elif isinstance(widget, QTreeWidget):
        stack = [widget.topLevelItem(i) for i in range(widget.topLevelItemCount())]
        while stack:
            it = stack.pop()
            tips += [it.toolTip(c) for c in range(widget.columnCount())]
            stack += [it.child(i) for i in range(it.childCount())]
    elif isinstance(widget, QTableWidget):
        tips += [
            widget.item(r, c).toolTip()
            for r in range(widget.rowCount())
            for c in range(widget.columnCount())
            if widget.item(r, c) is not None
        ]
    return tips


def problems_in(root: QWidget) -> list[str]:
    """Every place under ``root`` (itself included) that renders planted markup."""
    found: list[str] = []
    widgets = [root, *root.findChildren(QWidget)]
    for w in widgets:
        if isinstance(w, QLabel) and interpreted(label_shows(w)):
            found.append(f"QLabel {label_shows(w)!r}")
        for tip in [w.toolTip(), *item_tips(w)]:
            if interpreted(tip_shows(tip)):
                found.append(f"tooltip of {type(w).__name__}: {tip!r}")
    return found


def checked_text(root: QWidget) -> str:
    """All the text a person could read under ``root``, as rendered (to prove the words are there)."""
    parts = [label_shows(w) for w in root.findChildren(QLabel)]
    parts += [tip_shows(w.toolTip()) for w in [root, *root.findChildren(QWidget)]]
    parts += [b.text() for b in root.findChildren(QAbstractButton)]
    return "\n".join(parts)


@pytest.fixture
def hostile(tmp_path):
    path = tmp_path / "recu.spie"
    template = hostile_template()
    with DossierFile.create(
        path, template, f"{BOLD} Dossier", author=f"{HIDDEN} Karim", organisation=LINK
    ) as d:
        d.set_value("nom", MARKUP)
        d.set_value("presentation", MARKUP)
        d.add_row("membres", {"structure": MARKUP, "role": MARKUP})
        d.add_comment("nom", f"{BOLD} vérifiée par la DREETS {HIDDEN}")
        d.entrust_section("tout", f"{LINK} Mission locale")
    return path


def test_the_tooltip_helper_shows_markup_literally():
    assert tooltip("") == ""
    assert tip_shows(tooltip(MARKUP)) == MARKUP
    assert tip_shows(tooltip("a\nb")) == "a\nb"
    assert interpreted(tip_shows(MARKUP))  # the raw text would have been rendered: the check can fail


@pytest.mark.parametrize(
    "text", ["", MARKUP, "a & b < c > d \" e ' f", "&amp; déjà échappé", "<<&>>", "l'été\n2026"]
)
def test_the_escape_helper_is_html_escape(text):
    """plain.py escapes without the module html (its entities cost the start-up): same output."""
    import html

    assert escape(text) == html.escape(text, quote=True).replace("\n", "<br>")
    assert tooltip(text) == (
        "" if not text else "<p style='white-space:pre-wrap'>" + html.escape(text, quote=False) + "</p>"
    )


def test_the_check_finds_a_label_that_renders_markup(qtbot):
    w = QWidget()
    qtbot.addWidget(w)
    QLabel(MARKUP, w)
    assert problems_in(w)


def test_every_window_shows_file_text_literally(qtbot, hostile, tmp_path, monkeypatch):
    from spie_desktop.app import create_application
    from spie_desktop.settings import Settings
    from spie_desktop.ui.comment_marker import CommentTarget
    from spie_desktop.ui.comments import CommentsDialog
    from spie_desktop.ui.filing_view import FilingView
    from spie_desktop.ui.main_window import MainWindow

    monkeypatch.setenv("SPIE_DESKTOP_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("SPIE_DESKTOP_DATA_DIR", str(tmp_path / "data"))
    shown: list[str] = []
    monkeypatch.setattr(dialogs, "show_info", lambda parent, title, text: shown.append(text))
    create_application()
    window = MainWindow(Settings(author_name="Camille", author_organisation="CD"))
    qtbot.addWidget(window)
    window.resize(1100, 780)
    window.show()
    qtbot.waitExposed(window)
    try:
        assert window.open_path(hostile)
        window.show_section("tout")
        window.controller.recheck()
        window.show_check()  # the check panel lists messages quoting labels and answers
        QApplication.processEvents()
        assert problems_in(window) == []
        text = checked_text(window)
        for literal in (BOLD, HIDDEN, LINK, IMAGE):  # the words are on screen, with their tags
            assert literal in text, literal
        assert window.windowTitle().startswith(BOLD)

        comments = CommentsDialog(window.controller, CommentTarget(f"{LINK} Nom", "nom"), window)
        qtbot.addWidget(comments)
        assert problems_in(comments) == []
        assert "vérifiée par la DREETS" in checked_text(comments) and HIDDEN in checked_text(comments)

        filing = FilingView(window.controller, window)
        qtbot.addWidget(filing)
        assert problems_in(filing) == []
        assert BOLD in checked_text(filing)

        window.act_info.trigger()
        assert shown and shown[0].startswith(f"{BOLD} Dossier\n")  # through show_info, a plain-text box
    finally:
        if window.controller is not None:
            window.controller.discard_and_close()
            window.controller = None


def test_message_boxes_are_plain_text(qtbot, monkeypatch):
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QMessageBox

    seen: list[QMessageBox] = []

    def close_box():
        for w in QApplication.topLevelWidgets():
            if isinstance(w, QMessageBox) and w.isVisible():
                seen.append(w)
                w.done(0)

    for call in (
        lambda: dialogs.show_error(None, MARKUP),
        lambda: dialogs.show_info(None, "Titre", MARKUP),
        lambda: dialogs.confirm(None, "Titre", MARKUP),
    ):
        QTimer.singleShot(50, close_box)
        call()
    assert len(seen) == 3
    assert all(box.textFormat() == Qt.TextFormat.PlainText and box.text() == MARKUP for box in seen)


def test_conflict_and_history_dialogs_show_names_and_answers_literally(qtbot, tmp_path):
    from spie_desktop.ui.collab_dialogs import ConflictDialog, HistoryDialog

    mine = tmp_path / "cd.spie"
    template = hostile_template()
    with DossierFile.create(
        mine, template, "Candidature", author=f"{BOLD} Claire", organisation=HIDDEN
    ) as cd:
        make_partner_copy(cd, tmp_path / "ml.spie", f"{LINK} Mission locale")
        cd.set_value("nom", f"{BOLD} le nôtre")
    with open_dossier(
        tmp_path / "ml.spie", author=f"{LINK} vérifiée par la DREETS", organisation=IMAGE
    ) as ml:
        ml.set_value("nom", f"{HIDDEN} le leur")
    with open_dossier(mine, author="Claire") as cd:
        preview = merge(cd, tmp_path / "ml.spie")
        assert preview.outcome is MergeOutcome.CONFLICTS
        dialog = ConflictDialog(preview.conflicts, cd.template, f"{BOLD}.spie")
        qtbot.addWidget(dialog)
        assert problems_in(dialog) == []
        text = checked_text(dialog)
        assert f"{LINK} vérifiée par la DREETS" in text and f"{BOLD} Claire" in text
        panel = dialog.panels[0]
        assert panel.title().startswith(LINK)  # a group box title is never rendered
        assert panel.theirs_view.toPlainText() == f"{HIDDEN} le leur"

        history = HistoryDialog(cd, "nom", label=f"{LINK} Nom")
        qtbot.addWidget(history)
        assert problems_in(history) == []
        whos = [history.table.item(r, 1).text() for r in range(history.table.rowCount())]
        assert any(BOLD in w for w in whos)
        assert history.windowTitle() == f"Historique de « {LINK} Nom »"
