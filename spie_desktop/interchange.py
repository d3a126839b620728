"""The interchange JSON (format ``spie-dossier``, version 1): lossless export and validated import.

Values are JSON-typed by field type: text → string, integer_number → integer, decimal_number →
decimal string ("1234.50", never a float), date → "YYYY-MM-DD", yes_no/checkbox → true/false,
drop-downs → option text(s). Repetition rows carry their stable id under "_id". Attachments name
their field with the row's position: ``consortium[2].lettre_engagement``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

from .forms import FieldPath, Template, new_row_id
from .forms.paths import ROW_KEY
from .interchange_validation import _INDEX_PATH, FORMAT, FORMAT_VERSION, InterchangeError, validate_document
from .models.errors import DossierError
from .safe_json import DOCUMENT_LIMITS, JsonInputError, read_json_file
from .snapshot import AttachmentInfo, CommentInfo, DossierInfo, DossierSnapshot

# -- export ------------------------------------------------------------------------------------


def _index_path(snapshot: DossierSnapshot, path: str) -> str:
    return snapshot.display_path(path)


def document_from_snapshot(snapshot: DossierSnapshot, *, include_content: bool = True) -> dict[str, Any]:
    """The interchange document of a dossier; with ``include_content`` attachments carry their bytes."""
    t = snapshot.template
    answers: dict[str, Any] = {}
    for _section, spec in t.iter_fields():
        if spec.id not in snapshot.answers:
            continue
        value = snapshot.answers[spec.id]
        if spec.is_repetition:
            value = [dict(row) for row in value]
        answers[spec.id] = value
    attachments = []
    for a in snapshot.attachments:
        item: dict[str, Any] = {
            "field": _index_path(snapshot, a.path),
            "name": a.name,
            "media_type": a.media_type,
            "size": a.size,
            "sha256": a.sha256,
        }
        if include_content and snapshot.read_attachment is not None:
            item["content_base64"] = base64.b64encode(snapshot.read_attachment(a.id)).decode("ascii")
        attachments.append(item)
    comments = [
        {
            "id": c.id,
            "field": _index_path(snapshot, c.path) if c.path else "",
            "author": c.author,
            "organisation": c.organisation,
            "created_at": c.created_at,
            "text": c.text,
            "resolved": c.resolved,
            "resolved_at": c.resolved_at,
        }
        for c in snapshot.comments
    ]
    doc: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "template": {"id": t.id, "version": t.version},
        "dossier": {
            "id": snapshot.info.id,
            "title": snapshot.info.title,
            "created_at": snapshot.info.created_at,
            "updated_at": snapshot.info.updated_at,
        },
        "answers": answers,
        "attachments": attachments,
        "comments": comments,
    }
    if snapshot.entrusted:
        doc["entrusted_sections"] = dict(snapshot.entrusted)
    return doc


def dumps(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def export_json(spie_path: str | Path, out_path: str | Path) -> Path:
    from .atomic import atomic_write_text
    from .models import open_snapshot

    snap = open_snapshot(spie_path)
    atomic_write_text(out_path, dumps(document_from_snapshot(snap)))
    return Path(out_path)


# -- import ------------------------------------------------------------------------------------


def _rows_with_ids(data: dict, template: Template) -> dict[str, Any]:
    """The document's answers with a row id on every row (new ones where the document had none)."""
    answers = {}
    for key, value in (data.get("answers") or {}).items():
        if template.field(key).is_repetition:
            value = [{**row, ROW_KEY: row.get(ROW_KEY) or new_row_id()} for row in value]
        answers[key] = value
    return answers


def snapshot_from_document(data: dict, template: Template | None = None) -> DossierSnapshot:
    """A snapshot straight from a document, with no file: for checks and exports of JSON input."""
    return _snapshot_of_valid(data, validate_document(data, template))


def _snapshot_of_valid(data: dict, template: Template) -> DossierSnapshot:
    """:func:`snapshot_from_document` for a document already validated against ``template``."""
    answers = _rows_with_ids(data, template)
    d = data["dossier"]
    contents: dict[int, bytes] = {}
    atts = []
    stub = DossierSnapshot(
        template, DossierInfo(d["id"], d["title"], template.id, template.version, "", ""), answers
    )
    for i, a in enumerate(data.get("attachments") or (), start=1):
        raw = base64.b64decode(a["content_base64"])
        contents[i] = raw
        atts.append(
            AttachmentInfo(
                i,
                _stored_path(stub, a["field"]),
                a["name"],
                a.get("media_type") or "application/octet-stream",
                len(raw),
                hashlib.sha256(raw).hexdigest(),
            )
        )
    comments = tuple(
        CommentInfo(
            c.get("id") or f"c{i}",
            _stored_path(stub, c.get("field") or ""),
            c.get("author", ""),
            c.get("organisation", ""),
            c.get("created_at", ""),
            c["text"],
            bool(c.get("resolved")),
            c.get("resolved_at"),
        )
        for i, c in enumerate(data.get("comments") or ())
    )
    info = DossierInfo(
        d["id"], d["title"], template.id, template.version, d.get("created_at", ""), d.get("updated_at", "")
    )
    return DossierSnapshot(
        template,
        info,
        answers,
        tuple(atts),
        comments,
        0,
        dict(data.get("entrusted_sections") or {}),
        contents.__getitem__,
    )


def _stored_path(snapshot: DossierSnapshot, display: str) -> str:
    if not display:
        return ""
    m = _INDEX_PATH.match(display)
    if not m or m["index"] is None:
        return display
    rows = snapshot.rows(m["field"])
    return str(FieldPath(m["field"], rows[int(m["index"])][ROW_KEY], m["child"]))


def load_document(path: str | Path) -> dict:
    p = Path(path)
    try:
        return read_json_file(p, limits=DOCUMENT_LIMITS)
    except FileNotFoundError:
        raise DossierError(f"Le fichier « {p} » est introuvable.") from None
    except OSError:
        raise InterchangeError(["le fichier ne peut pas être lu"], str(p)) from None
    except JsonInputError as exc:
        raise InterchangeError([exc.reason], str(p)) from None


def import_document(
    data: dict, out_path: str | Path, *, author: str = "Import", organisation: str = "", source: str = ""
) -> Path:
    """Create ``out_path`` from a document: validated first, built beside it, renamed when complete."""
    from .models import DossierFile

    out = Path(out_path)
    if out.exists():
        raise DossierError(f"Le fichier « {out} » existe déjà : choisissez un autre nom.")
    template = validate_document(data, source=source)
    snap = _snapshot_of_valid(data, template)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()
    try:
        with (
            DossierFile.create(
                tmp,
                template,
                snap.info.title,
                author=author,
                organisation=organisation,
                dossier_id=snap.info.id,
                created_at=snap.info.created_at or None,
            ) as df,
            df.batch(),
        ):  # one transaction, its rows and change-log rows sent in bulk
            fill_from_snapshot(df, snap)
            df.set_timestamps(updated_at=snap.info.updated_at or None)
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".lock").unlink(missing_ok=True)
        raise
    return out


def fill_from_snapshot(df, snap: DossierSnapshot) -> None:
    """Write a snapshot's answers, rows, attachments, comments and entrusted sections into ``df``."""
    for key, value in snap.answers.items():
        spec = snap.template.field(key)
        if spec.is_repetition:
            for row in value:
                df.add_row(key, row, row_id=row[ROW_KEY])
        else:
            df.set_value(key, value)
    read = snap.read_attachment
    for a in snap.attachments:
        assert read is not None, "a snapshot that lists attachments can read them"
        df.add_attachment(a.path, read(a.id), name=a.name, media_type=a.media_type)
    for c in snap.comments:
        saved = (df.author, df.organisation)
        df.author, df.organisation = c.author, c.organisation
        df.add_comment(c.path, c.text, comment_id=c.id)
        df.author, df.organisation = saved
        if c.resolved:
            df.set_comment_resolved(c.id, True)
    for section_id, partner in snap.entrusted.items():
        df.entrust_section(section_id, partner)


def apply_answers(df, answers: dict[str, Any]) -> int:
    """Apply a partial answers object as recorded edits, all or nothing. Returns the number of edits.

    A top-level value replaces the answer (null clears it). A repetition's list describes its rows:
    a row with a known "_id" is updated in place (only the children it names), a row without one is
    added, and existing rows that the list leaves out are kept.
    """
    doc = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "template": {"id": df.template.id, "version": df.template.version},
        "dossier": {"id": df.info.id, "title": df.info.title},
        "answers": answers,
    }
    validate_document(doc, df.template)
    before = df.change_count
    with df.batch():
        for key, value in answers.items():
            spec = df.template.field(key)
            if not spec.is_repetition:
                df.set_value(key, value)
                continue
            existing = set(df.row_ids(key))
            for row in value:
                rid = row.get(ROW_KEY)
                if rid in existing:
                    for ck, cv in row.items():
                        if ck != ROW_KEY:
                            df.set_value(f"{key}[{rid}].{ck}", cv)
                else:
                    df.add_row(key, row, row_id=rid)
    return df.change_count - before


# -- the bundled example -----------------------------------------------------------------------


def example_document_path() -> Path:
    from .resources_path import resource

    return resource("examples", "exemple-dossier.json")


def create_example_copy(dest_dir: str | Path | None = None) -> Path:
    """A fresh .spie copy of the bundled example, so the original stays pristine."""
    from .settings import data_dir

    folder = Path(dest_dir) if dest_dir else data_dir() / "exemples"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y-%m-%d-%H%M%S")
    out = folder / f"exemple-{stamp}.spie"
    n = 1
    while out.exists():
        n += 1
        out = folder / f"exemple-{stamp}-{n}.spie"
    from .example_cache import copy_from_master

    example = example_document_path()
    copied = copy_from_master(
        folder, example, out, lambda master: import_document(load_document(example), master, author="Exemple")
    )
    if copied is not None:
        return copied
    data = load_document(example)
    data = {**data, "dossier": {**data["dossier"]}}
    import uuid

    data["dossier"]["id"] = str(uuid.uuid4())  # each copy is its own dossier
    return import_document(data, out, author="Exemple")


__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "InterchangeError",
    "apply_answers",
    "create_example_copy",
    "document_from_snapshot",
    "dumps",
    "example_document_path",
    "export_json",
    "fill_from_snapshot",
    "import_document",
    "load_document",
    "snapshot_from_document",
    "validate_document",
]
