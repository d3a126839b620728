"""The history of a dossier: who changed what and when, restoring an earlier value, and the
dossier rebuilt as it was at a given moment by replaying the change log.

The replay takes the changes made (anywhere) up to that moment, in the order this copy learned
them: a partner's change counts from the time it was made, not from the time it was merged.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from ..formatting import format_size
from ..forms.paths import ROW_KEY
from ..forms.types import Template
from ..models.dossier_file import ChangeRecord, DossierFile
from ..models.errors import DossierError
from ..snapshot import AttachmentInfo, CommentInfo, DossierSnapshot
from .units import field_label, is_row_path, row_path_of, split_row_path

RESTORABLE = frozenset(
    {"set", "resolve", "title", "row_add", "row_remove", "row_move", "entrust", "comment_state"}
)


@dataclass(frozen=True)
class HistoryEntry:
    change_id: int
    at: str
    author: str
    organisation: str
    op: str
    path: str
    label: str  # the field, in French ("Membres du consortium › ligne 2 › Structure")
    text: str  # what happened, in French ("« 120 » → « 150 »")
    old: Any
    new: Any
    replica_id: str
    counter: int

    @property
    def restorable(self) -> bool:
        return self.op in RESTORABLE

    @property
    def who(self) -> str:
        if self.author and self.organisation:
            return f"{self.author} ({self.organisation})"
        return self.author or self.organisation or "Auteur inconnu"


def show_value(value: Any, limit: int = 80) -> str:
    """A stored value as a short French text."""
    if value is None or value == "" or value == []:
        return "(vide)"
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, list):
        text = ", ".join(show_value(v, limit) for v in value)
    elif isinstance(value, dict):
        text = (
            " ; ".join(f"{k} : {show_value(v, limit)}" for k, v in value.items() if k != ROW_KEY) or "(vide)"
        )
    else:
        text = str(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _q(value: Any) -> str:
    shown = show_value(value)
    return shown if shown == "(vide)" else f"« {shown} »"


def describe(c: ChangeRecord) -> str:
    """What a change did, in one French sentence fragment."""
    op, old, new = c.op, c.old, c.new
    if op == "set":
        return f"{_q(old)} → {_q(new)}"
    if op == "title":
        return f"titre {_q(old)} → {_q(new)}"
    if op == "resolve":
        if is_row_path(c.path):
            kept = "supprimée" if new is None else f"gardée ({show_value(new.get('values'))})"
            return f"conflit résolu : ligne {kept}"
        if old == new:
            return f"conflit résolu : {_q(new)} gardé"
        return f"conflit résolu : {_q(old)} → {_q(new)}"
    if op == "row_add":
        values = (new or {}).get("values") or {}
        return "ligne ajoutée" + (f" ({show_value(values)})" if values else "")
    if op == "row_remove":
        values = (old or {}).get("values") or {}
        return "ligne supprimée" + (f" ({show_value(values)})" if values else "")
    if op == "row_move":
        return f"ligne déplacée de la position {int(old) + 1} à la position {int(new) + 1}"
    if op == "attach":
        return f"pièce jointe ajoutée : {new.get('name')} ({format_size(int(new.get('size', 0)))})"
    if op == "detach":
        return f"pièce jointe retirée : {old.get('name')}"
    if op == "comment":
        return f"commentaire : {_q((new or {}).get('text'))}"
    if op == "comment_state":
        return "commentaire marqué résolu" if (new or {}).get("resolved") else "commentaire rouvert"
    if op == "entrust":
        return f"section confiée à {new}" if new else f"section qui était confiée à {old} reprise"
    if op == "merge":
        n = new or {}
        extra = f", {n.get('conflicts')} conflit(s) résolu(s)" if n.get("conflicts") else ""
        if n.get("combined"):
            extra += f", {n.get('combined')} texte(s) modifié(s) des deux côtés réunis"
        return (
            f"copie « {n.get('file', '?')} » intégrée : {n.get('changes', 0)} modification(s) reçue(s){extra}"
        )
    if op == "copy":
        n = new or {}
        return f"copie préparée pour {n['for']}" if n.get("for") else "copie préparée pour un partenaire"
    if op == "link":
        n = new or {}
        return (
            f"modèle associé à la démarche n° {n.get('procedure_number', '?')} : "
            f"{n.get('linked', 0)} question(s) reliée(s)"
        )
    if op == "send":
        n = new or {}
        return f"envoyé à la plateforme : dossier n° {n.get('dossier_number', '?')}"
    return op


def _label(template: Template, c: ChangeRecord, rows: dict[str, list[str]]) -> str:
    if c.op in ("merge", "copy", "title", "link", "send") or (c.op == "resolve" and c.path == ""):
        return "Dossier"
    if c.op == "entrust":
        try:
            return f"Section « {template.section(c.path).title} »"
        except KeyError:
            return f"Section « {c.path} »"
    if c.op in ("comment", "comment_state") and not c.path:
        return "Dossier"
    return field_label(template, c.path, rows)


def _matches(c: ChangeRecord, path: str) -> bool:
    if c.path == path or c.path.startswith(path + "[") or c.path.startswith(path + "."):
        return True
    rp = row_path_of(path)
    return rp is not None and rp != path and c.path == rp  # the row's own add/remove/resolve


def history(df: DossierFile, path: str | None = None) -> list[HistoryEntry]:
    """Every change of the dossier (or of one field, row or row child), oldest first."""
    changes = df.changes()
    if path:
        changes = [c for c in changes if _matches(c, path)]
    template = df.template
    rows = {f: df.row_ids(f) for f in {str(c.path).split("[", 1)[0] for c in changes if "[" in str(c.path)}}
    return [_entry(template, c, rows) for c in changes]


def _entry(template: Template, c: ChangeRecord, rows: dict[str, list[str]]) -> HistoryEntry:
    """One line of history; a row no version of the application wrote is shown as unreadable, not a crash."""
    try:
        label, text = _label(template, c, rows), describe(c)
    except (AttributeError, TypeError, ValueError, KeyError, IndexError):
        label, text = _plain(c.path) or "Dossier", f"modification illisible ({_plain(c.op)})"
    return HistoryEntry(
        c.id,
        _plain(c.at),
        _plain(c.author),
        _plain(c.organisation),
        _plain(c.op),
        _plain(c.path),
        label,
        text,
        c.old,
        c.new,
        _plain(c.replica_id),
        c.counter if isinstance(c.counter, int) else 0,
    )


def _plain(value: Any) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)


def values_entered(df: DossierFile) -> list[tuple[str, Any]]:
    """Every (path, value) anyone ever entered, as the history keeps them."""
    out: list[tuple[str, Any]] = []
    for c in df.changes():
        if c.op in ("set", "resolve") and not is_row_path(c.path) and c.new is not None:
            out.append((c.path, c.new))
        elif c.op == "row_add":
            out.extend((f"{c.path}.{k}", v) for k, v in ((c.new or {}).get("values") or {}).items())
    return out


# -- restoring ---------------------------------------------------------------------------------


def restore(df: DossierFile, change_id: int) -> bool:
    """Put back what a change replaced, as a new change; False when it is already the case."""
    found = [c for c in df.changes(since_id=change_id - 1) if c.id == change_id]
    if not found:
        raise DossierError("Cette modification n'existe pas dans l'historique de ce dossier.")
    try:
        return _restore(df, found[0])
    except (AttributeError, TypeError, ValueError, KeyError, IndexError):
        raise DossierError(
            "Cette modification est illisible (écrite hors de l'application) : elle ne peut pas "
            "être rétablie. Rien n'a été modifié."
        ) from None


def _restore(df: DossierFile, c: ChangeRecord) -> bool:
    op, path, old = c.op, c.path, c.old
    if op not in RESTORABLE:
        raise DossierError("Cette modification ne peut pas être annulée depuis l'historique.")
    if op == "title" or (op == "resolve" and path == ""):
        if old == df.title:
            return False
        df.set_title(old)
        return True
    if op == "entrust":
        if df.entrusted().get(path) == old:
            return False
        df.entrust_section(path, old)
        return True
    if op == "comment_state":
        state = bool((old or {}).get("resolved"))
        cid = (old or {}).get("id")
        current = [x for x in df.comments() if x.id == cid]
        if not current or current[0].resolved == state:
            return False
        df.set_comment_resolved(current[0].id, state)
        return True
    if op in ("row_add", "row_remove", "row_move") or (op == "resolve" and is_row_path(path)):
        return _restore_row(df, c)
    rp = row_path_of(path)
    if rp is not None:
        fid, rid = split_row_path(rp)
        if rid not in df.row_ids(fid):
            raise DossierError(
                f"La ligne de « {field_label(df.template, path)} » a été supprimée depuis : rétablissez d'abord "
                "la ligne (dans l'historique, « ligne supprimée »), puis cette valeur."
            )
    return df.set_value(path, old)


def _restore_row(df: DossierFile, c: ChangeRecord) -> bool:
    fid, rid = split_row_path(c.path)
    present = rid in df.row_ids(fid)
    if c.op == "row_move":
        if not present:
            raise DossierError("Cette ligne a été supprimée depuis.")
        if df.row_ids(fid).index(rid) == int(c.old):
            return False
        df.move_row(fid, rid, int(c.old))
        return True
    if c.op == "row_add" or (c.op == "resolve" and c.old is None):
        if not present:
            return False
        df.remove_row(fid, rid)
        return True
    # the row as it was before: row_remove keeps {"index", "values"}; a row resolve keeps the values
    values = (c.old or {}).get("values", {}) if c.op == "row_remove" else dict(c.old or {})
    index = (c.old or {}).get("index") if c.op == "row_remove" else None
    with df.batch():
        if not present:
            df.add_row(fid, values, index=index, row_id=rid)
            return True
        changed = False
        current = df.row_values(fid, rid)
        for child in set(current) | set(values):
            changed |= df.set_value(f"{fid}[{rid}].{child}", values.get(child))
        return changed


# -- the dossier at a given moment -------------------------------------------------------------


def parse_at(text: str) -> datetime:
    """A logged time (ISO 8601) as an aware datetime."""
    dt = datetime.fromisoformat(text)
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo else when.astimezone()  # a naive time is the user's local time


@dataclass
class _Replay:
    title: str
    values: dict[str, Any]
    rows: dict[str, list[str]]
    attachments: list[dict[str, Any]]
    comments: dict[str, CommentInfo]
    entrusted: dict[str, str]

    def drop_row(self, fid: str, rid: str) -> None:
        if rid in self.rows.get(fid, []):
            self.rows[fid].remove(rid)
        prefix = f"{fid}[{rid}]."
        for p in [p for p in self.values if p.startswith(prefix)]:
            del self.values[p]
        self.attachments = [a for a in self.attachments if not a["path"].startswith(prefix)]

    def put_row(self, fid: str, rid: str, index: int | None, values: dict[str, Any]) -> None:
        ids = self.rows.setdefault(fid, [])
        if rid not in ids:
            ids.insert(len(ids) if index is None else max(0, min(int(index), len(ids))), rid)
        prefix = f"{fid}[{rid}]."
        for p in [p for p in self.values if p.startswith(prefix)]:
            del self.values[p]
        self.values.update({prefix + k: v for k, v in values.items() if v is not None})

    def apply(self, c: ChangeRecord) -> None:
        op, path, old, new = c.op, c.path, c.old, c.new
        if op == "title" or (op == "resolve" and path == ""):
            self.title = new
        elif op == "resolve" and is_row_path(path):
            fid, rid = split_row_path(path)
            if new is None:
                self.drop_row(fid, rid)
            else:
                self.put_row(fid, rid, new.get("index"), new.get("values") or {})
        elif op in ("set", "resolve"):
            if new is None:
                self.values.pop(path, None)
            else:
                self.values[path] = new
        elif op == "row_add":
            fid, rid = split_row_path(path)
            self.put_row(fid, rid, (new or {}).get("index"), (new or {}).get("values") or {})
        elif op == "row_remove":
            self.drop_row(*split_row_path(path))
        elif op == "row_move":
            fid, rid = split_row_path(path)
            ids = self.rows.get(fid, [])
            if rid in ids:
                ids.remove(rid)
                ids.insert(max(0, min(int(new), len(ids))), rid)
        elif op == "attach":
            self.attachments.append({"path": path, **(new or {}), "at": c.at})
        elif op == "detach":
            for i, a in enumerate(self.attachments):
                if a["path"] == path and a.get("sha256") == (old or {}).get("sha256"):
                    del self.attachments[i]
                    break
        elif op == "comment":
            cid = (new or {}).get("id", "")
            self.comments[cid] = CommentInfo(
                cid, path, c.author, c.organisation, c.at, (new or {}).get("text", "")
            )
        elif op == "comment_state":
            cid = (new or {}).get("id", "")
            if cid in self.comments:
                resolved = bool((new or {}).get("resolved"))
                self.comments[cid] = replace(
                    self.comments[cid], resolved=resolved, resolved_at=c.at if resolved else None
                )
        elif op == "entrust":
            if new:
                self.entrusted[path] = new
            else:
                self.entrusted.pop(path, None)


def replay(changes: list[ChangeRecord], title: str) -> _Replay:
    """The content produced by applying ``changes`` in order to an empty dossier titled ``title``."""
    state = _Replay(title, {}, {}, [], {}, {})
    for c in changes:
        state.apply(c)
    return state


def snapshot_at(df: DossierFile, when: datetime) -> DossierSnapshot:
    """The dossier as it was at ``when`` (a naive time is local time), rebuilt from the change log.

    Attachments whose content has since left the file are not in the snapshot: see
    :func:`attachments_missing_at`.
    """
    when = _aware(when)
    if when < parse_at(df.info.created_at):
        raise DossierError("Le dossier n'existait pas encore à cette date.")
    every = df.changes()
    titles = [c for c in every if c.op == "title" or (c.op == "resolve" and c.path == "")]
    first_title = titles[0].old if titles and titles[0].old else df.title
    kept = [c for c in every if parse_at(c.at) <= when]
    state = replay(kept, first_title)
    snap = _snapshot_of(df, state, when, len(kept))
    return snap


def attachments_missing_at(df: DossierFile, when: datetime) -> list[str]:
    """Names of the attachments present at ``when`` whose content is no longer in the file."""
    when = _aware(when)
    every = df.changes()
    state = replay([c for c in every if parse_at(c.at) <= when], df.title)
    current = {(a.path, a.sha256) for a in df.attachments()}
    return [a.get("name", "?") for a in state.attachments if (a["path"], a.get("sha256")) not in current]


def _snapshot_of(df: DossierFile, state: _Replay, when: datetime, count: int) -> DossierSnapshot:
    template = df.template
    answers: dict[str, Any] = {}
    for fid, ids in state.rows.items():
        answers[fid] = [{ROW_KEY: rid} for rid in ids]
    by_row = {row[ROW_KEY]: row for rows in answers.values() for row in rows}
    for path, value in state.values.items():
        rp = row_path_of(path)
        if rp is None:
            answers[path] = value
            continue
        _, rid = split_row_path(rp)
        row = by_row.get(rid)
        if row is not None:
            row[path[len(rp) + 1 :]] = value
    current: dict[tuple[str, str | None], AttachmentInfo] = {}
    for a in df.attachments():
        current.setdefault((a.path, a.sha256), a)
    attachments: list[AttachmentInfo] = []
    for kept in state.attachments:
        have = current.get((kept["path"], kept.get("sha256")))
        if have is not None:
            attachments.append(
                replace(have, name=kept.get("name", have.name), added_at=kept.get("at", have.added_at))
            )
    info = replace(df.info, title=state.title, updated_at=when.astimezone(UTC).isoformat(timespec="seconds"))
    return DossierSnapshot(
        template=template,
        info=info,
        answers=answers,
        attachments=tuple(attachments),
        comments=tuple(sorted(state.comments.values(), key=lambda c: c.created_at)),
        change_count=count,
        entrusted=dict(state.entrusted),
        read_attachment=df.attachment_data,
    )


__all__ = [
    "HistoryEntry",
    "attachments_missing_at",
    "describe",
    "history",
    "parse_at",
    "replay",
    "restore",
    "show_value",
    "snapshot_at",
    "values_entered",
]
