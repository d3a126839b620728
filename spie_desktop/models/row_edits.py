"""Repetition rows of a dossier file: add, remove (with undo), restore, duplicate, move.

A mixin of DossierFile; rows keep a stable id, so reordering or merging never re-keys answers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..forms import FieldType, new_row_id
from ..forms.paths import ROW_KEY
from .errors import InvalidEdit
from .values import dump as _dump
from .values import is_empty as _is_empty

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from .dossier_file import RemovedRow


class RowEdits:
    """Needs from its host: template, _rows, _answers, _attachments, _tx(), _log(), _after_log(), _now()."""

    def _rep_spec(self, field_id: str):
        try:
            spec = self.template.field(field_id)
        except KeyError:
            raise InvalidEdit(f"Le champ « {field_id} » n'existe pas dans ce formulaire.") from None
        if spec.type is not FieldType.REPETITION:
            raise InvalidEdit(f"« {spec.label} » n'est pas un tableau à lignes.")
        return spec

    def _write_positions(self, c: Connection, field_id: str, ids: list[str], start: int = 0) -> None:
        """Store the rows' positions from ``start`` on (the ones before it have not moved)."""
        if start < len(ids):
            c.execute(
                self._sql().update(self._sql().RepetitionRow).where(self._sql().RepetitionRow.id == self._sql().bindparam("rid")).values(position=self._sql().bindparam("pos")),
                [{"rid": rid, "pos": pos} for pos, rid in enumerate(ids[start:], start)],
            )

    def add_row(self, field_id: str, values: dict[str, Any] | None = None, *, index: int | None = None,
                row_id: str | None = None) -> str:
        """Append (or insert at ``index``) a row, optionally with its children's values."""
        spec = self._rep_spec(field_id)
        values = {k: v for k, v in (values or {}).items() if k != ROW_KEY and not _is_empty(v)}
        for k in values:
            try:
                spec.child(k)
            except KeyError:
                raise InvalidEdit(f"« {k} » n'est pas un champ de « {spec.label} ».") from None
        rid = row_id or new_row_id()
        if any(rid in ids for ids in self._rows.values()):
            raise InvalidEdit("Cette ligne existe déjà.")
        ids = list(self._rows.get(field_id, ()))
        pos = len(ids) if index is None else max(0, min(index, len(ids)))
        ids.insert(pos, rid)
        now = self._now()
        with self._tx() as c:
            c.execute(self._sql().insert(self._sql().RepetitionRow).values(id=rid, field_id=field_id, position=pos, created_at=now))
            self._write_positions(c, field_id, ids, start=pos)
            for k, v in values.items():
                c.execute(self._sql().insert(self._sql().AnswerRow).values(path=f"{field_id}[{rid}].{k}", value=_dump(v), updated_at=now))
            self._log(c, now, "row_add", f"{field_id}[{rid}]", None, {"index": pos, "values": values})
        self._rows[field_id] = ids
        for k, v in values.items():
            self._answers[f"{field_id}[{rid}].{k}"] = v
        self._after_log(now)
        return rid

    def row_values(self, field_id: str, row_id: str) -> dict[str, Any]:
        prefix = f"{field_id}[{row_id}]."
        return {p[len(prefix):]: v for p, v in self._answers.items() if p.startswith(prefix)}

    def remove_row(self, field_id: str, row_id: str) -> RemovedRow:
        """Remove a row with its answers and attachments; the change log keeps what it held."""
        self._rep_spec(field_id)
        ids = list(self._rows.get(field_id, ()))
        if row_id not in ids:
            raise InvalidEdit("Cette ligne n'existe plus.")
        index = ids.index(row_id)
        values = self.row_values(field_id, row_id)
        prefix = f"{field_id}[{row_id}]."
        atts = [a for a in self._attachments.values() if a.path.startswith(prefix)]
        kept = tuple((a, self.attachment_data(a.id)) for a in atts)
        ids.remove(row_id)
        now = self._now()
        with self._tx() as c:
            c.execute(self._sql().delete(self._sql().RepetitionRow).where(self._sql().RepetitionRow.id == row_id))
            c.execute(self._sql().delete(self._sql().AnswerRow).where(self._sql().AnswerRow.path.startswith(prefix)))
            for a in atts:
                c.execute(self._sql().delete(self._sql().AttachmentRow).where(self._sql().AttachmentRow.id == a.id))
            self._write_positions(c, field_id, ids)
            old = {"index": index, "values": values,
                   "attachments": [{"path": a.path, "name": a.name, "size": a.size, "sha256": a.sha256} for a in atts]}
            self._log(c, now, "row_remove", f"{field_id}[{row_id}]", old, None)
        self._rows[field_id] = ids
        for k in values:
            self._answers.pop(prefix + k, None)
        for a in atts:
            self._attachments.pop(a.id, None)
        self._after_log(now)
        from .dossier_file import RemovedRow

        return RemovedRow(field_id, index, {ROW_KEY: row_id, **values}, kept)

    def restore_row(self, removed: RemovedRow) -> str:
        """Undo a removal: the same row id, values and attachments at the same place."""
        rid = self.add_row(removed.field_id, removed.values, index=removed.index, row_id=removed.values[ROW_KEY])
        for info, data in removed.attachments:
            self.add_attachment(info.path, data, name=info.name, media_type=info.media_type)
        return rid

    def duplicate_row(self, field_id: str, row_id: str) -> str:
        """A copy of a row's answers (not its attachments) right after it."""
        ids = self._rows.get(field_id, [])
        if row_id not in ids:
            raise InvalidEdit("Cette ligne n'existe plus.")
        return self.add_row(field_id, self.row_values(field_id, row_id), index=ids.index(row_id) + 1)

    def move_row(self, field_id: str, row_id: str, new_index: int) -> None:
        self._rep_spec(field_id)
        ids = list(self._rows.get(field_id, ()))
        if row_id not in ids:
            raise InvalidEdit("Cette ligne n'existe plus.")
        old_index = ids.index(row_id)
        new_index = max(0, min(new_index, len(ids) - 1))
        if new_index == old_index:
            return
        ids.insert(new_index, ids.pop(old_index))
        now = self._now()
        with self._tx() as c:
            self._write_positions(c, field_id, ids)
            self._log(c, now, "row_move", f"{field_id}[{row_id}]", old_index, new_index)
        self._rows[field_id] = ids
        self._after_log(now)
