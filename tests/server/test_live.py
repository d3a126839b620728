"""Seeing the others live: an edit committed by one client is heard by another's watcher
(LISTEN/NOTIFY), which then reads it; who has the dossier open is known."""

from __future__ import annotations

from spie_desktop.models import DossierFile, open_dossier
from spie_desktop.server.notify import Watcher, present


def test_an_edit_is_heard_by_the_others_and_read(pg_server, template_2021):
    s = pg_server
    s.role("claire", "spie_coordinator")
    s.role("karim", "spie_partner")
    dossier = s.new_id()
    claire_url = s.url(dossier, user="claire", password="pw")
    DossierFile.create(claire_url, template_2021, "Dossier en direct").close()
    a = open_dossier(claire_url)
    b = open_dossier(s.url(dossier, user="karim", password="pw"))
    watch_a, watch_b = Watcher.of(a), Watcher.of(b)
    try:
        assert sorted(present(a.store.backend.address)) == ["claire", "karim"]
        assert watch_a.present() == ["karim"] and watch_b.present() == ["claire"]  # who else is here
        a.set_value("porteur_nom", "En direct")
        heard = watch_b.wait(timeout=30)
        assert [h.change_id for h in heard] == [a.changes()[-1].id]  # the edit's change row…
        assert watch_a.wait(timeout=0) == []  # …which its author's own watcher leaves out
        assert b.get("porteur_nom") is None and b.store.backend.refresh()
        assert b.get("porteur_nom") == "En direct"
        assert not b.store.backend.refresh()  # nothing new since
    finally:
        for x in (watch_a, watch_b, a, b):
            x.close()
