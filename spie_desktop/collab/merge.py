"""Bring a partner's copy back: a three-way merge driven by the two change logs.

A change's identity is (replica id, counter). The changes THEIRS has and MINE lacks are recorded
in MINE with their original identity, so merging the same copy twice changes nothing and copies
merged in any order converge. The common ancestor is implicit: the changes both have. A unit
(an answer, a row's existence, the title) changed on both sides since they diverged and now
different is a conflict; without a choice for every conflict nothing is written. A text both
changed in different paragraphs is not a conflict: the two are combined (textmerge.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any, Literal

from ..forms.paths import FieldPath
from ..forms.types import FieldType, Template
from ..models.dossier_file import ChangeRecord, DossierFile
from ..models.errors import DossierError
from ..models.opening import open_dossier
from ..server.address import as_location
from ..snapshot import AttachmentInfo, CommentInfo
from .textmerge import combine
from .units import (
    EVENT_OPS,
    Lacks,
    Side,
    field_label,
    identity,
    lww_key,
    row_path_of,
    split_row_path,
    structural_field,
)
from .validation import validate_copy

Prefer = Literal["mine", "theirs"]


class MergeOutcome(Enum):
    UP_TO_DATE = "up_to_date"  # the other copy brings nothing new
    MERGED = "merged"
    CONFLICTS = "conflicts"  # nothing written: every conflict needs a choice


class ConflictKind(Enum):
    VALUE = "value"  # an answer, or the title (path "")
    ROW = "row"  # a row removed on one side and edited (or restored) on the other


@dataclass(frozen=True)
class Contribution:
    author: str
    organisation: str
    at: str


@dataclass(frozen=True)
class Conflict:
    path: str  # stored path: "field", "rep[rid].child", "rep[rid]" (row) or "" (title)
    label: str  # French, for people
    kind: ConflictKind
    mine: Any  # for a row: its children values, or None when removed on that side
    theirs: Any
    mine_by: tuple[Contribution, ...] = ()
    theirs_by: tuple[Contribution, ...] = ()


@dataclass(frozen=True)
class MergeCounts:
    changes: int = 0  # change-log rows brought in
    values: int = 0
    rows_added: int = 0
    rows_removed: int = 0
    attachments_added: int = 0
    attachments_removed: int = 0
    comments: int = 0
    resolved: int = 0  # conflicts settled by a choice
    combined: int = 0  # texts changed on both sides, in different paragraphs, combined


@dataclass(frozen=True)
class MergeResult:
    outcome: MergeOutcome
    counts: MergeCounts = MergeCounts()
    conflicts: tuple[Conflict, ...] = ()
    from_replica: str = ""
    source: str = ""
    written: bool = False  # False for a preview, or when conflicts stopped the merge
    #: on a server, as a partner or a reviewer: what was not brought in, and why (French, one line each)
    refused: tuple[str, ...] = ()

    @property
    def applied(self) -> bool:
        return self.outcome is MergeOutcome.MERGED and self.written


class ForeignDossier(DossierError):
    def __init__(self, path: str, title: str) -> None:
        super().__init__(
            f"« {path} » est une copie d'un autre dossier (« {title} ») : seules les copies de ce dossier-ci "
            "peuvent y être intégrées. Rien n'a été modifié."
        )


class UnrelatedCopies(DossierError):
    def __init__(self, path: str) -> None:
        super().__init__(
            f"« {path} » et ce dossier ont été dupliqués sans passer par « Envoyer une copie à un partenaire » "
            "(copie du fichier dans l'explorateur ?), puis modifiés chacun de leur côté : leurs historiques se "
            "mélangent et ne peuvent pas être fusionnés sans risque. Rien n'a été modifié. Reportez les "
            "modifications à la main, ou repartez d'une copie envoyée avec l'application."
        )


# -- the plan: what merging would do, computed from plain values ------------------------------


@dataclass
class _Plan:
    missing: list[ChangeRecord]
    title: str | None = None
    entrust: dict[str, str | None] = field(default_factory=dict)
    rows_remove: list[str] = field(default_factory=list)  # row paths
    rows_add: dict[str, dict[str, Any]] = field(default_factory=dict)  # row path -> children values
    values: dict[str, Any] = field(default_factory=dict)
    orders: dict[str, list[str]] = field(default_factory=dict)
    att_add: list[AttachmentInfo] = field(default_factory=list)  # theirs' infos
    att_remove: list[int] = field(default_factory=list)  # mine's ids
    comments_add: list[CommentInfo] = field(default_factory=list)
    comment_states: dict[str, bool] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)
    resolutions: list[tuple[str, Any, Any]] = field(default_factory=list)  # (path, old, new) to log
    combined: list[tuple[str, Any, str]] = field(default_factory=list)  # (path, mine, both) texts merged


def _by(changes: list[ChangeRecord]) -> tuple[Contribution, ...]:
    seen: dict[tuple[str, str], Contribution] = {}
    for c in changes:
        seen[(c.author, c.organisation)] = Contribution(c.author, c.organisation, c.at)
    return tuple(seen.values())


def _same(a: Any, b: Any) -> bool:
    return a == b and type(a) is type(b)


def plan_merge(
    mine: Side, theirs: Side, template: Template, choose: Callable[[Conflict], Any] | None = None
) -> _Plan:
    """What merging THEIRS into MINE changes; ``choose`` settles each conflict (None: keep mine)."""
    mine_ids = {identity(c): c for c in mine.changes}
    theirs_ids = {identity(c) for c in theirs.changes}
    missing = [c for c in theirs.changes if identity(c) not in mine_ids]
    for c in theirs.changes:
        m = mine_ids.get(identity(c))
        if m is not None and (m.op, m.path, m.at) != (c.op, c.path, c.at):
            raise UnrelatedCopies("")
    plan = _Plan(missing=missing)
    if all(c.op in EVENT_OPS for c in missing):
        return plan
    m_lacks = Lacks.of(missing)  # theirs' news
    t_lacks = Lacks.of([c for c in mine.changes if identity(c) not in theirs_ids])  # mine's news

    def settle(conflict: Conflict) -> Any:
        plan.conflicts.append(conflict)
        return choose(conflict) if choose is not None else conflict.mine

    def three_way(unit, vm: Any, vt: Any, *, lww: bool) -> tuple[bool, Any]:
        """(conflict?, winning value) for a unit whose two values differ."""
        ml, tl = m_lacks.get(unit), t_lacks.get(unit)
        if ml and not tl:
            return False, vt
        if not ml:
            return False, vm
        if lww:
            last = max(ml + tl, key=lww_key)
            return False, vt if last in ml else vm
        return True, None

    # the title
    if mine.title != theirs.title and m_lacks.get(("title",)):
        conflict, value = three_way(("title",), mine.title, theirs.title, lww=False)
        if conflict:
            value = settle(
                Conflict(
                    "",
                    "Titre du dossier",
                    ConflictKind.VALUE,
                    mine.title,
                    theirs.title,
                    _by(t_lacks.get(("title",))),
                    _by(m_lacks.get(("title",))),
                )
            )
            plan.resolutions.append(("", mine.title, value))
        if value != mine.title:
            plan.title = value

    # sections entrusted to partners: last writer wins
    for sid in set(mine.entrusted) | set(theirs.entrusted):
        vm, vt = mine.entrusted.get(sid), theirs.entrusted.get(sid)
        if vm != vt:
            _, value = three_way(("entrust", sid), vm, vt, lww=True)
            if value != vm:
                plan.entrust[sid] = value

    # rows: which exist once merged
    final_rows: dict[str, set[str]] = {f: set(ids) for f, ids in mine.rows.items()}
    conflicted_rows: set[str] = set()
    resolved_fields: set[str] = set()
    candidates = {f"{f}[{r}]" for f, ids in theirs.rows.items() for r in ids}
    candidates |= {f"{f}[{r}]" for f, ids in mine.rows.items() for r in ids}
    for rp in sorted(candidates):
        pm, pt = mine.has_row(rp), theirs.has_row(rp)
        if pm == pt:
            continue
        unit = ("row", rp)
        ml, tl = m_lacks.get(unit), t_lacks.get(unit)
        if ml and tl:
            conflict = True
        else:
            keep = pt if (ml and not tl) else pm if tl else True
            present_edits = (t_lacks if pm else m_lacks).row_edits.get(rp, [])
            conflict = not keep and bool(present_edits)
        fid, rid = split_row_path(rp)
        if conflict:
            conflicted_rows.add(rp)
            row_mine, row_theirs = mine.row_values(rp), theirs.row_values(rp)
            label = field_label(template, rp, mine.rows if pm else theirs.rows)
            label += " (supprimée d'un côté, modifiée de l'autre)"
            chosen = settle(
                Conflict(
                    rp,
                    label,
                    ConflictKind.ROW,
                    row_mine,
                    row_theirs,
                    _by(tl + t_lacks.row_edits.get(rp, [])),
                    _by(ml + m_lacks.row_edits.get(rp, [])),
                )
            )
            resolved_fields.add(fid)
            if chosen is None:
                if pm:
                    plan.rows_remove.append(rp)
                    final_rows[fid].discard(rid)
                plan.resolutions.append((rp, row_mine, None))
                continue
            chosen = {k: v for k, v in dict(chosen).items() if v is not None and k != "_id"}
            if not pm:
                plan.rows_add[rp] = chosen
            else:
                for child in set(row_mine or {}) | set(chosen):
                    if not _same((row_mine or {}).get(child), chosen.get(child)):
                        plan.values[f"{rp}.{child}"] = chosen.get(child)
            final_rows.setdefault(fid, set()).add(rid)
            plan.resolutions.append((rp, row_mine, {"values": chosen}))
            continue
        if keep and not pm:
            plan.rows_add[rp] = theirs.row_values(rp) or {}
            final_rows.setdefault(fid, set()).add(rid)
        elif not keep and pm:
            plan.rows_remove.append(rp)
            final_rows[fid].discard(rid)

    def row_exists(path: str) -> bool:
        rp = row_path_of(path)
        if rp is None:
            return True
        f, r = split_row_path(rp)
        return r in final_rows.get(f, ())

    # answers
    value_paths = {u[1] for u in m_lacks.by_unit if u[0] == "v"}
    for rp in m_lacks.row_resolves:
        prefix = rp + "."
        value_paths |= {p for p in set(mine.values) | set(theirs.values) if p.startswith(prefix)}
    for path in sorted(value_paths):
        in_row = row_path_of(path)
        if in_row is not None and (
            in_row in conflicted_rows or in_row in plan.rows_add or not row_exists(path)
        ):
            continue
        vm, vt = mine.values.get(path), theirs.values.get(path)
        if _same(vm, vt):
            continue
        ml, tl = m_lacks.on_value(path), t_lacks.on_value(path)
        if not tl:
            plan.values[path] = vt
            continue
        both = combine(_field_type(template, path), path, vm, vt, tl, ml)
        if both is not None:  # different paragraphs of one text: both kept, no question
            plan.combined.append((path, vm, both))
            if not _same(both, vm):
                plan.values[path] = both
            continue
        label = field_label(template, path, mine.rows)
        chosen = settle(Conflict(path, label, ConflictKind.VALUE, vm, vt, _by(tl), _by(ml)))
        plan.resolutions.append((path, vm, chosen))
        if not _same(chosen, vm):
            plan.values[path] = chosen

    # row order: replayed from both logs wherever either side moved, added or removed rows
    fields = m_lacks.structural | t_lacks.structural | resolved_fields
    if fields:
        union = sorted([c for c in mine.changes + missing if structural_field(c) in fields], key=lww_key)
        for fid in sorted(fields):
            order = _replay_order([c for c in union if structural_field(c) == fid])
            kept = final_rows.get(fid, set())
            ids = [r for r in order if r in kept]
            for r in mine.rows.get(fid, []) + theirs.rows.get(fid, []):
                if r in kept and r not in ids:
                    ids.append(r)
            plan.orders[fid] = ids

    # attachments: united by (path, content)
    mine_keys = {(a.path, a.sha256): a for a in mine.attachments}
    theirs_keys = {(a.path, a.sha256): a for a in theirs.attachments}
    for key in sorted(set(mine_keys) | set(theirs_keys)):
        if (key in mine_keys) == (key in theirs_keys) or not row_exists(key[0]):
            continue
        if row_path_of(key[0]) in plan.rows_remove:
            continue
        att_unit = ("att", key[0], key[1])
        ml, tl = m_lacks.get(att_unit), t_lacks.get(att_unit)
        if key in theirs_keys:
            absent_wins = any(c.op == "detach" for c in tl) and not any(c.op == "attach" for c in ml)
            if not absent_wins:
                plan.att_add.append(theirs_keys[key])
        else:
            absent_wins = any(c.op == "detach" for c in ml) and not any(c.op == "attach" for c in tl)
            if absent_wins:
                plan.att_remove.extend(a.id for a in mine.attachments if (a.path, a.sha256) == key)

    # comments: united by id; open/resolved like any other unit, last writer wins
    for cid, theirs_comment in theirs.comments.items():
        mine_comment = mine.comments.get(cid)
        if mine_comment is None:
            plan.comments_add.append(theirs_comment)
        elif mine_comment.resolved != theirs_comment.resolved:
            _, value = three_way(("cstate", cid), mine_comment.resolved, theirs_comment.resolved, lww=True)
            if value != mine_comment.resolved:
                plan.comment_states[cid] = value
    return plan


def _field_type(template: Template, path: str) -> FieldType | None:
    """The type of the field a stored answer path names (None if the form has no such field)."""
    try:
        p = FieldPath.parse(path)
        spec = template.field(p.field)
        return spec.child(p.child).type if p.row is not None and p.child else spec.type
    except (ValueError, KeyError):
        return None


def _replay_order(changes: list[ChangeRecord]) -> list[str]:
    ids: list[str] = []
    for c in changes:
        _, rid = split_row_path(c.path)
        adding = c.op == "row_add" or (c.op == "resolve" and c.new is not None)
        if adding:
            if rid not in ids:
                index = (c.new or {}).get("index", len(ids))
                ids.insert(max(0, min(int(index), len(ids))), rid)
        elif c.op == "row_remove" or c.op == "resolve":
            if rid in ids:
                ids.remove(rid)
        elif c.op == "row_move" and rid in ids:
            ids.remove(rid)
            ids.insert(max(0, min(int(c.new), len(ids))), rid)
    return ids


# -- applying ---------------------------------------------------------------------------------


def _apply(
    df: DossierFile, theirs_df: DossierFile, plan: _Plan, source: str, from_replica: str
) -> MergeCounts:
    with df.batch():
        df.record_changes(plan.missing)
        if all(c.op in EVENT_OPS for c in plan.missing):
            return MergeCounts(changes=len(plan.missing))
        with df.unlogged():
            if plan.title:
                df.set_title(plan.title)
            for sid, partner in plan.entrust.items():
                df.entrust_section(sid, partner)
            _write_plan(df, theirs_df, plan)
            for comment in plan.comments_add:
                df.adopt_comment(comment)
            for cid, resolved in plan.comment_states.items():
                df.set_comment_resolved(cid, resolved)
            for fid, ids in plan.orders.items():
                df.reorder_rows(fid, ids)
        _record_settled(df, plan)
        counts = _counts(plan)
        _record_merge(df, from_replica, source, counts)
    return counts


def _record_settled(df: DossierFile, plan: _Plan) -> None:
    """The history rows a merge writes of its own, after what it applied unlogged (the coordinator's
    merge and a partner's alike): each text combined from both sides' paragraphs (the history ends on
    it, as the dossier does) and each conflict's choice."""
    for path, old, new in plan.combined:
        df.record_change("set", path, old, new)
    for path, old, new in plan.resolutions:
        recorded: Any = new
        if isinstance(new, dict):  # a row kept: say where, so replays put it back in place
            fid, rid = split_row_path(path)
            recorded = {"index": df.row_ids(fid).index(rid), "values": new["values"]}
        df.record_change("resolve", path, old, recorded)


def _take_settled(plan: _Plan) -> _Plan:
    """Out of ``plan``, the values and rows whose history :func:`_record_settled` writes (combined texts,
    conflicts' choices, a kept row's values): written unlogged, so they are not logged twice."""
    settled = {p for p, _, _ in plan.combined} | {p for p, _, _ in plan.resolutions}
    rows = tuple(f"{p}." for p in settled if row_path_of(p) == p)
    part = _Plan(missing=[])
    part.values = {p: plan.values.pop(p) for p in list(plan.values) if p in settled or p.startswith(rows)}
    part.rows_add = {p: plan.rows_add.pop(p) for p in list(plan.rows_add) if p in settled}
    return part


def _write_plan(df: DossierFile, theirs_df: DossierFile, plan: _Plan) -> None:
    """The rows, values and attachments the copy brings, in the order that keeps row paths valid."""
    for rp in plan.rows_remove:
        fid, rid = split_row_path(rp)
        df.remove_row(fid, rid)
    for rp, values in plan.rows_add.items():
        fid, rid = split_row_path(rp)
        df.add_row(fid, values, row_id=rid)
    for path, value in plan.values.items():
        df.set_value(path, value)
    for info in plan.att_add:
        df.add_attachment(
            info.path, theirs_df.attachment_data(info.id), name=info.name, media_type=info.media_type
        )
    for att_id in plan.att_remove:
        df.remove_attachment(att_id)


def _record_merge(df: DossierFile, from_replica: Any, source: Any, counts: Any) -> None:
    """The history's one « merge » line: which copy, and what it brought."""
    df.record_change(
        "merge",
        "",
        None,
        {
            "from_replica": from_replica,
            "file": source,
            "changes": counts.changes,
            "values": counts.values,
            "rows_added": counts.rows_added,
            "rows_removed": counts.rows_removed,
            "attachments": counts.attachments_added,
            "comments": counts.comments,
            "conflicts": counts.resolved,
            **({"combined": counts.combined} if counts.combined else {}),
        },
    )


def merge(
    mine: DossierFile,
    theirs_path: str | Path,
    prefer: Prefer | None = None,
    resolutions: dict[str, Any] | None = None,
    *,
    dry_run: bool = False,
) -> MergeResult:
    """Merge the copy at ``theirs_path`` into ``mine``, all or nothing.

    Conflicts are settled by ``resolutions`` (stored path -> value; for a row, its children
    values or None to remove it), then by ``prefer``; if any is left, nothing is written and the
    result lists them. ``dry_run`` computes the same result and writes nothing.
    """
    theirs_path = as_location(theirs_path)  # a file, or a dossier on a server (its address)
    if prefer not in (None, "mine", "theirs"):
        raise ValueError(prefer)
    try:
        if theirs_path.resolve() == Path(mine.path).resolve():
            raise DossierError("Choisissez la copie reçue d'un partenaire, pas le dossier ouvert lui-même.")
    except OSError:
        pass
    theirs_df = open_dossier(theirs_path, read_only=True)
    try:
        if theirs_df.info.id != mine.info.id:
            raise ForeignDossier(str(theirs_path), theirs_df.title)
        if theirs_df.template.id != mine.template.id:
            raise ForeignDossier(str(theirs_path), theirs_df.title)
        mine_side, theirs_side = Side.read(mine), Side.read(theirs_df)
        validate_copy(mine_side, theirs_side, mine.template, str(theirs_path))
        return _merge_sides(
            mine, theirs_df, mine_side, theirs_side, theirs_path.name, prefer, resolutions, dry_run
        )
    except UnrelatedCopies:
        raise UnrelatedCopies(str(theirs_path)) from None
    finally:
        theirs_df.close()


def _merge_sides(
    mine: DossierFile,
    theirs_df: DossierFile,
    mine_side: Side,
    theirs_side: Side,
    source: str,
    prefer: Prefer | None,
    resolutions: dict[str, Any] | None,
    dry_run: bool = False,
) -> MergeResult:
    resolutions = dict(resolutions or {})
    unresolved: list[Conflict] = []

    def choose(conflict: Conflict) -> Any:
        if conflict.path in resolutions:
            return resolutions[conflict.path]
        if prefer == "theirs":
            return conflict.theirs
        if prefer == "mine":
            return conflict.mine
        unresolved.append(conflict)
        return conflict.mine

    plan = plan_merge(mine_side, theirs_side, mine.template, choose)
    replica = theirs_side.replica_id
    if not plan.missing:
        return MergeResult(MergeOutcome.UP_TO_DATE, from_replica=replica, source=source)
    if unresolved:
        return MergeResult(
            MergeOutcome.CONFLICTS, conflicts=tuple(plan.conflicts), from_replica=replica, source=source
        )
    limited = _limit_to_rights(mine, plan)
    refused = tuple(limited or ())
    if limited is not None and _nothing_to_apply(plan):
        return MergeResult(MergeOutcome.UP_TO_DATE, from_replica=replica, source=source, refused=refused)
    if dry_run:
        counts = _counts(plan)
        return MergeResult(
            MergeOutcome.MERGED, counts, tuple(plan.conflicts), replica, source, refused=refused
        )
    if limited is not None:
        counts = _apply_limited(mine, theirs_df, plan, source, replica)
    else:
        counts = _apply(mine, theirs_df, plan, source, replica)
    return MergeResult(
        MergeOutcome.MERGED, counts, tuple(plan.conflicts), replica, source, written=True, refused=refused
    )


# -- a partner or a reviewer merging into a server dossier ---------------------------------------


def _field_of(path: str) -> str:
    return path.split("[", 1)[0].split(".", 1)[0]


def _limit_to_rights(mine: DossierFile, plan: _Plan) -> list[str] | None:
    """On a server, as a partner or a reviewer: keep in ``plan`` only what the server lets this role
    write (asked of the server, whose policies stay the authority); the rest, said in French.
    None when every change may be written (a file, or a coordinator)."""
    backend = mine.store.backend
    rights_of = getattr(backend, "merge_rights", None)
    if rights_of is None:
        return None
    fields = {_field_of(p) for p in plan.values} | {_field_of(p) for p in plan.rows_add}
    fields |= {_field_of(p) for p in plan.rows_remove} | set(plan.orders)
    fields |= {_field_of(a.path) for a in plan.att_add}
    att_paths = {a.id: a.path for a in mine.attachments()}
    fields |= {_field_of(att_paths.get(i, "")) for i in plan.att_remove}
    role, coordinator, may = rights_of(fields)
    if coordinator:
        return None
    section_of = {f.id: s for s in mine.template.sections for f in s.fields}

    def why(field_id: str) -> str:
        section = section_of.get(field_id)
        where = f"« {section.title} »" if section is not None else f"« {field_id} »"
        return f"Section {where} non confiée à {role} : modification non reprise"

    refused: dict[str, str] = {}

    def allowed(path: str, what: str) -> bool:
        f = _field_of(path)
        if may.get(f, False):
            return True
        refused.setdefault(f"{what}|{f}", f"{why(f)} ({what})")
        return False

    plan.values = {p: v for p, v in plan.values.items() if allowed(p, "réponse")}
    plan.rows_add = {p: v for p, v in plan.rows_add.items() if allowed(p, "ligne ajoutée")}
    plan.rows_remove = [p for p in plan.rows_remove if allowed(p, "ligne supprimée")]
    plan.orders = {f: ids for f, ids in plan.orders.items() if allowed(f, "ordre des lignes")}
    plan.att_add = [a for a in plan.att_add if allowed(a.path, "pièce jointe")]
    plan.att_remove = [i for i in plan.att_remove if allowed(att_paths.get(i, ""), "pièce jointe retirée")]
    plan.combined = [c for c in plan.combined if c[0] in plan.values]
    plan.resolutions = [r for r in plan.resolutions if r[0] in plan.values or r[0] in plan.rows_add]
    out = list(refused.values())
    if plan.title is not None:
        out.append(f"Titre du dossier réservé au coordinateur : modification non reprise ({role})")
        plan.title = None
    if plan.entrust:
        out.append(f"Sections confiées : réservées au coordinateur, modification non reprise ({role})")
        plan.entrust = {}
    if not any(may.values()) and (fields or out):
        out.append(f"{role} ne peut que commenter ce dossier : seuls les commentaires ont été repris")
    return out


def _nothing_to_apply(plan: _Plan) -> bool:
    return not (
        plan.values
        or plan.rows_add
        or plan.rows_remove
        or plan.orders
        or plan.att_add
        or plan.att_remove
        or plan.comments_add
        or plan.comment_states
    )


def _apply_limited(
    df: DossierFile, theirs_df: DossierFile, plan: _Plan, source: str, from_replica: str
) -> MergeCounts:
    """A partner's or reviewer's merge: the copy's change log cannot be recorded under its own identity
    (the server lets only a coordinator write another copy's changes), so what is brought in is written as
    this role's own edits, logged and stamped by the server, then one « merge » row says from where."""
    with df.batch():
        counts = _counts(plan)
        settled = _take_settled(plan)
        _write_plan(df, theirs_df, plan)
        with df.unlogged():  # a comment keeps its id (merged twice: once); the « merge » row logs it
            _write_plan(df, theirs_df, settled)  # their history: _record_settled, as a coordinator's
            for comment in plan.comments_add:
                df.adopt_comment(comment)
        for cid, resolved in plan.comment_states.items():
            df.set_comment_resolved(cid, resolved)
        for fid, ids in plan.orders.items():  # moves, logged as this role's own (reorder_rows is unlogged)
            for index, rid in enumerate(ids):
                if rid in (now := df.row_ids(fid)) and now.index(rid) != index:
                    df.move_row(fid, rid, index)
        _record_settled(df, plan)
        _record_merge(df, from_replica, source, counts)
    return counts


def preview(mine: DossierFile, theirs_path: str | Path) -> MergeResult:
    """What :func:`merge` would do without any choice (conflicts listed); nothing is written."""
    return merge(mine, theirs_path, dry_run=True)


__all__ = [
    "Conflict",
    "ConflictKind",
    "Contribution",
    "ForeignDossier",
    "MergeCounts",
    "MergeOutcome",
    "MergeResult",
    "UnrelatedCopies",
    "merge",
    "plan_merge",
    "preview",
]


def _counts(plan: _Plan) -> MergeCounts:
    """What a merge plan brings, counted (the same for a dry run and the merge itself)."""
    return MergeCounts(
        changes=len(plan.missing),
        values=len(plan.values),
        rows_added=len(plan.rows_add),
        rows_removed=len(plan.rows_remove),
        attachments_added=len(plan.att_add),
        attachments_removed=len(plan.att_remove),
        comments=len(plan.comments_add),
        resolved=len(plan.resolutions),
        combined=len(plan.combined),
    )
