"""Issue 13: changes away from the focus are said to a screen reader, through the real AT-SPI bus;
the date picker is in the tree, named down to each day.

The real window runs under Xvfb with Qt's bridge on a private bus (a11ykit); a listener in the
system Python (pyatspi) collects ``object:announcement`` events while the window removes and puts
back a row, attaches a file, fails to save and shows an error under a field the user left.
"""

from __future__ import annotations

import os
import re

import a11y_audit as audit
import pytest
from a11ykit import accessibility_session, missing_tools

# one accessibility stack at a time: the three files run in turn on one worker (pytest -n, --dist loadgroup)
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("a11y")]


@pytest.fixture(scope="module")
def said() -> dict[str, list[dict]]:
    missing = missing_tools()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"il manque pour l'audit d'accessibilité : {', '.join(missing)}")
        pytest.skip(f"il manque : {', '.join(missing)}")
    heard: dict[str, list[dict]] = {}
    scenes = (
        ("porteur", "say Essai d'annonce"),
        ("territoire", "remove-row"),
        ("territoire", "restore-row"),
        ("pieces_jointes", "attach"),
        ("porteur", "empty-and-leave"),
        ("porteur", "fail-save"),
    )
    with accessibility_session() as session:
        session.send("section calendrier")
        session.send("calendar")
        heard["tree"] = session.tree()  # type: ignore[assignment]
        session.send("close-calendar")
        # One listener for every scene (a new client may fail to find the bus once rows have come
        # and gone, on a busy machine); each scene starts with a marker said through the same bus.
        with session.listening("object:announcement") as events:
            for section, scene in scenes:
                session.send(f"section {section}")
                session.send(f"say ⟦{scene.split()[0]}⟧")
                session.send(scene)
        current = None
        for event in events:
            text = str(event.get("any_data", ""))
            if text.startswith("⟦") and text.endswith("⟧"):
                current = text[1:-1]
                heard[current] = []
            elif current is not None:
                heard[current].append(event)
    return heard


def _texts(events: list[dict]) -> list[str]:
    return [str(e["any_data"]) for e in events if e["type"].startswith("object:announcement")]


def test_an_announcement_reaches_the_bus(said):
    assert "Essai d'annonce" in _texts(said["say"]), said["say"]


def test_a_removed_row_is_said_and_so_is_its_restoring(said):
    assert any(t.startswith("Ligne supprimée") and "Annuler" in t for t in _texts(said["remove-row"])), said[
        "remove-row"
    ]
    assert any(t.startswith("Ligne rétablie") for t in _texts(said["restore-row"])), said["restore-row"]


def test_an_attached_file_is_said(said):
    assert any("piece-jointe.txt" in t and "joint" in t for t in _texts(said["attach"])), said["attach"]


def test_an_error_under_the_field_just_left_is_said_with_the_field_name(said):
    texts = _texts(said["empty-and-leave"])
    assert any(" : " in t and "Renseignez" in t for t in texts), said["empty-and-leave"]


def test_a_failed_save_is_said(said):
    assert any(
        t.startswith("Échec de l'enregistrement") and "disque est plein" in t
        for t in _texts(said["fail-save"])
    ), said["fail-save"]


def test_the_calendar_is_in_the_tree_named_down_to_each_day(said):
    tree = said["tree"]
    windows = [n for n in tree["children"] if n["name"] == "Calendrier"]
    assert windows, [n["name"] for n in tree["children"]]
    inside = list(audit.nodes(windows[0]))
    grid = [n for n in inside if n["role"] == "table" and n["name"].startswith("Jours de ")]
    assert grid, sorted({(n["role"], n["name"]) for n in inside})[:40]
    days = [n["name"] for n in audit.nodes(grid[0]) if n["role"] == "table cell"]
    assert any(
        re.fullmatch(r"(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche) (1er|\d+) \w+ \d{4}.*", d)
        for d in days
    ), days[:10]
    named = {n["name"] for n in inside if n["role"] in ("push button", "spin button", "label")}
    assert {"Mois précédent", "Mois suivant", "Année"} <= named and any(
        n["role"] == "label" and re.fullmatch(r"[a-zéû]+", n["name"]) for n in inside
    ), sorted({(n["role"], n["name"]) for n in inside if n["role"] != "table cell"})
