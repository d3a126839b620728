"""A partner's copy is untrusted input: every change row and value it would bring is checked first.

Like an import, the whole copy is refused, naming what is wrong, before anything is written:
rows claiming the recipient's own copy (replica id), identities used twice, unknown operations,
paths the form does not have, values of the wrong type, too deep or too large.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from ..forms import FieldType, Template
from ..forms.paths import FieldPath
from ..interchange_validation import _check_value
from ..models.attachments import MAX_ATTACHMENT
from ..models.dossier_file import ChangeRecord
from ..models.errors import DossierError
from ..models.values import MAX_DEPTH, depth, dump
from .units import Side, is_row_path, split_row_path

#: Every operation this application writes in a change log.
KNOWN_OPS = frozenset(
    {
        "set",
        "title",
        "row_add",
        "row_remove",
        "row_move",
        "attach",
        "detach",
        "comment",
        "comment_state",
        "entrust",
        "resolve",
        "merge",
        "copy",
        "link",
        "send",
    }
)
MAX_TEXT = 1_000_000  # characters of one value, one comment, or one change payload
MAX_NAME = 500  # an author, an organisation, a title, a file name
_REPLICA = re.compile(r"^[0-9A-Za-z-]{1,36}$")
_ROW_ID = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
MAX_SHOWN = 8


class HostileCopy(DossierError):
    """A copy whose content or history this application could not have written."""

    def __init__(self, path: str, problems: list[str]) -> None:
        shown = problems[:MAX_SHOWN]
        more = (
            f"\n  … et {len(problems) - MAX_SHOWN} autre(s) problème(s)" if len(problems) > MAX_SHOWN else ""
        )
        super().__init__(
            f"La copie « {path} » ne peut pas être intégrée : elle contient des données que l'application "
            "n'a pas pu écrire (fichier falsifié ou abîmé). Rien n'a été modifié.\n  - "
            + "\n  - ".join(shown)
            + more
        )
        self.problems = problems


def shown(value: Any, limit: int = 60) -> str:
    """A piece of the file, short and without control characters, for a message."""
    text = "".join(ch if ch.isprintable() else "?" for ch in str(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _iso(value: Any) -> bool:
    if not isinstance(value, str) or len(value) > 40:
        return False
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


class _Checker:
    def __init__(self, template: Template, theirs: Side) -> None:
        self.template = template
        self.theirs = theirs
        self.problems: list[str] = []

    def bad(self, where: str, what: str) -> None:
        self.problems.append(f"{where} : {what}")

    # -- paths and values ----------------------------------------------------------------------

    def answer_spec(self, where: str, path: Any, *, rows: dict[str, list[str]] | None = None) -> Any:
        """The field a stored answer path names, or None (problem recorded)."""
        if not isinstance(path, str):
            self.bad(where, "chemin absent")
            return None
        try:
            p = FieldPath.parse(path)
            spec = self.template.field(p.field)
        except (ValueError, KeyError):
            self.bad(where, f"le champ « {shown(path)} » n'existe pas dans ce formulaire")
            return None
        if p.row is not None:
            if spec.type is not FieldType.REPETITION:
                self.bad(where, f"« {shown(p.field)} » n'a pas de lignes")
                return None
            if rows is not None and p.row not in rows.get(p.field, ()):
                self.bad(where, f"la ligne « {shown(p.row)} » n'existe pas")
                return None
            try:
                spec = spec.child(p.child or "")
            except KeyError:
                self.bad(where, f"« {shown(p.child)} » n'est pas un champ de « {shown(spec.label)} »")
                return None
        return spec

    def value(self, where: str, spec: Any, value: Any) -> None:
        if value is None:
            return
        if not spec.type.holds_answer or spec.type in (FieldType.REPETITION, FieldType.PIECE_JUSTIFICATIVE):
            self.bad(where, f"« {shown(spec.label)} » ne prend pas de réponse directe")
            return
        problems: list[str] = []
        _check_value(spec, value, spec.id, problems)
        for p in problems:
            self.bad(where, p.split(" : ", 1)[-1])
        if isinstance(value, str) and len(value) > MAX_TEXT:
            self.bad(where, f"texte de plus de {MAX_TEXT} caractères")

    def row_field(self, where: str, path: Any) -> Any:
        if not isinstance(path, str) or not is_row_path(path):
            self.bad(where, f"« {shown(path)} » n'est pas une ligne de tableau")
            return None
        fid, _ = split_row_path(path)
        try:
            spec = self.template.field(fid)
        except KeyError:
            spec = None
        if spec is None or spec.type is not FieldType.REPETITION:
            self.bad(where, f"« {shown(fid)} » n'est pas un tableau de ce formulaire")
            return None
        return spec

    def row_values(self, where: str, rep: Any, values: Any) -> None:
        if not isinstance(values, dict):
            self.bad(where, "les valeurs de la ligne manquent")
            return
        for child, v in values.items():
            if child == "_id":
                continue
            try:
                spec = rep.child(child)
            except (KeyError, TypeError):
                self.bad(where, f"« {shown(child)} » n'est pas un champ de « {shown(rep.label)} »")
                continue
            self.value(where, spec, v)

    def short_text(self, where: str, value: Any, what: str, *, optional: bool = False) -> None:
        if value is None and optional:
            return
        if not isinstance(value, str) or len(value) > MAX_NAME:
            self.bad(where, f"{what} invalide")

    # -- one change row ------------------------------------------------------------------------

    def change(self, c: ChangeRecord) -> None:
        where = f"modification n° {c.id}"
        if (
            not _is_int(c.counter)
            or c.counter < 1
            or not isinstance(c.replica_id, str)
            or not _REPLICA.match(c.replica_id)
        ):
            self.bad(where, "son identité (copie, numéro) est invalide")
            return
        if not _iso(c.at):
            self.bad(where, f"date « {shown(c.at)} » invalide")
        self.short_text(where, c.author, "auteur")
        self.short_text(where, c.organisation, "organisation")
        for payload in (c.old, c.new):
            if (
                payload is None
                or isinstance(payload, (bool, int))
                or (isinstance(payload, str) and len(payload) * 6 + 2 <= MAX_TEXT)
            ):
                continue  # nests nothing, and even every character escaped it stays under the limit
            if depth(payload) > MAX_DEPTH:
                self.bad(where, f"valeur imbriquée sur plus de {MAX_DEPTH} niveaux")
                return
            if len(dump(payload)) > MAX_TEXT:
                self.bad(where, f"valeur de plus de {MAX_TEXT} caractères")
                return
        check = _OPS.get(c.op) if isinstance(c.op, str) else None
        if check is None:
            self.bad(where, f"opération « {shown(c.op)} » inconnue")
            return
        try:
            check(self, where, c)
        except (AttributeError, TypeError, ValueError, KeyError):
            self.bad(where, f"opération « {shown(c.op)} » mal formée")

    def op_set(self, where: str, c: ChangeRecord) -> None:
        spec = self.answer_spec(where, c.path)
        if spec is not None:
            self.value(where, spec, c.old)
            self.value(where, spec, c.new)

    def op_title(self, where: str, c: ChangeRecord) -> None:
        if c.path != "":
            self.bad(where, "un changement de titre ne porte sur aucun champ")
        self.short_text(where, c.old, "ancien titre", optional=True)
        self.short_text(where, c.new, "titre")

    def op_row(self, where: str, c: ChangeRecord) -> None:
        rep = self.row_field(where, c.path)
        if rep is None:
            return
        if c.op == "row_move":
            for v in (c.old, c.new):
                if not _is_int(v) or v < 0:
                    self.bad(where, f"position « {shown(v)} » invalide")
            return
        payload = c.new if c.op == "row_add" else c.old
        other = c.old if c.op == "row_add" else c.new
        if other is not None or not isinstance(payload, dict):
            self.bad(where, "contenu de ligne mal formé")
            return
        index = payload.get("index")
        if index is not None and (not _is_int(index) or index < 0):
            self.bad(where, f"position « {shown(index)} » invalide")
        self.row_values(where, rep, payload.get("values") or {})

    def op_attachment(self, where: str, c: ChangeRecord) -> None:
        spec = self.answer_spec(where, c.path)
        if spec is not None and spec.type is not FieldType.PIECE_JUSTIFICATIVE:
            self.bad(where, f"« {shown(spec.label)} » n'accepte pas de fichier")
        meta = c.new if c.op == "attach" else c.old
        if not isinstance(meta, dict):
            self.bad(where, "description de la pièce jointe manquante")
            return
        self.short_text(where, meta.get("name"), "nom de pièce jointe")
        size = meta.get("size")
        if not (isinstance(size, int) and _is_int(size) and 0 <= size <= MAX_ATTACHMENT):
            self.bad(where, "taille de pièce jointe invalide")
        if not isinstance(meta.get("sha256"), str) or not _SHA256.match(meta["sha256"]):
            self.bad(where, "empreinte de pièce jointe invalide")

    def op_comment(self, where: str, c: ChangeRecord) -> None:
        if c.path != "":
            self.answer_spec(where, c.path)
        new = c.new
        if not isinstance(new, dict) or not isinstance(new.get("id"), str) or len(new["id"]) > 64:
            self.bad(where, "commentaire mal formé")
            return
        if c.op == "comment" and (not isinstance(new.get("text"), str) or len(new["text"]) > MAX_TEXT):
            self.bad(where, "texte de commentaire invalide")
        if c.op == "comment_state" and not isinstance(new.get("resolved"), bool):
            self.bad(where, "état de commentaire invalide")

    def op_entrust(self, where: str, c: ChangeRecord) -> None:
        try:
            self.template.section(c.path)
        except (KeyError, TypeError):
            self.bad(where, f"la section « {shown(c.path)} » n'existe pas dans ce formulaire")
        self.short_text(where, c.old, "partenaire", optional=True)
        self.short_text(where, c.new, "partenaire", optional=True)

    def op_resolve(self, where: str, c: ChangeRecord) -> None:
        if c.path == "":
            self.short_text(where, c.old, "titre", optional=True)
            self.short_text(where, c.new, "titre", optional=True)
            return
        if isinstance(c.path, str) and is_row_path(c.path):
            rep = self.row_field(where, c.path)
            if rep is None:
                return
            for payload in (c.old, c.new):
                if payload is None:
                    continue
                if not isinstance(payload, dict):
                    self.bad(where, "contenu de ligne mal formé")
                    continue
                values = payload.get("values", payload) if payload is c.new else payload
                index = payload.get("index") if payload is c.new else None
                if index is not None and (not _is_int(index) or index < 0):
                    self.bad(where, f"position « {shown(index)} » invalide")
                self.row_values(where, rep, {k: v for k, v in (values or {}).items() if k != "index"})
            return
        self.op_set(where, c)

    def op_event(self, where: str, c: ChangeRecord) -> None:
        if c.path != "" or c.old is not None or not (c.new is None or isinstance(c.new, dict)):
            self.bad(where, "événement mal formé")

    def op_link(self, where: str, c: ChangeRecord) -> None:
        """The form linked to a démarche: a description of the old and new links, never the form itself."""
        if c.path != "" or not (c.old is None or isinstance(c.old, dict)) or not isinstance(c.new, dict):
            self.bad(where, "association à une démarche mal formée")

    # -- the copy's content --------------------------------------------------------------------

    def content(self, mine: Side) -> None:
        """What the merge could copy from THEIRS: values, rows, attachments, comments, sections, title."""
        theirs = self.theirs
        self.short_text("titre", theirs.title, "titre")
        for fid, ids in theirs.rows.items():
            self.row_field(f"tableau « {shown(fid)} »", f"{fid}[r]" if isinstance(fid, str) else fid)
            for rid in ids:
                if not isinstance(rid, str) or not _ROW_ID.match(rid):
                    self.bad(f"tableau « {shown(fid)} »", f"identifiant de ligne « {shown(rid)} » invalide")
        for path, value in theirs.values.items():
            if path in mine.values and mine.values[path] == value and type(mine.values[path]) is type(value):
                continue
            spec = self.answer_spec(f"réponse « {shown(path)} »", path, rows=theirs.rows)
            if spec is not None:
                self.value(f"réponse « {shown(path)} »", spec, value)
        for a in theirs.attachments:
            where = f"pièce jointe « {shown(a.name)} »"
            spec = self.answer_spec(where, a.path, rows=theirs.rows)
            if spec is not None and spec.type is not FieldType.PIECE_JUSTIFICATIVE:
                self.bad(where, f"« {shown(spec.label)} » n'accepte pas de fichier")
            self.short_text(where, a.name, "nom")
            self.short_text(where, a.media_type, "type")
            if not _is_int(a.size) or not 0 <= a.size <= MAX_ATTACHMENT or not _SHA256.match(str(a.sha256)):
                self.bad(where, "taille ou empreinte invalide")
        for cid, comment in theirs.comments.items():
            if mine.comments.get(cid) == comment:
                continue
            where = f"commentaire « {shown(cid)} »"
            if not isinstance(cid, str) or len(cid) > 64:
                self.bad(where, "identifiant invalide")
            if comment.path:
                self.answer_spec(where, comment.path, rows=theirs.rows)
            if not isinstance(comment.text, str) or len(comment.text) > MAX_TEXT:
                self.bad(where, "texte invalide")
            self.short_text(where, comment.author, "auteur")
            self.short_text(where, comment.organisation, "organisation")
        for sid, partner in theirs.entrusted.items():
            try:
                self.template.section(sid)
            except (KeyError, TypeError):
                self.bad(f"section « {shown(sid)} »", "n'existe pas dans ce formulaire")
            self.short_text(f"section « {shown(sid)} »", partner, "partenaire")


_OPS: dict[str, Callable[[_Checker, str, ChangeRecord], None]] = {
    "set": _Checker.op_set,
    "title": _Checker.op_title,
    "row_add": _Checker.op_row,
    "row_remove": _Checker.op_row,
    "row_move": _Checker.op_row,
    "attach": _Checker.op_attachment,
    "detach": _Checker.op_attachment,
    "comment": _Checker.op_comment,
    "comment_state": _Checker.op_comment,
    "entrust": _Checker.op_entrust,
    "resolve": _Checker.op_resolve,
    "merge": _Checker.op_event,
    "copy": _Checker.op_event,
    "link": _Checker.op_link,
    "send": _Checker.op_event,
}
assert set(_OPS) == KNOWN_OPS


def validate_copy(mine: Side, theirs: Side, template: Template, source: str) -> None:
    """Raise HostileCopy unless every change THEIRS would bring, and its content, could be ours."""
    checker = _Checker(template, theirs)
    mine_ids = {(c.replica_id, c.counter) for c in mine.changes}
    seen: set[tuple[Any, Any]] = set()
    for c in theirs.changes:
        ident = (c.replica_id, c.counter)
        try:
            hash(ident)
        except TypeError:
            checker.bad(f"modification n° {c.id}", "son identité (copie, numéro) est invalide")
            continue
        if ident in seen:
            checker.bad(f"modification n° {c.id}", "son identité (copie, numéro) est utilisée deux fois")
            continue
        seen.add(ident)
        if ident in mine_ids:
            continue  # both copies have it: nothing to bring
        if c.replica_id == mine.replica_id:
            checker.bad(
                f"modification n° {c.id}",
                "elle se présente comme faite dans ce dossier-ci, qui ne l'a jamais enregistrée",
            )
            continue
        checker.change(c)
    if checker.problems:
        raise HostileCopy(source, checker.problems)
    checker.content(mine)
    if checker.problems:
        raise HostileCopy(source, checker.problems)
