"""The online step, only ever on the user's explicit request: fetch a démarche's form, send a dossier.

Follows the platform's public API (demarches-simplifiees.fr):
- ``GET /preremplir/<path>/schema`` (``API::Public::V1::JSONDescriptionProceduresController``):
  the ``demarcheDescriptor`` JSON, 404 ``{"error": "procedure <path> is not found"}`` when the
  démarche is not published as open data;
- ``POST /api/public/v1/demarches/<number>/dossiers`` (``API::Public::V1::DossiersController``):
  the header must be *exactly* ``Content-Type: application/json`` (``BaseController#check_content_type_is_json``
  answers 400 ``Content-Type should be json`` to ``application/json; charset=utf-8``), 404 for an
  unknown démarche, 201 with ``dossier_url``, ``dossier_id``, ``dossier_number``, ``state`` and
  ``dossier_prefill_token``. An unclaimed prefilled dossier is deleted after 5 days.

Only hosts allowed by :mod:`spie_desktop.platform_hosts` are contacted. Every failure is an
:class:`OnlineError` with a French message (no network, timeout, proxy, 4xx, 5xx, bad answer).
"""

from __future__ import annotations

import json
import socket
import ssl
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote, urlsplit

from .. import safe_json
from ..errors import SpieError
from ..forms import Template
from ..platform_hosts import HostNotAllowed, check_platform_url, is_loopback, platform_base, user_extra_hosts
from .prefill import dossiers_endpoint

TIMEOUT = 30.0
CLAIM_DAYS = 5  # unclaimed prefilled dossiers are deleted after 5 days
USER_AGENT = "spie-desktop"

Opener = Callable[..., Any]  # urllib.request.urlopen's signature, replaceable in tests


class OnlineError(SpieError, ValueError):
    """Something went wrong talking to the platform; the message is French, fit to show as is."""


@dataclass(frozen=True)
class SentDossier:
    dossier_url: str
    dossier_number: int | None
    dossier_id: str
    state: str
    prefill_token: str
    sent_at: datetime  # UTC

    @property
    def claim_before(self) -> datetime:
        return self.sent_at + timedelta(days=CLAIM_DAYS)

    def record(self) -> dict[str, Any]:
        """What the dossier's history keeps (the token stays: it lets the status be asked later)."""
        return {
            "dossier_number": self.dossier_number,
            "dossier_id": self.dossier_id,
            "dossier_url": self.dossier_url,
            "state": self.state,
            "dossier_prefill_token": self.prefill_token,
            "sent_at": self.sent_at.isoformat(timespec="seconds"),
            "claim_before": self.claim_before.isoformat(timespec="seconds"),
        }


def base_url(host: str) -> str:
    """``https://host`` for the template's platform host (plain http for an allowed loopback test host)."""
    text = host.strip()
    if "://" not in text and is_loopback(urlsplit(f"//{text}").hostname or ""):
        text = f"http://{text}"
    try:
        return platform_base(text)
    except HostNotAllowed as exc:
        raise OnlineError(str(exc)) from None


def schema_url(address: str) -> str:
    """The schema address for a démarche's address (``…/commencer/<path>``, ``…/preremplir/<path>[/schema]``)."""
    try:
        base = check_platform_url(address, user_extra_hosts())
    except HostNotAllowed as exc:
        raise OnlineError(str(exc)) from None
    path = urlsplit(address.strip()).path.strip("/").split("/")
    if len(path) >= 2 and path[0] in ("commencer", "preremplir"):
        return f"{base}/preremplir/{quote(path[1])}/schema"
    raise OnlineError(
        f"« {address} » n'est pas l'adresse d'une démarche : donnez celle de la page "
        "« …/commencer/<démarche> » de la plateforme."
    )


MAX_ANSWER_BYTES = 8 * 1024 * 1024  # a schema or an answer is a few hundred Ko; never read without bound


def _error_text(body: bytes) -> str:
    try:
        data = safe_json.loads(
            body.decode("utf-8"), source="la réponse de la plateforme", limits=safe_json.TEMPLATE_LIMITS
        )
    except (UnicodeDecodeError, ValueError):
        return ""
    return str(data.get("error", "")) if isinstance(data, dict) else ""


def _http_error(exc: urllib.error.HTTPError, what: str) -> OnlineError:
    code = exc.code
    try:
        detail = _error_text(exc.read(MAX_ANSWER_BYTES))
    except OSError:
        detail = ""
    if code == 407:
        return OnlineError(
            "Le proxy de votre réseau demande une identification : réglez le proxy du poste "
            "(ou demandez à votre service informatique), puis réessayez."
        )
    if code == 404:
        return OnlineError(
            f"La plateforme ne trouve pas {what} (erreur 404) : vérifiez l'adresse ou le numéro "
            "de la démarche ; elle doit être publiée (et ouverte aux données publiques pour son formulaire)."
        )
    if code == 400 and "content-type" in detail.lower():
        return OnlineError(
            "La plateforme a refusé l'envoi : l'en-tête « Content-Type » n'est pas exactement "
            "« application/json » (erreur 400)."
        )
    if 400 <= code < 500:
        more = f" Réponse : « {detail[:200]} »." if detail else ""
        return OnlineError(f"La plateforme a refusé la demande (erreur {code}).{more}")
    return OnlineError(
        f"La plateforme a une erreur de son côté (erreur {code}) : rien n'a été créé de façon sûre ; "
        "réessayez plus tard."
    )


def _url_error(exc: BaseException, url: str) -> OnlineError:
    reason = getattr(exc, "reason", exc)
    host = urlsplit(url).netloc
    if isinstance(reason, (socket.timeout, TimeoutError)):
        return OnlineError(f"La plateforme ({host}) n'a pas répondu à temps : réessayez plus tard.")
    if isinstance(reason, ssl.SSLError):
        return OnlineError(
            f"La connexion sécurisée à {host} a échoué (certificat) : vérifiez la date du poste et le "
            "proxy de votre réseau."
        )
    text = str(reason)
    if "Tunnel connection failed" in text or "proxy" in text.lower() or urllib.request.getproxies():
        return OnlineError(
            f"Le proxy de votre réseau n'a pas pu joindre {host} ({text[:120]}) : vérifiez ses "
            "réglages ou demandez à votre service informatique."
        )
    if isinstance(reason, socket.gaierror):
        return OnlineError(
            f"Pas de réseau : {host} est introuvable. Vérifiez la connexion à Internet, puis réessayez."
        )
    return OnlineError(
        f"Impossible de joindre {host} ({text[:120]}) : vérifiez la connexion à Internet, puis réessayez."
    )


def _call(
    request: urllib.request.Request, what: str, *, timeout: float, opener: Opener | None
) -> tuple[int, bytes]:
    url = request.full_url
    try:
        with (opener or urllib.request.urlopen)(request, timeout=timeout) as response:
            body = response.read(MAX_ANSWER_BYTES + 1)
            if len(body) > MAX_ANSWER_BYTES:
                raise OnlineError(
                    f"La plateforme a répondu plus de {MAX_ANSWER_BYTES // (1024 * 1024)} Mo : "
                    "ce n'est pas la réponse attendue."
                )
            return response.status, body
    except urllib.error.HTTPError as exc:
        raise _http_error(exc, what) from None
    except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
        raise _url_error(exc, url) from None
    except OSError as exc:
        raise _url_error(exc, url) from None


def fetch_schema(address: str, *, timeout: float = TIMEOUT, opener: Opener | None = None) -> dict[str, Any]:
    """The démarche's ``demarcheDescriptor`` from ``/preremplir/<path>/schema``."""
    url = schema_url(address) if "/schema" not in address else schema_url(address.rsplit("/schema", 1)[0])
    request = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": USER_AGENT})
    _status, body = _call(request, "cette démarche", timeout=timeout, opener=opener)
    try:
        data = safe_json.loads(body.decode("utf-8"), source=url, limits=safe_json.TEMPLATE_LIMITS)
    except (UnicodeDecodeError, ValueError):
        raise OnlineError(
            "La plateforme a répondu autre chose que le formulaire attendu (pas du JSON)."
        ) from None
    if not isinstance(data, dict):
        raise OnlineError(
            "La plateforme a répondu un formulaire vide : la démarche n'est peut-être pas publiée."
        )
    return data


def send_prefill(
    template: Template,
    body: dict[str, Any],
    *,
    timeout: float = TIMEOUT,
    opener: Opener | None = None,
    now: datetime | None = None,
) -> SentDossier:
    """POST the prefill body; the created draft, to be claimed by opening ``dossier_url``."""
    p = template.platform
    if p.procedure_number is None:
        raise OnlineError(
            "Le modèle ne connaît pas le numéro de la démarche : associez-le d'abord à la démarche en ligne."
        )
    if not body:
        raise OnlineError("Rien à envoyer : aucune réponse ne se préremplit pour l'instant.")
    base = base_url(p.host)
    url = dossiers_endpoint(base, p.procedure_number)
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    # exactly this header: the platform compares it with "application/json" as a whole
    request = urllib.request.Request(
        url,
        data=data,
        method="POST",
        headers={"Content-Type": "application/json", "Accept": "application/json", "User-Agent": USER_AGENT},
    )
    status, answer = _call(request, f"la démarche n° {p.procedure_number}", timeout=timeout, opener=opener)
    try:
        result = safe_json.loads(answer.decode("utf-8"), source=url, limits=safe_json.TEMPLATE_LIMITS)
    except (UnicodeDecodeError, ValueError):
        result = None
    if status != 201 or not isinstance(result, dict) or not isinstance(result.get("dossier_url"), str):
        raise OnlineError(
            f"La plateforme a répondu de façon inattendue (code {status}) : ouvrez la démarche dans "
            "le navigateur pour vérifier si un dossier a été créé."
        )
    try:
        check_platform_url(result["dossier_url"], user_extra_hosts())
    except HostNotAllowed:
        raise OnlineError(
            "La plateforme a donné un lien de dossier vers un autre site : il n'est pas ouvert."
        ) from None
    number = result.get("dossier_number")
    return SentDossier(
        dossier_url=result["dossier_url"],
        dossier_number=number if isinstance(number, int) and not isinstance(number, bool) else None,
        dossier_id=str(result.get("dossier_id", "")),
        state=str(result.get("state", "")),
        prefill_token=str(result.get("dossier_prefill_token", "")),
        sent_at=(now or datetime.now(UTC)).astimezone(UTC),
    )
