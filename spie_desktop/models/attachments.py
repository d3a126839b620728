"""Files stored inside a dossier file at its piece_justificative fields (≤ 200 MB each)."""

from __future__ import annotations

from pathlib import Path

from ..forms import FieldType
from ..snapshot import AttachmentInfo
from .errors import DossierError, InvalidEdit
from .lazy_sql import sql
from .store import DossierStore

MAX_ATTACHMENT = 200 * 1024 * 1024  # the platform's limit for one file


class AttachmentTooLarge(DossierError):
    def __init__(self, name: str, size: int) -> None:
        from ..formatting import format_size

        super().__init__(
            f"Le fichier « {name} » pèse {format_size(size)} : la plateforme n'accepte pas plus de 200 Mo "
            "par pièce jointe. Compressez-le ou scindez-le avant de le joindre."
        )


def read_new_attachment(
    store: DossierStore, path: str, source: bytes | str | Path, name: str | None, media_type: str | None
) -> tuple[str, bytes, str, str]:
    """A file about to be attached at ``path``, checked and read: (name, bytes, media type, SHA-256).
    Shared by the dossier and by the team server's offline queue (server/offline.py)."""
    _, spec = store.check_path(path)
    if spec.type is not FieldType.PIECE_JUSTIFICATIVE:
        raise InvalidEdit(f"« {spec.label} » n'accepte pas de fichier.")
    if isinstance(source, (str, Path)):
        src = Path(source)
        name = name or src.name
        try:
            size = src.stat().st_size
            if size > MAX_ATTACHMENT:
                raise AttachmentTooLarge(name, size)
            data = src.read_bytes()
        except OSError as exc:
            raise DossierError(f"Le fichier « {src} » ne peut pas être lu ({exc.strerror}).") from None
    else:
        data = bytes(source)
        name = name or "piece-jointe"
    if len(data) > MAX_ATTACHMENT:
        raise AttachmentTooLarge(name, len(data))
    import hashlib  # here: opening a dossier and showing its files need neither
    import mimetypes

    media_type = media_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
    return name, data, media_type, hashlib.sha256(data).hexdigest()


class Attachments:
    def __init__(self, store: DossierStore) -> None:
        self._store = store

    def add(
        self, path: str, source: bytes | str | Path, *, name: str | None = None, media_type: str | None = None
    ) -> AttachmentInfo:
        """Store a file inside the dossier at a piece_justificative field (≤ 200 MB)."""
        s = self._store
        name, data, media_type, digest = read_new_attachment(s, path, source, name, media_type)
        now = s.now()
        with s.transaction() as c:
            key = c.execute(
                sql.insert(sql.AttachmentRow).values(
                    path=path,
                    name=name,
                    media_type=media_type,
                    size=len(data),
                    sha256=digest,
                    added_at=now,
                    data=data,
                )
            ).inserted_primary_key
            assert key is not None  # an INSERT always has one
            new_id: int = key[0]
            s.log(c, now, "attach", path, None, {"name": name, "size": len(data), "sha256": digest})
        info = AttachmentInfo(new_id, path, name, media_type, len(data), digest, now)
        s.attachments[new_id] = info
        s.after_log(now)
        return info

    def remove(self, attachment_id: int) -> None:
        s = self._store
        info = s.attachments.get(attachment_id)
        if info is None:
            return
        now = s.now()
        with s.transaction() as c:
            c.execute(sql.delete(sql.AttachmentRow).where(sql.AttachmentRow.id == attachment_id))
            s.log(
                c,
                now,
                "detach",
                info.path,
                {"name": info.name, "size": info.size, "sha256": info.sha256},
                None,
            )
        del s.attachments[attachment_id]
        s.after_log(now)
