"""Contract tests of the online step against a local server that answers as the platform's code does.

The server follows demarches-simplifiees.fr:
- app/controllers/api/public/v1/base_controller.rb: ``check_content_type_is_json`` answers
  400 ``{"error": "Content-Type should be json"}`` unless the header is exactly ``application/json``
  (so ``application/json; charset=utf-8`` is refused);
- app/controllers/api/public/v1/dossiers_controller.rb: 404 ``procedure <id> is not found``, else 201
  with dossier_url (``commencer_url(path, prefill_token:)``), state ``prefilled``, dossier_id,
  dossier_number, dossier_prefill_token;
- app/controllers/api/public/v1/json_description_procedures_controller.rb: GET
  ``/preremplir/<path>/schema``, 200 with the descriptor, or 404.
"""

from __future__ import annotations

import json
import socket
import threading
import urllib.error
import urllib.request
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest
from exportkit import SAMPLE_SCHEMA, TEMPLATE

from spie_desktop.cli import main
from spie_desktop.exports.online import (
    OnlineError,
    fetch_schema,
    schema_url,
    send_prefill,
)
from spie_desktop.forms import Platform, parse_template

PROCEDURE = 48211
RELEASE = threading.Event()


class Platformish(BaseHTTPRequestHandler):
    received: ClassVar[list[dict]] = []

    def log_message(self, *args) -> None:  # quiet
        pass

    def _json(self, status: int, data) -> None:
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        if self.path.startswith("http://"):  # asked as a proxy
            return self._json(407, {"error": "Proxy Authentication Required"})
        if self.path == "/preremplir/ami-exemple/schema":
            schema = json.loads(SAMPLE_SCHEMA.read_text(encoding="utf-8"))
            return self._json(200, schema)
        if self.path == "/preremplir/lent/schema":
            RELEASE.wait(10)
            return self._json(200, {})
        parts = self.path.split("/")
        return self._json(404, {"error": f"procedure {parts[2] if len(parts) > 2 else ''} is not found"})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        if self.path.startswith("http://"):
            return self._json(407, {"error": "Proxy Authentication Required"})
        self.received.append(
            {"path": self.path, "content_type": self.headers.get("Content-Type"), "body": raw}
        )
        if self.headers.get("Content-Type") != "application/json":
            return self._json(400, {"error": "Content-Type should be json"})
        parts = self.path.strip("/").split("/")  # api public v1 demarches <id> dossiers
        if len(parts) != 6 or parts[:4] != ["api", "public", "v1", "demarches"] or parts[5] != "dossiers":
            return self._json(404, {"error": "not found"})
        if parts[4] == "500":
            return self._json(500, {"error": "Internal Server Error"})
        if parts[4] != str(PROCEDURE):
            return self._json(404, {"error": f"procedure {parts[4]} is not found"})
        host = self.headers.get("Host")
        return self._json(
            201,
            {
                "dossier_url": f"http://{host}/commencer/ami-exemple?prefill_token=jeton1",
                "state": "prefilled",
                "dossier_id": "RG9zc2llci0xMjM0NQ==",
                "dossier_number": 12345,
                "dossier_prefill_token": "jeton1",
            },
        )


@pytest.fixture
def server(monkeypatch):
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    Platformish.received = []
    RELEASE.clear()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Platformish)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    host = f"127.0.0.1:{httpd.server_address[1]}"
    monkeypatch.setenv("SPIE_DESKTOP_EXTRA_HOSTS", host)
    yield host
    RELEASE.set()
    httpd.shutdown()
    httpd.server_close()


def _template(host: str, number: int = PROCEDURE):
    data = dict(
        TEMPLATE, platform={"host": host, "procedure_path": "ami-exemple", "procedure_number": number}
    )
    return parse_template(data)


def test_the_server_refuses_a_charset_suffix_like_the_platform(server):
    # base_controller.rb compares the whole header with "application/json"
    request = urllib.request.Request(
        f"http://{server}/api/public/v1/demarches/{PROCEDURE}/dossiers",
        data=b"{}",
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(request, timeout=5)
    assert info.value.code == 400 and json.loads(info.value.read()) == {
        "error": "Content-Type should be json"
    }


def test_send_posts_exactly_application_json_and_reads_the_201(server):
    body = {
        "champ_Q2hhbXAtNTAwMw": "Conseil départemental du Morbihan",
        "champ_Q2hhbXAtNTAyMg": ["56", "200042174"],
    }
    now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    sent = send_prefill(_template(server), body, now=now)
    got = Platformish.received[-1]
    assert got["path"] == f"/api/public/v1/demarches/{PROCEDURE}/dossiers"
    assert got["content_type"] == "application/json"
    assert json.loads(got["body"].decode("utf-8")) == body
    assert sent.dossier_number == 12345 and sent.state == "prefilled" and sent.prefill_token == "jeton1"
    assert sent.dossier_url == f"http://{server}/commencer/ami-exemple?prefill_token=jeton1"
    assert sent.claim_before == datetime(2026, 3, 7, 9, 0, tzinfo=UTC)  # deleted after 5 days


def test_unknown_procedure_is_a_french_404(server):
    with pytest.raises(OnlineError, match="ne trouve pas la démarche n° 999"):
        send_prefill(_template(server, 999), {"champ_x": "y"})


def test_server_error_is_a_french_5xx(server):
    with pytest.raises(OnlineError, match="erreur 500"):
        send_prefill(_template(server, 500), {"champ_x": "y"})


def test_a_refused_content_type_is_explained(server):
    def opener(request, timeout):
        request.headers["Content-type"] = "application/json; charset=utf-8"  # what a careless client sends
        return urllib.request.urlopen(request, timeout=timeout)

    with pytest.raises(OnlineError, match="n'est pas exactement « application/json »"):
        send_prefill(_template(server), {"champ_x": "y"}, opener=opener)


def test_timeout_is_a_french_message(server):
    with pytest.raises(OnlineError, match="n'a pas répondu à temps"):
        fetch_schema(f"http://{server}/commencer/lent", timeout=0.2)


def test_no_network_is_a_french_message(server):
    def opener(request, timeout):
        raise urllib.error.URLError(socket.gaierror(-3, "Temporary failure in name resolution"))

    with pytest.raises(OnlineError, match="Pas de réseau"):
        send_prefill(_template(server), {"champ_x": "y"}, opener=opener)


def test_connection_refused_is_a_french_message(monkeypatch):
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens there any more
    monkeypatch.setenv("SPIE_DESKTOP_EXTRA_HOSTS", f"127.0.0.1:{port}")
    for var in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    with pytest.raises(OnlineError, match="Impossible de joindre"):
        send_prefill(_template(f"127.0.0.1:{port}"), {"champ_x": "y"})


def test_a_proxy_asking_for_credentials_is_a_french_message(server):
    proxied = urllib.request.build_opener(urllib.request.ProxyHandler({"http": f"http://{server}"}))
    with pytest.raises(OnlineError, match="proxy de votre réseau demande une identification"):
        send_prefill(_template(server), {"champ_x": "y"}, opener=proxied.open)


def test_schema_is_fetched_from_preremplir(server):
    assert (
        schema_url(f"http://{server}/commencer/ami-exemple")
        == f"http://{server}/preremplir/ami-exemple/schema"
    )
    data = fetch_schema(f"http://{server}/commencer/ami-exemple")
    assert data["number"] == PROCEDURE
    with pytest.raises(OnlineError, match="404"):
        fetch_schema(f"http://{server}/commencer/inconnue")


def test_nothing_goes_to_a_host_that_is_not_the_platform(monkeypatch):
    monkeypatch.delenv("SPIE_DESKTOP_EXTRA_HOSTS", raising=False)
    calls = []
    with pytest.raises(OnlineError, match="n'est pas une adresse autorisée de la plateforme"):
        send_prefill(
            parse_template(dict(TEMPLATE, platform={"host": "exemple.fr", "procedure_number": 1})),
            {"champ_x": "y"},
            opener=lambda *a, **k: calls.append(a),
        )
    with pytest.raises(OnlineError, match="n'est pas une adresse autorisée de la plateforme"):
        fetch_schema(
            "http://127.0.0.1:1/commencer/x"
        )  # loopback too, unless named in SPIE_DESKTOP_EXTRA_HOSTS
    assert calls == [] and Platform().host == "www.demarches-simplifiees.fr"


def test_import_schema_and_send_from_the_command_line(server, tmp_path, template_2021, capsys):
    from spie_desktop.models import DossierFile, open_dossier

    out = tmp_path / "modele.json"
    assert main(["import-schema", f"http://{server}/commencer/ami-exemple", "-o", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["platform"]["procedure_number"] == PROCEDURE

    schema = json.loads(SAMPLE_SCHEMA.read_text(encoding="utf-8"))
    schema["demarcheURL"] = f"http://{server}/commencer/ami-exemple"
    schema_file = tmp_path / "schema.json"
    schema_file.write_text(json.dumps(schema), encoding="utf-8")
    path = tmp_path / "d.spie"
    with DossierFile.create(path, template_2021, "Essai") as df:
        df.set_value("porteur_nom", "Conseil départemental du Morbihan")
    assert main(["link", str(path), str(schema_file), "--yes"]) == 0
    capsys.readouterr()
    assert main(["send", str(path), "--no-browser"]) == 0
    printed = capsys.readouterr().out
    assert "Dossier n° 12345 créé" in printed and "à reprendre avant le" in printed
    assert json.loads(Platformish.received[-1]["body"]) == {
        "champ_Q2hhbXAtNTAwMw": "Conseil départemental du Morbihan"
    }
    with open_dossier(path) as df:
        last = df.changes()[-1]
    assert (
        last.op == "send"
        and last.new["dossier_number"] == 12345
        and last.new["dossier_prefill_token"] == "jeton1"
    )
