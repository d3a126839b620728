"""Read a template file into a :class:`Template`, refusing a broken one with the JSON path at fault."""

from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from .. import safe_json
from ..errors import SpieError
from ..safe_json import TEMPLATE_LIMITS, JsonInputError, read_json_file
from .limits import check_template_size
from .rules import RuleShapeError, validate_rule
from .types import FieldSpec, FieldType, Platform, Rule, Section, Template, VisibleIf

FORMAT = "spie-template"
FORMAT_VERSION = 1
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
TEMPLATE_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")

_FIELD_KEYS = {
    "id",
    "type",
    "label",
    "description",
    "required",
    "character_limit",
    "min",
    "max",
    "positive",
    "start_date",
    "end_date",
    "options",
    "other_option",
    "children",
    "min_rows",
    "visible_if",
    "ds_id",
    "level",
    "placeholder",
    "unit",
    "row_label",
    "collapsible_text",
    "file_template",
}


class TemplateError(SpieError, ValueError):
    """A template that cannot be used; the message is French and names the JSON path at fault."""

    def __init__(self, message: str, path: str = "", source: str = "") -> None:
        where = f" ({source})" if source else ""
        at = f" à l'emplacement {path}" if path else ""
        super().__init__(f"Modèle de formulaire invalide{where}{at} : {message}")
        self.path = path
        self.detail = message


def load_template_file(path: str | Path) -> Template:
    p = Path(path)
    try:
        data = read_json_file(p, limits=TEMPLATE_LIMITS)
    except FileNotFoundError:
        raise TemplateError("le fichier est introuvable", source=str(p)) from None
    except OSError as exc:
        raise TemplateError(
            f"le fichier ne peut pas être lu ({exc.__class__.__name__})", source=str(p)
        ) from None
    except JsonInputError as exc:
        raise TemplateError(exc.reason, source=str(p)) from None
    return parse_template(data, source=str(p))


def load_builtin_template_file(path: str | Path) -> Template:
    """A template shipped with the application: read as plain JSON, then checked as any other.

    The guarded reader (size, depth, duplicate keys, odd numbers: :mod:`safe_json`) is for files
    that come from elsewhere; it costs 7 ms on the built-in template against 0.5 ms for plain JSON,
    at every opening of a dossier (start-up, issue 14). The shipped files pass it: tested in
    ``tests/forms/test_registry.py``, so reading them plainly skips nothing they need."""
    p = Path(path)
    try:
        data = json.loads(p.read_bytes())
    except (OSError, ValueError) as exc:  # a damaged installation: said as for any template
        raise TemplateError(
            f"le fichier ne peut pas être lu ({exc.__class__.__name__})", source=str(p)
        ) from None
    return parse_template(data, source=str(p))


def load_template_text(text: str | bytes, source: str = "") -> Template:
    """A template given as JSON text (the one embedded in a ``.spie``): same reader, same checks as a file."""
    try:
        data = safe_json.loads(text, limits=TEMPLATE_LIMITS)
    except JsonInputError as exc:
        raise TemplateError(exc.reason, source=source) from None
    return parse_template(data, source=source)


def parse_template(data: Any, source: str = "") -> Template:
    try:
        return _Parser(source).template(data)
    except RuleShapeError as exc:
        raise TemplateError(exc.detail, exc.path, source) from None


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, path: str, message: str) -> TemplateError:
        return TemplateError(message, path, self.source)

    def need(self, d: dict, key: str, path: str) -> Any:
        if key not in d:
            raise self.fail(path, f"la clé « {key} » est obligatoire")
        return d[key]

    def text(self, v: Any, path: str, *, empty: bool = False) -> str:
        if not isinstance(v, str) or (not empty and not v.strip()):
            raise self.fail(path, "un texte non vide est attendu" if not empty else "un texte est attendu")
        return v

    def opt_text(self, d: dict, key: str, path: str) -> str:
        v = d.get(key)
        if v is None:
            return ""
        return self.text(v, f"{path}.{key}", empty=True)

    def boolean(self, d: dict, key: str, path: str) -> bool:
        v = d.get(key, False)
        if not isinstance(v, bool):
            raise self.fail(f"{path}.{key}", "true ou false est attendu")
        return v

    def decimal_text(self, d: dict, key: str, path: str) -> str | None:
        v = d.get(key)
        if v is None:
            return None
        if isinstance(v, bool) or not isinstance(v, (str, int)):
            raise self.fail(f"{path}.{key}", 'un nombre écrit en texte est attendu ("1500.50")')
        try:
            Decimal(str(v))
        except InvalidOperation:
            raise self.fail(f"{path}.{key}", f"« {v} » n'est pas un nombre") from None
        return str(v)

    def date_text(self, d: dict, key: str, path: str, params: dict) -> str | None:
        v = d.get(key)
        if v is None:
            return None
        if isinstance(v, str) and v.startswith("$"):
            if v[1:] not in params:
                raise self.fail(f"{path}.{key}", f"le paramètre « {v[1:]} » n'existe pas")
            return v
        if not isinstance(v, str) or not DATE_PATTERN.match(v):
            raise self.fail(f"{path}.{key}", "une date AAAA-MM-JJ ou un « $paramètre » est attendu")
        return v

    # -- template ------------------------------------------------------------------------------

    def template(self, data: Any) -> Template:
        if not isinstance(data, dict):
            raise self.fail("$", "un objet JSON est attendu")
        if data.get("format") != FORMAT:
            raise self.fail("$.format", f"« {FORMAT} » est attendu : ce fichier n'est pas un modèle SPIE")
        version = data.get("format_version")
        if not isinstance(version, int) or isinstance(version, bool):
            raise self.fail("$.format_version", "un entier est attendu")
        if version > FORMAT_VERSION:
            raise self.fail(
                "$.format_version",
                f"ce modèle a été écrit pour une version plus récente de l'application (format {version})",
            )
        check_template_size(data, self.fail)
        tid = self.text(self.need(data, "id", "$"), "$.id")
        if not TEMPLATE_ID_PATTERN.match(tid):
            raise self.fail("$.id", "lettres, chiffres, « . », « _ » et « - » seulement")
        params = data.get("parameters", {})
        if not isinstance(params, dict):
            raise self.fail("$.parameters", "un objet est attendu")
        deadline = data.get("deadline")
        if deadline is not None and (not isinstance(deadline, str) or not DATE_PATTERN.match(deadline)):
            raise self.fail("$.deadline", "une date AAAA-MM-JJ est attendue")
        sections_raw = self.need(data, "sections", "$")
        if not isinstance(sections_raw, list) or not sections_raw:
            raise self.fail("$.sections", "une liste non vide de sections est attendue")
        seen_sections: set[str] = set()
        seen_fields: dict[str, str] = {}
        sections = []
        for i, raw in enumerate(sections_raw):
            path = f"$.sections[{i}]"
            section = self.section(raw, path, params, seen_fields)
            if section.id in seen_sections:
                raise self.fail(f"{path}.id", f"l'identifiant de section « {section.id} » est déjà utilisé")
            seen_sections.add(section.id)
            sections.append(section)
        platform = self.platform(data.get("platform") or {}, "$.platform")
        rules_raw = data.get("rules", [])
        if not isinstance(rules_raw, list):
            raise self.fail("$.rules", "une liste est attendue")
        index = {f.id: f for s in sections for f in s.fields}
        rules = tuple(
            self.rule(r, f"$.rules[{i}]", index, params, seen_sections) for i, r in enumerate(rules_raw)
        )
        self.check_visibility(sections, index)
        return Template(
            id=tid,
            version=str(self.need(data, "version", "$")),
            title=self.text(self.need(data, "title", "$"), "$.title"),
            description=self.opt_text(data, "description", "$"),
            deadline=deadline,
            platform=platform,
            parameters=dict(params),
            sections=tuple(sections),
            rules=rules,
            source=self.source,
            raw=data,
        )

    def platform(self, raw: Any, path: str) -> Platform:
        if not isinstance(raw, dict):
            raise self.fail(path, "un objet est attendu")
        number = raw.get("procedure_number")
        if number is not None and (not isinstance(number, int) or isinstance(number, bool)):
            raise self.fail(f"{path}.procedure_number", "un entier ou null est attendu")
        proc_path = raw.get("procedure_path")
        if proc_path is not None:
            self.text(proc_path, f"{path}.procedure_path")
        host = raw.get("host", Platform.host)
        self.text(host, f"{path}.host")
        return Platform(host=host, procedure_path=proc_path, procedure_number=number)

    def section(self, raw: Any, path: str, params: dict, seen: dict[str, str]) -> Section:
        if not isinstance(raw, dict):
            raise self.fail(path, "une section est un objet")
        sid = self.text(self.need(raw, "id", path), f"{path}.id")
        if not ID_PATTERN.match(sid):
            raise self.fail(f"{path}.id", "minuscules, chiffres et « _ », en commençant par une lettre")
        fields_raw = self.need(raw, "fields", path)
        if not isinstance(fields_raw, list):
            raise self.fail(f"{path}.fields", "une liste de champs est attendue")
        fields = []
        for i, f in enumerate(fields_raw):
            fpath = f"{path}.fields[{i}]"
            spec = self.field(f, fpath, params)
            if spec.id in seen:
                raise self.fail(
                    f"{fpath}.id", f"l'identifiant « {spec.id} » est déjà utilisé à {seen[spec.id]}"
                )
            seen[spec.id] = fpath
            fields.append(spec)
        return Section(
            id=sid,
            title=self.text(self.need(raw, "title", path), f"{path}.title"),
            description=self.opt_text(raw, "description", path),
            fields=tuple(fields),
        )

    def field(self, raw: Any, path: str, params: dict, *, in_repetition: bool = False) -> FieldSpec:
        if not isinstance(raw, dict):
            raise self.fail(path, "un champ est un objet")
        unknown = set(raw) - _FIELD_KEYS
        if unknown:
            raise self.fail(f"{path}.{sorted(unknown)[0]}", "clé inconnue pour un champ")
        fid = self.text(self.need(raw, "id", path), f"{path}.id")
        if not ID_PATTERN.match(fid):
            raise self.fail(f"{path}.id", "minuscules, chiffres et « _ », en commençant par une lettre")
        type_name = self.need(raw, "type", path)
        try:
            ftype = FieldType(type_name)
        except ValueError:
            raise self.fail(f"{path}.type", f"type de champ inconnu « {type_name} »") from None
        if in_repetition and ftype in (FieldType.REPETITION, FieldType.HEADER_SECTION):
            raise self.fail(
                f"{path}.type", "une répétition ne peut contenir ni répétition ni titre de section"
            )
        limit = raw.get("character_limit")
        if limit is not None:
            if ftype is not FieldType.TEXTAREA:
                raise self.fail(
                    f"{path}.character_limit", "seule une zone de texte a une limite de caractères"
                )
            if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
                raise self.fail(f"{path}.character_limit", "un entier positif est attendu")
        options_raw = raw.get("options", [])
        if not isinstance(options_raw, list) or not all(isinstance(o, str) and o for o in options_raw):
            raise self.fail(f"{path}.options", "une liste de textes est attendue")
        if len(set(options_raw)) != len(options_raw):
            raise self.fail(f"{path}.options", "une option apparaît deux fois")
        if ftype in (FieldType.DROP_DOWN_LIST, FieldType.MULTIPLE_DROP_DOWN_LIST) and not options_raw:
            raise self.fail(f"{path}.options", "une liste déroulante a besoin d'au moins une option")
        children: tuple[FieldSpec, ...] = ()
        if ftype is FieldType.REPETITION:
            kids = self.need(raw, "children", path)
            if not isinstance(kids, list) or not kids:
                raise self.fail(f"{path}.children", "une répétition a besoin d'au moins un champ")
            seen: set[str] = set()
            built = []
            for i, k in enumerate(kids):
                child = self.field(k, f"{path}.children[{i}]", params, in_repetition=True)
                if child.id in seen:
                    raise self.fail(
                        f"{path}.children[{i}].id",
                        f"l'identifiant « {child.id} » est déjà utilisé dans cette répétition",
                    )
                seen.add(child.id)
                built.append(child)
            children = tuple(built)
        elif "children" in raw:
            raise self.fail(f"{path}.children", "seule une répétition a des champs enfants")
        min_rows = raw.get("min_rows")
        if min_rows is not None and (
            ftype is not FieldType.REPETITION or not isinstance(min_rows, int) or min_rows < 0
        ):
            raise self.fail(f"{path}.min_rows", "un entier positif, sur une répétition seulement")
        visible_if = None
        if "visible_if" in raw:
            v = raw["visible_if"]
            if not isinstance(v, dict) or "field" not in v or "equals" not in v:
                raise self.fail(f"{path}.visible_if", "un objet {field, equals} est attendu")
            visible_if = VisibleIf(
                field=self.text(v["field"], f"{path}.visible_if.field"), equals=v["equals"]
            )
        level = raw.get("level", 2)
        if not isinstance(level, int) or not 1 <= level <= 3:
            raise self.fail(f"{path}.level", "un niveau de 1 à 3 est attendu")
        ds_id = raw.get("ds_id")
        if ds_id is not None:
            self.text(ds_id, f"{path}.ds_id")
        label = self.need(raw, "label", path)
        return FieldSpec(
            id=fid,
            type=ftype,
            label=self.text(label, f"{path}.label"),
            description=self.opt_text(raw, "description", path),
            required=self.boolean(raw, "required", path),
            character_limit=limit,
            min=self.decimal_text(raw, "min", path),
            max=self.decimal_text(raw, "max", path),
            positive=self.boolean(raw, "positive", path),
            start_date=self.date_text(raw, "start_date", path, params),
            end_date=self.date_text(raw, "end_date", path, params),
            options=tuple(options_raw),
            other_option=self.boolean(raw, "other_option", path),
            children=children,
            min_rows=min_rows,
            visible_if=visible_if,
            ds_id=ds_id,
            level=level,
            placeholder=self.opt_text(raw, "placeholder", path),
            unit=self.opt_text(raw, "unit", path),
            row_label=self.opt_text(raw, "row_label", path),
            collapsible_text=self.opt_text(raw, "collapsible_text", path),
            file_template=self.opt_text(raw, "file_template", path),
        )

    def check_visibility(self, sections: list[Section], index: dict[str, FieldSpec]) -> None:
        for si, s in enumerate(sections):
            for fi, f in enumerate(s.fields):
                path = f"$.sections[{si}].fields[{fi}]"
                if f.visible_if and f.visible_if.field not in index:
                    raise self.fail(
                        f"{path}.visible_if.field", f"le champ « {f.visible_if.field} » n'existe pas"
                    )
                for ci, c in enumerate(f.children):
                    if c.visible_if:
                        siblings = {k.id for k in f.children}
                        if c.visible_if.field not in siblings and c.visible_if.field not in index:
                            raise self.fail(
                                f"{path}.children[{ci}].visible_if.field",
                                f"le champ « {c.visible_if.field} » n'existe pas",
                            )

    def rule(
        self, raw: Any, path: str, index: dict[str, FieldSpec], params: dict, sections: set[str]
    ) -> Rule:
        validate_rule(raw, path)
        self._check_refs(raw, path, index, params)
        section = raw.get("section")
        if section is not None and section not in sections:
            raise self.fail(f"{path}.section", f"la section « {section} » n'existe pas")
        args = {k: v for k, v in raw.items() if k not in ("id", "kind", "severity", "message", "section")}
        return Rule(
            id=raw["id"],
            kind=raw["kind"],
            severity=raw.get("severity", "bloquant"),
            message=raw["message"],
            section=section,
            args=args,
        )

    def _check_refs(self, node: Any, path: str, index: dict[str, FieldSpec], params: dict) -> None:
        """Every field, child and parameter a rule names must exist."""
        if isinstance(node, list):
            for i, item in enumerate(node):
                self._check_refs(item, f"{path}[{i}]", index, params)
            return
        if not isinstance(node, dict):
            return
        if isinstance(node.get("param"), str) and node["param"] not in params:
            raise self.fail(f"{path}.param", f"le paramètre « {node['param']} » n'existe pas")
        fid = node.get("field")
        if isinstance(fid, str):
            if fid not in index:
                raise self.fail(f"{path}.field", f"le champ « {fid} » n'existe pas")
            spec = index[fid]
            children = {c.id for c in spec.children}
            for key in ("child",):
                if isinstance(node.get(key), str) and node[key] not in children:
                    raise self.fail(
                        f"{path}.{key}", f"« {node[key]} » n'est pas un champ de la répétition « {fid} »"
                    )
            where = node.get("where")
            if (
                isinstance(where, dict)
                and isinstance(where.get("child"), str)
                and where["child"] not in children
            ):
                raise self.fail(
                    f"{path}.where.child",
                    f"« {where['child']} » n'est pas un champ de la répétition « {fid} »",
                )
        for key, value in node.items():
            if key != "where":
                self._check_refs(value, f"{path}.{key}", index, params)
