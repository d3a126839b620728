"""Issue 11: typing that never pauses is on disk within a second — SIGKILL of the real window, 20 times.

Each round starts tests/faults/typing_child.py: the real main window opens the dossier (taking back
the lock its killed predecessor left, without a question) and types into the « perimetre » text
area at 15 keys a second, logging each processed key with its time. At a seeded-random moment
1.05–2.2 s into the typing the parent sends SIGKILL. Then a copy of what the kill left (the file and
its journal, if any) must pass SQLite's ``integrity_check``, and its text must be the text before the
round plus the first j keys of the round, j covering at least every key logged more than 1 s
before the kill. The next round types on top of it. The times are the child's own clock readings
(CLOCK_MONOTONIC is the same for every process of the machine) against the parent's at the kill.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from itertools import pairwise
from pathlib import Path

import pytest
from faultkit import ROOT

from spie_desktop.forms import registry
from spie_desktop.models import DossierFile, open_dossier

CHILD = Path(__file__).with_name("typing_child.py")
KILLS = int(os.environ.get("SPIE_TYPING_KILLS", "20"))
SEED = 20261201
GOAL = 1.0  # seconds: « écrite dans la seconde »
ALPHABET = "abcdefghijklmnopqrstuvwxyz     "  # QTest key clicks know ASCII only
START_TIMEOUT = 60.0  # a child on a loaded machine may take a few seconds to show its window


def _log_entries(log: Path) -> list[tuple[float, int]]:
    """(time, characters in the text area) of each processed key."""
    entries = []
    if log.exists():
        for line in log.read_text().splitlines():
            kind, *values = line.split("\t")
            if kind == "k":
                entries.append((float(values[0]), int(values[1])))
    return entries


def _starvation(log: Path, killed_at: float) -> float:
    """Seconds the machine held the child back before the kill: its longest save, or key timer overrun.

    The promise is « on disk within a second » of a processed key on a machine that runs the
    application; when another load stalls the child's timer or its fsync (a shared 2-core machine),
    that stall is measured here and added to the second, so the test judges the application's
    deadline, not the machine's load. An idle run measures a few milliseconds.
    """
    keys, longest, started = [], 0.0, None
    for line in log.read_text().splitlines():
        kind, *values = line.split("\t")
        t = float(values[0])
        if kind == "k":
            keys.append(t)
        elif kind == "s":
            started = t
        elif kind == "e" and started is not None:
            longest, started = max(longest, t - started), None
    if started is not None:  # a save was under way when the kill came
        longest = max(longest, killed_at - started)
    overrun = max((b - a for a, b in pairwise(keys)), default=0.0) - 1.0 / 15
    return max(0.0, longest, overrun)


def _wait_first_key(proc: subprocess.Popen, log: Path) -> float:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        entries = _log_entries(log)
        if entries:
            return entries[0][0]
        if proc.poll() is not None:
            pytest.fail(
                f"l'enfant s'est arrêté avant de taper (code {proc.returncode}) : {proc.stderr.read()}"
            )
        time.sleep(0.02)
    proc.kill()
    pytest.fail("l'enfant n'a pas commencé à taper à temps")


def _what_the_kill_left(path: Path, folder: Path) -> str:
    """The text of « perimetre » in a copy of the file and its journal, after SQLite's own check."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir()
    copy = folder / path.name
    shutil.copy2(path, copy)
    journal = path.with_name(path.name + "-journal")
    if journal.exists():  # a hot journal: SQLite rolls the interrupted write back on opening
        shutil.copy2(journal, folder / journal.name)
    con = sqlite3.connect(copy)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        con.close()
    with open_dossier(copy, read_only=True) as df:
        return df.get("perimetre") or ""


@pytest.mark.slow
@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
def test_sigkill_while_typing_keeps_everything_typed_a_second_before(tmp_path):
    path = tmp_path / "frappe.spie"
    DossierFile.create(path, registry.find("ami-spie-2021-vague2"), "Frappe continue").close()
    rng = random.Random(SEED)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    text = ""
    checked = 0
    stalls: list[float] = []
    for i in range(KILLS):
        keys = rng.choice(ALPHABET[:26]) + "".join(rng.choice(ALPHABET) for _ in range(59))  # never blank
        kill_after = rng.uniform(1.05, 2.2)
        log = tmp_path / f"frappe-{i}.log"
        proc = subprocess.Popen(
            [sys.executable, str(CHILD), str(path), str(log), keys],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=ROOT,
        )
        try:
            first = _wait_first_key(proc, log)
            time.sleep(max(0.0, first + kill_after - time.monotonic()))
            killed_at = time.monotonic()
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            proc.stderr.close()
        entries = _log_entries(log)
        assert entries and entries[-1][1] - len(text) <= len(keys)
        assert all(n == len(text) + k + 1 for k, (_, n) in enumerate(entries)), (
            "chaque frappe ajoute un caractère"
        )
        stall = _starvation(log, killed_at)
        due = sum(
            1 for t, _ in entries if t < killed_at - GOAL - stall
        )  # typed more than a second before the kill
        stored = _what_the_kill_left(path, tmp_path / "verif")
        assert stored.startswith(text), f"tour {i} : le texte d'avant a changé"
        j = len(stored) - len(text)
        assert stored == text + keys[:j], f"tour {i} : le fichier tient autre chose que ce qui a été tapé"
        assert j >= due, (
            f"tour {i} : {due - j} frappe(s) tapée(s) plus d'une seconde avant le kill manquent "
            f"({j} enregistrées sur {len(entries)} tapées ; attente due à la machine {stall:.3f} s)"
        )
        stalls.append(stall)
        checked += due
        text = stored
    assert checked >= KILLS  # the rounds really typed (and required) something
    print(
        f"\nattente due à la machine par tour : médiane {sorted(stalls)[len(stalls) // 2]:.3f} s, "
        f"maximum {max(stalls):.3f} s"
    )
