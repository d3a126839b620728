"""Row, file and comment operations made while the team server is away (issue 17).

Each operation is checked as the dossier's own method checks it (the same French refusals), then
kept in the dossier's queue file on this computer (server/queue.py, table ``op``, fsync) and
applied to the store's caches only, so that the window shows what the user did (the added row is
there, the removed one gone, the comment listed) while nothing reaches the server. When the server
answers again, :func:`replay_ops` (called by ``queue.replay``, after the caches were read again from
the server) sends them in their order; each is skipped when the server already has it (a row by its
id, a file by its place and content hash, a comment by its id, a state or a place already reached),
so sending the same queue twice doubles nothing.

What someone else did meanwhile is never silently undone:

- a row I removed offline that someone else edited (or gave a file) meanwhile is not removed, and
  a French message says so;
- my value typed in a row someone else removed is said in a message, with the value (queue.py);
- a file or a comment for a row that no longer exists is said, with its name or its text.

A new title (« Renommer le dossier ») is kept the same way, with the title it replaces: sent only if
the server still has that one, else said.

Two operations are refused while the server is away, because they need what only the server holds:
removing a file that is on the server, and removing a row that holds such files (Annuler could not
put their content back). A file attached offline and removed offline is simply forgotten.
Rows and comments made offline keep their identity on the server (the same row id, the same comment
id), so Annuler works on them once they are sent; files attached offline have a negative id until
then (the server numbers them when they arrive).
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..forms import FieldSpec
from ..forms.paths import ROW_KEY
from ..models.errors import DossierError, InvalidEdit
from ..models.records import RemovedRow
from ..models.values import dump, is_empty, load
from ..snapshot import AttachmentInfo, CommentInfo
from .queue import EditQueue, Op, ReplayReport, queue_of

if TYPE_CHECKING:
    from ..models.dossier_file import DossierFile
    from ..models.store import DossierStore

NEEDS_SERVER_FILE = (
    "Ce fichier est sur le serveur, qui est injoignable : il pourra être retiré à son retour "
    "(Annuler ne pourrait pas le remettre d'ici). Vos autres saisies sont gardées sur ce poste."
)
NEEDS_SERVER_ROW = (
    "Cette ligne a des fichiers joints qui sont sur le serveur, injoignable : elle pourra être "
    "supprimée à son retour (Annuler ne pourrait pas les remettre d'ici). Vos autres saisies sont "
    "gardées sur ce poste."
)


def _queue(df: DossierFile) -> EditQueue:
    q = queue_of(df)
    if q is None:
        raise DossierError("Ce dossier n'est pas sur un serveur.")
    return q


def _writable(s: DossierStore) -> None:
    if s.closed:
        raise DossierError("Ce dossier a été fermé.")
    if s.read_only:
        from ..models.errors import DossierReadOnly

        raise DossierReadOnly()


def _repetition(s: DossierStore, field_id: str) -> FieldSpec:
    from ..models.rows import repetition_spec

    return repetition_spec(s, field_id)


def _dumped(values: dict[str, Any]) -> dict[str, str]:
    return {k: dump(v) for k, v in values.items()}


def _loaded(values: Any) -> dict[str, Any]:
    if not isinstance(values, dict) or not all(isinstance(v, str) for v in values.values()):
        raise ValueError("les valeurs d'une ligne ne sont pas lisibles")
    return {str(k): load(v) for k, v in values.items()}


def _row_values(s: DossierStore, field_id: str, row_id: str) -> dict[str, Any]:
    prefix = f"{field_id}[{row_id}]."
    return {p[len(prefix) :]: v for p, v in s.answers.items() if p.startswith(prefix)}


# -- the operations, offline -------------------------------------------------------------------------


def add_row(
    df: DossierFile,
    field_id: str,
    values: dict[str, Any] | None = None,
    *,
    index: int | None = None,
    row_id: str | None = None,
) -> str:
    """``DossierFile.add_row`` while the server is away: kept, and shown."""
    from ..models.rows import new_row

    s = df.store
    _writable(s)
    rid, values, pos = new_row(s, field_id, values, index, row_id)
    _keep(df, "row_add", {"field": field_id, "row": rid, "index": pos, "values": _dumped(values)})
    return rid


def duplicate_row(df: DossierFile, field_id: str, row_id: str, typed: dict[str, Any] | None = None) -> str:
    """A copy of a row's answers right after it; ``typed``: the window's unsent values (by path)."""
    s = df.store
    ids = s.rows.get(field_id, [])
    if row_id not in ids:
        raise InvalidEdit("Cette ligne n'existe plus.")
    values = _row_values(s, field_id, row_id)
    prefix = f"{field_id}[{row_id}]."
    values.update({p[len(prefix) :]: v for p, v in (typed or {}).items() if p.startswith(prefix)})
    return add_row(df, field_id, values, index=ids.index(row_id) + 1)


def remove_row(
    df: DossierFile, field_id: str, row_id: str, typed: dict[str, Any] | None = None
) -> RemovedRow:
    """Remove a row while the server is away. The values kept with the operation are the ones the
    server had (``seen``): if someone changes the row meanwhile, it is not removed (replay_ops)."""
    s = df.store
    _writable(s)
    _repetition(s, field_id)
    ids = list(s.rows.get(field_id, ()))
    if row_id not in ids:
        raise InvalidEdit("Cette ligne n'existe plus.")
    prefix = f"{field_id}[{row_id}]."
    atts = [a for a in s.attachments.values() if a.path.startswith(prefix)]
    if any(a.id > 0 for a in atts):
        raise DossierError(NEEDS_SERVER_ROW)
    q = _queue(df)
    kept = tuple((a, attachment_data(df, a.id)) for a in atts)
    seen = _row_values(s, field_id, row_id)
    values = dict(seen)
    values.update({p[len(prefix) :]: v for p, v in (typed or {}).items() if p.startswith(prefix)})
    values = {k: v for k, v in values.items() if not is_empty(v)}
    index = ids.index(row_id)
    _keep(df, "row_remove", {"field": field_id, "row": row_id, "index": index, "seen": _dumped(seen)})
    q.drop_under(prefix)  # the values typed in it go with it (Annuler puts them back)
    return RemovedRow(field_id, index, {ROW_KEY: row_id, **values}, kept)


def restore_row(df: DossierFile, removed: RemovedRow) -> str:
    """Put a removed row back while the server is away (the same id, values and files)."""
    rid = add_row(
        df, removed.field_id, removed.values, index=removed.index, row_id=str(removed.values[ROW_KEY])
    )
    for info, data in removed.attachments:
        add_attachment(df, info.path, data, name=info.name, media_type=info.media_type)
    return rid


def move_row(df: DossierFile, field_id: str, row_id: str, new_index: int) -> None:
    s = df.store
    _writable(s)
    _repetition(s, field_id)
    ids = list(s.rows.get(field_id, ()))
    if row_id not in ids:
        raise InvalidEdit("Cette ligne n'existe plus.")
    old_index = ids.index(row_id)
    new_index = max(0, min(new_index, len(ids) - 1))
    if new_index == old_index:
        return
    _keep(df, "row_move", {"field": field_id, "row": row_id, "index": new_index})


def add_attachment(
    df: DossierFile,
    path: str,
    source: bytes | str | Path,
    *,
    name: str | None = None,
    media_type: str | None = None,
) -> AttachmentInfo:
    """A file attached while the server is away: its bytes are kept in the queue file."""
    from ..models.attachments import read_new_attachment

    s = df.store
    _writable(s)
    name, data, media_type, digest = read_new_attachment(s, path, source, name, media_type)
    local_id = min([0, *s.attachments]) - 1  # negative until the server numbers it
    payload = {"path": path, "name": name, "media_type": media_type, "sha256": digest, "local": local_id}
    _keep(df, "attach", payload, data)
    return s.attachments[local_id]


def remove_attachment(df: DossierFile, attachment_id: int) -> None:
    """Only a file attached offline can be removed offline (it is then forgotten, never sent)."""
    s = df.store
    _writable(s)
    info = s.attachments.get(attachment_id)
    if info is None:
        return
    if attachment_id > 0:
        raise DossierError(NEEDS_SERVER_FILE)
    q = _queue(df)
    q.drop_ops([uid for uid, _seq, p in q.attached() if p.get("local") == attachment_id])
    del s.attachments[attachment_id]


def attachment_data(df: DossierFile, attachment_id: int) -> bytes:
    """The content of a file: from the queue file for one attached offline, else the server's."""
    if attachment_id > 0:
        return df.attachment_data(attachment_id)
    q = _queue(df)
    for _uid, seq, payload in q.attached():  # an unreadable queue file: set aside, said (QueueUnreadable)
        data = q.op_data(seq) if payload.get("local") == attachment_id else None
        if data is not None:
            return data
    raise DossierError("Cette pièce jointe n'existe plus dans le dossier.")


def add_comment(df: DossierFile, path: str, text_: str, *, comment_id: str | None = None) -> CommentInfo:
    s = df.store
    _writable(s)
    if path:
        s.check_path(path)
    cid = comment_id or str(uuid.uuid4())
    if cid in s.comments:
        raise InvalidEdit("Ce commentaire existe déjà.")
    # shown signed as the server will sign it when it is sent (the connected role, rights.py)
    author = s.author if s.backend is None else s.backend.signer()
    payload = {"id": cid, "path": path, "text": text_, "author": author, "organisation": s.organisation}
    _keep(df, "comment", payload)
    return s.comments[cid]


def set_comment_resolved(df: DossierFile, comment_id: str, resolved: bool = True) -> bool:
    """True when the state changed (and the change is kept)."""
    s = df.store
    _writable(s)
    info = s.comments.get(comment_id)
    if info is None or info.resolved == resolved:
        return False
    _keep(df, "comment_state", {"id": comment_id, "resolved": bool(resolved)})
    return True


def set_title(df: DossierFile, title: str) -> None:
    """« Renommer le dossier » while the server is away: kept with the title it replaces (sent only if
    the server still has that one: someone else's new title is not silently replaced)."""
    s = df.store
    _writable(s)
    title = title.strip()
    if not title or title == s.header.title:
        return
    _keep(df, "title", {"old": s.header.title, "new": title})


def _keep(df: DossierFile, kind: str, payload: dict[str, Any], data: bytes | None = None) -> None:
    """Kept durably first, then shown: what the window shows is always in the queue file."""
    _queue(df).keep_op(kind, payload, data)
    _show(df.store, kind, payload, data)


def _show(s: DossierStore, kind: str, p: dict[str, Any], data: bytes | None) -> None:
    """Apply one kept operation to the store's caches only (the server has it not yet)."""
    if kind == "row_add":
        field_id, rid = str(p["field"]), str(p["row"])
        if rid in s.row_field:
            return
        ids = s.rows.get(field_id, [])
        pos = max(0, min(int(p["index"]), len(ids)))
        s.rows[field_id] = ids[:pos] + [rid] + ids[pos:]
        s.row_field[rid] = field_id
        for k, v in _loaded(p["values"]).items():
            s.answers[f"{field_id}[{rid}].{k}"] = v
    elif kind == "row_remove":
        field_id, rid = str(p["field"]), str(p["row"])
        prefix = f"{field_id}[{rid}]."
        s.rows[field_id] = [r for r in s.rows.get(field_id, []) if r != rid]
        s.row_field.pop(rid, None)
        for path in [x for x in s.answers if x.startswith(prefix)]:
            del s.answers[path]
        for aid in [a.id for a in s.attachments.values() if a.path.startswith(prefix)]:
            del s.attachments[aid]
    elif kind == "row_move":
        field_id, rid = str(p["field"]), str(p["row"])
        ids = list(s.rows.get(field_id, []))
        if rid in ids:
            ids.remove(rid)
            ids.insert(max(0, min(int(p["index"]), len(ids))), rid)
            s.rows[field_id] = ids
    elif kind == "attach":
        local = int(p["local"])
        if local in s.attachments:  # shown again after a failed replay: numbered anew
            local = min([0, *s.attachments]) - 1
        size = len(data or b"")
        s.attachments[local] = AttachmentInfo(
            local, str(p["path"]), str(p["name"]), str(p["media_type"]), size, str(p["sha256"]), s.now()
        )
    elif kind == "comment":
        cid = str(p["id"])
        s.comments[cid] = CommentInfo(
            cid, str(p["path"]), str(p["author"]), str(p["organisation"]), s.now(), str(p["text"])
        )
    elif kind == "title":
        s.header = replace(s.header, title=str(p["new"]))
    elif kind == "comment_state":
        info = s.comments.get(str(p["id"]))
        if info is not None:
            resolved = bool(p["resolved"])
            s.comments[info.id] = replace(info, resolved=resolved, resolved_at=s.now() if resolved else None)


# -- sending them ---------------------------------------------------------------------------------


def replay_ops(df: DossierFile, q: EditQueue, ops: list[Op], report: ReplayReport) -> None:
    """Send ``ops`` in their order, each dropped from the queue file as soon as the server has it
    (a crash in between sends it again: it is then skipped, the server having it). SaveFailed
    when the server goes away again (what is left stays kept)."""
    from .queue import is_unreachable

    for n, op in enumerate(ops):
        try:
            done = _send(df, op, report)
        except (ValueError, TypeError, KeyError):
            report.messages.append(
                "Une opération gardée sur ce poste n'était pas lisible : elle n'a pas été envoyée."
            )
            done = None
        except DossierError as exc:
            if is_unreachable(exc):  # gone again: what is left stays kept, and shown
                for left in ops[n:]:
                    try:
                        _show(df.store, left.kind, left.payload, left.data)
                    except (ValueError, TypeError, KeyError):
                        pass
                raise
            # refused: its field or row is gone (a row removed, the form changed), or the rights
            said = f"{_said(df, op)} n'a pas pu être envoyé au serveur : {exc}"
            if op.kind == "attach" and op.data is not None:
                kept = _set_aside_file(queue_of(df), str(op.payload.get("name")), op.data)
                said += f" Le fichier est gardé sur ce poste sous « {kept} »."
            report.messages.append(said)
            done = None
        if done is True:
            report.ops_sent.append(op.kind)
        elif done is False:
            report.ops_skipped.append(op.kind)
        q.drop_ops([op.uid])


def _said(df: DossierFile, op: Op) -> str:
    """The operation, said in French, for a message (every noun masculine: « envoyé »)."""
    p = op.payload
    if op.kind == "attach":
        return f"Le fichier « {p.get('name')} » joint pendant la coupure"
    if op.kind == "comment":
        return f"Votre commentaire « {str(p.get('text'))[:80]} » écrit pendant la coupure"
    if op.kind == "comment_state":
        return "Le changement d'état d'un commentaire fait pendant la coupure"
    if op.kind == "title":
        return f"Le nouveau titre du dossier « {str(p.get('new'))[:80]} » choisi pendant la coupure"
    what = {"row_add": "L'ajout", "row_remove": "Le retrait", "row_move": "Le déplacement"}.get(
        op.kind, "L'ajout"
    )
    return f"{what} d'une ligne de « {_row_label(df, str(p.get('field')))} » fait pendant la coupure"


def _row_label(df: DossierFile, field_id: str) -> str:
    try:
        return df.template.field(field_id).label
    except KeyError:
        return field_id


def _send(df: DossierFile, op: Op, report: ReplayReport) -> bool | None:
    """True: written; False: the server had it already; None: not written, said in a message."""
    s = df.store
    p = op.payload
    if op.kind == "row_add":
        field_id, rid = str(p["field"]), str(p["row"])
        if rid in s.row_field:
            return False
        df.add_row(field_id, _loaded(p["values"]), index=int(p["index"]), row_id=rid)
        return True
    if op.kind == "row_remove":
        field_id, rid = str(p["field"]), str(p["row"])
        if rid not in s.rows.get(field_id, ()):
            return False
        prefix = f"{field_id}[{rid}]."
        theirs = {k: v for k, v in _row_values(s, field_id, rid).items() if not is_empty(v)}
        seen = {k: v for k, v in _loaded(p["seen"]).items() if not is_empty(v)}
        files = [a for a in s.attachments.values() if a.path.startswith(prefix)]
        if theirs != seen or files:
            report.messages.append(
                f"Une ligne de « {_row_label(df, field_id)} » que vous aviez supprimée pendant la coupure "
                "a été modifiée par quelqu'un d'autre entre-temps : elle n'a pas été supprimée, rien "
                "de ce qu'il y a écrit n'est perdu. Supprimez-la de nouveau si elle doit disparaître."
            )
            return None
        df.remove_row(field_id, rid)
        return True
    if op.kind == "row_move":
        field_id, rid = str(p["field"]), str(p["row"])
        ids = s.rows.get(field_id, [])
        if rid not in ids:
            return False  # removed by someone else meanwhile: nothing to move
        target = max(0, min(int(p["index"]), len(ids) - 1))
        if ids.index(rid) == target:
            return False
        df.move_row(field_id, rid, target)
        return True
    if op.kind == "attach":
        path, sha = str(p["path"]), str(p["sha256"])
        if op.data is None or hashlib.sha256(op.data).hexdigest() != sha:
            raise ValueError("le contenu d'un fichier ne correspond pas à son empreinte")
        if any(a.path == path and a.sha256 == sha and a.name == p["name"] for a in s.attachments.values()):
            return False
        df.add_attachment(path, op.data, name=str(p["name"]), media_type=str(p["media_type"]))
        return True
    if op.kind == "comment":
        cid = str(p["id"])
        if cid in s.comments:
            return False
        df.add_comment(str(p["path"]), str(p["text"]), comment_id=cid)
        return True
    if op.kind == "comment_state":
        cid, resolved = str(p["id"]), bool(p["resolved"])
        info = s.comments.get(cid)
        if info is None:
            report.messages.append(
                "Un commentaire dont vous aviez changé l'état pendant la coupure n'existe plus sur le serveur."
            )
            return None
        if info.resolved == resolved:
            return False
        df.set_comment_resolved(cid, resolved)
        return True
    if op.kind == "title":
        old, new = str(p["old"]), str(p["new"])
        if s.header.title == new:
            return False
        if s.header.title != old:
            report.messages.append(
                f"Le titre du dossier a été changé par quelqu'un d'autre pendant la coupure (« {s.header.title} ») : "
                f"votre titre « {new[:80]} » n'a pas été mis à sa place. Renommez le dossier si le vôtre doit rester."
            )
            return None
        df.set_title(new)
        return True
    raise ValueError(op.kind)


def _set_aside_file(q_path: EditQueue | None, name: str, data: bytes) -> str:
    """A file that could not be sent (its row is gone) is written beside the queue file: not lost."""
    import re

    from ..atomic import atomic_write_bytes

    folder = (q_path.path.parent if q_path is not None else Path(".")) / "fichiers-non-envoyes"
    safe = re.sub(r"[^\w.\- ]+", "_", name).strip(". ") or "piece-jointe"
    target = folder / safe
    n = 1
    while target.exists():
        n += 1
        target = folder / f"{Path(safe).stem}-{n}{Path(safe).suffix}"
    folder.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(target, data)
    return str(target)
