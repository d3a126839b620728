"""Validation of interchange documents: every JSON path at fault, in French, before anything is written."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from datetime import datetime
from typing import Any

from .forms import FieldSpec, FieldType, Template
from .forms.loader import TemplateError, parse_template
from .forms.paths import ROW_KEY
from .models.errors import DossierError
from .safe_json import DOCUMENT_LIMITS

FORMAT = "spie-dossier"
FORMAT_VERSION = 1
_DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")
_ROW_ID = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
MAX_DEPTH = DOCUMENT_LIMITS.max_depth
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
            bad = 'un nombre décimal écrit en texte est attendu ("1234.50", jamais un nombre à virgule flottante)'
    elif t is FieldType.DATE:
        try:
            ok = (
                isinstance(value, str)
                and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)
                and datetime.fromisoformat(value)
            )
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
    elif t.is_online_only or t in (
        FieldType.PIECE_JUSTIFICATIVE,
        FieldType.HEADER_SECTION,
        FieldType.EXPLICATION,
        FieldType.REPETITION,
    ):
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
        raise InterchangeError(
            [f"format : « {FORMAT} » est attendu (ce n'est pas un fichier d'échange SPIE)"], source
        )
    version = data.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise InterchangeError(["format_version : un entier est attendu"], source)
    if version > FORMAT_VERSION:
        raise InterchangeError(
            [
                f"format_version : ce fichier vient d'une version plus récente de l'application (format {version})"
            ],
            source,
        )
    deep = _too_deep(data)
    if deep is not None:
        raise InterchangeError([f"{deep} : imbrication trop profonde (plus de {MAX_DEPTH} niveaux)"], source)
    bad_text = [] if _all_utf8(data) else _invalid_strings(data, "")
    if bad_text:
        raise InterchangeError(
            [
                f"{path or 'document'} : texte illisible (caractère Unicode isolé, sans doute un copier-coller abîmé)"
                for path in bad_text
            ],
            source,
        )
    if template is None:
        template = _template_of(data, source)
    dossier = data.get("dossier")
    if not isinstance(dossier, dict):
        problems.append("dossier : un objet {id, title, created_at, updated_at} est attendu")
    else:
        if not isinstance(dossier.get("id"), str) or not re.fullmatch(
            r"[0-9a-fA-F-]{36}", dossier.get("id") or ""
        ):
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
                        problems.append(
                            f"answers.{key}[{i}].{ck} : ce champ n'existe pas dans « {spec.label} »"
                        )
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
            ok = m is not None and m["field"] in index
            if m is not None and ok and m["index"] is not None:
                spec = index[m["field"]][1]
                ok = int(m["index"]) < rows_count.get(m["field"], 0) and any(
                    ch.id == m["child"] for ch in spec.children
                )
            if not ok:
                problems.append(
                    f"comments[{i}].field : « {str(where)[:80]} » ne désigne aucun champ du dossier"
                )
    entrusted = data.get("entrusted_sections", {})
    section_ids = {s.id for s in template.sections}
    if not isinstance(entrusted, dict) or not all(
        k in section_ids and isinstance(v, str) for k, v in entrusted.items()
    ):
        problems.append("entrusted_sections : un objet {section: partenaire} est attendu")
    if problems:
        raise InterchangeError(problems, source)
    return template


def _too_deep(node: Any, limit: int = MAX_DEPTH) -> str | None:
    """The path of a value nested deeper than *limit* (documents built in code skip the JSON reader)."""
    stack: list[tuple[Any, str, int]] = [(node, "document", 0)]
    while stack:
        item, path, depth = stack.pop()
        if depth > limit:
            return path
        if isinstance(item, dict):
            stack.extend(
                (v, f"{path}.{k}", depth + 1) for k, v in item.items() if isinstance(v, (dict, list))
            )
        elif isinstance(item, list):
            stack.extend(
                (v, f"{path}[{i}]", depth + 1) for i, v in enumerate(item) if isinstance(v, (dict, list))
            )
    return None


def _all_utf8(data: Any) -> bool:
    """True when every string of the document can be stored as UTF-8: one pass in C, no path built.

    False also for a document JSON cannot write (a key that is not text): the slow walk names what is wrong.
    """
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except (UnicodeEncodeError, TypeError, ValueError, RecursionError):
        return False
    return True


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
            problems.append(
                f"{where}.field : « {a.get('field')} » n'est pas un champ de pièce jointe du formulaire"
            )
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
