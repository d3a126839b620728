"""Finding templates: the built-in ones shipped in resources, and the user's own folder."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..errors import SpieError
from ..resources_path import resource
from .loader import TemplateError, load_builtin_template_file, load_template_file
from .types import Template


class UnknownTemplateError(SpieError, LookupError):
    """No installed template has this identifier (and version): when listing, importing or opening a dossier."""

    def __init__(self, template_id: str, version: str | None = None) -> None:
        v = f" (version {version})" if version else ""
        super().__init__(
            f"Le modèle de formulaire « {template_id} »{v} n'est pas installé. Ajoutez son fichier "
            "dans le dossier des modèles, ou ouvrez le dossier avec une version de l'application qui le connaît."
        )
        self.template_id = template_id


@dataclass(frozen=True)
class TemplateEntry:
    """An installed form and the file it was read from."""

    template: Template
    path: Path
    builtin: bool


def builtin_dir() -> Path:
    return resource("templates")


def user_dir() -> Path:
    from ..settings import user_templates_dir

    return user_templates_dir()


@cache
def _load_cached(path: str, mtime_ns: int, builtin: bool) -> Template:
    return load_builtin_template_file(path) if builtin else load_template_file(path)


def load(path: Path, *, builtin: bool = False) -> Template:
    """The template in ``path``; ``builtin``: a file shipped with the application (see
    :func:`~spie_desktop.forms.loader.load_builtin_template_file`), never a user's or a partner's."""
    return _load_cached(str(path), path.stat().st_mtime_ns, builtin)


def _files(folder: Path, builtin: bool, wanted: str | None) -> list[Path]:
    files = [p for p in sorted(folder.glob("*.json")) if not p.name.endswith(".schema.json")]
    if builtin and wanted is not None:
        # a built-in template's file is named after its id (tests/forms/test_registry.py): only that
        # one is read when a dossier names its form (opening: the other forms are not parsed)
        named = [p for p in files if p.stem == wanted]
        return named or files
    return files


def available(
    include_user: bool = True, *, wanted: str | None = None
) -> tuple[list[TemplateEntry], list[TemplateError]]:
    """All usable templates (built-in first), and the errors of user files that were skipped.
    ``wanted``: an id that is looked for; of the built-in templates only its own file is read."""
    entries: list[TemplateEntry] = []
    errors: list[TemplateError] = []
    folders = [(builtin_dir(), True)]
    if include_user:
        folders.append((user_dir(), False))
    seen: set[tuple[str, str]] = set()
    for folder, builtin in folders:
        if not folder.is_dir():
            continue
        for p in _files(folder, builtin, wanted):
            try:
                t = load(p, builtin=builtin)
            except TemplateError as exc:
                if builtin:
                    raise
                errors.append(exc)
                continue
            if (t.id, t.version) in seen:
                continue
            seen.add((t.id, t.version))
            entries.append(TemplateEntry(t, p, builtin))
    return entries, errors


def find(template_id: str, version: str | None = None) -> Template:
    """The template with this id (and version, when given; else the newest installed)."""
    entries, _ = available(wanted=template_id)
    matches = [e.template for e in entries if e.template.id == template_id]
    if version is not None:
        exact = [t for t in matches if t.version == version]
        if exact:
            return exact[0]
    if not matches:
        raise UnknownTemplateError(template_id, version)
    # another revision of the same form still reads the answers: its keys are stable ids
    return matches[-1]


def resolve(spec: str) -> Template:
    """A template id, or a path to a template file."""
    p = Path(spec)
    if p.suffix.lower() == ".json" and p.exists():
        return load_template_file(p)
    return find(spec)
