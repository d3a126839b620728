"""The command line against a real server: French messages for each way a connection fails, and
« Emporter une copie » merged back with the existing merge."""

from __future__ import annotations

import json
import socket

from spie_desktop.__main__ import main


def _err(capsys) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err


def test_connection_failures_in_french(pg_server, tmp_path, capsys):
    s = pg_server
    dossier = s.new_id()
    assert main(["new", s.url(dossier), "--template", "ami-spie-2021-vague2"]) == 0
    capsys.readouterr()

    with socket.socket() as sock:  # a port where nothing listens
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    assert main(["info", f"postgresql://x@127.0.0.1:{port}/spie?dossier={dossier}"]) == 2
    assert "Serveur injoignable :" in _err(capsys)

    bad = s.url(dossier, user="spie_admin", password="faux")
    assert main(["info", bad]) == 2
    err = _err(capsys)
    assert "Mot de passe refusé" in err and "faux" not in err

    assert main(["info", s.url("absent")]) == 2
    assert "n'existe pas sur le serveur" in _err(capsys)

    s.sql(
        "DO $$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'intrus') THEN "
        "CREATE ROLE intrus LOGIN PASSWORD 'pw'; END IF; END$$"
    )
    assert main(["info", s.url(dossier, user="intrus", password="pw")]) == 2
    assert "Vous n'avez pas accès à ce dossier" in _err(capsys)

    assert main(["info", "postgresql://127.0.0.1/spie"]) == 2
    assert "ne nomme pas de dossier" in _err(capsys)


def test_server_init_is_idempotent_and_lists_dossiers(pg_server, capsys):
    s = pg_server
    dossier = s.new_id()
    assert main(["new", s.url(dossier), "--template", "ami-spie-2021-vague2", "--title", "Liste"]) == 0
    assert main(["server", "init", s.url()]) == 0
    out = capsys.readouterr().out
    assert "Rôles de groupe prêts" in out and f"spie_{dossier}" in out
    assert main(["server", "list", s.url()]) == 0
    assert f"{dossier}\tListe" in capsys.readouterr().out


def test_a_dossier_of_an_older_server_format_asks_for_server_init(pg_server, capsys):
    s = pg_server
    dossier = s.new_id()
    assert main(["new", s.url(dossier), "--template", "ami-spie-2021-vague2"]) == 0
    s.sql(f"COMMENT ON SCHEMA spie_{dossier} IS NULL")  # as left by an older version of the application
    capsys.readouterr()
    assert main(["info", s.url(dossier)]) == 2
    assert "spie-desktop server init" in _err(capsys)
    assert main(["server", "init", s.url()]) == 0
    assert main(["info", s.url(dossier)]) == 0


def test_a_taken_copy_is_merged_back(pg_server, tmp_path, example_document, capsys):
    s = pg_server
    url = s.url(s.new_id())
    src = tmp_path / "exemple.json"
    src.write_text(json.dumps(example_document, ensure_ascii=False), encoding="utf-8")
    assert main(["import", str(src), url]) == 0
    copy = tmp_path / "emportee.spie"
    assert main(["take", url, str(copy)]) == 0
    assert "spie-desktop merge" in capsys.readouterr().out

    from spie_desktop.models import open_dossier

    with open_dossier(copy, author="Hors ligne") as df:  # offline, in the train
        df.set_value("porteur_nom", "Écrit hors ligne")
        rid = df.add_row("actions", {"titre": "Action écrite hors ligne"})
        server_replica = None
    with open_dossier(url) as df:  # meanwhile on the server, another field
        df.set_value("perimetre", "Écrit sur le serveur")
        server_replica = df.info.replica_id
    assert main(["merge", url, str(copy)]) == 0
    assert "Copie intégrée" in capsys.readouterr().out
    with open_dossier(url) as df:
        assert df.get("porteur_nom") == "Écrit hors ligne"
        assert df.get("perimetre") == "Écrit sur le serveur"
        assert rid in df.row_ids("actions")
        assert df.info.replica_id == server_replica
        n = len(df.changes())
    assert main(["merge", url, str(copy)]) == 0  # a second time: nothing new, nothing doubled
    assert "Rien de nouveau" in capsys.readouterr().out
    with open_dossier(url) as df:
        assert len(df.changes()) == n
