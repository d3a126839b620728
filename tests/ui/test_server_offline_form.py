"""The form while the team server is away (issue 17): a row added with the button shows as a card
and takes what is typed in it; the status says it is kept on this computer; all of it reaches the
server once it answers (server/offline.py)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from spie_desktop.models import DossierFile, open_dossier


def test_a_row_added_while_the_server_is_away_shows_and_takes_typing(pg_server, template_2021, ui, qtbot):
    from spie_desktop.ui.controller import DossierController, SaveState

    url = pg_server.url(pg_server.new_id())
    DossierFile.create(url, template_2021, "Dossier partagé").close()
    c = DossierController(open_dossier(url, author="A"))
    failures: list[str] = []
    c.saveFailed.connect(failures.append)
    try:
        form = ui.show_form(c, "consortium")
        rep = form.fields["consortium"]
        pg_server.cluster.stop()
        try:
            qtbot.mouseClick(rep.add_button, Qt.MouseButton.LeftButton)
            [rid] = c.row_ids("consortium")
            card = rep.card(rid)
            assert card.expanded and card.toggle.text() == "Membre 1"
            ui.type_into(card.children_widgets["structure"].edit, "Mission locale")
            ui.leave(form)
            assert card.toggle.text() == "Membre 1 — Mission locale"
            assert not c.flush() and c.kept_here
            assert failures[0] == "Serveur injoignable — 1 saisie en attente, gardée sur ce poste"
            assert c.last_error == "Serveur injoignable — 2 saisies en attente, gardées sur ce poste"
        finally:
            pg_server.cluster.start()
        assert c.flush() and c.state is SaveState.SAVED
        assert list(rep.cards) == [rid]  # the same card: the row kept its identity on the server
    finally:
        c.discard_and_close()
    with open_dossier(url) as again:
        assert again.row_ids("consortium") == [rid]
        assert again.get(f"consortium[{rid}].structure") == "Mission locale"
