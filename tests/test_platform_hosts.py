"""The platform host allow-list: only the platform's hosts (and explicitly added ones), over https."""

from __future__ import annotations

import pytest

from spie_desktop.platform_hosts import (
    PLATFORM_HOSTS,
    HostNotAllowed,
    check_platform_url,
    extra_hosts_from_env,
    normal_host_entry,
)


@pytest.mark.parametrize(
    "url",
    [
        "www.demarches-simplifiees.fr@collecte.example",
        "https://www.demarches-simplifiees.fr@collecte.example/commencer/x",
        "https://user:pw@www.demarches-simplifiees.fr",
        "https://evil.example",
        "http://www.demarches-simplifiees.fr",
        "https://www.demarches-simplifiees.fr:8443",
        "https://www.demarches-simplifiees.fr:443",
        "https://www.demarches-simplifiees.fr.evil.example",
        "https://www.demarches-simplifiees.fr.",
        "https://evil.example\\@www.demarches-simplifiees.fr",
        "https://www.démarches-simplifiees.fr",
        "javascript:alert(1)",
        "ftp://www.demarches-simplifiees.fr",
        "https://www.demarches-simplifiees.fr\u202e",
        "https://",
        "",
        "http://127.0.0.1:8080",
    ],
)
def test_hostile_addresses_are_refused_in_french_naming_the_host(url):
    with pytest.raises(HostNotAllowed) as err:
        check_platform_url(url)
    message = str(err.value)
    assert "n'est pas une adresse autorisée" in message
    host = err.value.host
    if host.isprintable() and "\\" not in host:
        assert f"« {host} »" in message
    else:
        assert "\u202e" not in message  # shown escaped, never as a live control character


@pytest.mark.parametrize(
    "url,base",
    [
        ("www.demarches-simplifiees.fr", "https://www.demarches-simplifiees.fr"),
        ("https://WWW.Demarches-Simplifiees.FR/commencer/spie?x=1", "https://www.demarches-simplifiees.fr"),
        ("https://demarche.numerique.gouv.fr/", "https://demarche.numerique.gouv.fr"),
        ("www.demarche.numerique.gouv.fr", "https://www.demarche.numerique.gouv.fr"),
    ],
)
def test_the_platform_hosts_are_admitted_and_normalised(url, base):
    assert check_platform_url(url) == base


def test_every_platform_host_is_admitted():
    for host in PLATFORM_HOSTS:
        assert check_platform_url(f"https://{host}") == f"https://{host}"


def test_an_extra_host_admits_its_port_and_http_only_on_loopback():
    extras = ["127.0.0.1:8080", "collecte.example", "Localhost:9", "[::1]:7"]
    assert check_platform_url("http://127.0.0.1:8080/api", extras) == "http://127.0.0.1:8080"
    assert check_platform_url("https://collecte.example", extras) == "https://collecte.example"
    assert check_platform_url("http://localhost:9", extras) == "http://localhost:9"
    assert check_platform_url("http://[::1]:7", extras) == "http://[::1]:7"
    with pytest.raises(HostNotAllowed):
        check_platform_url("http://collecte.example", extras)
    with pytest.raises(HostNotAllowed):
        check_platform_url("https://collecte.example:444", extras)
    with pytest.raises(HostNotAllowed):
        check_platform_url("http://127.0.0.1:8081", extras)


def test_extra_hosts_come_from_the_environment_and_bad_entries_are_dropped(monkeypatch):
    monkeypatch.setenv("SPIE_DESKTOP_EXTRA_HOSTS", " 127.0.0.1:5000 , a@b.example, Collecte.Example,, x/y ,")
    assert extra_hosts_from_env() == ("127.0.0.1:5000", "collecte.example")
    monkeypatch.delenv("SPIE_DESKTOP_EXTRA_HOSTS")
    assert extra_hosts_from_env() == ()


@pytest.mark.parametrize(
    "entry",
    [
        "https://x.example",
        "a@b.example",
        "x.example/",
        "x.example:0",
        "x.example:99999",
        "x..example",
        "",
        "x.example.",
    ],
)
def test_a_bad_host_entry_is_refused(entry):
    with pytest.raises(HostNotAllowed):
        normal_host_entry(entry)
