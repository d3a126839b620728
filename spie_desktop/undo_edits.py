"""Applying undo steps to a dossier file, and a step from two states of it (batches, merges).

Every change goes through the dossier's ordinary edit methods, so an undo writes ordinary
change-log rows (``set`` with the value put back, ``row_add``, ``row_remove``, ``row_move``,
``attach``, ``detach``, ``title``, ``entrust``) signed by this user: history, partner copies and
merges treat it like any edit. A change whose target already holds the wanted state is skipped;
one whose target changed since (a merge, a restore from the history) refuses the whole step
with a French message, and nothing is written (one transaction).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from .models.errors import DossierError
from .undo import (
    AttachmentChange,
    Change,
    EntrustChange,
    FileRef,
    RowChange,
    RowOrderChange,
    Step,
    TitleChange,
    ValueChange,
    same,
)

if TYPE_CHECKING:
    from .models.dossier_file import DossierFile
    from .snapshot import AttachmentInfo


class UndoRefused(DossierError):
    """The step cannot be undone (or redone) as it stands; ``str()`` says why, in French."""


def _label(dossier: DossierFile, path: str) -> str:
    from .collab.units import field_label

    fid = path.split("[", 1)[0]
    return field_label(dossier.template, path, {fid: dossier.row_ids(fid)})


def _changed_since(what: str) -> UndoRefused:
    return UndoRefused(
        f"{what} a changé depuis (intégration d'une copie ou restauration depuis "
        "l'historique) : l'annulation ne l'écraserait pas. Modifiez-le directement."
    )


# -- applying -----------------------------------------------------------------------------------


def apply_change(d: DossierFile, c: Change) -> Change | None:
    """Make ``c`` happen; what was done (with any file content taken out), or None if already so."""
    if isinstance(c, ValueChange):
        current = d.get(c.path)
        if same(current, c.after):
            return None
        if not same(current, c.before):
            raise _changed_since(f"« {_label(d, c.path)} »")
        d.set_value(c.path, c.after)
        return c
    if isinstance(c, TitleChange):
        if d.title == c.after:
            return None
        if d.title != c.before:
            raise _changed_since("Le titre du dossier")
        d.set_title(c.after)
        return c
    if isinstance(c, EntrustChange):
        current = d.entrusted().get(c.section_id)
        if current == c.after:
            return None
        if current != c.before:
            raise _changed_since("Le partenaire de la section")
        d.entrust_section(c.section_id, c.after)
        return c
    if isinstance(c, AttachmentChange):
        return _apply_file(d, c)
    if isinstance(c, RowChange):
        return _apply_row(d, c)
    if isinstance(c, RowOrderChange):
        return _apply_order(d, c)
    raise TypeError(c)


def _apply_file(d: DossierFile, c: AttachmentChange) -> Change | None:
    f = c.file
    if c.added:
        if f.data is None:
            raise UndoRefused(
                f"Le contenu du fichier « {f.name} » n'est plus disponible : il ne peut pas être remis."
            )
        info = d.add_attachment(f.path, f.data, name=f.name, media_type=f.media_type)
        return AttachmentChange(replace(f, sha256=info.sha256, data=None), True)
    found = [a for a in d.attachments(f.path) if a.sha256 == f.sha256]
    found = [a for a in found if a.name == f.name] or found
    if not found:
        return None
    info = found[-1]
    data = d.attachment_data(info.id)
    d.remove_attachment(info.id)
    return AttachmentChange(FileRef(info.path, info.name, info.media_type, info.sha256, data), False)


def _apply_row(d: DossierFile, c: RowChange) -> Change | None:
    ids = d.row_ids(c.field_id)
    what = f"La ligne « {_label(d, c.row_path)} »"
    if c.added:
        if c.row_id in ids:
            if _same_values(d.row_values(c.field_id, c.row_id), c.values):
                return None
            raise _changed_since(what)
        missing = [f.name for f in c.files if f.data is None]
        if missing:
            raise UndoRefused(
                f"Le contenu du fichier « {missing[0]} » n'est plus disponible : la ligne ne peut "
                "pas être remise avec ses fichiers."
            )
        rid = d.add_row(c.field_id, c.values, index=c.index, row_id=c.row_id)
        for f in c.files:
            d.add_attachment(f.path, f.data or b"", name=f.name, media_type=f.media_type)
        return replace(
            c, index=d.row_ids(c.field_id).index(rid), files=tuple(replace(f, data=None) for f in c.files)
        )
    if c.row_id not in ids:
        return None
    if not _same_values(d.row_values(c.field_id, c.row_id), c.values):
        raise _changed_since(what)
    removed = d.remove_row(c.field_id, c.row_id)
    files = tuple(FileRef(a.path, a.name, a.media_type, a.sha256, data) for a, data in removed.attachments)
    return replace(c, index=removed.index, files=files)


def _same_values(a: dict[str, Any], b: dict[str, Any]) -> bool:
    keys = set(a) | set(b)
    return all(same(a.get(k), b.get(k)) for k in keys)


def _apply_order(d: DossierFile, c: RowOrderChange) -> Change | None:
    current = d.row_ids(c.field_id)
    wanted = [r for r in c.after if r in current]
    wanted += [r for r in current if r not in wanted]  # rows that came since keep the end
    if wanted == current:
        return None
    before = tuple(current)
    for i, rid in enumerate(wanted):
        if current[i] != rid:
            d.move_row(c.field_id, rid, i)
            current = d.row_ids(c.field_id)
    return RowOrderChange(c.field_id, before, tuple(current))


def apply_all(d: DossierFile, changes: Iterable[Change]) -> list[Change]:
    """All the changes in one transaction, or none (UndoRefused, or the disk's SaveFailed)."""
    done: list[Change] = []
    with d.batch():
        for c in changes:
            result = apply_change(d, c)
            if result is not None:
                done.append(result)
    return done


def undo_step(d: DossierFile, step: Step) -> Step:
    """Undo ``step``; the step that redoes it (what was actually done, files kept to put them back)."""
    done = apply_all(d, step.inverse_changes())
    if not done:
        return step
    return Step(step.label, tuple(c.inverse() for c in reversed(done)), step.typing)


def redo_step(d: DossierFile, step: Step) -> Step:
    """Redo ``step``; the step that undoes it again."""
    done = apply_all(d, step.changes)
    return Step(step.label, tuple(done), step.typing) if done else step


# -- a step from two states ---------------------------------------------------------------------


@dataclass(frozen=True)
class DossierState:
    """What undo compares: answers by stored path, row order, title, partners, attached files."""

    answers: dict[str, Any]
    rows: dict[str, tuple[str, ...]]
    title: str
    entrusted: dict[str, str]
    files: tuple[AttachmentInfo, ...]


def capture(d: DossierFile) -> DossierState:
    rows = {s.id: tuple(d.row_ids(s.id)) for s in _repetitions(d)}
    return DossierState(d.stored_answers(), rows, d.title, d.entrusted(), tuple(d.attachments()))


def _repetitions(d: DossierFile):
    return [f for _, f in d.template.iter_fields() if f.is_repetition]


def diff(
    before: DossierState,
    after: DossierState,
    data_of: Callable[[AttachmentInfo], bytes | None] = lambda a: None,
) -> tuple[Change, ...]:
    """The changes that turn ``before`` into ``after``; ``data_of`` gives removed files' content."""
    changes: list[Change] = []
    gone_rows: set[str] = set()
    new_rows: set[str] = set()
    for fid in sorted(set(before.rows) | set(after.rows)):
        old, new = before.rows.get(fid, ()), after.rows.get(fid, ())
        for i, rid in enumerate(old):
            if rid not in new:
                prefix = f"{fid}[{rid}]."
                gone_rows.add(prefix)
                values = {p[len(prefix) :]: v for p, v in before.answers.items() if p.startswith(prefix)}
                files = tuple(_ref(a, data_of(a)) for a in before.files if a.path.startswith(prefix))
                changes.append(RowChange(fid, rid, i, values, False, files))
    for fid in sorted(set(before.rows) | set(after.rows)):
        old, new = before.rows.get(fid, ()), after.rows.get(fid, ())
        for i, rid in enumerate(new):
            if rid not in old:
                prefix = f"{fid}[{rid}]."
                new_rows.add(prefix)
                values = {p[len(prefix) :]: v for p, v in after.answers.items() if p.startswith(prefix)}
                files = tuple(_ref(a, None) for a in after.files if a.path.startswith(prefix))
                changes.append(RowChange(fid, rid, i, values, True, files))
        kept_old = tuple(r for r in old if r in new)
        kept_new = tuple(r for r in new if r in old)
        if kept_old != kept_new:
            changes.append(RowOrderChange(fid, kept_old, kept_new))

    def loose(path: str) -> bool:
        return not any(path.startswith(p) for p in gone_rows | new_rows)

    for path in sorted(set(before.answers) | set(after.answers)):
        if loose(path) and not same(before.answers.get(path), after.answers.get(path)):
            changes.append(ValueChange(path, before.answers.get(path), after.answers.get(path)))
    key = lambda a: (a.path, a.name, a.sha256)  # noqa: E731
    old_files = [a for a in before.files if loose(a.path)]
    new_files = [a for a in after.files if loose(a.path)]
    new_keys = [key(a) for a in new_files]
    for a in old_files:
        if key(a) in new_keys:
            new_keys.remove(key(a))
        else:
            changes.append(AttachmentChange(_ref(a, data_of(a)), False))
    old_keys = [key(a) for a in old_files]
    for a in new_files:
        if key(a) in old_keys:
            old_keys.remove(key(a))
        else:
            changes.append(AttachmentChange(_ref(a, None), True))
    if before.title != after.title:
        changes.append(TitleChange(before.title, after.title))
    for sid in sorted(set(before.entrusted) | set(after.entrusted)):
        if before.entrusted.get(sid) != after.entrusted.get(sid):
            changes.append(EntrustChange(sid, before.entrusted.get(sid), after.entrusted.get(sid)))
    return tuple(changes)


def _ref(a: AttachmentInfo, data: bytes | None) -> FileRef:
    return FileRef(a.path, a.name, a.media_type, a.sha256, data)


# -- labels ---------------------------------------------------------------------------------------


def typing_label(d: DossierFile, path: str) -> str:
    return f"la saisie de « {_short(d, path)} »"


def value_label(d: DossierFile, path: str) -> str:
    return f"la modification de « {_short(d, path)} »"


def _short(d: DossierFile, path: str) -> str:
    """The field's own label (the row's child for a row path): what a person calls it."""
    from .forms import FieldPath

    try:
        p = FieldPath.parse(path)
        spec = d.template.field(p.field)
        return spec.child(p.child).label if p.child else spec.label
    except (ValueError, KeyError):
        return path


def field_name(d: DossierFile, field_id: str) -> str:
    return _short(d, field_id)


__all__ = [
    "DossierState",
    "UndoRefused",
    "apply_all",
    "apply_change",
    "capture",
    "diff",
    "field_name",
    "redo_step",
    "typing_label",
    "undo_step",
    "value_label",
]
