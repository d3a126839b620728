"""Bringing another copy's work into a dossier file (used by spie_desktop.collab's merge).

A mixin of DossierFile: these methods write other replicas' changes with their own identity, or
edit without logging while those changes are recorded in the same batch.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from .errors import InvalidEdit
from .values import dump as _dump

if TYPE_CHECKING:
    from ..snapshot import CommentInfo
    from .dossier_file import ChangeRecord


class ReplicaEdits:
    """Needs from its host: _tx(), _log(), _after_log(), _now(), _write_positions(), the caches."""

    @contextmanager
    def unlogged(self) -> Iterator["ReplicaEdits"]:
        """Inside :meth:`batch`: edits change the dossier without change-log rows.

        Only for applying another copy's work, whose original changes the caller records with
        :meth:`record_changes` in the same batch; otherwise the history would miss them.
        """
        if not self._batch_depth:
            raise RuntimeError("unlogged() is only allowed inside batch()")
        self._unlogged += 1
        try:
            yield self
        finally:
            self._unlogged -= 1

    def record_changes(self, records: Iterable[ChangeRecord]) -> int:
        """Append changes made in another copy, keeping their identity (copy, counter, author, time)."""
        rows = [
            {"at": r.at, "author": r.author, "organisation": r.organisation, "op": r.op, "path": r.path,
             "old": None if r.old is None else _dump(r.old), "new": None if r.new is None else _dump(r.new),
             "replica_id": r.replica_id, "counter": r.counter}
            for r in records
        ]
        if not rows:
            return 0
        now = self._now()
        with self._tx() as c:
            c.execute(self._sql().insert(self._sql().ChangeRow), rows)
            c.execute(self._sql().update(self._sql().DossierRow).values(updated_at=now))
        from dataclasses import replace

        self._info = replace(self._info, updated_at=now)
        self._change_count += len(rows)
        return len(rows)

    def record_change(self, op: str, path: str, old: Any, new: Any) -> None:
        """Log a change made here that no edit method describes (a merge, a conflict resolution)."""
        now = self._now()
        with self._tx() as c:
            self._log(c, now, op, path, old, new)
        self._after_log(now)

    def reorder_rows(self, field_id: str, ids: list[str]) -> None:
        """Put a repetition's rows in the given order (same rows), unlogged: see :meth:`unlogged`."""
        if not self._unlogged:
            raise RuntimeError("reorder_rows() is only allowed inside unlogged()")
        if sorted(ids) != sorted(self._rows.get(field_id, ())):
            raise InvalidEdit("Les lignes ont changé entre-temps.")
        with self._tx() as c:
            self._write_positions(c, field_id, ids)
        self._rows[field_id] = list(ids)

    def adopt_comment(self, info: CommentInfo) -> None:
        """Insert a comment written in another copy as it is (author, time, state), unlogged."""
        if not self._unlogged:
            raise RuntimeError("adopt_comment() is only allowed inside unlogged()")
        if info.id in self._comments:
            return
        with self._tx() as c:
            c.execute(self._sql().insert(self._sql().CommentRow).values(id=info.id, path=info.path, author=info.author,
                                                organisation=info.organisation, created_at=info.created_at,
                                                text=info.text, resolved=info.resolved, resolved_at=info.resolved_at))
        self._comments[info.id] = info

