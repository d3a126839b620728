"""French presentation of values (1 234,56 €, 11/10/2021) and lenient parsing of what people type.

Shared by the window, the PDF and the text exports so the three always agree.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation, localcontext

NBSP = "\u00a0"  # kept by reportlab, unlike U+202F
_SPACES = re.compile(r"[\s\u00a0\u202f']")


def utf8_length(text: str) -> int:
    """The platform counts a textarea's characters as UTF-8 bytes ("é" counts 2)."""
    return len(text.encode("utf-8", errors="surrogatepass"))


def parse_decimal(text: str | int | Decimal | None) -> Decimal | None:
    """Read "1 234,56", "1234.56", "-3" or an int; None when it is not a finite number."""
    if text is None or isinstance(text, bool):
        return None
    if isinstance(text, int):
        return Decimal(text)
    if isinstance(text, Decimal):
        return text if text.is_finite() else None
    s = _SPACES.sub("", str(text)).replace(",", ".")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", s):
        return None
    try:
        d = Decimal(s)
    except InvalidOperation:
        return None
    return d if d.is_finite() else None


def parse_integer(text: str | int | None) -> int | None:
    if text is None or isinstance(text, bool):
        return None
    if isinstance(text, int):
        return text
    s = _SPACES.sub("", str(text))
    if not re.fullmatch(r"[+-]?\d+", s):
        return None
    return int(s)


def _group(digits: str) -> str:
    out: list[str] = []
    while len(digits) > 3:
        out.insert(0, digits[-3:])
        digits = digits[:-3]
    out.insert(0, digits)
    return NBSP.join(out)


def format_decimal(value: Decimal | int | str | None, places: int | None = None) -> str:
    """1234.5 → "1 234,5" (places=None keeps the digits given); non-numbers come back as typed."""
    d = parse_decimal(value) if not isinstance(value, Decimal) else value
    if d is None:
        return "" if value is None else str(value)
    if places is not None:
        with localcontext() as ctx:  # huge typed numbers must not overflow the default 28 digits
            ctx.prec = max(28, len(d.as_tuple().digits) + places + 2)
            d = d.quantize(Decimal(1).scaleb(-places))
    sign = "-" if d < 0 else ""
    text = format(d.copy_abs(), "f")  # copy_abs: exact, abs() would round to 28 digits
    whole, _, frac = text.partition(".")
    return sign + _group(whole) + ("," + frac if frac else "")


def format_integer(value: int | str | None) -> str:
    n = parse_integer(value) if not isinstance(value, int) else value
    if n is None:
        return "" if value is None else str(value)
    return ("-" if n < 0 else "") + _group(str(abs(n)))


def format_amount(value: Decimal | int | str | None) -> str:
    """An amount in euros: "1 234,56 €"."""
    d = parse_decimal(value)
    if d is None:
        return "" if value is None else str(value)
    return format_decimal(d, 2) + NBSP + "€"


def parse_iso_date(text: str | None) -> date | None:
    if not isinstance(text, str):
        return None
    try:
        return date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None
    except ValueError:
        return None


def format_date(value: str | date | None) -> str:
    """ "2021-10-11" → "11/10/2021"; an unreadable value comes back as it is."""
    d = value if isinstance(value, date) else parse_iso_date(value)
    if d is None:
        return "" if value is None else str(value)
    return d.strftime("%d/%m/%Y")


def parse_french_date(text: str) -> date | None:
    """ "11/10/2021", "11-10-2021", "11.10.2021" or ISO → date; None when it is no real date."""
    s = text.strip()
    m = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", s)
    try:
        if m:
            return date(int(m[3]), int(m[2]), int(m[1]))
        return parse_iso_date(s)
    except ValueError:
        return None


def format_datetime(value: str | datetime | None) -> str:
    """An ISO timestamp (UTC) shown in local time: "25/11/2026 à 15:42"."""
    if value is None:
        return ""
    try:
        dt = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    except ValueError:
        return str(value)
    if dt.tzinfo is not None:
        dt = dt.astimezone()
    return dt.strftime("%d/%m/%Y à %H:%M")


def format_size(size: int) -> str:
    """Bytes in French units: "12,3 Ko", "4,0 Mo"."""
    units = ["octets", "Ko", "Mo", "Go"]
    value = float(size)
    for unit in units:
        if value < 1024 or unit == units[-1]:
            if unit == "octets":
                return f"{int(value)} octet{'s' if value >= 2 else ''}"
            return f"{value:.1f}".replace(".", ",") + NBSP + unit
        value /= 1024
    raise AssertionError


def format_bool(value: object) -> str:
    return {True: "Oui", False: "Non"}.get(value, "") if isinstance(value, bool) else ""
