"""Several people on one dossier of the server at once: different fields both kept, the same field
never silently overwritten, the server restarted mid-edit with nothing lost nor doubled."""

from __future__ import annotations

import threading

import pytest

from spie_desktop.models import DossierError, open_dossier
from spie_desktop.server.connect import EditConflict


def _identities(df) -> list[tuple[str, int]]:
    return [(c.replica_id, c.counter) for c in df.changes()]


def test_two_clients_different_fields_at_once_both_kept(url):
    a, b = open_dossier(url, author="A"), open_dossier(url, author="B")
    inside, done = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def first() -> None:
        try:
            with a.batch():  # A's transaction is open while B writes
                a.set_value("perimetre", "Écrit par A")
                inside.set()
                done.wait(timeout=2)  # B is blocked on the dossier's row, or done: either way, go on
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    def second() -> None:
        inside.wait(timeout=30)
        try:
            b.set_value("resume", "Écrit par B")
            for i in range(20):
                b.set_value("apports", f"B {i}")
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        done.set()

    t1, t2 = threading.Thread(target=first), threading.Thread(target=second)
    t1.start(), t2.start()
    t1.join(60), t2.join(60)
    assert not errors
    for df in (a, b):
        df.close()
    with open_dossier(url) as df:
        assert df.get("perimetre") == "Écrit par A" and df.get("resume") == "Écrit par B"
        assert df.get("apports") == "B 19"
        ids = _identities(df)
        assert len(ids) == len(set(ids)) == 1 + 1 + 21  # each edit once, each with its own identity
        assert [n for _, n in ids] == sorted(n for _, n in ids)


def test_same_field_both_seen_nothing_overwritten(url):
    from spie_desktop.server.backend import ServerBackend

    a, b = open_dossier(url, author="A"), open_dossier(url, author="B")
    try:
        a.set_value("porteur_nom", "Nom choisi par A")
        with pytest.raises(EditConflict) as caught:  # B still showed « Département »
            b.set_value("porteur_nom", "Nom choisi par B")
        message = str(caught.value)
        assert "Nom choisi par A" in message and "Nom choisi par B" in message
        assert b.get("porteur_nom") == "Nom choisi par A"  # B now sees A's value…
        assert b.set_value("porteur_nom", "Nom choisi par B")  # …and replaces it knowingly
        backend = a.store.backend
        assert isinstance(backend, ServerBackend) and backend.refresh()
        assert a.get("porteur_nom") == "Nom choisi par B"
        sets = [(c.old, c.new) for c in a.changes("porteur_nom")]
        assert sets == [
            (None, "Département"),
            ("Département", "Nom choisi par A"),
            ("Nom choisi par A", "Nom choisi par B"),
        ]
    finally:
        a.close(), b.close()


def test_server_restarted_during_editing_nothing_lost_or_doubled(pg_server, url):
    df = open_dossier(url, author="A")
    try:
        df.set_value("perimetre", "avant")
        pg_server.cluster.stop()
        try:
            with pytest.raises(DossierError, match="Serveur injoignable"):
                df.set_value("resume", "pendant la coupure")
            assert df.get("resume") is None  # not pretended saved
        finally:
            pg_server.cluster.start()
        assert df.set_value("resume", "après")  # the connection is made again by itself
        df.set_value("perimetre", "après aussi")
    finally:
        df.close()
    with open_dossier(url) as again:
        assert again.get("resume") == "après" and again.get("perimetre") == "après aussi"
        ops = [(c.path, c.new) for c in again.changes() if c.path in ("perimetre", "resume")]
        assert ops == [("perimetre", "avant"), ("resume", "après"), ("perimetre", "après aussi")]
        ids = _identities(again)
        assert len(ids) == len(set(ids))


def test_window_controller_keeps_and_resends_edits_while_the_server_is_away(pg_server, url, qtbot):
    """What the window holds survives the outage: the save fails (« Serveur injoignable »), the edit
    stays pending, and the next try after the server is back writes it once."""
    from spie_desktop.ui.controller import DossierController, SaveState

    df = open_dossier(url, author="A")
    c = DossierController(df)
    try:
        pg_server.cluster.stop()
        try:
            c.set_value("resume", "tapé pendant la coupure")
            assert not c.flush()
            assert c.state is SaveState.FAILED and "Serveur injoignable" in c.last_error
            assert c.pending == {"resume": "tapé pendant la coupure"}
        finally:
            pg_server.cluster.start()
        assert c.flush() and c.state is SaveState.SAVED and not c.pending
    finally:
        c.discard_and_close()
    with open_dossier(url) as again:
        assert again.get("resume") == "tapé pendant la coupure"
        assert [ch.new for ch in again.changes("resume")] == ["tapé pendant la coupure"]
