"""Which hosts the application may talk to: the platform's, plus test hosts from the environment.

Minimal version written for the online step; the untrusted-files work owns this module and its
version replaces this one (same API: PLATFORM_HOSTS, HostNotAllowed, extra_hosts_from_env,
check_platform_url).
"""

from __future__ import annotations

import ipaddress
import os
from urllib.parse import urlsplit

PLATFORM_HOSTS: tuple[str, ...] = (
    "www.demarches-simplifiees.fr",
    "demarches-simplifiees.fr",
    "www.demarche.numerique.gouv.fr",
    "demarche.numerique.gouv.fr",
)
ENV_VAR = "SPIE_DESKTOP_EXTRA_HOSTS"


class HostNotAllowed(ValueError):
    """An address outside the platform's hosts; the message is French."""


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def extra_hosts_from_env() -> tuple[str, ...]:
    """``SPIE_DESKTOP_EXTRA_HOSTS``: comma-separated ``host[:port]`` (a scheme, if given, is dropped)."""
    out: list[str] = []
    for item in os.environ.get(ENV_VAR, "").split(","):
        item = item.strip().lower()
        if "://" in item:
            item = urlsplit(item).netloc
        item = item.strip("/")
        if item:
            out.append(item)
    return tuple(out)


def check_platform_url(url: str, extra_hosts: tuple[str, ...] = ()) -> str:
    """The normalised base ``https://host[:port]`` of an allowed address, or :class:`HostNotAllowed`.

    Plain http only for a loopback host named in ``extra_hosts`` (a local test server).
    """
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
        port = parts.port
    except (ValueError, AttributeError):
        raise HostNotAllowed(f"« {url} » n'est pas une adresse web valide.") from None
    if parts.scheme not in ("https", "http") or not host:
        raise HostNotAllowed(f"« {url} » n'est pas une adresse web (https://…).")
    netloc = host if port is None else f"{host}:{port}"
    allowed = host in PLATFORM_HOSTS or netloc in extra_hosts or host in extra_hosts
    if not allowed:
        raise HostNotAllowed(
            f"« {host} » n'est pas une adresse de la plateforme ({', '.join(PLATFORM_HOSTS[:1] + PLATFORM_HOSTS[2:3])}) : "
            f"rien n'est envoyé ni téléchargé ailleurs (variable {ENV_VAR} pour un serveur d'essai)."
        )
    if parts.scheme == "http" and not (_is_loopback(host) and (netloc in extra_hosts or host in extra_hosts)):
        raise HostNotAllowed(f"« {url} » : seule une adresse https:// est acceptée.")
    return f"{parts.scheme}://{netloc}"
