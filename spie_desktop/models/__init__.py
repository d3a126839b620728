"""The dossier file: SQLAlchemy models, opening, locking, migrating, saving."""

from .dossier_file import (
    AttachmentTooLarge, ChangeRecord, DossierFile, EXTENSION, MAX_ATTACHMENT, RemovedRow, UnknownTemplate,
    open_dossier, open_snapshot,
)
from .errors import (
    DossierCorrupt, DossierError, DossierLocked, DossierNotFound, DossierReadOnly, DossierTampered, DossierTooNew,
    InvalidEdit, LockHolder, NotADossier, SaveFailed,
)

__all__ = [
    "AttachmentTooLarge", "ChangeRecord", "DossierCorrupt", "DossierError", "DossierFile", "DossierLocked",
    "DossierNotFound", "DossierReadOnly", "DossierTampered", "DossierTooNew", "EXTENSION", "InvalidEdit", "LockHolder",
    "MAX_ATTACHMENT", "NotADossier", "RemovedRow", "SaveFailed", "UnknownTemplate", "open_dossier", "open_snapshot",
]
