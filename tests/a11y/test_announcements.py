"""Issue 13: changes away from the focus are said to a screen reader, through the real AT-SPI bus.

The real window runs under Xvfb with Qt's bridge on a private bus (a11ykit); a listener in the
system Python (pyatspi) collects ``object:announcement`` events while the window removes and puts
back a row, attaches a file, fails to save and shows an error under a field the user left.
"""

from __future__ import annotations

import os

import pytest

from a11ykit import accessibility_session, missing_tools

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def said() -> dict[str, list[dict]]:
    missing = missing_tools()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"il manque pour l'audit d'accessibilité : {', '.join(missing)}")
        pytest.skip(f"il manque : {', '.join(missing)}")
    heard: dict[str, list[dict]] = {}
    with accessibility_session() as session:
        for section, scene in (("porteur", "say Essai d'annonce"), ("territoire", "remove-row"),
                               ("territoire", "restore-row"), ("pieces_jointes", "attach"),
                               ("porteur", "empty-and-leave"), ("porteur", "fail-save")):
            session.send(f"section {section}")
            with session.listening("object:announcement") as events:
                session.send(scene)
            heard[scene.split()[0]] = events
    return heard


def _texts(events: list[dict]) -> list[str]:
    return [str(e["any_data"]) for e in events if e["type"].startswith("object:announcement")]


def test_an_announcement_reaches_the_bus(said):
    assert "Essai d'annonce" in _texts(said["say"]), said["say"]


def test_a_removed_row_is_said_and_so_is_its_restoring(said):
    assert any(t.startswith("Ligne supprimée") and "Annuler" in t for t in _texts(said["remove-row"])), said["remove-row"]
    assert any(t.startswith("Ligne rétablie") for t in _texts(said["restore-row"])), said["restore-row"]


def test_an_attached_file_is_said(said):
    assert any("piece-jointe.txt" in t and "joint" in t for t in _texts(said["attach"])), said["attach"]


def test_an_error_under_the_field_just_left_is_said_with_the_field_name(said):
    texts = _texts(said["empty-and-leave"])
    assert any(" : " in t and "Renseignez" in t for t in texts), said["empty-and-leave"]


def test_a_failed_save_is_said(said):
    assert any(t.startswith("Échec de l'enregistrement") and "disque est plein" in t
               for t in _texts(said["fail-save"])), said["fail-save"]
