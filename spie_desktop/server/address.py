"""The address of a dossier on a PostgreSQL server: ``postgresql://[user@]host[:port]/base?dossier=<id>``.

Everything libpq understands in a connection URI passes through (``sslmode``, ``sslrootcert``,
``service``, ``connect_timeout``…); ``dossier`` names the dossier inside the base (one PostgreSQL
schema per dossier, ``spie_<id>``). A password written in the address is used to connect but never
kept nor shown: :meth:`ServerAddress.shown_address` leaves it out, and settings store only that form.
Prefer libpq's password file (``~/.pgpass``, ``%APPDATA%\\postgresql\\pgpass.conf`` on Windows) or a
service file (``~/.pg_service.conf``, ``service=NOM``) to a password in the address.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PosixPath
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

from ..models.errors import DossierError
from . import (
    SCHEMES,
    names_server as names_server,  # the cheap test lives in server/__init__.py
)

DOSSIER_ID = re.compile(r"[a-z0-9_-]{1,63}")
#: The PostgreSQL schema of a dossier: ``spie_`` + its id (``-`` becomes ``_``, 63 bytes at most).
SCHEMA_PREFIX = "spie_"
#: libpq parameters that may carry a secret: used, never shown.
SECRET_PARAMS = {"password", "sslpassword"}


class AddressError(DossierError):
    """An address that is not a dossier on a server (French message)."""


def is_server_address(text: object) -> bool:
    """True for ``postgresql://…`` and ``postgres://…`` (a file name never starts so)."""
    return (
        isinstance(text, str | ServerPath)
        and str(text).split("://", 1)[0].lower() in SCHEMES
        and "://" in str(text)
    )


@dataclass(frozen=True)
class ServerAddress:
    """A parsed address; ``password`` is kept out of ``repr`` and of :meth:`shown_address`."""

    host: str
    port: int | None
    user: str
    base: str
    dossier: str | None
    params: tuple[tuple[str, str], ...] = ()
    password: str | None = field(default=None, repr=False)
    secrets: tuple[tuple[str, str], ...] = field(default=(), repr=False)  # sslpassword: used, never shown

    @property
    def schema(self) -> str:
        """The PostgreSQL schema holding this dossier's tables."""
        if self.dossier is None:
            raise AddressError("L'adresse ne nomme pas de dossier : ajoutez ?dossier=IDENTIFIANT.")
        return schema_for(self.dossier)

    def conninfo(self) -> str:
        """The libpq connection string (with the password when the address had one)."""
        parts: list[tuple[str, str]] = []
        if self.host:
            parts.append(("host", self.host))
        if self.port:
            parts.append(("port", str(self.port)))
        if self.user:
            parts.append(("user", self.user))
        if self.base:
            parts.append(("dbname", self.base))
        if self.password is not None:
            parts.append(("password", self.password))
        parts.extend(self.params)
        parts.extend(self.secrets)
        return " ".join(f"{k}={_quote_value(v)}" for k, v in parts)

    def shown_address(self) -> str:
        """The address as it may be shown, logged or remembered: never the password."""
        netloc = quote(self.user, safe="") + "@" if self.user else ""
        query = list(self.params)
        if self.host.startswith("/"):  # a unix socket's directory goes in the query, as libpq reads it
            query.insert(0, ("host", self.host))
        elif ":" in self.host:
            netloc += f"[{self.host}]"
        else:
            netloc += self.host
        if self.port:
            netloc += f":{self.port}"
        if self.dossier is not None:
            query.append(("dossier", self.dossier))
        q = "?" + urlencode(query, safe="/") if query else ""
        return f"postgresql://{netloc}/{quote(self.base, safe='')}{q}"

    def with_dossier(self, dossier: str | None) -> ServerAddress:
        if dossier is not None:
            _check_dossier(dossier)
        return ServerAddress(
            self.host, self.port, self.user, self.base, dossier, self.params, self.password, self.secrets
        )

    def location(self) -> ServerPath:
        """A path-like name for this dossier: ``str()`` gives :meth:`shown_address`, ``.name`` ``<id>.spie``."""
        return ServerPath(self)

    def __str__(self) -> str:
        return self.shown_address()


def schema_for(dossier: str) -> str:
    """``spie_<id>`` (``-`` as ``_``); a long id is shortened with a digest (PostgreSQL cuts names at 63 bytes)."""
    _check_dossier(dossier)
    name = SCHEMA_PREFIX + dossier.replace("-", "_")
    if len(name) > 63 or "-" in dossier:  # "a-b" and "a_b" must not share a schema
        import hashlib  # here: a dossier on disk opens without it

        digest = hashlib.sha256(dossier.encode()).hexdigest()[:8]
        name = SCHEMA_PREFIX + dossier.replace("-", "_")[:49] + "_" + digest
    return name


def parse_address(text: str, *, need_dossier: bool = True) -> ServerAddress:
    """Parse an address, or raise :class:`AddressError` with a French message saying what is wrong."""
    text = str(text).strip()
    if not is_server_address(text):
        raise AddressError(
            f"« {text[:80]} » n'est pas une adresse de serveur (postgresql://serveur/base?dossier=ID)."
        )
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise AddressError("Le port de l'adresse du serveur doit être un nombre.") from None
    if parts.fragment:
        raise AddressError("L'adresse du serveur ne prend pas de « # ».")
    base = unquote(parts.path.lstrip("/"))
    if "/" in base:
        raise AddressError(
            "L'adresse du serveur nomme une seule base : postgresql://serveur/base?dossier=ID."
        )
    params: list[tuple[str, str]] = []
    secrets: list[tuple[str, str]] = []
    dossier: str | None = None
    user = unquote(parts.username) if parts.username else ""
    password = unquote(parts.password) if parts.password is not None else None
    host = unquote(parts.hostname or "") if parts.hostname else ""
    if parts.netloc and "[" in parts.netloc:  # IPv6: urlsplit lowercases it, which is fine
        host = parts.hostname or ""
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key == "dossier":
            if dossier is not None:
                raise AddressError("L'adresse nomme plusieurs dossiers : gardez un seul « dossier= ».")
            _check_dossier(value)
            dossier = value
        elif key == "password":
            password = value
        elif key in SECRET_PARAMS:
            secrets.append((key, value))
        elif key == "host" and not host:
            host = value  # postgresql:///base?host=/run/postgresql (a unix socket)
        elif key == "port" and port is None:
            try:
                port = int(value)
            except ValueError:
                raise AddressError("Le port de l'adresse du serveur doit être un nombre.") from None
        elif key == "user" and not parts.username:
            user = value
        elif key == "dbname" and not base:
            base = value
        elif not re.fullmatch(r"[a-z_]{1,40}", key):
            raise AddressError(f"Paramètre inconnu dans l'adresse du serveur : « {key[:40]} ».")
        else:
            params.append((key, value))
    if need_dossier and dossier is None:
        raise AddressError(
            "L'adresse ne nomme pas de dossier : ajoutez ?dossier=IDENTIFIANT "
            "(lettres minuscules, chiffres, - et _, 63 au plus)."
        )
    return ServerAddress(host, port, user, base, dossier, tuple(params), password, tuple(secrets))


def _check_dossier(value: str) -> None:
    if not DOSSIER_ID.fullmatch(value):
        raise AddressError(
            f"Identifiant de dossier refusé : « {value[:70]} » (lettres minuscules, chiffres, "
            "- et _, 63 caractères au plus)."
        )


def _quote_value(value: str) -> str:
    if value and not re.search(r"[\s'\\]", value):
        return value
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


class ServerPath(PosixPath):
    """What ``DossierFile.path`` holds for a dossier on a server: it names the address, no file on disk.

    ``str()`` is the shown address (no password); ``name``/``stem`` are the dossier's id, so a
    « save a copy » dialog suggests ``<id>.spie``. Nothing exists at that path.
    """

    address: ServerAddress

    def __new__(cls, address: ServerAddress) -> ServerPath:
        self = super().__new__(cls, "/nonexistent-spie-server", f"{address.dossier or 'serveur'}.spie")
        self.address = address
        return self

    def __str__(self) -> str:
        address = getattr(self, "address", None)  # paths derived from this one (parent…) are plain
        return address.shown_address() if address is not None else super().__str__()

    def __repr__(self) -> str:
        return f"ServerPath({str(self)!r})"

    def exists(self, *args: object, **kwargs: object) -> bool:
        return False


def as_path_or_address(target: str | Path) -> str | Path:
    """Leave a server address as text (``Path()`` would fold its ``//``); any other target as a Path."""
    return target if is_server_address(target) else Path(target)


def server_target(target: object) -> ServerAddress | None:
    """The server address ``target`` names (an address text, a :class:`ServerPath`), else None (a file)."""
    if isinstance(target, ServerAddress):
        return target
    if isinstance(target, ServerPath):
        return target.address  # keeps the password given at opening, in memory only
    if isinstance(target, str) and is_server_address(target):
        return parse_address(target)
    return None


def address_of(target: object) -> ServerAddress:
    """The address a server target names, with the password given at opening (``str()`` of a
    :class:`ServerPath` is the shown address, without it). ValueError for a file."""
    found = server_target(target)
    if found is None:
        raise ValueError(f"not a server address: {target!r}")
    return found


def as_location(target: str | Path) -> Path:
    """A path for any dossier target: a :class:`ServerPath` for an address (``Path()`` would fold its ``//``)."""
    found = server_target(target)
    return found.location() if found is not None else Path(target)
