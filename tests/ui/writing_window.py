"""A real main window on a 2021 dossier, for the writing-tools tests (search, spelling, paste, zoom, print)."""

from __future__ import annotations

from pathlib import Path

import pytest

from spie_desktop.app import create_application
from spie_desktop.forms import registry
from spie_desktop.models import DossierFile
from spie_desktop.settings import Settings
from spie_desktop.ui import dialogs
from spie_desktop.ui.dialogs import QUESTIONS
from spie_desktop.ui.main_window import MainWindow

TEMPLATE = "ami-spie-2021-vague2"
DIALOGS = list(QUESTIONS)


def forbid_dialogs(monkeypatch) -> None:
    for name in DIALOGS:  # a dialog nobody expected fails the test instead of blocking it

        def fail(*args, name=name, **kwargs):
            raise AssertionError(f"dialogue inattendu : {name}")

        monkeypatch.setattr(dialogs, name, fail)


def open_window(qtbot, settings: Settings, path: Path | None = None) -> MainWindow:
    create_application()
    w = MainWindow(settings)
    qtbot.addWidget(w)
    w.resize(1100, 780)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    if path is not None:
        assert w.open_path(path)
    return w


def close_window(w: MainWindow) -> None:
    if w.controller is not None:
        w.controller.discard_and_close()
        w.controller = None


def make_dossier(path: Path, answers: dict | None = None, rows: dict | None = None) -> Path:
    d = DossierFile.create(path, registry.find(TEMPLATE), "Dossier d'essai")
    for p, v in (answers or {}).items():
        d.set_value(p, v)
    for field_id, values in (rows or {}).items():
        for row in values:
            d.add_row(field_id, row)
    d.close()
    return path


@pytest.fixture
def writing_settings(monkeypatch):
    forbid_dialogs(monkeypatch)
    return Settings(author_name="Camille Test", author_organisation="CD Test")
