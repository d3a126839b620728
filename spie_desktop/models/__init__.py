"""The dossier file: SQLAlchemy models, opening, locking, migrating, saving."""

from .attachments import MAX_ATTACHMENT, AttachmentTooLarge
from .dossier_file import EXTENSION, DossierFile
from .errors import (
    DossierCorrupt,
    DossierError,
    DossierLocked,
    DossierNotFound,
    DossierReadOnly,
    DossierTampered,
    DossierTooNew,
    InvalidEdit,
    LockHolder,
    NotADossier,
    SaveFailed,
)
from .opening import UnknownTemplateError, open_dossier, open_snapshot
from .records import ChangeRecord, RemovedRow

__all__ = [
    "EXTENSION",
    "MAX_ATTACHMENT",
    "AttachmentTooLarge",
    "ChangeRecord",
    "DossierCorrupt",
    "DossierError",
    "DossierFile",
    "DossierLocked",
    "DossierNotFound",
    "DossierReadOnly",
    "DossierTampered",
    "DossierTooNew",
    "InvalidEdit",
    "LockHolder",
    "NotADossier",
    "RemovedRow",
    "SaveFailed",
    "UnknownTemplateError",
    "open_dossier",
    "open_snapshot",
]
