"""Bringing another copy's work into a dossier file (used by spie_desktop.collab's merge).

These methods write other replicas' changes with their own identity, or edit without logging
while those changes are recorded in the same batch.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from ..snapshot import CommentInfo
from .errors import InvalidEdit
from .lazy_sql import sql
from .records import ChangeRecord
from .rows import write_positions
from .store import DossierStore
from .values import dump


class ReplicaWork:
    def __init__(self, store: DossierStore) -> None:
        self._store = store

    @contextmanager
    def unlogged(self) -> Iterator[None]:
        """Inside a batch: edits change the dossier without change-log rows.

        Only for applying another copy's work, whose original changes the caller records with
        :meth:`record_changes` in the same batch; otherwise the history would miss them.
        """
        s = self._store
        if not s.batch_depth:
            raise RuntimeError("unlogged() is only allowed inside batch()")
        s.unlogged += 1
        try:
            yield
        finally:
            s.unlogged -= 1

    def record_changes(self, records: Iterable[ChangeRecord]) -> int:
        """Append changes made in another copy, keeping their identity (copy, counter, author, time)."""
        s = self._store
        rows = [
            {
                "at": r.at,
                "author": r.author,
                "organisation": r.organisation,
                "op": r.op,
                "path": r.path,
                "old": None if r.old is None else dump(r.old),
                "new": None if r.new is None else dump(r.new),
                "replica_id": r.replica_id,
                "counter": r.counter,
            }
            for r in records
        ]
        if not rows:
            return 0
        now = s.now()
        with s.transaction() as c:
            c.execute(sql.insert(sql.ChangeRow), rows)
            c.execute(sql.update(sql.DossierRow).values(updated_at=now))
        s.header = replace(s.header, updated_at=now)
        s.change_count += len(rows)
        return len(rows)

    def record_change(self, op: str, path: str, old: Any, new: Any) -> None:
        """Log a change made here that no edit method describes (a merge, a conflict resolution)."""
        s = self._store
        now = s.now()
        with s.transaction() as c:
            s.log(c, now, op, path, old, new)
        s.after_log(now)

    def reorder_rows(self, field_id: str, ids: list[str]) -> None:
        """Put a repetition's rows in the given order (same rows), unlogged: see :meth:`unlogged`."""
        s = self._store
        if not s.unlogged:
            raise RuntimeError("reorder_rows() is only allowed inside unlogged()")
        if sorted(ids) != sorted(s.rows.get(field_id, ())):
            raise InvalidEdit("Les lignes ont changé entre-temps.")
        with s.transaction() as c:
            write_positions(c, ids)
        s.rows[field_id] = list(ids)

    def adopt_comment(self, info: CommentInfo) -> None:
        """Insert a comment written in another copy as it is (author, time, state), unlogged; on a
        server, its author is kept for a coordinator only (the server signs a partner's with their role)."""
        s = self._store
        if not s.unlogged:
            raise RuntimeError("adopt_comment() is only allowed inside unlogged()")
        if info.id in s.comments:
            return
        insert = sql.insert(sql.CommentRow).values(
            id=info.id,
            path=info.path,
            author=info.author,
            organisation=info.organisation,
            created_at=info.created_at,
            text=info.text,
            resolved=info.resolved,
            resolved_at=info.resolved_at,
        )
        with s.transaction() as c:
            if s.backend is None:
                c.execute(insert)
            else:
                # a coordinator's merge keeps the copy's author; the server signs anyone else's
                # with their own role (rights.py), and the cache shows what it kept
                s.backend.keep_authors(c, True)
                signed = c.execute(insert.returning(sql.CommentRow.author)).scalar_one()
                s.backend.keep_authors(c, False)
                info = replace(info, author=str(signed))
        s.comments[info.id] = info
