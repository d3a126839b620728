"""Fichier › Ouvrir depuis le serveur… : the dialog builds the address and remembers the server but
never the password; the window opens a dossier on a real server and writes there as the role."""

from __future__ import annotations

import json

from PySide6.QtWidgets import QLineEdit

from spie_desktop.app import create_application
from spie_desktop.forms import registry
from spie_desktop.models import DossierFile, open_dossier
from spie_desktop.settings import Settings, load_settings
from spie_desktop.ui import server_dialog
from spie_desktop.ui.main_window import MainWindow
from spie_desktop.ui.server_dialog import ServerDialog


def test_dialog_remembers_the_server_not_the_password(qtbot):
    create_application()
    d = ServerDialog(
        None, {"host": "db.cd.fr", "port": 5433, "user": "claire", "dossier": "ami", "sslmode": "x"}
    )
    qtbot.addWidget(d)
    d.password.setText("s3cret")
    assert d.address() == "postgresql://claire:s3cret@db.cd.fr:5433/spie?sslmode=verify-full&dossier=ami"
    kept = d.remembered()
    assert kept["host"] == "db.cd.fr" and kept["user"] == "claire" and kept["sslmode"] == "verify-full"
    assert "s3cret" not in json.dumps(kept)


def test_window_opens_and_edits_a_dossier_on_the_server(qtbot, pg_server, monkeypatch):
    s = pg_server
    s.role("camille", "spie_coordinator", password="mot de passe")
    dossier = s.new_id()
    url = s.url(dossier, user="camille", password="mot de passe")
    DossierFile.create(url, registry.find("ami-spie-2021-vague2"), "Dossier du serveur").close()

    def fake_dialog(parent, settings):
        settings.ui[server_dialog.SERVER_KEY] = {
            "host": "127.0.0.1",
            "port": s.cluster.port,
            "user": "camille",
        }
        return url

    monkeypatch.setattr(server_dialog, "ask_server_address", fake_dialog)
    create_application()
    w = MainWindow(Settings(author_name="Nom dans les préférences"))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    try:
        w.open_server_dialog()
        assert w.controller is not None
        assert "mot de passe" not in w.windowTitle() and "mot de passe" not in str(w.controller.path)
        w.show_section("porteur")
        field = w.current_form().widget_for("porteur_nom")
        edit = next(i for i in field.inputs() if isinstance(i, QLineEdit))
        edit.setFocus()
        qtbot.keyClicks(edit, "Ecrit depuis la fenetre")
        w.controller.flush()
        s.role("yanis", "spie_coordinator")
        with open_dossier(s.url(dossier, user="yanis", password="pw")) as other:  # someone else writes
            w.controller.live.show_presence()
            assert w.controller.live.presence.text() == "Aussi ouvert par : yanis"
            other.set_value("porteur_adresse", "Ecrit par un autre")
        qtbot.waitUntil(lambda: w.controller.value("porteur_adresse") == "Ecrit par un autre", timeout=30000)
        adresse = w.current_form().widget_for("porteur_adresse")
        shown = next(i for i in adresse.inputs() if isinstance(i, QLineEdit))
        qtbot.waitUntil(lambda: shown.text() == "Ecrit par un autre", timeout=30000)  # the form follows
        assert edit.text() == "Ecrit depuis la fenetre"
    finally:
        if w.controller is not None:
            w.controller.discard_and_close()
            w.controller = None
    saved = json.dumps(load_settings().__dict__, ensure_ascii=False)
    assert "mot de passe" not in saved and "camille" in saved  # the server is remembered, not the password
    with open_dossier(url) as df:
        assert df.get("porteur_nom") == "Ecrit depuis la fenetre"
        assert df.changes("porteur_nom")[-1].author == "camille"
