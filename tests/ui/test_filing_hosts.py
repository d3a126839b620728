"""« Dépôt en ligne » says where the answers go before any link; a refused host gives no link at all."""

from __future__ import annotations

import copy
import json
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLineEdit
from test_filing_view import SAMPLE_SCHEMA, open_view, window  # noqa: F401 - the shared window fixture

from spie_desktop.models import DossierFile
from spie_desktop.ui import export_files
from spie_desktop.ui.filing_view import FilingView


def _dossier(tmp_path: Path, host: str) -> Path:
    from spie_desktop.ui import schema_import_dialog

    if not SAMPLE_SCHEMA.exists():
        pytest.skip("échantillon de schéma absent")
    preview = schema_import_dialog.prepare(SAMPLE_SCHEMA)
    path = tmp_path / "recu.spie"
    d = DossierFile.create(path, preview.template, "Dossier reçu")
    d.set_value("champ_5003", "Département de la Drôme")
    d.close()
    data = copy.deepcopy(preview.data)
    data["platform"]["host"] = host  # what a partner's copy could carry
    data["id"] = "ds-recu"
    with sqlite3.connect(path) as db:
        db.execute("UPDATE dossier SET template_json = ?, template_id = 'ds-recu'", (json.dumps(data),))
    db.close()
    return path


def _texts(view: FilingView) -> str:
    page = view.tabs.widget(2)
    return " ".join(w.text() for w in page.findChildren(type(view.title))).replace("\u00a0", " ")


@pytest.mark.parametrize(
    "host",
    ["www.demarches-simplifiees.fr@collecte.example", "evil.example", "www.demarches-simplifiees.fr:8443"],
)
def test_a_refused_host_shows_why_and_no_link(window, qtbot, tmp_path, monkeypatch, host):  # noqa: F811
    monkeypatch.setattr(
        export_files, "open_externally", lambda target: pytest.fail(f"lien ouvert : {target}")
    )
    assert window.open_path(_dossier(tmp_path, host))
    view = open_view(window, qtbot)
    assert not view.open_demarche.isVisible() and view.url is None
    assert "Aucun lien ne sera ouvert et aucune donnée envoyée" in view.link_label.text()
    view.tabs.setCurrentIndex(2)
    assert view.prefill_tab.prefill_link is None
    assert not [e for e in view.tabs.widget(2).findChildren(QLineEdit) if "collecte" in e.text()]
    text = _texts(view)
    assert "n'est pas une adresse autorisée" in text
    assert view.prefill_tab.prefill_host.text().replace("\u00a0", " ").startswith("Aucun lien ne sera ouvert")


def test_an_allowed_host_is_stated_before_the_link(window, qtbot, tmp_path):  # noqa: F811
    assert window.open_path(_dossier(tmp_path, "demarche.numerique.gouv.fr"))
    view = open_view(window, qtbot)
    assert "Les données seront envoyées à demarche.numerique.gouv.fr." in view.link_label.text()
    view.tabs.setCurrentIndex(2)
    layout = view.tabs.widget(2).widget().layout()
    order = [layout.itemAt(i).widget() for i in range(layout.count())]
    assert (
        view.prefill_tab.prefill_host.text().replace("\u00a0", " ")
        == "Les données seront envoyées à demarche.numerique.gouv.fr."
    )
    assert view.prefill_tab.prefill_link.text().startswith("https://demarche.numerique.gouv.fr/commencer/")
    assert order.index(view.prefill_tab.prefill_host) < order.index(view.prefill_tab.prefill_link)
