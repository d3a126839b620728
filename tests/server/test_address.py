"""The server address: its parts, libpq's parameters passed through, the password never shown."""

from __future__ import annotations

import pytest

from spie_desktop.server.address import AddressError, is_server_address, parse_address, schema_for


def test_parts_and_libpq_parameters():
    a = parse_address(
        "postgresql://claire:s3cret@db.cd.fr:5433/spie?dossier=ami-2026&sslmode=verify-full"
        "&sslrootcert=/etc/ssl/ca.pem"
    )
    assert (a.host, a.port, a.user, a.base, a.dossier) == ("db.cd.fr", 5433, "claire", "spie", "ami-2026")
    assert "sslmode=verify-full" in a.conninfo() and "sslrootcert=/etc/ssl/ca.pem" in a.conninfo()
    assert "password=s3cret" in a.conninfo()  # used to connect…


def test_password_never_shown():
    a = parse_address("postgres://claire:s3cret@db/spie?dossier=d1&sslpassword=k3y")
    for shown in (a.shown_address(), str(a), repr(a), str(a.location()), repr(a.location())):
        assert "s3cret" not in shown and "k3y" not in shown
    assert parse_address(a.shown_address()).password is None
    assert a.location().name == "d1.spie"


def test_socket_and_service():
    a = parse_address("postgresql:///spie?host=/run/postgresql&service=cd&dossier=x_1")
    assert a.host == "/run/postgresql" and "service=cd" in a.conninfo()
    assert parse_address(a.shown_address()) == a


@pytest.mark.parametrize(
    "bad, said",
    [
        ("postgresql://db/spie", "ne nomme pas de dossier"),
        ("postgresql://db/spie?dossier=Majuscule", "Identifiant de dossier refusé"),
        ("postgresql://db/spie?dossier=" + "a" * 64, "Identifiant de dossier refusé"),
        ("postgresql://db:port/spie?dossier=a", "port"),
        ("postgresql://db/spie?dossier=a&dossier=b", "plusieurs dossiers"),
        ("postgresql://db/spie?dossier=a&x%20y=1", "Paramètre inconnu"),
        ("postgresql://db/a/b?dossier=a", "une seule base"),
    ],
)
def test_refusals_in_french(bad, said):
    with pytest.raises(AddressError, match=said):
        parse_address(bad)


def test_schema_names_distinct_and_short():
    assert schema_for("ami2026") == "spie_ami2026"
    assert schema_for("a-b") != schema_for("a_b")
    assert len(schema_for("x" * 63)) <= 63


def test_a_file_name_is_not_an_address():
    assert is_server_address("postgresql://db/spie?dossier=a")
    assert not is_server_address("postgresql.spie") and not is_server_address("C:/dossiers/a.spie")
