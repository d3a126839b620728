"""User settings: one small typed object in the platformdirs config dir; corrupt means defaults."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from . import APP_ID
from .safe_json import JsonLimits, read_json_file

MAX_RECENT = 12
SETTINGS_LIMITS = JsonLimits(max_bytes=4 * 1024 * 1024)


def _dirs():
    from platformdirs import PlatformDirs

    return PlatformDirs(APP_ID, appauthor=False, roaming=True)


def config_dir() -> Path:
    override = os.environ.get("SPIE_DESKTOP_CONFIG_DIR")
    return Path(override) if override else Path(_dirs().user_config_dir)


def data_dir() -> Path:
    override = os.environ.get("SPIE_DESKTOP_DATA_DIR")
    return Path(override) if override else Path(_dirs().user_data_dir)


def user_templates_dir() -> Path:
    return data_dir() / "modeles"


def default_dossier_dir() -> Path:
    """Where new dossiers go unless the user chose otherwise: Documents/SPIE."""
    from platformdirs import user_documents_dir

    return Path(user_documents_dir()) / "Dossiers SPIE"


@dataclass
class Settings:
    """What the person chose (name, folders, recent files, window state), kept in settings.json."""

    author_name: str = ""
    author_organisation: str = ""
    default_folder: str = ""
    recent_files: list[str] = field(default_factory=list)
    extra_hosts: list[str] = field(default_factory=list)  # platform hosts added in Préférences (https only)
    spell_check: bool = True  # unknown words underlined as one types
    text_size: int = 0  # points; 0: the system's size (zoom: Ctrl++ / Ctrl+- / Ctrl+0)
    ui: dict = field(default_factory=dict)  # window geometry, last section per dossier…

    @property
    def author_label(self) -> str:
        if self.author_name and self.author_organisation:
            return f"{self.author_name} ({self.author_organisation})"
        return self.author_name or self.author_organisation or "Anonyme"

    def add_recent(self, path: str | Path) -> None:
        from .server import names_server

        if names_server(path):  # a dossier on a server: the server dialog remembers it (not its password)
            return
        p = str(Path(path).resolve())
        self.recent_files = [p] + [r for r in self.recent_files if r != p]
        del self.recent_files[MAX_RECENT:]

    def remove_recent(self, path: str | Path) -> None:
        p = str(path)
        self.recent_files = [r for r in self.recent_files if r != p and r != str(Path(p).resolve())]


#: settings.ui: what the start screen's recent list shows of each dossier (title, form, completion)
RECENT_INFO_KEY = "recent_info"


def remember_dossier(
    settings: Settings, path: Path, title: str, template: str, progress: float | None
) -> None:
    """Cache what the recent list shows, so the start screen does not reopen the file."""
    cache = settings.ui.setdefault(RECENT_INFO_KEY, {})
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        mtime = 0
    cache[str(path.resolve())] = {"title": title, "template": template, "progress": progress, "mtime": mtime}
    for key in [k for k in cache if k not in settings.recent_files][: max(0, len(cache) - 40)]:
        del cache[key]


def settings_path() -> Path:
    return config_dir() / "settings.json"


def load_settings(path: Path | None = None) -> Settings:
    """Read the settings; a missing, unreadable or corrupt file gives the defaults."""
    path = path or settings_path()
    try:
        data = read_json_file(path, limits=SETTINGS_LIMITS)
    except (OSError, ValueError):
        return Settings()
    if not isinstance(data, dict):
        return Settings()
    s = Settings()
    for f in fields(Settings):
        value = data.get(f.name)
        default = getattr(s, f.name)
        if value is not None and isinstance(value, type(default)):
            if isinstance(value, list):
                value = [v for v in value if isinstance(v, str)]
            setattr(s, f.name, value)
    return s


def save_settings(settings: Settings, path: Path | None = None) -> None:
    """Write atomically; settings are never worth a crash, so errors are swallowed by callers."""
    from .atomic import atomic_write_bytes

    path = path or settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(path, json.dumps(asdict(settings), ensure_ascii=False, indent=2).encode("utf-8"))
