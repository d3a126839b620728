"""Connecting to the server, and what its refusals mean in French.

psycopg 3 is imported here only: opening a .spie file never loads it.
"""

from __future__ import annotations

import select
from typing import TYPE_CHECKING, Any

from ..models.errors import DossierError, SaveFailed
from .address import ServerAddress

if TYPE_CHECKING:
    import psycopg

#: Seconds to wait for the server before saying it cannot be reached (libpq's connect_timeout).
CONNECT_TIMEOUT = 10
#: Seconds a single statement may run on the server (an honest one takes milliseconds).
STATEMENT_TIMEOUT_MS = 30_000


class ServerUnreachable(DossierError):
    def __init__(self, detail: str) -> None:
        super().__init__(f"Serveur injoignable : {detail}")
        self.detail = detail


class ServerLost(SaveFailed):
    """The server went away while the dossier was open: the edit is kept by the caller and sent again
    (the window's controller retries a SaveFailed; nothing it holds is dropped)."""

    def __init__(self, detail: str) -> None:
        DossierError.__init__(
            self,
            f"Serveur injoignable : {detail}. Vos saisies sont conservées dans la fenêtre "
            "et seront enregistrées dès son retour.",
        )
        self.reason = f"Serveur injoignable : {detail}"
        self.detail = detail


class EditConflict(DossierError):
    """Someone else changed the field since it was read here: nothing was overwritten."""

    def __init__(self, path: str, mine: Any, theirs: Any, label: str = "") -> None:
        from ..collab.history import show_value

        super().__init__(
            f"« {label or path} » vient d'être modifié par quelqu'un d'autre (maintenant : "
            f"{show_value(theirs, 60)}) : votre saisie ({show_value(mine, 60)}) n'a pas été enregistrée. "
            "Reprenez-la si elle doit remplacer la leur."
        )
        self.path, self.mine, self.theirs = path, mine, theirs


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    line = (
        text[-1]
        if text and text[0].startswith("connection failed") and len(text) > 1
        else (text[0] if text else "")
    )
    return line.removeprefix("connection failed: ").strip()[:160] or exc.__class__.__name__


def connect_error(exc: BaseException, address: ServerAddress) -> DossierError:
    """The French message of a failed connection."""
    state = getattr(exc, "sqlstate", None)
    text = str(exc)
    who = address.user or "votre compte"
    if state == "28P01" or "password authentication failed" in text:
        return DossierError(f"Mot de passe refusé par le serveur pour « {who} ».")
    if "no password supplied" in text:
        return DossierError(
            f"Le serveur demande un mot de passe pour « {who} » : indiquez-le, ou inscrivez-le "
            "dans le fichier de mots de passe de PostgreSQL (.pgpass)."
        )
    if state == "3D000" or ("database" in text and "does not exist" in text):
        return DossierError(f"La base « {address.base} » n'existe pas sur ce serveur.")
    if state in ("28000", "42501") or ("role" in text and "does not exist" in text) or "pg_hba.conf" in text:
        return DossierError(
            f"Le serveur refuse la connexion de « {who} » : demandez l'accès à votre service "
            f"informatique ({_first_line(exc)})."
        )
    return ServerUnreachable(_first_line(exc))


def application_name(address: ServerAddress) -> str:
    """What pg_stat_activity shows of a session that has this dossier open (presence, notify.py)."""
    return ("spie " + address.schema)[:63] if address.dossier else "spie-desktop"


def connect(address: ServerAddress, *, autocommit: bool = False) -> psycopg.Connection[Any]:
    """A connection as the address's role, or a French DossierError."""
    try:
        import psycopg
    except ImportError:
        raise DossierError(
            "Le pilote PostgreSQL (psycopg) n'est pas installé : pip install 'psycopg[binary]'."
        ) from None
    info = address.conninfo()
    if "connect_timeout" not in dict(address.params):
        info += f" connect_timeout={CONNECT_TIMEOUT}"
    try:
        conn = psycopg.connect(
            info,
            autocommit=autocommit,
            application_name=application_name(address),
            options=f"-c statement_timeout={STATEMENT_TIMEOUT_MS}",
        )
    except psycopg.Error as exc:
        raise connect_error(exc, address) from None
    return conn


def write_error(exc: BaseException) -> DossierError:
    """Why an edit did not reach the server (SQLAlchemy's wrapper or psycopg's error)."""
    import psycopg

    orig = getattr(exc, "orig", exc)
    state = getattr(orig, "sqlstate", None) or ""
    if state == "42501":
        return SaveFailed(
            "le serveur refuse cette modification : vos droits ne permettent pas d'écrire ici "
            "(section confiée à un autre partenaire, ou rôle de relecteur)"
        )
    if state == "23505":
        return SaveFailed(
            "le serveur a déjà cette donnée (modification faite en même temps par quelqu'un d'autre)"
        )
    if isinstance(orig, psycopg.OperationalError) or state.startswith(("08", "57P")):
        return SaveFailed(f"Serveur injoignable : {_first_line(orig)}")
    return SaveFailed(f"erreur du serveur ({state or type(orig).__name__} : {str(orig).strip()[:120]})")


def read_error(exc: BaseException) -> DossierError:
    import psycopg

    state = getattr(exc, "sqlstate", None) or ""
    if state == "42501":
        return DossierError(
            "Vous n'avez pas accès à ce dossier sur le serveur : demandez à son coordinateur "
            "de vous donner un rôle (spie_coordinator, spie_partner ou spie_reviewer)."
        )
    if isinstance(exc, psycopg.OperationalError) or state.startswith(("08", "57P")):
        return ServerUnreachable(_first_line(exc))
    return DossierError(
        f"Le serveur n'a pas pu lire le dossier ({state or type(exc).__name__} : {str(exc).strip()[:120]})."
    )


def looks_dead(conn: psycopg.Connection[Any]) -> bool:
    """True when the connection is closed, or the server sent something while we were idle (it left)."""
    if conn.closed or conn.broken:
        return True
    try:
        readable, _, _ = select.select([conn.fileno()], [], [], 0)
    except (OSError, ValueError):
        return True
    if not readable:
        return False
    try:  # a notification or the server's goodbye: ask, to know which
        conn.execute("SELECT 1")
        if conn.info.transaction_status == 2:  # INTRANS: our probe began one
            conn.commit()
    except Exception:  # noqa: BLE001 - any failure here means the connection is gone
        return True
    return False


class PgRaw:
    """What the dossier store reads through (``execute`` with ``?`` parameters, as sqlite3 has).

    A read made outside a transaction commits at once, so no session idles inside one holding locks.
    """

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self.conn = conn

    @property
    def in_transaction(self) -> bool:
        return self.conn.info.transaction_status != 0  # not IDLE

    def execute(self, query: str, params: tuple[Any, ...] | list[Any] = ()) -> Any:
        import psycopg

        idle = self.conn.info.transaction_status == 0
        try:
            cur = self.conn.execute(query.replace("%", "%%").replace("?", "%s"), tuple(params))
            if idle:
                self.conn.commit()
        except psycopg.Error as exc:
            if idle:
                _quiet_rollback(self.conn)
            raise read_error(exc) from None
        return cur

    def commit(self) -> None:
        self.conn.commit()

    def close(self) -> None:
        self.conn.close()


def _quiet_rollback(conn: Any) -> None:
    try:
        conn.rollback()
    except Exception:  # noqa: BLE001 - the connection may be gone already
        pass
