"""Widgets for the platform's place types and online-only questions: what they store is what the
platform's prefill accepts (see tests/exports/test_platform_types.py for the platform files)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from spie_desktop.exports.prefill import build_prefill
from spie_desktop.forms import parse_template
from spie_desktop.models import DossierFile

TEMPLATE = {
    "format": "spie-template",
    "format_version": 1,
    "id": "test-lieux",
    "version": "1",
    "title": "Lieux de la plateforme",
    "description": "",
    "deadline": None,
    "platform": {"procedure_number": 1, "procedure_path": "lieux"},
    "parameters": {},
    "sections": [
        {
            "id": "lieux",
            "title": "Lieux",
            "fields": [
                {
                    "id": "aide",
                    "type": "explication",
                    "label": "À lire",
                    "description": "Court.",
                    "collapsible_text": "Le détail complet.",
                },
                {"id": "departement", "type": "departements", "label": "Département", "ds_id": "RA=="},
                {"id": "commune", "type": "communes", "label": "Commune", "ds_id": "Qw=="},
                {"id": "region", "type": "regions", "label": "Région", "ds_id": "Ug=="},
                {"id": "pays", "type": "pays", "label": "Pays", "ds_id": "UA=="},
                {"id": "epci", "type": "epci", "label": "EPCI", "ds_id": "RQ=="},
                {
                    "id": "zone",
                    "type": "carte",
                    "label": "Zone d'intervention",
                    "required": True,
                    "ds_id": "Wg==",
                },
                {
                    "id": "lettre",
                    "type": "piece_justificative",
                    "label": "Lettre",
                    "ds_id": "TA==",
                    "file_template": "https://www.demarches-simplifiees.fr/modele.pdf",
                },
            ],
        }
    ],
}


@pytest.fixture
def controller(qtbot, tmp_path):
    from spie_desktop.ui.controller import DossierController

    d = DossierFile.create(tmp_path / "lieux.spie", parse_template(TEMPLATE), "Lieux")
    c = DossierController(d)
    yield c
    c._save_timer.stop()
    c._check_timer.stop()
    d.close()


def test_place_widgets_store_the_platforms_values(ui, qtbot, controller):
    form = ui.show_form(controller, "lieux")
    f = form.fields
    ui.type_into(f["commune"].edit, "Vonnas (01540)")
    ui.leave(form)
    region = f["region"].combo
    region.setCurrentIndex(region.findData("53"))
    region.activated.emit(region.currentIndex())
    ui.type_into(f["pays"].combo.lineEdit(), "Allemagne")
    ui.leave(form)
    epci = f["epci"]
    epci.dep.setCurrentIndex(epci.dep.findData("01"))  # its own département, not the dossier's
    epci.dep.activated.emit(epci.dep.currentIndex())
    ui.type_into(epci.edit, "200029999")
    ui.leave(form)
    ui.type_into(f["departement"].combo.lineEdit(), "Morbihan")
    ui.leave(form)
    assert controller.value("commune") == "01457-01540"
    assert controller.value("region") == "53" and controller.value("pays") == "DE"
    assert controller.value("epci") == "01/200029999" and controller.value("departement") == "56"
    assert f["commune"].edit.text() == "Vonnas (01540)"
    controller.flush()
    body = build_prefill(controller.snapshot()).body
    assert body["champ_Qw"] == ["01540", "01457"] and body["champ_RQ"] == ["01", "200029999"]
    assert body["champ_Ug"] == "53" and body["champ_UA"] == "DE" and body["champ_RA"] == "56"


def test_unknown_commune_is_kept_with_a_warning(ui, controller):
    form = ui.show_form(controller, "lieux")
    ui.type_into(form.fields["commune"].edit, "Ville imaginaire")
    ui.leave(form)
    assert controller.value("commune") == "Ville imaginaire"
    assert [tone.name for tone, _ in form.fields["commune"]._hint] == ["WARNING"]
    assert "introuvable" in form.fields["commune"]._hint[0][1]


def test_online_only_question_collapsible_text_and_model_file_are_shown(ui, qtbot, controller):
    from PySide6.QtWidgets import QLabel

    form = ui.show_form(controller, "lieux")
    zone = form.fields["zone"]
    assert "À remplir en ligne (obligatoire" in zone.notice.text()
    aide = form.fields["aide"]
    assert not aide.more_text.isVisible()
    qtbot.mouseClick(aide.more, Qt.MouseButton.LeftButton)
    assert aide.more_text.isVisible() and aide.more_text.text() == "Le détail complet."
    model = form.fields["lettre"].findChild(QLabel, "file_template")
    assert model is not None and "https://www.demarches-simplifiees.fr/modele.pdf" in model.text()
