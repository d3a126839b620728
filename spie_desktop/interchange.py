"""The interchange JSON (format ``spie-dossier``, version 1): lossless export and validated import.

Values are JSON-typed by field type: text → string, integer_number → integer, decimal_number →
decimal string ("1234.50", never a float), date → "YYYY-MM-DD", yes_no/checkbox → true/false,
drop-downs → option text(s). Repetition rows carry their stable id under "_id". Attachments name
their field with the row's position: ``consortium[2].lettre_engagement``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import re
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

from .forms import FieldPath, FieldSpec, FieldType, Template, new_row_id
from .forms.loader import TemplateError, parse_template
from .forms.paths import ROW_KEY
from .models.errors import DossierError
from .snapshot import AttachmentInfo, CommentInfo, DossierInfo, DossierSnapshot

FORMAT = "spie-dossier"
FORMAT_VERSION = 1
_DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")
_ROW_ID = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
_INDEX_PATH = re.compile(r"^(?P<field>[a-z][a-z0-9_]*)(?:\[(?P<index>\d+)\]\.(?P<child>[a-z][a-z0-9_]*))?$")


class InterchangeError(DossierError):
    """A document that cannot be imported; ``problems`` lists every JSON path at fault."""

    def __init__(self, problems: list[str], source: str = "") -> None:
        where = f" « {source} »" if source else ""
        shown = problems[:30]
        more = f"\n  … et {len(problems) - 30} autre(s)" if len(problems) > 30 else ""
        super().__init__(
            f"Le fichier d'échange{where} ne peut pas être importé :\n  - " + "\n  - ".join(shown) + more
        )
        self.problems = problems


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
            "field": _index_path(snapshot, a.path), "name": a.name, "media_type": a.media_type,
            "size": a.size, "sha256": a.sha256,
        }
        if include_content and snapshot.read_attachment is not None:
            item["content_base64"] = base64.b64encode(snapshot.read_attachment(a.id)).decode("ascii")
        attachments.append(item)
    comments = [
        {
            "id": c.id, "field": _index_path(snapshot, c.path) if c.path else "", "author": c.author,
            "organisation": c.organisation, "created_at": c.created_at, "text": c.text,
            "resolved": c.resolved, "resolved_at": c.resolved_at,
        }
        for c in snapshot.comments
    ]
    doc: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "template": {"id": t.id, "version": t.version},
        "dossier": {
            "id": snapshot.info.id, "title": snapshot.info.title,
            "created_at": snapshot.info.created_at, "updated_at": snapshot.info.updated_at,
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


# -- validation --------------------------------------------------------------------------------


def _check_value(spec: FieldSpec, value: Any, path: str, problems: list[str]) -> None:
    t = spec.type
    if value is None:
        return
    bad = None
    if t is FieldType.INTEGER_NUMBER:
        if not isinstance(value, int) or isinstance(value, bool):
            bad = "un nombre entier JSON est attendu (sans guillemets)"
    elif t is FieldType.DECIMAL_NUMBER:
        if not isinstance(value, str) or not _DECIMAL.match(value):
            bad = "un nombre décimal écrit en texte est attendu (\"1234.50\", jamais un nombre à virgule flottante)"
    elif t is FieldType.DATE:
        try:
            ok = isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) and datetime.fromisoformat(value)
        except ValueError:
            ok = False
        if not ok:
            bad = "une date réelle au format AAAA-MM-JJ est attendue"
    elif t is FieldType.DATETIME:
        try:
            ok = isinstance(value, str) and datetime.fromisoformat(value)
        except ValueError:
            ok = False
        if not ok:
            bad = "une date et heure ISO 8601 est attendue"
    elif t in (FieldType.YES_NO, FieldType.CHECKBOX):
        if not isinstance(value, bool):
            bad = "true ou false est attendu"
    elif t is FieldType.MULTIPLE_DROP_DOWN_LIST:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            bad = "une liste de textes est attendue"
        else:
            unknown = [v for v in value if v not in spec.options]
            if unknown:
                bad = f"« {unknown[0]} » n'est pas une des options proposées"
    elif t is FieldType.DROP_DOWN_LIST:
        if not isinstance(value, str):
            bad = "un texte est attendu"
        elif value not in spec.options and not spec.other_option:
            bad = f"« {value[:60]} » n'est pas une des options proposées"
    elif t in (FieldType.PIECE_JUSTIFICATIVE, FieldType.HEADER_SECTION, FieldType.EXPLICATION, FieldType.REPETITION):
        bad = "ce champ ne prend pas de valeur ici"
    elif not isinstance(value, str):
        bad = "un texte est attendu"
    if bad:
        problems.append(f"answers.{path} : {bad}")


def validate_document(data: Any, template: Template | None = None, source: str = "") -> Template:
    """Check a whole document; raise InterchangeError listing every path at fault."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise InterchangeError(["le document doit être un objet JSON"], source)
    if data.get("format") != FORMAT:
        raise InterchangeError([f"format : « {FORMAT} » est attendu (ce n'est pas un fichier d'échange SPIE)"], source)
    version = data.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise InterchangeError(["format_version : un entier est attendu"], source)
    if version > FORMAT_VERSION:
        raise InterchangeError(
            [f"format_version : ce fichier vient d'une version plus récente de l'application (format {version})"], source
        )
    bad_text = _invalid_strings(data, "")
    if bad_text:
        raise InterchangeError(
            [f"{path or 'document'} : texte illisible (caractère Unicode isolé, sans doute un copier-coller abîmé)"
             for path in bad_text], source)
    if template is None:
        template = _template_of(data, source)
    dossier = data.get("dossier")
    if not isinstance(dossier, dict):
        problems.append("dossier : un objet {id, title, created_at, updated_at} est attendu")
    else:
        if not isinstance(dossier.get("id"), str) or not re.fullmatch(r"[0-9a-fA-F-]{36}", dossier.get("id") or ""):
            problems.append("dossier.id : un identifiant UUID est attendu")
        if not isinstance(dossier.get("title"), str) or not dossier.get("title", "").strip():
            problems.append("dossier.title : un titre non vide est attendu")
        for key in ("created_at", "updated_at"):
            v = dossier.get(key)
            try:
                if v is not None:
                    datetime.fromisoformat(v)
            except (TypeError, ValueError):
                problems.append(f"dossier.{key} : une date ISO 8601 est attendue")
    answers = data.get("answers", {})
    rows_count: dict[str, int] = {}
    if not isinstance(answers, dict):
        problems.append("answers : un objet est attendu")
        answers = {}
    index = template.field_index()
    seen_rows: set[str] = set()
    for key, value in answers.items():
        if key not in index:
            problems.append(f"answers.{key} : ce champ n'existe pas dans le formulaire « {template.title} »")
            continue
        spec = index[key][1]
        if spec.is_repetition:
            if not isinstance(value, list):
                problems.append(f"answers.{key} : une liste de lignes est attendue")
                continue
            rows_count[key] = len(value)
            for i, row in enumerate(value):
                if not isinstance(row, dict):
                    problems.append(f"answers.{key}[{i}] : une ligne est un objet")
                    continue
                rid = row.get(ROW_KEY)
                if rid is not None and (not isinstance(rid, str) or not _ROW_ID.match(rid)):
                    problems.append(f"answers.{key}[{i}]._id : identifiant de ligne invalide")
                elif rid is not None:
                    if rid in seen_rows:
                        problems.append(f"answers.{key}[{i}]._id : identifiant de ligne en double")
                    seen_rows.add(rid)
                children = {c.id: c for c in spec.children}
                for ck, cv in row.items():
                    if ck == ROW_KEY:
                        continue
                    if ck not in children:
                        problems.append(f"answers.{key}[{i}].{ck} : ce champ n'existe pas dans « {spec.label} »")
                        continue
                    _check_value(children[ck], cv, f"{key}[{i}].{ck}", problems)
        else:
            _check_value(spec, value, key, problems)
    _check_attachments(data.get("attachments", []), index, rows_count, problems)
    comments = data.get("comments", [])
    if not isinstance(comments, list):
        problems.append("comments : une liste est attendue")
    else:
        for i, c in enumerate(comments):
            if not isinstance(c, dict) or not isinstance(c.get("text"), str):
                problems.append(f"comments[{i}] : un objet avec au moins « text » est attendu")
                continue
            where = c.get("field", "")
            if where in ("", None):
                continue
            m = _INDEX_PATH.match(where) if isinstance(where, str) else None
            ok = bool(m) and m["field"] in index
            if ok and m["index"] is not None:
                spec = index[m["field"]][1]
                ok = (int(m["index"]) < rows_count.get(m["field"], 0)
                      and any(ch.id == m["child"] for ch in spec.children))
            if not ok:
                problems.append(f"comments[{i}].field : « {str(where)[:80]} » ne désigne aucun champ du dossier")
    entrusted = data.get("entrusted_sections", {})
    section_ids = {s.id for s in template.sections}
    if not isinstance(entrusted, dict) or not all(k in section_ids and isinstance(v, str) for k, v in entrusted.items()):
        problems.append("entrusted_sections : un objet {section: partenaire} est attendu")
    if problems:
        raise InterchangeError(problems, source)
    return template


def _invalid_strings(node: Any, path: str, found: list[str] | None = None) -> list[str]:
    """JSON paths of strings that cannot be stored as UTF-8 (lone surrogates from "\\ud800")."""
    found = [] if found is None else found
    if len(found) >= 30:
        return found
    if isinstance(node, str):
        try:
            node.encode("utf-8")
        except UnicodeEncodeError:
            found.append(path)
    elif isinstance(node, dict):
        for k, v in node.items():
            sub = f"{path}.{k}" if path else str(k)
            _invalid_strings(k, sub, found)
            _invalid_strings(v, sub, found)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            _invalid_strings(v, f"{path}[{i}]", found)
    return found


def _check_attachments(items: Any, index: dict, rows_count: dict[str, int], problems: list[str]) -> None:
    if not isinstance(items, list):
        problems.append("attachments : une liste est attendue")
        return
    for i, a in enumerate(items):
        where = f"attachments[{i}]"
        if not isinstance(a, dict):
            problems.append(f"{where} : un objet est attendu")
            continue
        m = _INDEX_PATH.match(str(a.get("field", "")))
        spec = None
        if m and m["field"] in index:
            spec = index[m["field"]][1]
            if m["index"] is not None:
                spec = next((c for c in spec.children if c.id == m["child"]), None)
                if int(m["index"]) >= rows_count.get(m["field"], 0):
                    problems.append(f"{where}.field : la ligne {m['index']} n'existe pas")
        if spec is None or spec.type is not FieldType.PIECE_JUSTIFICATIVE:
            problems.append(f"{where}.field : « {a.get('field')} » n'est pas un champ de pièce jointe du formulaire")
        if not isinstance(a.get("name"), str) or not a.get("name"):
            problems.append(f"{where}.name : un nom de fichier est attendu")
        content = a.get("content_base64")
        if not isinstance(content, str):
            problems.append(f"{where}.content_base64 : le contenu du fichier manque")
            continue
        try:
            raw = base64.b64decode(content, validate=True)
        except (binascii.Error, ValueError):
            problems.append(f"{where}.content_base64 : ce n'est pas du Base64 valide")
            continue
        if a.get("size") is not None and a.get("size") != len(raw):
            problems.append(f"{where}.size : la taille ne correspond pas au contenu")
        if a.get("sha256") is not None and a.get("sha256") != hashlib.sha256(raw).hexdigest():
            problems.append(f"{where}.sha256 : l'empreinte ne correspond pas au contenu (fichier altéré ?)")


def _template_of(data: dict, source: str) -> Template:
    from .forms import registry

    ref = data.get("template")
    if not isinstance(ref, dict) or not isinstance(ref.get("id"), str):
        raise InterchangeError(["template : un objet {id, version} est attendu"], source)
    definition = data.get("template_definition")
    try:
        return registry.find(ref["id"], str(ref.get("version")) if ref.get("version") is not None else None)
    except LookupError as exc:
        if isinstance(definition, dict):
            try:
                return parse_template(definition, source=source)
            except TemplateError as terr:
                raise InterchangeError([f"template_definition : {terr}"], source) from None
        raise InterchangeError([f"template : {exc}"], source) from None


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
    template = validate_document(data, template)
    answers = _rows_with_ids(data, template)
    d = data["dossier"]
    contents: dict[int, bytes] = {}
    atts = []
    stub = DossierSnapshot(template, DossierInfo(d["id"], d["title"], template.id, template.version, "", ""), answers)
    for i, a in enumerate(data.get("attachments") or (), start=1):
        raw = base64.b64decode(a["content_base64"])
        contents[i] = raw
        atts.append(AttachmentInfo(i, _stored_path(stub, a["field"]), a["name"], a.get("media_type") or
                                   "application/octet-stream", len(raw), hashlib.sha256(raw).hexdigest()))
    comments = tuple(
        CommentInfo(c.get("id") or f"c{i}", _stored_path(stub, c.get("field") or ""), c.get("author", ""),
                    c.get("organisation", ""), c.get("created_at", ""), c["text"], bool(c.get("resolved")),
                    c.get("resolved_at"))
        for i, c in enumerate(data.get("comments") or ())
    )
    info = DossierInfo(d["id"], d["title"], template.id, template.version, d.get("created_at", ""), d.get("updated_at", ""))
    return DossierSnapshot(template, info, answers, tuple(atts), comments, 0,
                           dict(data.get("entrusted_sections") or {}), contents.__getitem__)


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
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DossierError(f"Le fichier « {p} » est introuvable.") from None
    except (OSError, UnicodeDecodeError):
        raise InterchangeError(["le fichier ne peut pas être lu comme du texte UTF-8"], str(p)) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InterchangeError([f"ce n'est pas du JSON valide (ligne {exc.lineno}, colonne {exc.colno})"], str(p)) from None


def import_document(data: dict, out_path: str | Path, *, author: str = "Import", organisation: str = "",
                    source: str = "") -> Path:
    """Create ``out_path`` from a document: validated first, built beside it, renamed when complete."""
    from .models import DossierFile

    out = Path(out_path)
    if out.exists():
        raise DossierError(f"Le fichier « {out} » existe déjà : choisissez un autre nom.")
    template = validate_document(data, source=source)
    snap = snapshot_from_document(data, template)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()
    try:
        with DossierFile.create(tmp, template, snap.info.title, author=author, organisation=organisation,
                                dossier_id=snap.info.id, created_at=snap.info.created_at or None) as df:
            with df.batch():
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
    for a in snap.attachments:
        df.add_attachment(a.path, snap.read_attachment(a.id), name=a.name, media_type=a.media_type)
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
    doc = {"format": FORMAT, "format_version": FORMAT_VERSION,
           "template": {"id": df.template.id, "version": df.template.version},
           "dossier": {"id": df.info.id, "title": df.info.title}, "answers": answers}
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
    data = load_document(example_document_path())
    data = {**data, "dossier": {**data["dossier"]}}
    stamp = datetime.now().strftime("%Y-%m-%d-%H%M%S")
    out = folder / f"exemple-{stamp}.spie"
    n = 1
    while out.exists():
        n += 1
        out = folder / f"exemple-{stamp}-{n}.spie"
    import uuid

    data["dossier"]["id"] = str(uuid.uuid4())  # each copy is its own dossier
    return import_document(data, out, author="Exemple")


__all__ = [
    "FORMAT", "FORMAT_VERSION", "InterchangeError", "apply_answers", "create_example_copy", "document_from_snapshot",
    "dumps", "example_document_path", "export_json", "fill_from_snapshot", "import_document", "load_document",
    "snapshot_from_document", "validate_document",
]
