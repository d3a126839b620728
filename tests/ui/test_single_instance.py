from __future__ import annotations

import threading
import uuid

from spie_desktop.ui.single_instance import InstanceServer, hand_over


def test_second_launch_hands_its_file_to_the_first(qtbot):
    name = f"spie-test-{uuid.uuid4().hex[:8]}"
    server = InstanceServer(name)
    assert server.listen()
    got = []
    server.openRequested.connect(lambda p, ex: got.append((p, ex)))
    result = {}

    def second_launch():
        result["ok"] = hand_over("/tmp/dossier.spie", name=name)

    t = threading.Thread(target=second_launch)
    t.start()
    qtbot.waitUntil(lambda: bool(got), timeout=3000)
    t.join(3)
    assert got == [("/tmp/dossier.spie", False)]
    assert result["ok"] is True
    server.close()


def test_no_running_instance_means_start_normally(qtbot):
    assert hand_over("/tmp/x.spie", name=f"spie-absent-{uuid.uuid4().hex[:8]}") is False
