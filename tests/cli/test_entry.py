"""The process's entry (``spie_desktop.__main__.entry``): it ends as the interpreter would, without
taking the modules apart (issue 14): threads finished, exit handlers run, streams flushed, the code."""

from __future__ import annotations

import subprocess
import sys

PROBE = r"""
import atexit, sys, threading, time
from spie_desktop import __main__ as m, cli

def late_line():
    time.sleep(0.3)
    print("fil fini", flush=False)

def command(argv):
    threading.Thread(target=late_line).start()  # not a daemon: the process waits for it
    atexit.register(lambda: print("gestionnaire de sortie"))
    print("commande", end="\n", flush=False)  # still in the buffer when the command returns
    return 3

cli.main = command
sys.argv = ["spie-desktop", "templates"]
sys.exit(m.entry())
"""


def _run(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def test_the_end_waits_for_threads_runs_the_exit_handlers_and_keeps_the_code():
    out = _run(PROBE)
    assert out.returncode == 3, out.stderr
    assert out.stdout.splitlines() == ["commande", "fil fini", "gestionnaire de sortie"]


def test_help_and_refusals_still_leave_the_usual_way():
    entry = (
        "import sys; from spie_desktop.__main__ import entry; sys.argv[0] = 'spie-desktop'; sys.exit(entry())"
    )
    shown = _run(entry, "--help")
    assert shown.returncode == 0 and "utilisation" in shown.stdout
    refused = _run(entry, "new")
    assert refused.returncode == 2 and "arguments obligatoires manquants" in refused.stderr


def test_the_window_s_qt_objects_are_destroyed_by_pyside_s_exit_handler():
    probe = (
        "import atexit, sys\n"
        "from spie_desktop import __main__ as m, cli\n"
        "def window(argv):\n"
        "    from PySide6.QtWidgets import QApplication\n"
        "    app = QApplication([])\n"
        "    app.destroyed.connect(lambda: print('QApplication détruite', flush=True))\n"
        "    return 0\n"
        "cli.main = window\n"
        "sys.exit(m.entry())\n"
    )
    out = _run(probe)
    assert out.returncode == 0, out.stderr
    assert "QApplication détruite" in out.stdout
