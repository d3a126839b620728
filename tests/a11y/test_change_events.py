"""Issue 13: a running screen reader hears texts change, through the real AT-SPI bus — Précédent /
Suivant name their new neighbours after « Suivant », the save state reads « Enregistrement… » then
« Enregistré », and the tab « Réponses à reporter (N / M copiées) » counts a copy.

The window runs under Xvfb with Qt's bridge on a private bus (a11ykit); a listener in the system
Python (pyatspi) collects the name and description change events while each scene runs; each scene
starts with a marker said through the same bus (an announcement), as in test_announcements.py.
"""

from __future__ import annotations

import os

import pytest
from a11ykit import accessibility_session, missing_tools

# one accessibility stack at a time: the three files run in turn on one worker (pytest -n, --dist loadgroup)
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("a11y")]

NAME = "object:property-change:accessible-name"
DESCRIPTION = "object:property-change:accessible-description"


@pytest.fixture(scope="module")
def heard() -> dict[str, list[dict]]:
    missing = missing_tools()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"il manque pour l'audit d'accessibilité : {', '.join(missing)}")
        pytest.skip(f"il manque : {', '.join(missing)}")
    scenes: dict[str, list[dict]] = {}
    with accessibility_session() as session:
        session.send("section porteur")
        with session.listening(NAME, DESCRIPTION, "object:announcement") as events:
            for scene in ("press-next", "save-cycle"):
                session.send(f"say ⟦{scene}⟧")
                session.send(scene)
        # Not while listening: the hundreds of objects « Dépôt en ligne » builds flood a listener that
        # asks each event's source for its role and name, and it is stopped before it reaches the copy.
        session.send("filing")
        with session.listening(NAME, DESCRIPTION, "object:announcement") as more:
            session.send("say ⟦copy-answer⟧")
            session.send("copy-answer")
        session.send("close-filing")
    events += more
    current = None
    for event in events:
        text = str(event.get("any_data", ""))
        if event["type"].startswith("object:announcement") and text.startswith("⟦") and text.endswith("⟧"):
            current = text[1:-1]
            scenes[current] = []
        elif current is not None and not event["type"].startswith("object:announcement"):
            scenes[current].append(event)
    return scenes


def _changes(events: list[dict], kind: str) -> list[tuple[str, str]]:
    """(role, new text) of each change of that kind, in order."""
    return [(e["source_role"], str(e["any_data"])) for e in events if e["type"].startswith(kind)]


def test_precedent_and_suivant_name_the_new_neighbours_after_suivant(heard):
    names = [t for role, t in _changes(heard["press-next"], NAME) if role == "push button"]
    assert "Précédent : B. Porteur du projet" in names, heard["press-next"]
    assert any(t.startswith("Suivant : D. ") for t in names), heard["press-next"]
    descriptions = [t for _, t in _changes(heard["press-next"], DESCRIPTION)]
    assert "Aller à la section B. Porteur du projet" in descriptions, heard["press-next"]


def test_the_save_state_reads_saving_then_saved(heard):
    names = [t for role, t in _changes(heard["save-cycle"], NAME) if role == "label"]
    assert "Enregistrement…" in names, heard["save-cycle"]
    assert "Enregistré" in names[names.index("Enregistrement…") :], heard["save-cycle"]


def test_the_answers_tab_counts_a_copy(heard):
    names = [t for role, t in _changes(heard["copy-answer"], NAME) if role == "page tab"]
    assert any(t.startswith("Réponses à reporter (1 / ") and t.endswith(" copiées)") for t in names), heard[
        "copy-answer"
    ]
