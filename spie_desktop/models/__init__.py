"""The dossier file: SQLAlchemy models, opening, locking, migrating, saving."""

from .attachments import MAX_ATTACHMENT, AttachmentTooLarge
from .dossier_file import EXTENSION, DossierFile
from .opening import UnknownTemplate, open_dossier, open_snapshot
from .records import ChangeRecord, RemovedRow
from .errors import (
    DossierCorrupt, DossierError, DossierLocked, DossierNotFound, DossierReadOnly, DossierTampered, DossierTooNew,
    InvalidEdit, LockHolder, NotADossier, SaveFailed,
)

__all__ = [
    "AttachmentTooLarge", "ChangeRecord", "DossierCorrupt", "DossierError", "DossierFile", "DossierLocked",
    "DossierNotFound", "DossierReadOnly", "DossierTampered", "DossierTooNew", "EXTENSION", "InvalidEdit", "LockHolder",
    "MAX_ATTACHMENT", "NotADossier", "RemovedRow", "SaveFailed", "UnknownTemplate", "open_dossier", "open_snapshot",
]
