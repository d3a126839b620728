"""Row, file and comment operations made while the team server is away (issue 17): kept on this
computer with the value edits (spie_desktop/server/queue.py, table ``op``), shown in the window
meanwhile (server/offline.py), sent once when the server is back or at the next opening, and
nothing someone else did meanwhile is silently undone."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap

import pytest
from cluster import SUPERUSER

from spie_desktop.models import DossierFile, open_dossier
from spie_desktop.server import offline
from spie_desktop.server.address import parse_address
from spie_desktop.server.queue import EditQueue, keep_unsent, queue_path, replay

PDF = b"%PDF-1.4 lettre signee hors ligne"


@pytest.fixture
def url(pg_server, template_2021):
    u = pg_server.url(pg_server.new_id())
    with DossierFile.create(u, template_2021, "Dossier partagé") as df:
        df.set_value("porteur_nom", "Département")
        df.add_row("consortium", {"structure": "Pôle emploi"}, row_id="rpe")
    return u


def _queue(url: str) -> EditQueue:
    return EditQueue(queue_path(parse_address(url)))


def _ops(df, op: str) -> list:
    return [c for c in df.changes() if c.op == op]


def _all_there_once(df, rid: str) -> None:
    assert df.row_ids("consortium").count(rid) == 1
    assert df.get(f"consortium[{rid}].structure") == "Mission locale"
    assert df.get(f"consortium[{rid}].role") == "tapé pendant la coupure"
    [comment] = [c for c in df.comments("resume")]
    assert comment.text == "Relire ce résumé"
    assert comment.author == SUPERUSER  # signed by the server with the connected role, not « A »
    [att] = df.attachments(f"consortium[{rid}].lettre_engagement")
    assert att.name == "lettre.pdf" and df.attachment_data(att.id) == PDF
    assert len(_ops(df, "row_add")) == 2  # « Pôle emploi » at creation, mine once
    assert len(_ops(df, "comment")) == 1 and len(_ops(df, "attach")) == 1


def test_the_window_shows_rows_files_comments_made_offline_and_sends_them_once(
    pg_server, url, qtbot, tmp_path
):
    from spie_desktop.ui.controller import DossierController, SaveState

    letter = tmp_path / "lettre.pdf"
    letter.write_bytes(PDF)
    df = open_dossier(url, author="A")
    c = DossierController(df)
    errors: list[str] = []
    c.error.connect(errors.append)
    rows: list[str] = []
    c.rowsChanged.connect(rows.append)
    try:
        pg_server.cluster.stop()
        try:
            rid = c.add_row("consortium", {"structure": "Mission locale"})
            assert rid and rows == ["consortium"]
            c.set_value(f"consortium[{rid}].role", "tapé pendant la coupure")
            assert c.add_comment("resume", "Relire ce résumé") is not None
            info = c.add_attachment(f"consortium[{rid}].lettre_engagement", letter)
            assert info is not None and info.id < 0
            assert not c.flush() and c.state is SaveState.FAILED
            assert c.last_error == "Serveur injoignable — 4 saisies en attente, gardées sur ce poste"
            # the window shows what was done, though the server has none of it
            assert c.row_ids("consortium") == ["rpe", rid]
            assert c.value(f"consortium[{rid}].structure") == "Mission locale"
            assert [x.text for x in c.comments("resume")] == ["Relire ce résumé"]
            assert [a.name for a in c.attachments(f"consortium[{rid}].lettre_engagement")] == ["lettre.pdf"]
            assert c.attachment_data(info.id) == PDF
            assert c.undo() is None and "attendent le retour du serveur" in errors[-1]
            assert _queue(url).count() == 4
        finally:
            pg_server.cluster.start()
        assert c.flush() and c.state is SaveState.SAVED and not c.pending
        assert c.flush()  # again: nothing more is sent
        assert not _queue(url).path.exists()
        assert [a.id > 0 for a in c.attachments(f"consortium[{rid}].lettre_engagement")] == [True]
        assert errors == [errors[0]]  # only the refused undo was said
        step = c.undo()  # online again: Annuler works on what was done offline
        assert step is not None
        assert df.attachments(f"consortium[{rid}].lettre_engagement") == []
    finally:
        c.discard_and_close()
    with open_dossier(url) as again:
        assert again.row_ids("consortium") == ["rpe", rid]
        assert again.get(f"consortium[{rid}].role") == "tapé pendant la coupure"
        assert len(_ops(again, "row_add")) == 2 and len(_ops(again, "comment")) == 1


def _offline_work(df) -> str:
    """A row, a value typed in it, a comment and a file, made while the server is away."""
    rid = offline.add_row(df, "consortium", {"structure": "Mission locale"})
    keep_unsent(df, {f"consortium[{rid}].role": "tapé pendant la coupure"})
    offline.add_comment(df, "resume", "Relire ce résumé")
    offline.add_attachment(df, f"consortium[{rid}].lettre_engagement", PDF, name="lettre.pdf")
    return rid


def test_replaying_the_same_operations_twice_doubles_nothing(pg_server, url, tmp_path):
    q = _queue(url)
    df = open_dossier(url, author="A")
    try:
        pg_server.cluster.stop()
        try:
            rid = _offline_work(df)
            # shown meanwhile as the server will sign it
            assert [c.author for c in df.comments("resume")] == [SUPERUSER]
        finally:
            pg_server.cluster.start()
        assert q.count() == 4
        copy = tmp_path / "copie.sqlite"
        copy.write_bytes(q.path.read_bytes())
        report = replay(df)
        assert sorted(report.ops_sent) == ["attach", "comment", "row_add"]
        assert report.sent == [f"consortium[{rid}].role"] and not report.messages
        _all_there_once(df, rid)
    finally:
        df.close()
    q.path.write_bytes(copy.read_bytes())  # as if the client died before the queue forgot them
    with open_dossier(url) as again:
        done = again.store.backend.replayed
        assert not done.ops_sent and not done.sent and not done.messages
        assert sorted(done.ops_skipped) == ["attach", "comment", "row_add"]
        _all_there_once(again, rid)
    assert not q.path.exists()


def test_a_client_killed_mid_outage_sends_its_operations_at_the_next_opening(pg_server, url):
    script = textwrap.dedent(
        f"""
        import os, sys
        from spie_desktop.models import open_dossier
        from spie_desktop.server import offline
        from spie_desktop.server.queue import keep_unsent
        df = open_dossier({url!r}, author="B")
        print("ouvert", flush=True)
        sys.stdin.readline()  # the test stops the server meanwhile
        rid = offline.add_row(df, "consortium", {{"structure": "Mission locale"}})
        keep_unsent(df, {{f"consortium[{{rid}}].role": "tapé pendant la coupure"}})
        offline.add_comment(df, "resume", "Relire ce résumé")
        offline.add_attachment(df, f"consortium[{{rid}}].lettre_engagement", {PDF!r}, name="lettre.pdf")
        print(rid, flush=True)
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
            rid = p.stdout.readline().strip()
            assert p.wait() == 9 and rid.startswith("r")
        finally:
            pg_server.cluster.start()
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    with open_dossier(url) as again:
        _all_there_once(again, rid)
    assert not _queue(url).path.exists()


def test_removed_moved_duplicated_resolved_offline_then_sent(pg_server, url, qtbot):
    from spie_desktop.ui.controller import DossierController

    with open_dossier(url) as df:
        df.add_row("consortium", {"structure": "CAF"}, row_id="rcaf")
        df.add_row("consortium", {"structure": "MSA"}, row_id="rmsa")
        comment = df.add_comment("porteur_nom", "Nom à vérifier")
    df = open_dossier(url, author="A")
    c = DossierController(df)
    try:
        pg_server.cluster.stop()
        try:
            c.set_value("consortium[rcaf].role", "perdu avec la ligne")
            removed = c.remove_row("consortium", "rcaf")
            assert removed is not None and removed.values["role"] == "perdu avec la ligne"
            c.move_row("consortium", "rmsa", 0)
            assert c.row_ids("consortium") == ["rmsa", "rpe"]
            assert "consortium[rcaf].role" not in c.pending
            c.set_value("consortium[rmsa].role", "tapé avant la copie")
            copy = c.duplicate_row("consortium", "rmsa")  # with what was typed in it, not yet sent
            assert c.row_ids("consortium") == ["rmsa", copy, "rpe"]
            assert c.value(f"consortium[{copy}].role") == "tapé avant la copie"
            assert c.set_comment_resolved(comment.id)
            assert c.comment_counts("porteur_nom") == (0, 1)
        finally:
            pg_server.cluster.start()
        assert c.flush() and not c.pending
    finally:
        c.discard_and_close()
    with open_dossier(url) as again:
        assert again.row_ids("consortium") == ["rmsa", copy, "rpe"]
        assert not [p for p in again.stored_answers() if "rcaf" in p]
        assert again.get(f"consortium[{copy}].structure") == "MSA"
        assert (
            again.get(f"consortium[{copy}].role")
            == again.get("consortium[rmsa].role")
            == "tapé avant la copie"
        )
        [resolved] = again.comments("porteur_nom")
        assert resolved.resolved


def test_nothing_someone_else_did_meanwhile_is_silently_undone(pg_server, url):
    with open_dossier(url) as df:
        df.add_row("consortium", {"structure": "CAF"}, row_id="rcaf")
        df.add_row("consortium", {"structure": "MSA"}, row_id="rmsa")
    q = _queue(url)
    df = open_dossier(url, author="A")
    try:
        pg_server.cluster.stop()
        try:
            offline.remove_row(df, "consortium", "rcaf")  # they will edit it meanwhile
            keep_unsent(df, {"consortium[rmsa].role": "Mon rôle"})  # they will remove it meanwhile
        finally:
            pg_server.cluster.start()
        mine = q.path.read_bytes()
        q.path.unlink()  # the other person (another computer: no queue of theirs here)
        with open_dossier(url, author="C") as other:
            other.set_value("consortium[rcaf].role", "Leur rôle")
            other.remove_row("consortium", "rmsa")
        q.path.write_bytes(mine)
        report = replay(df)
    finally:
        df.close()
    assert len(report.messages) == 2
    kept, said = report.messages
    assert "n'a pas été supprimée" in kept and "Membres du consortium" in kept
    assert "Mon rôle" in said and "n'a pas été envoyée" in said
    assert "Traceback" not in kept + said
    with open_dossier(url) as again:
        assert "rcaf" in again.row_ids("consortium")
        assert again.get("consortium[rcaf].role") == "Leur rôle"
    assert not q.path.exists()


def test_a_file_on_the_server_cannot_be_removed_offline_and_says_why(pg_server, url, qtbot):
    from spie_desktop.ui.controller import DossierController

    with open_dossier(url) as df:
        att = df.add_attachment("deliberation", b"sur le serveur", name="delib.pdf")
    df = open_dossier(url, author="A")
    c = DossierController(df)
    errors: list[str] = []
    c.error.connect(errors.append)
    try:
        pg_server.cluster.stop()
        try:
            c.add_comment("", "hors ligne")  # something is kept: later operations wait behind it
            c.remove_attachment(att.id)
            assert [a.id for a in c.attachments("deliberation")] == [att.id]
            assert "pourra être retiré à son retour" in errors[-1]
            local = c.add_attachment("deliberation", __file__)
            c.remove_attachment(local.id)  # attached offline, removed offline: forgotten, never sent
            assert [a.id for a in c.attachments("deliberation")] == [att.id]
            assert _queue(url).count() == 1
        finally:
            pg_server.cluster.start()
        assert c.flush()
    finally:
        c.discard_and_close()
    with open_dossier(url) as again:
        assert [a.name for a in again.attachments("deliberation")] == ["delib.pdf"]


def test_an_older_queue_file_opens_and_takes_operations(url):
    q = _queue(url)
    q.path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(q.path)  # a queue file written before operations were kept
    conn.execute(
        "CREATE TABLE edit (uid TEXT PRIMARY KEY, path TEXT NOT NULL UNIQUE, old TEXT, new TEXT, at TEXT NOT NULL)"
    )
    conn.execute("INSERT INTO edit VALUES ('u1', 'resume', NULL, '\"ancien format\"', 'x')")
    conn.execute("PRAGMA user_version=17017")
    conn.commit()
    conn.close()
    assert q.count() == 1
    assert q.keep_op("comment", {"id": "c-ancien", "path": "", "text": "et une opération"}) == 2
    with open_dossier(url) as df:
        assert df.get("resume") == "ancien format"
        assert [c.text for c in df.comments("")] == ["et une opération"]
    assert not q.path.exists()


@pytest.mark.parametrize("content", ["bad-kind", "bad-payload", "bad-columns", "bad-hash"])
def test_a_hostile_operation_queue_is_set_aside_not_deleted(url, content):
    q = _queue(url)
    q.keep({"resume": (None, "valeur")})
    conn = sqlite3.connect(q.path)
    if content == "bad-columns":
        conn.execute("DROP TABLE op")
        conn.execute("CREATE TABLE op (x)")
    elif content == "bad-kind":
        conn.execute("INSERT INTO op (uid, kind, payload, at) VALUES ('u', 'rm -rf', '{}', 'x')")
    elif content == "bad-payload":
        conn.execute("INSERT INTO op (uid, kind, payload, at) VALUES ('u', 'comment', '{pas', 'x')")
    else:  # bytes that are not the file announced
        conn.execute(
            "INSERT INTO op (uid, kind, payload, data, at) VALUES ('u', 'attach', ?, ?, 'x')",
            ('{"path":"deliberation","name":"a.pdf","media_type":"x","sha256":"00","local":-1}', b"autre"),
        )
    conn.commit()
    conn.close()
    before = q.path.read_bytes()
    with open_dossier(url) as df:  # the dossier opens all the same
        messages = df.store.backend.replayed.messages
        assert df.attachments("deliberation") == []
    assert messages and all("Traceback" not in m for m in messages)
    if content == "bad-hash":  # one unreadable operation: said, not sent; the rest goes
        assert "pas lisible" in messages[0]
        assert not q.path.exists()
        return
    [message] = messages
    assert "illisible" in message and "mis de côté" in message and "rien n'est effacé" in message
    [aside] = list(q.path.parent.glob("*.illisible-*.sqlite"))
    assert aside.read_bytes() == before and not q.path.exists()


def test_a_row_removed_offline_comes_back_by_its_annuler_bar_while_still_offline(pg_server, url, qtbot):
    from spie_desktop.ui.controller import DossierController

    df = open_dossier(url, author="A")
    c = DossierController(df)
    errors: list[str] = []
    c.error.connect(errors.append)
    try:
        pg_server.cluster.stop()
        try:
            removed = c.remove_row("consortium", "rpe")
            assert removed is not None and c.row_ids("consortium") == []
            assert c.restore_row(removed) == "rpe"  # Annuler waits for the server: put back as an operation
            assert c.row_ids("consortium") == ["rpe"]
            assert c.value("consortium[rpe].structure") == "Pôle emploi"
            assert errors == []  # not refused first by Annuler
        finally:
            pg_server.cluster.start()
        assert c.flush()
    finally:
        c.discard_and_close()
    with open_dossier(url) as again:
        assert again.row_ids("consortium") == ["rpe"]
        assert again.get("consortium[rpe].structure") == "Pôle emploi"


def test_the_server_lost_again_mid_replay_keeps_and_still_shows_what_is_left(pg_server, url, monkeypatch):
    from spie_desktop.models import SaveFailed
    from spie_desktop.server.connect import ServerLost

    q = _queue(url)
    df = open_dossier(url, author="A")
    try:
        pg_server.cluster.stop()
        try:
            rid = offline.add_row(df, "consortium", {"structure": "Mission locale"})
            offline.add_comment(df, "resume", "Relire ce résumé")
        finally:
            pg_server.cluster.start()

        def gone(*_a, **_k):
            raise ServerLost("connexion perdue")

        with monkeypatch.context() as m, pytest.raises(SaveFailed):
            m.setattr(df, "add_comment", gone)  # the server leaves after the row was sent
            replay(df)
        assert q.count() == 1  # the comment only: the row is on the server
        assert rid in df.row_ids("consortium")
        assert [x.text for x in df.comments("resume")] == ["Relire ce résumé"]  # still shown
        again_report = replay(df)
        assert again_report.ops_sent == ["comment"], again_report
    finally:
        df.close()
    with open_dossier(url) as again:
        _ = [x for x in again.comments("resume") if x.text == "Relire ce résumé"]
        assert len(_) == 1 and again.row_ids("consortium").count(rid) == 1
    assert not q.path.exists()


def test_an_operation_the_server_refuses_is_said_once_and_its_file_kept(pg_server, template_2021):
    pg_server.role("rita_q", "spie_reviewer")
    dossier = pg_server.new_id()
    with DossierFile.create(pg_server.url(dossier), template_2021, "Dossier relu") as df:
        df.set_value("porteur_nom", "Département")
    url = pg_server.url(dossier, user="rita_q", password="pw")
    q = _queue(url)
    df = open_dossier(url, author="Rita")
    try:
        pg_server.cluster.stop()
        try:  # a reviewer may comment, not attach: only the server knows, and it says so at its return
            offline.add_comment(df, "", "Vu")
            offline.add_attachment(df, "deliberation", PDF, name="delib.pdf")
        finally:
            pg_server.cluster.start()
        report = replay(df)
    finally:
        df.close()
    assert report.ops_sent == ["comment"]
    [message] = report.messages
    assert "delib.pdf" in message and "vos droits" in message and "gardé sur ce poste" in message
    [kept] = list(q.path.parent.glob("fichiers-non-envoyes/delib*.pdf"))
    assert kept.read_bytes() == PDF
    assert not q.path.exists()  # not retried at each save


def test_what_is_shown_offline_never_passes_for_what_the_server_has(url):
    """The caches hold the kept operations (shown): a replay reads the server again before it
    decides what the server already has, even when the connection did not drop meanwhile."""
    with open_dossier(url, author="A") as df:
        df.store.backend.refresh()  # up to date: nothing new on the server to read again
        rid = offline.add_row(df, "consortium", {"structure": "Mission locale"})
        offline.add_comment(df, "resume", "Relire ce résumé")
        report = replay(df)
        assert sorted(report.ops_sent) == ["comment", "row_add"] and not report.ops_skipped
    with open_dossier(url) as again:
        assert rid in again.row_ids("consortium") and len(again.comments("resume")) == 1


def test_a_row_whose_commit_answer_was_lost_is_not_doubled(url, qtbot, monkeypatch):
    """The server committed the row, then its answer never came: the row kept on this computer has
    the same id (named before it was sent), so the replay finds it there."""
    from spie_desktop.server.connect import ServerLost
    from spie_desktop.ui.controller import DossierController

    df = open_dossier(url, author="A")
    c = DossierController(df)

    def committed_then_lost(field_id, values=None, *, index=None, row_id=None):
        with open_dossier(url, author="A") as same_commit:
            same_commit.add_row(field_id, values, index=index, row_id=row_id)
        raise ServerLost("la réponse du serveur s'est perdue")

    try:
        monkeypatch.setattr(df, "add_row", committed_then_lost)
        rid = c.add_row("consortium", {"structure": "Mission locale"})
        assert rid and c.kept_here and c.row_ids("consortium") == ["rpe", rid]
        assert c.flush()
    finally:
        c.discard_and_close()
    with open_dossier(url) as again:
        assert again.row_ids("consortium") == ["rpe", rid]
        assert len(_ops(again, "row_add")) == 2


def test_a_title_changed_offline_is_kept_shown_and_sent_once(pg_server, url, qtbot):
    """« Renommer le dossier » while the server is away was refused; it is kept like a row."""
    from spie_desktop.ui.controller import DossierController, SaveState

    c = DossierController(open_dossier(url, author="A"))
    errors: list[str] = []
    c.error.connect(errors.append)
    try:
        pg_server.cluster.stop()
        try:
            c.set_title("Dossier partagé — version du 2 décembre")
            assert not errors
            assert c.dossier.title == "Dossier partagé — version du 2 décembre"  # shown meanwhile
            assert c.last_error == "Serveur injoignable — 1 saisie en attente, gardée sur ce poste"
        finally:
            pg_server.cluster.start()
        assert c.flush() and c.state is SaveState.SAVED
        assert not _queue(url).path.exists()
        assert replay(c.dossier).ops_sent == []  # again: nothing more
    finally:
        c.discard_and_close()
    with open_dossier(url) as again:
        assert again.title == "Dossier partagé — version du 2 décembre"
        assert len(_ops(again, "title")) == 1


def test_a_title_changed_offline_never_replaces_one_someone_else_chose_meanwhile(url):
    with open_dossier(url) as df:
        offline.set_title(df, "Mon titre")
    q = _queue(url)
    mine = q.path.read_bytes()
    q.path.unlink()
    with open_dossier(url, author="C") as other:
        other.set_title("Leur titre")
    q.path.write_bytes(mine)
    with open_dossier(url) as df:
        [message] = df.store.backend.replayed.messages
        assert "« Leur titre »" in message and "« Mon titre »" in message
        assert df.title == "Leur titre"
