"""The main window on a new, empty dossier of the built-in template, for the keyboard and check
tests: ``yield from blank_window(qtbot, tmp_path, monkeypatch)`` in a fixture."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication

from spie_desktop.app import create_application
from spie_desktop.forms import registry
from spie_desktop.models import DossierFile
from spie_desktop.settings import Settings
from spie_desktop.ui import dialogs
from spie_desktop.ui.main_window import MainWindow


def blank_window(qtbot, tmp_path, monkeypatch, *, wait_active: bool = True) -> Iterator[MainWindow]:
    monkeypatch.setenv("SPIE_DESKTOP_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("SPIE_DESKTOP_DATA_DIR", str(tmp_path / "data"))
    for name in ("show_error", "ask_unsaved_choice", "ask_lock_choice"):  # unexpected: fail, never block
        monkeypatch.setattr(
            dialogs, name, lambda *a, name=name, **k: pytest.fail(f"dialogue inattendu : {name}")
        )
    create_application()
    w = MainWindow(Settings(author_name="Camille Test"))
    qtbot.addWidget(w)
    w.resize(1200, 800)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    if wait_active:
        qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=2000)
    path = tmp_path / "dossier.spie"
    DossierFile.create(path, registry.find("ami-spie-2021-vague2"), "Dossier vierge").close()
    assert w.open_path(path)
    yield w
    while QApplication.activePopupWidget() is not None:
        QApplication.activePopupWidget().close()
    if w.controller is not None:
        w.controller.discard_and_close()
        w.controller = None
