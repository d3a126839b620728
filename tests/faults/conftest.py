"""Fixtures of the fault suite: a main window whose dialogs are recorded, and an example dossier file.

Every dialog function is replaced: an unexpected dialog fails the test, ``show_error`` is recorded
so a test can assert on the French message the user would read.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from spie_desktop.ui.dialogs import QUESTIONS

DIALOGS = list(QUESTIONS)


def _unexpected(name):
    def fail(*args, **kwargs):
        raise AssertionError(f"dialogue inattendu : {name}")

    return fail


class Window:
    """A real MainWindow and what its error dialogs said."""

    def __init__(self, window, errors: list[tuple[str, str]]) -> None:
        self.window = window
        self.errors = errors


@pytest.fixture
def fault_window(qtbot, tmp_path, monkeypatch):
    from spie_desktop.app import create_application
    from spie_desktop.settings import Settings
    from spie_desktop.ui import dialogs
    from spie_desktop.ui.main_window import MainWindow

    for name in DIALOGS:
        monkeypatch.setattr(dialogs, name, _unexpected(name))
    errors: list[tuple[str, str]] = []
    monkeypatch.setattr(
        dialogs, "show_error", lambda parent, text, title="Opération impossible": errors.append((title, text))
    )
    create_application()
    w = MainWindow(Settings(author_name="Camille Panne"))
    w.resize(1100, 780)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    yield Window(w, errors)
    if w.controller is not None:
        w.controller.discard_and_close()
        w.controller = None
    w.close()
    w.deleteLater()


@pytest.fixture
def example_file(tmp_path_factory, example_document):
    """A real dossier made from the bundled example (answers, rows, attachments, comments), closed."""
    from spie_desktop.interchange import import_document

    return import_document(example_document, tmp_path_factory.mktemp("exemple") / "exemple.spie")
