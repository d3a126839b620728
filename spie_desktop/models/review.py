"""How partners share the work on a dossier: review comments and the sections entrusted to a partner."""

from __future__ import annotations

from dataclasses import replace

from ..snapshot import CommentInfo
from .lazy_sql import sql
from .store import DossierStore


class Review:
    def __init__(self, store: DossierStore) -> None:
        self._store = store

    def add_comment(self, path: str, text_: str, *, comment_id: str | None = None) -> CommentInfo:
        """A comment by this copy's author on a field (``path``) or on the whole dossier (``""``); on a
        server, by the connected role (the server decides it)."""
        s = self._store
        if path:
            s.check_path(path)
        import uuid  # here: it loads platform, which opening a dossier does not need

        now = s.now()
        author = s.author if s.backend is None else s.backend.signer()
        info = CommentInfo(comment_id or str(uuid.uuid4()), path, author, s.organisation, now, text_)
        insert = sql.insert(sql.CommentRow).values(
            id=info.id,
            path=path,
            author=info.author,
            organisation=info.organisation,
            created_at=now,
            text=text_,
            resolved=False,
            resolved_at=None,
        )
        with s.transaction() as c:
            if s.backend is None:
                c.execute(insert)
            else:  # the server signs it (rights.py): the cache shows the author it decided
                signed = c.execute(insert.returning(sql.CommentRow.author)).scalar_one()
                info = replace(info, author=str(signed))
            s.log(c, now, "comment", path, None, {"id": info.id, "text": text_})
        s.comments[info.id] = info
        s.after_log(now)
        return info

    def set_comment_resolved(self, comment_id: str, resolved: bool = True) -> None:
        s = self._store
        info = s.comments.get(comment_id)
        if info is None or info.resolved == resolved:
            return
        now = s.now()
        with s.transaction() as c:
            c.execute(
                sql.update(sql.CommentRow)
                .where(sql.CommentRow.id == comment_id)
                .values(resolved=resolved, resolved_at=now if resolved else None)
            )
            s.log(
                c,
                now,
                "comment_state",
                info.path,
                {"id": comment_id, "resolved": info.resolved},
                {"id": comment_id, "resolved": resolved},
            )
        s.comments[comment_id] = replace(info, resolved=resolved, resolved_at=now if resolved else None)
        s.after_log(now)

    def entrust_section(self, section_id: str, partner: str | None) -> None:
        """Give a section to a partner to write (``None`` or blank: take it back)."""
        s = self._store
        s.template.section(section_id)
        partner = (partner or "").strip() or None
        old = s.entrusted.get(section_id)
        if old == partner:
            return
        now = s.now()
        with s.transaction() as c:
            c.execute(sql.delete(sql.EntrustedSection).where(sql.EntrustedSection.section_id == section_id))
            if partner:
                c.execute(sql.insert(sql.EntrustedSection).values(section_id=section_id, partner=partner))
            s.log(c, now, "entrust", section_id, old, partner)
        if partner:
            s.entrusted[section_id] = partner
        else:
            s.entrusted.pop(section_id, None)
        s.after_log(now)
