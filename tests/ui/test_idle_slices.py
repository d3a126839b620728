"""Deferred building shares one slice of the event loop per turn (ui/idle_slices.py, issue 14).

No timing here: with a slice of zero seconds, each turn of the event loop runs exactly one step of
one task, so what is built when is deterministic.
"""

from __future__ import annotations

import logging
from itertools import pairwise

import pytest
import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from spie_desktop.ui import idle_slices


@pytest.fixture
def one_step_per_turn(monkeypatch):
    monkeypatch.setattr(idle_slices, "SLICE_S", 0.0)


def steps(name: str, count: int, log: list[str]):
    left = [count]

    def task(deadline: float) -> bool:
        assert idle_slices.deadline() == deadline  # what a widget it shows can read
        left[0] -= 1
        log.append(f"{name}{count - left[0]}")
        return left[0] > 0

    return task


def test_tasks_take_turns_one_slice_per_turn(qtbot, one_step_per_turn):
    owner, log = QObject(), []
    a, b = steps("a", 3, log), steps("b", 2, log)
    idle_slices.add(owner, a)
    idle_slices.add(owner, b)
    idle_slices.add(owner, a)  # already queued: once
    assert idle_slices.pending(owner) and idle_slices.deadline() is None
    QApplication.processEvents()
    assert log == ["a1"]  # one turn, one step: the rest waits for the next turns
    qtbot.waitUntil(lambda: not idle_slices.pending(owner), timeout=2000)
    assert log == ["a1", "b1", "a2", "b2", "a3"]
    assert idle_slices.deadline() is None


def test_a_gone_owner_or_a_failing_task_is_dropped(qtbot, caplog, one_step_per_turn):
    gone, alive, log = QObject(), QObject(), []
    idle_slices.add(gone, steps("g", 2, log))

    def broken(deadline: float) -> bool:
        raise ValueError("cassé")

    idle_slices.add(alive, broken)
    idle_slices.add(alive, steps("v", 2, log))
    shiboken6.delete(gone)
    with caplog.at_level(logging.ERROR, logger=idle_slices.__name__):
        qtbot.waitUntil(lambda: not idle_slices.pending(alive), timeout=2000)
    assert log == ["v1", "v2"]
    assert "construction différée" in caplog.text


def test_a_long_repetition_builds_the_rows_half_a_view_away_a_slice_at_a_time(
    ui, controller, qtbot, one_step_per_turn
):
    for i in range(200):
        controller.add_row("consortium", {"structure": f"Structure {i}", "role": "Partenaire"})
    form = ui.show_form(controller, "consortium")
    rep = form.fields["consortium"]
    rows = rep.rows
    in_view = set(rows.wanted(near=False))
    assert in_view and in_view <= set(rep.cards)  # what the first paint shows is built before it
    qtbot.waitUntil(lambda: not rows._first_paint_pending, timeout=2000)
    counts = []
    while idle_slices.pending(rows):
        counts.append(len(rep.cards))
        QApplication.processEvents()
    counts.append(len(rep.cards))
    assert set(rows.wanted()) <= set(rep.cards)  # in the end, half a view above and below too
    assert len(counts) > 2 and all(b - a <= 1 for a, b in pairwise(counts))
    # a scroll builds the rows it shows at once; those half a view further come in the idle turns
    bar = form.verticalScrollBar()
    bar.setValue(bar.value() + 3 * form.viewport().height())
    shown = set(rows.wanted(near=False))
    assert shown <= set(rep.cards)
    assert not set(rows.wanted()) <= set(rep.cards) and idle_slices.pending(rows)
    qtbot.waitUntil(lambda: not idle_slices.pending(rows), timeout=5000)
    assert set(rows.wanted()) <= set(rep.cards)
