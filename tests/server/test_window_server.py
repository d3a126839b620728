"""The window on a team-server dossier, as a user meets it: while the server is away the header says
the edits wait for it (kept on this computer), not that saving failed; when it answers they are sent
and the window says so."""

from __future__ import annotations

import pytest


@pytest.fixture
def window(url, open_server_window, monkeypatch):
    from spie_desktop.ui import dialogs

    for name in ("show_error", "ask_unsaved_choice", "ask_lock_choice"):
        monkeypatch.setattr(
            dialogs, name, lambda *a, name=name, **k: pytest.fail(f"dialogue inattendu : {name}")
        )
    return open_server_window(url)


def test_the_header_says_waiting_for_the_server_not_a_failure_and_then_sent(window, pg_server):
    from spie_desktop.ui import announce
    from spie_desktop.ui.banners import BannerKind
    from spie_desktop.ui.controller import SaveState

    c = window.controller
    pg_server.cluster.stop()
    try:
        c.set_value("porteur_adresse", "2 place de la Préfecture")
        assert not c.flush() and c.state is SaveState.FAILED and c.kept_here
        assert window.header.save_label.text() == "En attente du serveur"
        assert window.status_save.text() == "En attente du serveur"
        assert "Serveur injoignable — 1 saisie en attente" in window.save_banner.text()
        assert window.save_banner.kind is BannerKind.WARNING  # nothing is lost: not the red of an error
    finally:
        pg_server.cluster.start()
    announce.recent.clear()
    assert c.flush()
    assert window.header.save_label.text() == "Enregistré"
    assert any("envoyées" in m for m, _ in announce.recent)


def test_the_header_names_the_dossier_on_its_server_not_a_spie_file(window):
    c = window.controller
    subtitle = window.header.subtitle.text()
    assert f"dossier «\u00a0{c.path.address.dossier}\u00a0» sur le serveur 127.0.0.1" in subtitle
    assert ".spie" not in subtitle
    assert window.header.subtitle.accessibleDescription().startswith(
        "Dossier sur le serveur d'équipe : postgresql://"
    )


def test_the_comments_window_says_the_server_signs_with_the_connection_name(window, qtbot):
    from cluster import SUPERUSER
    from PySide6.QtWidgets import QLabel

    window.show_section("porteur")
    field = window.current_form().fields["porteur_nom"]
    dialog = field.open_comments()
    # the name typed in Préférences (« Camille Test ») is not the one the server writes
    assert dialog.signature.text() == f"Signé : {SUPERUSER} — votre nom de connexion au serveur"
    dialog.editor.setPlainText("Nom à vérifier")
    dialog.add_button.click()
    [card] = dialog.cards
    texts = " ".join(label.text() for label in card.findChildren(QLabel))
    assert SUPERUSER in texts and "Camille" not in texts
    dialog.close()
