"""Everything that can go wrong with a dossier file, each with a French message fit to show as is."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import SpieError


class DossierError(SpieError):
    """An error about a dossier file; ``str()`` is the French message."""


class DossierNotFound(DossierError):
    def __init__(self, path: str) -> None:
        super().__init__(f"Le fichier « {path} » est introuvable. Il a peut-être été déplacé ou supprimé.")


class NotADossier(DossierError):
    """Empty, random bytes, a zip, another application's database…"""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"« {path} » n'est pas un dossier SPIE : {reason}")


class DossierCorrupt(DossierError):
    def __init__(self, path: str, reason: str = "") -> None:
        extra = f" ({reason})" if reason else ""
        super().__init__(
            f"Le dossier « {path} » est endommagé ou incomplet{extra}. Ouvrez une copie antérieure "
            "ou demandez à un partenaire la dernière version qu'il a reçue. Le fichier n'a pas été modifié."
        )


class DossierTooNew(DossierError):
    def __init__(self, path: str, found: int, supported: int) -> None:
        super().__init__(
            f"Le dossier « {path} » a été enregistré par une version plus récente de SPIE Desktop "
            f"(format {found}, cette version lit jusqu'au format {supported}). Mettez l'application à jour "
            "pour l'ouvrir ; le fichier n'a pas été modifié."
        )


@dataclass(frozen=True)
class LockHolder:
    """Who has a dossier open: user, computer, process and since when."""

    user: str
    host: str
    pid: int
    since: str  # ISO 8601
    author: str = ""

    @property
    def who(self) -> str:
        name = self.author or self.user
        return f"{name} (poste {self.host})" if self.host else name


class DossierLocked(DossierError):
    def __init__(self, path: str, holder: LockHolder, stale: bool) -> None:
        from ..formatting import format_datetime

        when = format_datetime(holder.since)
        since = f" depuis le {when}" if when and holder.since else ""
        hint = (
            " Ce verrou semble abandonné : vous pouvez le reprendre."
            if stale
            else " Vous pouvez l'ouvrir en lecture seule."
        )
        super().__init__(f"Le dossier « {path} » est déjà ouvert par {holder.who}{since}.{hint}")
        self.path = path
        self.holder = holder
        self.stale = stale


class DossierReadOnly(DossierError):
    def __init__(self) -> None:
        super().__init__("Ce dossier est ouvert en lecture seule : la modification n'a pas été enregistrée.")


class SaveFailed(DossierError):
    """A write did not reach the disk (full, read-only, removed); the edit is not in the file."""

    def __init__(self, reason: str) -> None:
        super().__init__(
            f"L'enregistrement a échoué : {reason}. Vos saisies sont conservées dans la fenêtre ; "
            "utilisez « Enregistrer une copie sous… » pour les mettre à l'abri."
        )
        self.reason = reason


class InvalidEdit(DossierError):
    """An edit that does not fit the template (unknown field, wrong row…)."""


class DossierTampered(DossierError):
    """The file's SQL schema is not one this application writes (a trigger, a view, a changed table…)."""

    def __init__(self, path: str, cause: str) -> None:
        super().__init__(
            f"Le dossier « {path} » a été modifié par un autre programme et ne peut pas être ouvert sans "
            f"risque : {cause}. Le fichier n'a pas été modifié. Demandez à son expéditeur une copie faite "
            "avec « Envoyer une copie à un partenaire »."
        )
        self.cause = cause
