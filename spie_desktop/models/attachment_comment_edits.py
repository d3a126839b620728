"""Files, review comments and entrusted sections of a dossier file (a mixin of DossierFile)."""

from __future__ import annotations

import hashlib
import mimetypes
import uuid
from dataclasses import replace
from pathlib import Path

from ..forms import FieldType
from ..snapshot import AttachmentInfo, CommentInfo
from .errors import DossierError, InvalidEdit

MAX_ATTACHMENT = 200 * 1024 * 1024  # the platform's limit for one file


class AttachmentTooLarge(DossierError):
    def __init__(self, name: str, size: int) -> None:
        from ..formatting import format_size

        super().__init__(
            f"Le fichier « {name} » pèse {format_size(size)} : la plateforme n'accepte pas plus de 200 Mo "
            "par pièce jointe. Compressez-le ou scindez-le avant de le joindre."
        )


class AttachmentCommentEdits:
    """Needs from its host: template, _attachments, _comments, _entrusted, _check_path(), _tx(), _log()…"""

    def add_attachment(self, path: str, source: bytes | str | Path, *, name: str | None = None,
                       media_type: str | None = None) -> AttachmentInfo:
        """Store a file inside the dossier at a piece_justificative field (≤ 200 MB)."""
        _, spec = self._check_path(path)
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
        media_type = media_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
        digest = hashlib.sha256(data).hexdigest()
        now = self._now()
        with self._tx() as c:
            new_id = c.execute(
                self._sql().insert(self._sql().AttachmentRow).values(path=path, name=name, media_type=media_type, size=len(data),
                                             sha256=digest, added_at=now, data=data)
            ).inserted_primary_key[0]
            self._log(c, now, "attach", path, None, {"name": name, "size": len(data), "sha256": digest})
        info = AttachmentInfo(new_id, path, name, media_type, len(data), digest, now)
        self._attachments[new_id] = info
        self._after_log(now)
        return info

    def remove_attachment(self, attachment_id: int) -> None:
        info = self._attachments.get(attachment_id)
        if info is None:
            return
        now = self._now()
        with self._tx() as c:
            c.execute(self._sql().delete(self._sql().AttachmentRow).where(self._sql().AttachmentRow.id == attachment_id))
            self._log(c, now, "detach", info.path, {"name": info.name, "size": info.size, "sha256": info.sha256}, None)
        del self._attachments[attachment_id]
        self._after_log(now)

    def add_comment(self, path: str, text_: str, *, comment_id: str | None = None) -> CommentInfo:
        if path:
            self._check_path(path)
        now = self._now()
        info = CommentInfo(comment_id or str(uuid.uuid4()), path, self.author, self.organisation, now, text_)
        with self._tx() as c:
            c.execute(self._sql().insert(self._sql().CommentRow).values(id=info.id, path=path, author=info.author, organisation=info.organisation,
                                                created_at=now, text=text_, resolved=False, resolved_at=None))
            self._log(c, now, "comment", path, None, {"id": info.id, "text": text_})
        self._comments[info.id] = info
        self._after_log(now)
        return info

    def set_comment_resolved(self, comment_id: str, resolved: bool = True) -> None:
        info = self._comments.get(comment_id)
        if info is None or info.resolved == resolved:
            return
        now = self._now()
        with self._tx() as c:
            c.execute(self._sql().update(self._sql().CommentRow).where(self._sql().CommentRow.id == comment_id)
                      .values(resolved=resolved, resolved_at=now if resolved else None))
            self._log(c, now, "comment_state", info.path, {"id": comment_id, "resolved": info.resolved},
                      {"id": comment_id, "resolved": resolved})
        self._comments[comment_id] = replace(info, resolved=resolved, resolved_at=now if resolved else None)
        self._after_log(now)

    def entrust_section(self, section_id: str, partner: str | None) -> None:
        self.template.section(section_id)
        partner = (partner or "").strip() or None
        old = self._entrusted.get(section_id)
        if old == partner:
            return
        now = self._now()
        with self._tx() as c:
            c.execute(self._sql().delete(self._sql().EntrustedSection).where(self._sql().EntrustedSection.section_id == section_id))
            if partner:
                c.execute(self._sql().insert(self._sql().EntrustedSection).values(section_id=section_id, partner=partner))
            self._log(c, now, "entrust", section_id, old, partner)
        if partner:
            self._entrusted[section_id] = partner
        else:
            self._entrusted.pop(section_id, None)
        self._after_log(now)
