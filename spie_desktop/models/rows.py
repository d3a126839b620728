"""Repetition rows of a dossier file: add, remove (with undo), restore, duplicate, move.

Rows keep a stable id, so reordering or merging never re-keys answers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..forms import FieldSpec, FieldType, new_row_id
from ..forms.paths import ROW_KEY
from .attachments import Attachments
from .errors import InvalidEdit
from .lazy_sql import sql
from .pending import insert_row, upsert_answer
from .records import RemovedRow
from .store import DossierStore
from .values import dump, is_empty

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection


def write_positions(c: Connection, ids: list[str], start: int = 0) -> None:
    """Store the rows' positions from ``start`` on (the ones before it have not moved)."""
    if start < len(ids):
        c.execute(
            sql.update(sql.RepetitionRow)
            .where(sql.RepetitionRow.id == sql.bindparam("rid"))
            .values(position=sql.bindparam("pos")),
            [{"rid": rid, "pos": pos} for pos, rid in enumerate(ids[start:], start)],
        )


def repetition_spec(store: DossierStore, field_id: str) -> FieldSpec:
    """The repetition ``field_id`` of the dossier's form (a clear refusal for anything else)."""
    try:
        spec = store.template.field(field_id)
    except KeyError:
        raise InvalidEdit(f"Le champ « {field_id} » n'existe pas dans ce formulaire.") from None
    if spec.type is not FieldType.REPETITION:
        raise InvalidEdit(f"« {spec.label} » n'est pas un tableau à lignes.")
    return spec


def new_row(
    store: DossierStore, field_id: str, values: dict[str, Any] | None, index: int | None, row_id: str | None
) -> tuple[str, dict[str, Any], int]:
    """A row about to be added, checked: (its id, its non-empty values, its position). Shared by the
    dossier and by the team server's offline queue (server/offline.py)."""
    spec = repetition_spec(store, field_id)
    values = {k: v for k, v in (values or {}).items() if k != ROW_KEY and not is_empty(v)}
    for k in values:
        try:
            spec.child(k)
        except KeyError:
            raise InvalidEdit(f"« {k} » n'est pas un champ de « {spec.label} ».") from None
    rid = row_id or new_row_id()
    if rid in store.row_field:
        raise InvalidEdit("Cette ligne existe déjà.")
    ids = store.rows.get(field_id, [])
    return rid, values, len(ids) if index is None else max(0, min(index, len(ids)))


class Rows:
    """The rows of the dossier's repetitions; removing a row takes its attachments with it."""

    def __init__(self, store: DossierStore, attachments: Attachments) -> None:
        self._store = store
        self._attachments = attachments

    def _spec(self, field_id: str) -> FieldSpec:
        return repetition_spec(self._store, field_id)

    def add(
        self,
        field_id: str,
        values: dict[str, Any] | None = None,
        *,
        index: int | None = None,
        row_id: str | None = None,
    ) -> str:
        """Append (or insert at ``index``) a row, optionally with its children's values."""
        s = self._store
        rid, values, pos = new_row(s, field_id, values, index, row_id)
        ids = s.rows.get(field_id, [])
        now = s.now()
        row = {"id": rid, "field_id": field_id, "position": pos, "created_at": now}
        moved = ids[:pos] + [rid] + ids[pos:] if pos < len(ids) else []
        with s.writes() as w:
            if moved:  # the rows after it move down: written now, after what is held
                c = s.ordered()
                c.execute(insert_row(), row)
                write_positions(c, moved, start=pos + 1)
            else:  # appended (an import, a merge): nothing else moves, held for the bulk
                w.add(insert_row(), row)
            for k, v in values.items():
                w.add(upsert_answer(), {"p": f"{field_id}[{rid}].{k}", "v": dump(v), "t": now})
            s.log(w, now, "row_add", f"{field_id}[{rid}]", None, {"index": pos, "values": values})
        if moved:
            s.rows[field_id] = moved
        else:
            s.rows.setdefault(field_id, ids).append(rid)
        s.row_field[rid] = field_id
        for k, v in values.items():
            s.answers[f"{field_id}[{rid}].{k}"] = v
        s.after_log(now)
        return rid

    def values(self, field_id: str, row_id: str) -> dict[str, Any]:
        prefix = f"{field_id}[{row_id}]."
        return {p[len(prefix) :]: v for p, v in self._store.answers.items() if p.startswith(prefix)}

    def remove(self, field_id: str, row_id: str) -> RemovedRow:
        """Remove a row with its answers and attachments; the change log keeps what it held."""
        s = self._store
        self._spec(field_id)
        ids = list(s.rows.get(field_id, ()))
        if row_id not in ids:
            raise InvalidEdit("Cette ligne n'existe plus.")
        index = ids.index(row_id)
        values = self.values(field_id, row_id)
        prefix = f"{field_id}[{row_id}]."
        atts = [a for a in s.attachments.values() if a.path.startswith(prefix)]
        kept = tuple((a, s.attachment_data(a.id)) for a in atts)
        ids.remove(row_id)
        now = s.now()
        with s.transaction() as c:
            c.execute(sql.delete(sql.RepetitionRow).where(sql.RepetitionRow.id == row_id))
            c.execute(sql.delete(sql.AnswerRow).where(sql.AnswerRow.path.startswith(prefix)))
            for a in atts:
                c.execute(sql.delete(sql.AttachmentRow).where(sql.AttachmentRow.id == a.id))
            write_positions(c, ids)
            old = {
                "index": index,
                "values": values,
                "attachments": [
                    {"path": a.path, "name": a.name, "size": a.size, "sha256": a.sha256} for a in atts
                ],
            }
            s.log(c, now, "row_remove", f"{field_id}[{row_id}]", old, None)
        s.rows[field_id] = ids
        s.row_field.pop(row_id, None)
        for k in values:
            s.answers.pop(prefix + k, None)
        for a in atts:
            s.attachments.pop(a.id, None)
        s.after_log(now)
        return RemovedRow(field_id, index, {ROW_KEY: row_id, **values}, kept)

    def restore(self, removed: RemovedRow) -> str:
        """Undo a removal: the same row id, values and attachments at the same place."""
        rid = self.add(removed.field_id, removed.values, index=removed.index, row_id=removed.values[ROW_KEY])
        for info, data in removed.attachments:
            self._attachments.add(info.path, data, name=info.name, media_type=info.media_type)
        return rid

    def duplicate(self, field_id: str, row_id: str) -> str:
        """A copy of a row's answers (not its attachments) right after it."""
        ids = self._store.rows.get(field_id, [])
        if row_id not in ids:
            raise InvalidEdit("Cette ligne n'existe plus.")
        return self.add(field_id, self.values(field_id, row_id), index=ids.index(row_id) + 1)

    def move(self, field_id: str, row_id: str, new_index: int) -> None:
        s = self._store
        self._spec(field_id)
        ids = list(s.rows.get(field_id, ()))
        if row_id not in ids:
            raise InvalidEdit("Cette ligne n'existe plus.")
        old_index = ids.index(row_id)
        new_index = max(0, min(new_index, len(ids) - 1))
        if new_index == old_index:
            return
        ids.insert(new_index, ids.pop(old_index))
        now = s.now()
        with s.transaction() as c:
            write_positions(c, ids)
            s.log(c, now, "row_move", f"{field_id}[{row_id}]", old_index, new_index)
        s.rows[field_id] = ids
        s.after_log(now)
