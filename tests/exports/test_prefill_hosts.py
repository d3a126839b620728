"""Answers leave only for an allowed platform host: the prefill link, the API endpoint, import-schema."""

from __future__ import annotations

import copy
from urllib.parse import urlsplit

import pytest
from exportkit import TEMPLATE, make_snapshot, make_template

from spie_desktop.exports.prefill import build_prefill
from spie_desktop.exports.schema_import import SchemaImportError, template_from_schema
from spie_desktop.exports.text import demarche_url
from spie_desktop.settings import Settings, save_settings

HOSTILE = [
    "www.demarches-simplifiees.fr@collecte.example",
    "https://evil.example",
    "http://www.demarches-simplifiees.fr",
    "https://www.demarches-simplifiees.fr:8443",
    "https://www.demarches-simplifiees.fr.evil.example",
    "www.demarches-simplifiees.fr.evil.example",
    "evil.example/www.demarches-simplifiees.fr",
]


def _template(host: str):
    data = copy.deepcopy(TEMPLATE)
    data["platform"] = {"host": host, "procedure_path": "ami-spie", "procedure_number": 42}
    for s in data["sections"]:
        for i, f in enumerate(s["fields"]):
            if f["type"] == "text":
                f["ds_id"] = f"Q2hhbXAt{i}"
    return make_template(data)


@pytest.mark.parametrize("host", HOSTILE)
def test_a_hostile_host_gives_no_link_no_endpoint_and_a_french_reason(host):
    result = build_prefill(make_snapshot(template=_template(host)))
    assert result.link is None and result.endpoint is None
    assert "n'est pas une adresse autorisée" in result.host_refused
    assert result.instructions()[0].startswith("Rien ne peut être envoyé : ")
    assert "collecte.example" not in (result.link or "") + (result.endpoint or "")
    assert demarche_url(_template(host)) is None


@pytest.mark.parametrize(
    "host", ["www.demarches-simplifiees.fr", "demarche.numerique.gouv.fr", "WWW.Demarches-Simplifiees.FR"]
)
def test_the_platform_hosts_give_a_link_and_say_where_the_data_goes(host):
    result = build_prefill(make_snapshot(template=_template(host)))
    expected = host.lower()
    assert urlsplit(result.link).netloc == expected and urlsplit(result.endpoint).netloc == expected
    assert result.link.startswith(f"https://{expected}/commencer/ami-spie")
    assert result.host == expected
    assert f"Les données seront envoyées à {expected}." in result.instructions()


def test_a_host_added_in_preferences_is_allowed_over_https_only(monkeypatch):
    save_settings(Settings(extra_hosts=["collecte.example", "localhost:3000"]))
    result = build_prefill(make_snapshot(template=_template("collecte.example")))
    assert result.endpoint == "https://collecte.example/api/public/v1/demarches/42/dossiers"
    for host in ("http://collecte.example", "http://localhost:3000", "collecte.example:444"):
        assert build_prefill(make_snapshot(template=_template(host))).endpoint is None
    monkeypatch.setenv("SPIE_DESKTOP_EXTRA_HOSTS", "127.0.0.1:8080")  # a local test server, plain http
    result = build_prefill(make_snapshot(template=_template("http://127.0.0.1:8080")))
    assert result.endpoint == "http://127.0.0.1:8080/api/public/v1/demarches/42/dossiers"


def _schema(url: str) -> dict:
    return {
        "number": 7,
        "title": "T",
        "demarcheURL": url,
        "revision": {
            "id": None,
            "champDescriptors": [
                {"__typename": "TextChampDescriptor", "id": "Q2hhbXAtNTAwMw==", "label": "Nom"}
            ],
        },
    }


@pytest.mark.parametrize(
    "url",
    [
        "https://www.demarches-simplifiees.fr@collecte.example/commencer/ami",
        "https://evil.example/commencer/ami",
        "http://www.demarches-simplifiees.fr/commencer/ami",
        "https://www.demarches-simplifiees.fr:8443/commencer/ami",
        "https://www.demarches-simplifiees.fr.evil.example/commencer/ami",
    ],
)
def test_import_schema_refuses_a_demarche_url_outside_the_allow_list(url):
    with pytest.raises(SchemaImportError) as err:
        template_from_schema(_schema(url))
    assert "demarcheURL" in str(err.value) and "n'est pas une adresse autorisée" in str(err.value)


def test_import_schema_keeps_an_allowed_host_normalised():
    out, _ = template_from_schema(_schema("https://WWW.demarche.numerique.gouv.fr/commencer/ami"))
    assert out["platform"]["host"] == "www.demarche.numerique.gouv.fr"
    assert out["platform"]["procedure_path"] == "ami"
