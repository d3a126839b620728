from __future__ import annotations

from decimal import Decimal

from hypothesis import given, strategies as st

from spie_desktop.formatting import (
    NBSP,
    format_amount,
    format_date,
    format_decimal,
    format_integer,
    format_size,
    parse_decimal,
    parse_french_date,
    parse_integer,
    utf8_length,
)


def test_french_amounts_and_dates():
    assert format_amount("1234.56") == f"1{NBSP}234,56{NBSP}€"
    assert format_amount(-1500) == f"-1{NBSP}500,00{NBSP}€"
    assert format_decimal("1234567.5") == f"1{NBSP}234{NBSP}567,5"
    assert format_integer(12450) == f"12{NBSP}450"
    assert format_date("2021-10-11") == "11/10/2021"
    assert format_date("pas une date") == "pas une date"
    assert format_size(12600) == f"12,3{NBSP}Ko"


def test_lenient_parsing_of_what_people_type():
    assert parse_decimal("1 234,56") == Decimal("1234.56")
    assert parse_decimal("1\u202f234.5") == Decimal("1234.5")
    assert parse_decimal("12a") is None and parse_decimal("NaN") is None and parse_decimal("Infinity") is None
    assert parse_integer("12 450") == 12450 and parse_integer("12,5") is None
    assert str(parse_french_date("11/10/2021")) == "2021-10-11"
    assert parse_french_date("31/02/2022") is None


def test_platform_counts_utf8_bytes():
    assert utf8_length("é") == 2 and utf8_length("abc") == 3 and utf8_length("€") == 3


def test_huge_numbers_do_not_crash():
    assert format_amount("9" * 300).startswith("999")
    assert format_decimal("1" * 60, 2).endswith(",00")


@given(st.decimals(allow_nan=False, allow_infinity=False, places=3))
def test_amounts_read_back(value):
    text = format_decimal(value).replace(NBSP, " ")
    assert parse_decimal(text) == value
