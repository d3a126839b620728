"""The command line with the server stopped: every command given a server address says « Serveur
injoignable : … » in French with a non-zero exit code, never a traceback, and changes nothing."""

from __future__ import annotations

import json

import pytest

from spie_desktop.__main__ import main
from spie_desktop.models import open_dossier


def test_every_command_with_the_server_stopped(pg_server, tmp_path, example_document, capsys):
    s = pg_server
    url = s.url(s.new_id())
    src = tmp_path / "exemple.json"
    src.write_text(json.dumps(example_document, ensure_ascii=False), encoding="utf-8")
    assert main(["import", str(src), url]) == 0
    local = tmp_path / "copie.spie"
    assert main(["take", url, str(local)]) == 0
    answers = tmp_path / "reponses.json"
    answers.write_text(json.dumps({"answers": {"porteur_nom": "x"}}), encoding="utf-8")
    with open_dossier(url, read_only=True) as df:
        before = len(df.changes())
    local_bytes = local.read_bytes()
    base = url.split("?", 1)[0]
    commands = [
        ["info", url],
        ["check", url],
        ["export", "json", url, "-o", str(tmp_path / "out.json")],
        ["export", "text", url, "-o", str(tmp_path / "out.txt")],
        ["export", "pdf", url, "-o", str(tmp_path / "out.pdf")],
        ["history", url],
        ["apply", url, str(answers)],
        ["merge", url, str(local)],
        ["merge", str(local), url],
        ["take", url, str(tmp_path / "autre.spie")],
        ["copy", url, str(tmp_path / "partenaire.spie")],
        ["import", str(src), s.url(s.new_id())],
        ["new", s.url(s.new_id()), "--template", "ami-spie-2021-vague2"],
        ["server", "init", base],
        ["server", "list", base],
    ]
    capsys.readouterr()
    s.cluster.stop()
    try:
        for argv in commands:
            code = main(argv)
            err = capsys.readouterr().err
            assert "Traceback" not in err, argv
            assert code != 0, argv
            assert "Serveur injoignable :" in err, (argv, err)
    finally:
        s.cluster.start()
    assert local.read_bytes() == local_bytes
    for name in ("out.json", "out.txt", "out.pdf", "autre.spie", "partenaire.spie"):
        assert not (tmp_path / name).exists(), name
    with open_dossier(url, read_only=True) as df:
        assert len(df.changes()) == before


def test_the_connection_never_waits_forever(pg_server, monkeypatch):
    """A server that does not answer (a dropped packet, no refusal) is given up after connect_timeout."""
    import psycopg

    from spie_desktop.models import DossierError
    from spie_desktop.server.address import parse_address
    from spie_desktop.server.connect import CONNECT_TIMEOUT, connect

    seen: list[str] = []

    def refuse(conninfo, **kw):
        seen.append(conninfo)
        raise psycopg.OperationalError("timeout expired")

    monkeypatch.setattr(psycopg, "connect", refuse)
    with pytest.raises(DossierError, match="Serveur injoignable"):
        connect(parse_address(pg_server.url("x")))
    assert f"connect_timeout={CONNECT_TIMEOUT}" in seen[0] and 0 < CONNECT_TIMEOUT <= 10
