"""The cycle collector is off during the window's start-up only (spie_desktop/collector.py, issue 14)."""

from __future__ import annotations

import gc
import subprocess
import sys

import pytest

from spie_desktop import cli, collector


@pytest.fixture(autouse=True)
def _collector_back_on():
    yield
    collector.resume()
    gc.enable()


def test_pause_and_resume_are_idempotent():
    collector.pause()
    collector.pause()
    assert not gc.isenabled()
    collector.resume()
    assert gc.isenabled()
    collector.resume()
    assert gc.isenabled()


def test_resume_leaves_off_a_collector_someone_else_turned_off():
    gc.disable()
    collector.pause()
    collector.resume()
    assert not gc.isenabled()


def test_a_command_runs_with_the_usual_collector(monkeypatch):
    seen = []
    monkeypatch.setitem(cli.HANDLERS, "templates", lambda args: seen.append(gc.isenabled()) or 0)
    collector.pause()  # as the process's entry does, before it knows the line is a command
    assert cli.main(["templates"]) == 0
    assert seen == [True]


def test_the_process_entry_pauses_it_until_the_line_is_read():
    probe = (
        "import gc, sys\n"
        "from spie_desktop import __main__ as m, cli\n"
        "def handler(args):\n"
        "    print('commande', gc.isenabled())\n"
        "    return 0\n"
        "cli.HANDLERS['templates'] = handler\n"
        "real = cli.main\n"
        "def spy(argv):\n"
        "    print('entree', gc.isenabled())\n"
        "    return real(argv)\n"
        "cli.main = spy\n"
        "sys.argv = ['spie-desktop', 'templates']\n"
        "sys.exit(m.entry())\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["entree", "False", "commande", "True"]
