"""SIRET, email, phone, IBAN and département validators: real identifiers pass, typos do not."""

from __future__ import annotations

import pytest

from spie_desktop.checks.formats import (
    FormatOutcome,
    check_departement,
    check_email,
    check_iban,
    check_phone,
    check_siret,
    luhn_valid,
)

OK = FormatOutcome.OK


@pytest.mark.parametrize(
    "siret",
    [
        "73282932000074",  # a real SIRET (Luhn)
        "732 829 320 00074",  # as people type it
        "732.829.320.00074",
        "35600000000048",  # La Poste head office: Luhn applies
        "35600000049837",  # a La Poste establishment: digits sum to a multiple of 5
    ],
)
def test_valid_siret(siret):
    assert check_siret(siret) is OK


@pytest.mark.parametrize(
    "siret, outcome",
    [
        ("73282932000075", FormatOutcome.BAD_CHECKSUM),
        ("7328293200007", FormatOutcome.WRONG_LENGTH),
        ("732829320000741", FormatOutcome.WRONG_LENGTH),
        ("7328293200007A", FormatOutcome.NOT_DIGITS),
        ("７３２８２９３２０００７４", FormatOutcome.NOT_DIGITS),  # full-width digits are not ASCII digits
        ("35600000049838", FormatOutcome.BAD_CHECKSUM),  # La Poste, sum 46: not a multiple of 5
        ("", FormatOutcome.NOT_DIGITS),
    ],
)
def test_invalid_siret(siret, outcome):
    assert check_siret(siret) is outcome


def test_la_poste_rule_differs_from_luhn():
    # passes the sum-of-5 rule but not Luhn: valid only because its SIREN is La Poste's
    assert not luhn_valid("35600000049837")
    assert check_siret("35600000049837") is OK
    # a SIRET of another SIREN whose digits sum to a multiple of 5 still needs its Luhn key
    assert sum(map(int, "35700000049836")) % 5 == 0 and not luhn_valid("35700000049836")
    assert check_siret("35700000049836") is FormatOutcome.BAD_CHECKSUM


@pytest.mark.parametrize(
    "email", ["a@b.fr", "prenom.nom@cd-exemple.fr", "x+tag@sous.domaine.gouv.fr", " a@b.fr "]
)
def test_valid_email(email):
    assert check_email(email) is OK


@pytest.mark.parametrize(
    "email", ["a@b", "a b@c.fr", "@c.fr", "a@@c.fr", "a@c..fr", "a.@c.fr", "é@c.fr", "a@-c.fr", "a@c.f"]
)
def test_invalid_email(email):
    assert check_email(email) is FormatOutcome.MALFORMED


@pytest.mark.parametrize(
    "phone",
    [
        "01 23 45 67 89",
        "0123456789",
        "01.23.45.67.89",
        "01-23-45-67-89",
        "06 12 34 56 78",
        "+33 1 23 45 67 89",
        "+33 (0)1 23 45 67 89",
        "0033 6 12 34 56 78",
        "0262 12 34 56",
        "+262 262 12 34 56",
        "+590 590 12 34 56",
        "+594 594 12 34 56",
        "+596 696 12 34 56",
        "+687 28 12 34",
        "+689 40 12 34 56",
        "+508 41 23 45",
    ],
)
def test_valid_phone(phone):
    assert check_phone(phone) is OK


@pytest.mark.parametrize(
    "phone",
    [
        "12 34",
        "00 12 34 56 78",
        "01 23 45 67 8",
        "01 23 45 67 890",
        "+33 0 1 23 45 67 89",
        "+44 20 7946 0958",
        "abc",
        "01 23 45 67 8a",
    ],
)
def test_invalid_phone(phone):
    assert check_phone(phone) is FormatOutcome.MALFORMED


def test_iban():
    assert check_iban("FR76 3000 6000 0112 3456 7890 189") is OK
    assert check_iban("fr7630006000011234567890189") is OK
    assert check_iban("FR76 3000 6000 0112 3456 7890 188") is FormatOutcome.BAD_CHECKSUM
    assert check_iban("FR76 3000 6000 0112 3456 7890 18") is FormatOutcome.WRONG_LENGTH
    assert check_iban("RIB 12345") is FormatOutcome.MALFORMED


@pytest.mark.parametrize(
    "code, ok",
    [
        ("01", True),
        ("2A", True),
        ("2B", True),
        ("75", True),
        ("95", True),
        ("971", True),
        ("976", True),
        ("20", False),
        ("96", False),
        ("00", False),
        ("1", False),
        ("Paris", False),
    ],
)
def test_departement(code, ok):
    assert (check_departement(code) is OK) is ok


def test_every_departement_of_the_shipped_list_is_accepted():
    import json

    from spie_desktop.resources_path import resource

    path = resource("data", "departements.json")
    if not path.exists():
        pytest.skip("la liste des départements n'est pas encore livrée")
    data = json.loads(path.read_text(encoding="utf-8"))
    items = data if isinstance(data, list) else data.get("departements", [])
    codes = [d["code"] if isinstance(d, dict) else d for d in items]
    assert len(codes) >= 101
    assert [c for c in codes if check_departement(c) is not OK] == []
