from __future__ import annotations

import subprocess
import sys
import time
import uuid
from pathlib import Path

from spie_desktop.ui.single_instance import InstanceServer, hand_over

ROOT = Path(__file__).resolve().parents[2]


def test_second_launch_hands_its_file_to_the_first(qtbot):
    name = f"spie-test-{uuid.uuid4().hex[:8]}"
    server = InstanceServer(name)
    assert server.listen()
    got = []
    server.openRequested.connect(lambda p, ex: got.append((p, ex)))
    code = (
        "from PySide6.QtCore import QCoreApplication; a = QCoreApplication([]); "
        "from spie_desktop.ui.single_instance import hand_over; "
        f"print(hand_over('/tmp/dossier.spie', name={name!r}))"
    )
    second = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**__import__("os").environ, "PYTHONPATH": str(ROOT)},
    )
    deadline = time.monotonic() + 20
    while second.poll() is None and time.monotonic() < deadline:
        qtbot.wait(20)
    assert second.stdout.read().strip() == "True"
    assert got == [("/tmp/dossier.spie", False)]
    server.close()


def test_no_running_instance_means_start_normally(qtbot):
    assert hand_over("/tmp/x.spie", name=f"spie-absent-{uuid.uuid4().hex[:8]}") is False
