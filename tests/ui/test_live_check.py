"""The window's re-check patches the last snapshot with what changed, and still says exactly what a
full check of the dossier as the user sees it says: after typing, saves, row changes, writes that
did not go through the window (an undo, a merge) and a value cleared."""

from __future__ import annotations

import pytest

from spie_desktop.checks import check
from spie_desktop.models import open_dossier
from spie_desktop.ui import live_check
from spie_desktop.ui.controller import DossierController


@pytest.fixture
def example_controller(qtbot, example_spie):
    df = open_dossier(example_spie, author="Claire Martin", organisation="CD")
    c = DossierController(df)
    yield c
    c._check_timer.stop()
    c._save_timer.stop()
    df.close()


def _same_as_full(c: DossierController) -> None:
    report = c.recheck()
    assert report == check(c.snapshot())


def test_every_kind_of_change_gives_the_full_report(example_controller):
    c = example_controller
    _same_as_full(c)
    row = c.row_ids("depenses")[1]
    c.set_value(f"depenses[{row}].montant", "999999999")  # pending, budget no longer balanced
    _same_as_full(c)
    c.set_value("resume", "")  # a required answer cleared, still pending
    _same_as_full(c)
    c.flush()  # saved: the cleared answer is gone from the file
    _same_as_full(c)
    c.set_value(f"depenses[{row}].montant", "1")
    _same_as_full(c)
    c.dossier.set_value("type_porteur", "Autre acteur de l'insertion ou de l'emploi")  # an undo, a merge
    _same_as_full(c)
    c.add_row("actions", {"titre": "Nouvelle action"})
    _same_as_full(c)
    c.remove_row("depenses", row)
    _same_as_full(c)
    c.set_value(f"actions[{c.row_ids('actions')[0]}].date_fin", "2020-01-01")
    _same_as_full(c)


def test_a_typing_pause_does_not_rebuild_the_snapshot(example_controller, monkeypatch):
    c = example_controller
    c.recheck()
    built = []
    real = DossierController.snapshot
    monkeypatch.setattr(DossierController, "snapshot", lambda self: built.append(1) or real(self))
    rows = c.row_ids("depenses")
    for i, text in enumerate(["1", "12", "120"]):
        c.set_value(f"depenses[{rows[i]}].montant", text)
        c.recheck()
    c.flush()
    report = c.recheck()
    assert built == []
    monkeypatch.undo()
    assert report == check(c.snapshot())


def test_a_structural_change_rebuilds_it(example_controller, monkeypatch):
    c = example_controller
    c.recheck()
    rebuilt = []
    real = live_check.LiveCheck._patched
    monkeypatch.setattr(
        live_check.LiveCheck, "_patched", lambda self, *a: rebuilt.append(1) or real(self, *a)
    )
    c.add_row("jalons", {"date": "2022-03-01", "libelle": "Comité"})
    report = c.recheck()
    assert rebuilt == []  # a row added is not patched in: the snapshot is taken afresh
    assert report == check(c.snapshot())


def test_a_check_after_the_file_closed_uses_the_snapshot_in_memory(qtbot, example_spie):
    df = open_dossier(example_spie, author="Claire Martin")
    c = DossierController(df)
    c.recheck()
    df.set_value("resume", "Écrit juste avant la fermeture")
    df.close()
    assert c.recheck() == check(c.snapshot())  # no « closed database » error from the change log
