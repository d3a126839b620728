"""Nothing lost while the team server is away (issue 17): the unsent edits are kept in a local,
durable queue (spie_desktop/server/queue.py), sent again when the server is back and at the next
opening, each once; a queue file that cannot be read is set aside with a French message."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap

import pytest

from spie_desktop.models import open_dossier
from spie_desktop.server.address import parse_address
from spie_desktop.server.queue import EditQueue, queue_path


def _queue(url: str) -> EditQueue:
    return EditQueue(queue_path(parse_address(url)))


def _news(df, path: str) -> list:
    return [c.new for c in df.changes(path)]


def test_window_keeps_edits_on_this_computer_and_the_next_opening_sends_them(pg_server, url, qtbot):
    from spie_desktop.ui.controller import DossierController, SaveState

    df = open_dossier(url, author="A")
    c = DossierController(df)
    q = _queue(url)
    try:
        pg_server.cluster.stop()
        try:
            c.set_value("resume", "tapé pendant la coupure")
            c.set_value("perimetre", "aussi")
            assert not c.flush()
            assert c.state is SaveState.FAILED
            assert c.last_error == "Serveur injoignable — 2 saisies en attente, gardées sur ce poste"
            assert q.path.is_file() and q.count() == 2 and c.kept_here
            assert c.close()  # the window closes before the server comes back: nothing to ask
            assert df.store.closed and not c.pending
        finally:
            c.discard_and_close()
            pg_server.cluster.start()
    finally:
        df.close()
    with open_dossier(url) as again:  # the queue is sent before the dossier is shown
        assert again.get("resume") == "tapé pendant la coupure" and again.get("perimetre") == "aussi"
        assert _news(again, "resume") == ["tapé pendant la coupure"]
        assert sorted(again.store.backend.replayed.sent) == ["perimetre", "resume"]
    assert not q.path.exists()
    with open_dossier(url) as third:  # nothing left to send: nothing doubled
        assert _news(third, "resume") == ["tapé pendant la coupure"]
        assert not third.store.backend.replayed


def test_the_window_retry_sends_the_queue_once_when_the_server_is_back(pg_server, url, qtbot):
    from spie_desktop.ui.controller import DossierController, SaveState

    df = open_dossier(url, author="A")
    c = DossierController(df)
    try:
        pg_server.cluster.stop()
        try:
            c.set_value("resume", "premier")
            assert not c.flush()
            c.set_value("resume", "second")  # typed while the server is still away
            assert not c.flush()
            assert c.last_error == "Serveur injoignable — 1 saisie en attente, gardée sur ce poste"
        finally:
            pg_server.cluster.start()
        assert c.flush() and c.state is SaveState.SAVED and not c.pending
        assert c.flush()  # again: nothing more is sent
    finally:
        c.discard_and_close()
    assert not _queue(url).path.exists()
    with open_dossier(url) as again:
        assert _news(again, "resume") == ["second"]


def test_a_client_killed_mid_outage_loses_nothing(pg_server, url, tmp_path):
    """A real process: it keeps its unsent edit, then dies without closing (no Qt, os._exit)."""
    script = textwrap.dedent(
        f"""
        import os, sys
        from spie_desktop.models import SaveFailed, open_dossier
        from spie_desktop.server.queue import keep_unsent
        df = open_dossier({url!r}, author="B")
        print("ouvert", flush=True)
        sys.stdin.readline()  # the test stops the server meanwhile
        try:
            df.set_value("resume", "avant le plantage")
        except SaveFailed:
            print(keep_unsent(df, {{"resume": "avant le plantage"}}), flush=True)
        os._exit(9)
        """
    )
    p = subprocess.Popen(
        [sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert p.stdout.readline().strip() == "ouvert"
        pg_server.cluster.stop()
        try:
            p.stdin.write("\n")
            p.stdin.flush()
            assert p.stdout.readline().strip() == "1"
            assert p.wait() == 9
        finally:
            pg_server.cluster.start()
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    with open_dossier(url) as again:
        assert again.get("resume") == "avant le plantage"
        assert _news(again, "resume") == ["avant le plantage"]


def test_replaying_the_same_queue_twice_doubles_nothing(url, tmp_path):
    q = _queue(url)
    q.keep({"resume": (None, "une fois")})
    copy = tmp_path / "copie.sqlite"
    copy.write_bytes(q.path.read_bytes())
    with open_dossier(url) as df:
        assert df.store.backend.replayed.sent == ["resume"]
    q.path.write_bytes(copy.read_bytes())  # as if the client died between the server's commit and the drop
    with open_dossier(url) as df:
        assert df.store.backend.replayed.skipped == ["resume"] and not df.store.backend.replayed.sent
        assert _news(df, "resume") == ["une fois"]
    assert not q.path.exists()


def test_someone_else_changed_the_field_meanwhile_both_are_shown(url):
    q = _queue(url)
    q.keep({"porteur_nom": ("Département", "Ma version")})
    mine = q.path.read_bytes()
    q.path.unlink()  # another person (another computer: no queue of theirs here) edits meanwhile
    with open_dossier(url, author="C") as other:
        other.set_value("porteur_nom", "Leur version")
    q.path.write_bytes(mine)
    with open_dossier(url) as df:
        assert df.get("porteur_nom") == "Leur version"  # never silently overwritten
        [message] = df.store.backend.replayed.messages
        assert "Leur version" in message and "Ma version" in message
        assert "modifié par quelqu'un d'autre" in message


@pytest.mark.parametrize("content", ["garbage", "wrong-table", "bad-value"])
def test_a_corrupt_or_hostile_queue_is_set_aside_not_deleted(url, content):
    q = _queue(url)
    q.path.parent.mkdir(parents=True, exist_ok=True)
    if content == "garbage":
        q.path.write_bytes(b"ceci n'est pas une base" * 100)
    else:
        conn = sqlite3.connect(q.path)
        if content == "wrong-table":
            conn.execute("CREATE TABLE edit (x)")
        else:
            conn.execute("CREATE TABLE edit (uid TEXT, path TEXT, old TEXT, new TEXT, at TEXT)")
            conn.execute("PRAGMA user_version=17017")
            conn.execute("INSERT INTO edit VALUES ('u', 'resume', NULL, '{pas du json', 'x')")
        conn.commit()
        conn.close()
    before = q.path.read_bytes()
    with open_dossier(url) as df:  # the dossier opens all the same
        [message] = df.store.backend.replayed.messages
        assert df.get("resume") is None
    assert "illisible" in message and "mis de côté" in message and "rien n'est effacé" in message
    [aside] = list(q.path.parent.glob("*.illisible-*.sqlite"))
    assert aside.read_bytes() == before and not q.path.exists()
    assert "Traceback" not in message


def test_the_window_retry_never_overwrites_what_someone_saved_during_the_outage(pg_server, url, qtbot):
    from spie_desktop.ui.controller import DossierController, SaveState

    df = open_dossier(url, author="A")
    c = DossierController(df)
    errors: list[str] = []
    c.error.connect(errors.append)
    try:
        pg_server.cluster.stop()
        try:
            c.set_value("porteur_nom", "Ma version")
            assert not c.flush()
        finally:
            pg_server.cluster.start()
        _queue(url).path.rename(_queue(url).path.with_suffix(".mine"))  # theirs: no queue of mine
        with open_dossier(url, author="C") as other:
            other.set_value("porteur_nom", "Leur version")
        _queue(url).path.with_suffix(".mine").rename(_queue(url).path)
        assert c.flush() and c.state is SaveState.SAVED and not c.pending
        assert c.value("porteur_nom") == "Leur version"
        [message] = errors
        assert "Leur version" in message and "Ma version" in message
    finally:
        c.discard_and_close()
    with open_dossier(url) as again:
        assert again.get("porteur_nom") == "Leur version"


def test_my_value_refused_on_the_same_field_is_kept_and_garder_la_mienne_puts_it_back(url):
    from spie_desktop.server.queue import keep_mine

    q = _queue(url)
    q.keep({"porteur_nom": ("Département", "Ma version")})
    mine = q.path.read_bytes()
    q.path.unlink()
    with open_dossier(url, author="C") as other:
        other.set_value("porteur_nom", "Leur version")
    q.path.write_bytes(mine)
    with open_dossier(url) as df:
        assert df.get("porteur_nom") == "Leur version"  # never silently overwritten
    [refused] = q.conflicts()  # my value is not only in a message: it is kept, durably
    assert (refused.path, refused.mine, refused.theirs) == ("porteur_nom", "Ma version", "Leur version")
    with open_dossier(url) as df:  # a second opening does not refuse it twice
        assert not df.store.backend.replayed.messages
        assert keep_mine(df, refused.uid)  # « Garder la mienne »
        assert df.get("porteur_nom") == "Ma version"
    assert not q.path.exists()
    with open_dossier(url) as again:
        assert again.get("porteur_nom") == "Ma version"
        assert _news(again, "porteur_nom")[-1] == "Ma version"


def test_a_live_save_refused_on_the_same_field_keeps_my_value_for_garder_la_mienne(url, qtbot):
    from spie_desktop.server.queue import keep_mine
    from spie_desktop.ui.controller import DossierController

    df = open_dossier(url, author="A")
    c = DossierController(df)
    errors: list[str] = []
    kept: list[bool] = []
    c.error.connect(errors.append)
    c.refusedKept.connect(lambda: kept.append(True))
    try:
        with open_dossier(url, author="C") as other:
            other.set_value("porteur_nom", "Leur version")
        c.set_value("porteur_nom", "Ma version")
        assert c.flush()
        assert kept and not errors  # offered in the refused banner, not a plain error
        [refused] = _queue(url).conflicts()
        assert (refused.mine, refused.theirs) == ("Ma version", "Leur version")
        assert keep_mine(df, refused.uid)
        assert df.get("porteur_nom") == "Ma version"
    finally:
        c.discard_and_close()
    assert not _queue(url).path.exists()


def test_the_banner_offers_garder_la_mienne_and_garder_la_leur(url, qtbot):
    """The window's side: the refused value is shown with both values; « Garder la mienne » puts it
    back in the field, a third person's newer change refuses it again (still kept), « Garder la
    leur » forgets it."""
    from spie_desktop.ui.controller import DossierController
    from spie_desktop.ui.refused_banner import RefusedBanner

    df = open_dossier(url, author="A")
    c = DossierController(df)
    restored: list[str] = []
    c.valueRestored.connect(restored.append)
    banner = RefusedBanner()
    qtbot.addWidget(banner)
    banner.bind(c)
    try:
        assert banner.isHidden()
        with open_dossier(url, author="C") as other:
            other.set_value("porteur_nom", "Leur version")
            other.set_value("porteur_adresse", "Leur adresse")
        c.set_value("porteur_nom", "Ma version")
        c.set_value("porteur_adresse", "Mon adresse")
        assert c.flush()
        assert not banner.isHidden()
        text = banner.text()
        assert "Ma version" in text and "Leur version" in text and "Encore 1 autre saisie" in text
        banner.mine_button.click()
        assert df.get("porteur_nom") == "Ma version"
        assert restored == ["porteur_nom"]
        assert "Mon adresse" in banner.text()  # the next one
        with open_dossier(url, author="D") as third:
            third.set_value("porteur_adresse", "Troisième adresse")
        banner.mine_button.click()  # refused again: D's newer value is not overwritten
        assert df.get("porteur_adresse") == "Troisième adresse"
        assert not banner.isHidden()
        banner.theirs_button.click()
        assert banner.isHidden()
        assert _queue(url).conflicts() == []
        assert df.get("porteur_adresse") == "Troisième adresse"
    finally:
        c.discard_and_close()
