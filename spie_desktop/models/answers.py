"""The dossier's own values: answers to fields, its title, the dates kept from an imported file."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..forms import FieldType
from ..forms.loader import load_template_text
from .errors import InvalidEdit
from .lazy_sql import sql
from .pending import upsert_answer
from .store import DossierStore
from .values import dump, is_empty


class Answers:
    def __init__(self, store: DossierStore) -> None:
        self._store = store

    def set_value(self, path: str, value: Any) -> bool:
        """Record one answer (None or "" clears it). False when nothing changed."""
        s = self._store
        _, spec = s.check_path(path)
        if not spec.type.holds_answer or spec.type in (FieldType.REPETITION, FieldType.PIECE_JUSTIFICATIVE):
            raise InvalidEdit(f"« {spec.label} » ne prend pas de réponse directe.")
        if is_empty(value):
            value = None
        old = s.answers.get(path)
        if old == value and type(old) is type(value):
            return False
        now = s.now()
        if s.backend is not None:  # a server: someone else may have changed it meanwhile
            with s.transaction() as c:
                s.backend.before_set(c, path, old, value)
                if value is None:
                    c.execute(sql.delete(sql.AnswerRow).where(sql.AnswerRow.path == path))
                else:
                    c.execute(upsert_answer(), {"p": path, "v": dump(value), "t": now})
                s.log(c, now, "set", path, old, value)
        elif value is None:
            with s.transaction() as c:
                c.execute(sql.delete(sql.AnswerRow).where(sql.AnswerRow.path == path))
                s.log(c, now, "set", path, old, value)
        else:
            with s.writes() as w:
                w.add(upsert_answer(), {"p": path, "v": dump(value), "t": now})
                s.log(w, now, "set", path, old, value)
        if value is None:
            s.answers.pop(path, None)
        else:
            s.answers[path] = value
        s.after_log(now)
        return True

    def set_title(self, title: str) -> None:
        s = self._store
        title = title.strip()
        if not title or title == s.header.title:
            return
        now = s.now()
        old = s.header.title
        with s.transaction() as c:
            c.execute(sql.update(sql.DossierRow).values(title=title))
            s.log(c, now, "title", "", old, title)
        s.header = replace(s.header, title=title)
        s.after_log(now)

    def set_timestamps(self, created_at: str | None = None, updated_at: str | None = None) -> None:
        """Keep the dates of a dossier brought in from an interchange file (not logged)."""
        s = self._store
        if not created_at and not updated_at:
            return
        created_at, updated_at = created_at or s.header.created_at, updated_at or s.header.updated_at
        with s.transaction() as c:
            c.execute(sql.update(sql.DossierRow).values(created_at=created_at, updated_at=updated_at))
        s.header = replace(s.header, created_at=created_at, updated_at=updated_at)

    def replace_template(self, raw: dict[str, Any], *, op: str, old: Any, new: Any) -> None:
        """Store a new copy of the form in the file (e.g. linked to the démarche), with its history row.

        The version must differ from the installed template's, or opening would prefer that one.
        """
        s = self._store
        text = dump(raw)
        template = load_template_text(text, source=str(s.path))  # never store a form that cannot be read back
        now = s.now()
        version = str(raw["version"])
        with s.transaction() as c:
            c.execute(sql.update(sql.DossierRow).values(template_json=text, template_version=version))
            changed = getattr(s.backend, "template_changed", None)
            if changed is not None:  # on a server: the map its rights are checked against follows the form
                changed(c, template)
            s.log(c, now, op, "", old, new)
        s.header = replace(s.header, template_json=text, template_version=version)
        s.forget_template()
        s.after_log(now)

    def record_event(self, op: str, new: Any) -> None:
        """A history row for something done outside the answers (the dossier sent to the platform)."""
        s = self._store
        now = s.now()
        with s.transaction() as c:
            s.log(c, now, op, "", None, new)
        s.after_log(now)
