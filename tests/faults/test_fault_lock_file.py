"""Issue 11: the lock file beside a dossier is untrusted input — whatever sits there, nothing hangs or floods.

Each kind is put in place of ``dossier.spie.lock`` and read through the core (``read_holder``), the
command line (``spie-desktop info``, a real process under a timeout) and the window's open function
(under an alarm). The decision: anything but a small regular file holding our JSON is « not a valid
lock » — held by « inconnu », abandoned — so the window asks as for an abandoned lock (read-only is
the default) and « Reprendre le dossier » replaces it (the link itself, never what it points to); a
directory cannot be replaced and is refused with a French message. The holder text shown anywhere is
short plain text.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from faultkit import ROOT, digest

from spie_desktop.models.lock import MAX_HOLDER_CHARS, lock_path, plain, read_holder
from spie_desktop.ui import dialogs

pytestmark = pytest.mark.skipif(os.name != "posix", reason="FIFO, /dev/zero and SIGALRM are POSIX")

KINDS = ["fifo", "symlink-dev-zero", "huge-400MB", "directory", "symlink-to-a-valid-lock", "random-bytes"]
SECONDS = 20  # an opening takes well under a second; a hang would take forever


@contextmanager
def within(seconds: float) -> Iterator[None]:
    """Fail (instead of hanging the suite) when the block has not finished in time."""

    def expired(signum, frame):
        raise TimeoutError(f"bloqué plus de {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def plant(kind: str, dossier: Path) -> Path:
    lock = lock_path(dossier)
    if kind == "fifo":
        os.mkfifo(lock)
    elif kind == "symlink-dev-zero":
        os.symlink("/dev/zero", lock)
    elif kind == "huge-400MB":
        with open(lock, "wb") as f:
            f.truncate(400 * 1024 * 1024)  # sparse: no disk used, but read() would return 400 MB
    elif kind == "directory":
        lock.mkdir()
        (lock / "x").write_text("x")
    elif kind == "symlink-to-a-valid-lock":
        target = dossier.with_name("ailleurs.json")
        target.write_text(
            json.dumps(
                {
                    "host": socket.gethostname(),
                    "user": "x",
                    "pid": os.getpid(),
                    "since": "2026-01-01T10:00:00+00:00",
                    "author": "Lien",
                }
            )
        )
        os.symlink(target, lock)
    elif kind == "random-bytes":
        lock.write_bytes(os.urandom(3000))
    return lock


@pytest.mark.parametrize("kind", KINDS)
def test_core_reads_not_a_valid_lock_without_blocking(example_file, kind):
    plant(kind, example_file)
    with within(SECONDS):
        holder = read_holder(example_file)
    assert holder is not None and holder.user == "inconnu" and holder.pid == 0


@pytest.mark.parametrize("kind", KINDS)
def test_cli_info_says_unknown_holder_without_blocking(example_file, kind):
    plant(kind, example_file)
    before = digest(example_file)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "spie_desktop", "info", str(example_file)],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "inattendue" not in done.stderr
    line = next(ln for ln in done.stdout.splitlines() if ln.startswith("Ouvert par"))
    assert "inconnu" in line and "verrou abandonné" in line
    assert "depuis le  " not in line and "  " not in line  # no empty date, no double space
    assert len(done.stdout) < 4000  # nothing of the lock's content is printed
    assert digest(example_file) == before


@pytest.mark.parametrize("kind", KINDS)
def test_window_asks_and_takes_over_or_refuses_in_french(fault_window, example_file, monkeypatch, kind):
    lock = plant(kind, example_file)
    target = Path("/dev/zero") if kind == "symlink-dev-zero" else example_file.with_name("ailleurs.json")
    target_before = target.read_text() if kind == "symlink-to-a-valid-lock" else None
    asked = []

    def take(parent, exc):
        asked.append(exc)
        return dialogs.LockChoice.TAKE_OVER

    monkeypatch.setattr(dialogs, "ask_lock_choice", take)
    w = fault_window.window
    with within(SECONDS):
        opened = w.open_path(example_file)
    assert len(asked) == 1 and asked[0].stale and asked[0].holder.who == "inconnu"
    assert "abandonné" in str(asked[0])
    if kind == "directory":
        assert not opened and w.controller is None
        ((_title, text),) = fault_window.errors
        assert "n'est pas un verrou valable" in text and "Supprimez-le" in text
        assert lock.is_dir()
        return
    assert opened and not w.controller.read_only and not fault_window.errors
    assert not lock.is_symlink() and json.loads(lock.read_text())["pid"] == os.getpid()
    if target_before is not None:
        assert target.read_text() == target_before  # the link went, not what it pointed to


def test_window_read_only_choice_with_a_fifo_does_not_block(fault_window, example_file, monkeypatch):
    plant("fifo", example_file)
    monkeypatch.setattr(dialogs, "ask_lock_choice", lambda parent, exc: dialogs.LockChoice.READ_ONLY)
    w = fault_window.window
    with within(SECONDS):
        assert w.open_path(example_file)
    assert w.controller.read_only and "inconnu" in w.read_only_banner.text()


HOSTILE = {
    "bidi": "Dominique\u202e\u2066exe.fdp\u2069",
    "controls": "Claire\x1b[2J\x1b]0;titre\x07\r\nMartin\x00",
    "markup": "<b>DREETS</b> — <a href='https://x.example'>cliquez</a>",
    "long": "Veuillez appeler le 01 23 45 67 89 pour débloquer votre dossier " * 5,  # under the 4 KiB bound
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_holder_text_is_short_plain_text_everywhere(fault_window, example_file, monkeypatch, case):
    text = HOSTILE[case]
    lock_path(example_file).write_text(
        json.dumps({"host": text, "user": text, "pid": os.getppid(), "since": text, "author": text}),
        encoding="utf-8",
    )
    holder = read_holder(example_file)
    for value in (holder.user, holder.host, holder.author, holder.since):
        assert len(value) <= MAX_HOLDER_CHARS
        assert not any(ch in value for ch in "<>\x1b\x07\r\n\x00\u202e\u2066\u2069")
    assert holder.author == plain(text)
    # the command line prints it as that plain text
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "spie_desktop", "info", str(example_file)],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=ROOT,
    )
    line = next(ln for ln in done.stdout.splitlines() if ln.startswith("Ouvert par"))
    assert "\x1b" not in done.stdout and "<b>" not in done.stdout and len(line) < 3 * MAX_HOLDER_CHARS + 80
    # the window's question and read-only banner show the same plain text, never markup
    asked = []

    def read_only(parent, exc):
        asked.append(exc)
        return dialogs.LockChoice.READ_ONLY

    monkeypatch.setattr(dialogs, "ask_lock_choice", read_only)
    w = fault_window.window
    assert w.open_path(example_file)
    assert plain(text) in asked[0].holder.who and "<" not in str(asked[0])
    banner = w.read_only_banner
    assert plain(text)[:20] in banner.text()
    assert "<a" not in banner.label.text() and "<b>DREETS" not in banner.label.text()


def test_plain_keeps_ordinary_names():
    assert plain("Camille Panne-Lévêque (CD 26)") == "Camille Panne-Lévêque (CD 26)"
    assert plain("  deux   espaces \t ") == "deux espaces"
    assert plain("x" * 200) == "x" * (MAX_HOLDER_CHARS - 1) + "…"
