"""A temporary dossier and its controller, from the 2021 template (``template_2021`` comes from
tests/conftest.py) or from a small template with every field type; a driver that types like a person."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


import pytest

from spie_desktop.forms import parse_template
from spie_desktop.models import DossierFile

ALL_TYPES = {
    "format": "spie-template",
    "format_version": 1,
    "id": "test-widgets",
    "version": "1",
    "title": "Modèle d'essai des widgets",
    "description": "",
    "deadline": None,
    "platform": {},
    "parameters": {},
    "sections": [
        {
            "id": "tout",
            "title": "Tous les types",
            "description": "Un champ de chaque sorte.",
            "fields": [
                {"id": "titre", "type": "header_section", "label": "Identité", "level": 2},
                {"id": "aide", "type": "explication", "label": "À savoir", "description": "Un texte d'aide."},
                {
                    "id": "nom",
                    "type": "text",
                    "label": "Nom",
                    "required": True,
                    "description": "Le nom complet.",
                },
                {"id": "presentation", "type": "textarea", "label": "Présentation", "character_limit": 400},
                {"id": "effectif", "type": "integer_number", "label": "Effectif", "unit": "personnes"},
                {"id": "budget", "type": "decimal_number", "label": "Budget", "unit": "€"},
                {"id": "debut", "type": "date", "label": "Début"},
                {"id": "courriel", "type": "email", "label": "Courriel"},
                {"id": "telephone", "type": "phone", "label": "Téléphone"},
                {"id": "siret", "type": "siret", "label": "SIRET"},
                {"id": "iban", "type": "iban", "label": "IBAN"},
                {"id": "accord", "type": "yes_no", "label": "Accord ?"},
                {"id": "certifie", "type": "checkbox", "label": "Je certifie l'exactitude"},
                {"id": "civilite", "type": "civilite", "label": "Civilité"},
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
                    "options": ["Jeunes", "Seniors", "Autre public"],
                },
                {
                    "id": "publics_autre",
                    "type": "text",
                    "label": "Autre public : lequel ?",
                    "visible_if": {"field": "publics", "equals": "Autre public"},
                },
                {"id": "departement", "type": "departements", "label": "Département"},
                {"id": "epci", "type": "epci", "label": "EPCI"},
                {"id": "piece", "type": "piece_justificative", "label": "Pièce"},
                {
                    "id": "membres",
                    "type": "repetition",
                    "label": "Membres",
                    "row_label": "Membre",
                    "children": [
                        {"id": "structure", "type": "text", "label": "Structure", "required": True},
                        {"id": "privee", "type": "yes_no", "label": "Structure privée ?"},
                        {
                            "id": "siret_membre",
                            "type": "siret",
                            "label": "SIRET du membre",
                            "visible_if": {"field": "privee", "equals": True},
                        },
                        {"id": "role", "type": "textarea", "label": "Rôle", "character_limit": 1000},
                    ],
                },
            ],
        },
    ],
}


@pytest.fixture
def all_types_template():
    return parse_template(ALL_TYPES)


@pytest.fixture
def dossier_2021(tmp_path, template_2021):
    d = DossierFile.create(tmp_path / "essai.spie", template_2021, "Dossier d'essai")
    yield d
    d.close()


@pytest.fixture
def dossier_all(tmp_path, all_types_template):
    d = DossierFile.create(tmp_path / "tous-types.spie", all_types_template, "Tous les types")
    yield d
    d.close()


def _controller(dossier):
    from spie_desktop.ui.controller import DossierController

    return DossierController(dossier)


@pytest.fixture
def controller(qtbot, dossier_2021):
    c = _controller(dossier_2021)
    yield c
    c._save_timer.stop()
    c._check_timer.stop()


@pytest.fixture
def controller_all(qtbot, dossier_all):
    c = _controller(dossier_all)
    yield c
    c._save_timer.stop()
    c._check_timer.stop()


class FormDriver:
    """Drives section forms like a person: shows them, types, presses keys, moves on."""

    def __init__(self, qtbot) -> None:
        self.qtbot = qtbot

    def show_form(self, controller, section_id: str):
        from spie_desktop.ui.section_form import SectionForm

        form = SectionForm(controller, controller.template.section(section_id))
        self.qtbot.addWidget(form)
        form.resize(1000, 800)
        form.show()
        self.qtbot.waitExposed(form)
        self.activate(form)
        return form

    def activate(self, window) -> None:
        from PySide6.QtWidgets import QApplication

        while QApplication.activePopupWidget() is not None:  # a completer's list, a calendar
            QApplication.activePopupWidget().close()
        if QApplication.activeWindow() is not window:
            window.activateWindow()
            self.qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)

    @staticmethod
    def press(widget, key, text: str = "") -> None:
        """One key press and release, as the keyboard sends them.

        QTest's keyClick/keyClicks are avoided: they only know ASCII ("é" aborts).
        """
        from PySide6.QtCore import QEvent, Qt
        from PySide6.QtGui import QKeyEvent
        from PySide6.QtWidgets import QApplication

        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, text))

    def type_into(self, widget, text: str) -> None:
        from PySide6.QtCore import Qt

        self.activate(widget.window())
        widget.setFocus(Qt.FocusReason.MouseFocusReason)
        for ch in text:
            if ch == "\n":
                self.press(widget, Qt.Key.Key_Return, "\r")
            elif ch.isascii() and ch.isalnum():
                self.press(widget, Qt.Key(ord(ch.upper())), ch)
            else:
                self.press(widget, Qt.Key.Key_unknown, ch)

    def leave(self, form) -> None:
        """Move the focus away from the current input, as a user moving on does."""
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QApplication

        self.activate(form)
        focus = QApplication.focusWidget()
        form.title_label.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        form.title_label.setFocus(Qt.FocusReason.TabFocusReason)
        assert QApplication.focusWidget() is not focus


@pytest.fixture
def ui(qtbot):
    return FormDriver(qtbot)
