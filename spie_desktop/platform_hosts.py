"""Where answers may be sent: the online platform's hosts, plus hosts the user explicitly added.

A template (a user's, one embedded in a received ``.spie``, one made by ``import-schema``) names the
platform host; that text is untrusted. Every link or request that carries answers goes through
:func:`check_platform_url`, which parses it as a URL and admits only an allow-listed host, over https,
without userinfo or port tricks. No Qt here.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .errors import SpieError

if TYPE_CHECKING:
    from .forms.types import Template

PLATFORM_HOSTS: tuple[str, ...] = (
    "demarches-simplifiees.fr",
    "www.demarches-simplifiees.fr",
    "demarche.numerique.gouv.fr",
    "www.demarche.numerique.gouv.fr",
)

ENV_EXTRA_HOSTS = "SPIE_DESKTOP_EXTRA_HOSTS"

_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\Z")
_FORBIDDEN = re.compile(r"[\x00-\x20\x7f-\x9f\\\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")
_MAX_URL = 2048


class HostNotAllowed(SpieError, ValueError):
    """A platform address that is not allowed; ``str()`` is a French message naming the host."""

    def __init__(self, host: str, reason: str) -> None:
        self.host = host
        self.reason = reason
        super().__init__(
            f"L'adresse « {_shown(host)} » n'est pas une adresse autorisée de la plateforme "
            f"démarches-simplifiées : {reason}. Hôtes autorisés : {', '.join(PLATFORM_HOSTS)}"
            " et ceux ajoutés dans les Préférences."
        )


def _shown(text: str) -> str:
    """The host as it may be shown: control and format characters visible, length bounded."""
    out = "".join(ch if not _FORBIDDEN.match(ch) or ch == " " else f"\\u{ord(ch):04x}" for ch in text)
    return out if len(out) <= 200 else out[:200] + "…"


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 or localhost (a hostname as urlsplit gives it, without brackets or port)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _normal_hostname(raw: str, shown: str) -> str:
    """Lowercase IDNA (punycode) form of a hostname or IP literal; refuses empty or trailing dots."""
    if not raw:
        raise HostNotAllowed(shown, "aucun nom d'hôte")
    if raw.startswith("[") and raw.endswith("]"):
        raw = raw[1:-1]
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        pass
    if raw.endswith((".", "\u3002", "\uff0e", "\uff61")):
        raise HostNotAllowed(shown, "un nom d'hôte ne se termine pas par un point")
    try:
        ascii_host = raw.encode("idna").decode("ascii").lower()
    except (UnicodeError, ValueError):
        raise HostNotAllowed(shown, "nom d'hôte invalide") from None
    labels = ascii_host.split(".")
    if len(ascii_host) > 253 or not all(_LABEL.match(label) for label in labels):
        raise HostNotAllowed(shown, "nom d'hôte invalide")
    return ascii_host


def normal_host_entry(entry: str) -> str:
    """An allow-list entry ``host[:port]`` in its normal form (lowercase, punycode); raises HostNotAllowed."""
    text = entry.strip()
    if not text or len(text) > 300 or _FORBIDDEN.search(text) or any(c in text for c in "/@?#"):
        raise HostNotAllowed(text, "un hôte s'écrit nom[:port], sans « / », « @ », espace ni schéma")
    try:
        parts = urlsplit(f"https://{text}")
        port = parts.port
        hostname = parts.hostname or ""
    except ValueError:
        raise HostNotAllowed(text, "port invalide") from None
    host = _normal_hostname(hostname, text)
    if port is not None and not 0 < port < 65536:
        raise HostNotAllowed(text, "port invalide")
    return _join(host, port)


def _join(host: str, port: int | None) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"{shown}:{port}" if port is not None else shown


def extra_hosts_from_env() -> tuple[str, ...]:
    """Hosts from SPIE_DESKTOP_EXTRA_HOSTS (comma-separated ``host[:port]``); bad entries are ignored."""
    out: list[str] = []
    for entry in os.environ.get(ENV_EXTRA_HOSTS, "").split(","):
        if not entry.strip():
            continue
        try:
            normal = normal_host_entry(entry)
        except HostNotAllowed:
            continue
        if normal not in out:
            out.append(normal)
    return tuple(out)


def check_platform_url(url: str, extra_hosts: Iterable[str] = ()) -> str:
    """The normalised base ``https://host[:port]`` of *url* if its host is allowed, else HostNotAllowed.

    https only (plain http only for a loopback host listed in *extra_hosts*), no userinfo, no port
    unless that exact ``host:port`` is an extra host. A bare ``host`` (no scheme) is read as https.
    """
    if not isinstance(url, str):
        raise HostNotAllowed(repr(url), "une adresse texte est attendue")
    text = url.strip()
    if not text or len(text) > _MAX_URL:
        raise HostNotAllowed(text, "adresse vide ou trop longue")
    if _FORBIDDEN.search(text):
        raise HostNotAllowed(
            text, "l'adresse contient un espace, une barre oblique inverse ou un caractère de contrôle"
        )
    if "://" not in text:
        text = f"https://{text}"
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise HostNotAllowed(url.strip(), "adresse ou port invalide") from None
    shown = parts.netloc or url.strip()
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http"):
        raise HostNotAllowed(shown, "seule une adresse https:// est acceptée")
    if "@" in parts.netloc or parts.username is not None or parts.password is not None:
        raise HostNotAllowed(shown, "une adresse avec « @ » (identifiant avant l'hôte) est refusée")
    host = _normal_hostname(parts.hostname or "", shown)
    extras = set()
    for entry in extra_hosts:
        try:
            extras.add(normal_host_entry(entry))
        except HostNotAllowed:
            continue
    key = _join(host, port)
    if port is not None:
        if key not in extras:
            raise HostNotAllowed(shown, f"le port {port} n'est pas autorisé pour cet hôte")
    elif host not in PLATFORM_HOSTS and key not in extras:
        raise HostNotAllowed(shown, "cet hôte n'est pas celui de la plateforme")
    if scheme == "http" and not (key in extras and is_loopback(host)):
        raise HostNotAllowed(
            shown, "seule une adresse https:// est acceptée (http seulement pour un poste local ajouté)"
        )
    return f"{scheme}://{key}"


def user_extra_hosts() -> tuple[str, ...]:
    """The hosts added in Préférences (https only: a loopback entry there is ignored) and by the environment."""
    from .settings import load_settings

    out: list[str] = []
    for entry in load_settings().extra_hosts:
        try:
            normal = normal_host_entry(entry)
        except HostNotAllowed:
            continue
        if not is_loopback(urlsplit(f"https://{normal}").hostname or "") and normal not in out:
            out.append(normal)
    out += [h for h in extra_hosts_from_env() if h not in out]
    return tuple(out)


def platform_base(host: str, extra_hosts: Iterable[str] | None = None) -> str:
    """:func:`check_platform_url` for a template's ``platform.host``; None extras = :func:`user_extra_hosts`."""
    return check_platform_url(host, user_extra_hosts() if extra_hosts is None else extra_hosts)


def shown_host(base: str) -> str:
    """``https://www.demarches-simplifiees.fr`` → ``www.demarches-simplifiees.fr`` (the scheme kept if not https)."""
    return base.removeprefix("https://")


@dataclass(frozen=True)
class PlatformStatement:
    """Where a template's answers would go, said in plain words before any link is opened."""

    host: str  # "www.demarches-simplifiees.fr", or "" when refused
    refused: str  # the French reason, or ""

    @property
    def sentence(self) -> str:
        if self.refused:
            return f"Aucun lien ne sera ouvert et aucune donnée envoyée : {self.refused}"
        return f"Les données seront envoyées à {self.host}."


def platform_statement(template: Template, extra_hosts: Iterable[str] | None = None) -> PlatformStatement:
    try:
        return PlatformStatement(shown_host(platform_base(template.platform.host, extra_hosts)), "")
    except HostNotAllowed as exc:
        return PlatformStatement("", str(exc))
