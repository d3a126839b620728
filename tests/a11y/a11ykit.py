"""The accessibility bus for the audit: an X server, a private session bus, the app and the dumper.

Everything is started here and stopped at the end, so the audit runs the same on a developer's
machine and in CI (which installs xvfb, dbus, at-spi2-core and python3-pyatspi from Debian).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
SYSTEM_PYTHON = "/usr/bin/python3"


def missing_tools() -> list[str]:
    """What this machine lacks to run the audit (empty when it can)."""
    missing = [tool for tool in ("Xvfb", "dbus-daemon") if shutil.which(tool) is None]
    if not Path("/usr/libexec/at-spi-bus-launcher").exists() and shutil.which("at-spi-bus-launcher") is None:
        missing.append("at-spi2-core")
    probe = (
        subprocess.run([SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True)
        if Path(SYSTEM_PYTHON).exists()
        else None
    )
    if probe is None or probe.returncode != 0:
        missing.append("python3-pyatspi")
    return missing


@dataclass
class Session:
    env: dict[str, str]
    app: subprocess.Popen
    sections: list[str]

    def send(self, command: str, timeout: float = 60) -> None:
        """Run a driver command and wait until the window has settled."""
        assert self.app.stdin is not None and self.app.stdout is not None
        self.app.stdin.write(command + "\n")
        self.app.stdin.flush()
        _read_until(self.app, f"done {command}", timeout)

    def facts(self, timeout: float = 60) -> dict:
        """The window's own account of what is on screen (texts, buttons, required inputs, focus order)."""
        assert self.app.stdin is not None
        self.app.stdin.write("facts\n")
        self.app.stdin.flush()
        line = _read_until(self.app, "facts ", timeout)
        _read_until(self.app, "done facts", timeout)
        return json.loads(line[len("facts ") :])

    @contextmanager
    def listening(self, *kinds: str) -> Iterator[list[dict]]:
        """Collect the application's AT-SPI events of these kinds (``object:announcement``…) while
        the block runs; the list is filled when the block ends."""
        events: list[dict] = []
        # The block ends with an announcement of our own: once the listener has printed it, it has
        # printed every event before it (on a busy machine it can still be asking the first events'
        # sources for their role and name when the window has long settled).
        ours_only = "object:announcement" not in kinds  # the announcements listened to are only ours
        listened = (*kinds, "object:announcement") if ours_only else kinds
        # The accessibility bus is started on first use: a busy machine can make the first client give up.
        for attempt in range(4):
            errors = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 - closed on failure below, else after the block
            listener = subprocess.Popen(
                [SYSTEM_PYTHON, str(HERE / "atspi_listen.py"), str(self.app.pid), *listened],
                env=self.env,
                text=True,
                stdout=subprocess.PIPE,
                stderr=errors,
            )
            try:
                _read_until(listener, "listening", 120)
                break
            except AssertionError as exc:
                listener.kill()
                listener.wait()
                errors.seek(0)
                told = errors.read()[-2000:]
                errors.close()
                if attempt == 3 or "accessibility bus" not in told:
                    raise AssertionError(f"{exc} — écouteur : {told}") from None
                time.sleep(2)
        lines: list[str] = []
        caught_up = threading.Event()

        def read() -> None:  # until the listener ends; a pipe read as it comes never fills up
            assert listener.stdout is not None
            for line in listener.stdout:
                lines.append(line)
                if END_OF_LISTENING in line:
                    caught_up.set()

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        try:
            yield events
            self.send("settle")  # a round trip through the window: every event sent is on the bus
            self.send(f"say {END_OF_LISTENING}")
            if not caught_up.wait(180):
                # not a failure by itself: the scenes' own assertions say what is missing
                errors.seek(0)
                print(
                    f"écouteur AT-SPI en retard : pas de fin d'écoute en 180 s ({len(lines)} lignes lues, "
                    f"écouteur {'arrêté' if listener.poll() is not None else 'actif'}, lecteur "
                    f"{'actif' if reader.is_alive() else 'arrêté'}) ; dernières : {lines[-3:]} ; "
                    f"erreurs : {errors.read()[-1500:]}",
                    file=sys.stderr,
                )
        finally:
            listener.send_signal(signal.SIGTERM)
            try:
                listener.wait(timeout=10)
            except subprocess.TimeoutExpired:
                listener.kill()
                listener.wait()
            reader.join(10)
            for line in lines:
                if line.startswith("{"):
                    event = json.loads(line)
                    said = event["type"].startswith("object:announcement")
                    if not said or (not ours_only and event.get("any_data") != END_OF_LISTENING):
                        events.append(event)
            errors.close()

    def tree(self, timeout: float = 120) -> dict:
        out = subprocess.run(
            [SYSTEM_PYTHON, str(HERE / "atspi_dump.py"), str(self.app.pid), "--timeout", "20"],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        data = json.loads(out.stdout or "{}")
        if "error" in data or not data:
            raise AssertionError(
                f"arbre d'accessibilité illisible : {data.get('error')} {out.stderr[-2000:]}"
            )
        return data


def _read_until(proc: subprocess.Popen, expected: str, timeout: float) -> str:
    import selectors

    assert proc.stdout is not None
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not sel.select(timeout=max(0.0, deadline - time.monotonic())):
            break
        line = proc.stdout.readline()
        if not line:
            break
        if line.startswith(expected):
            return line.strip()
        if line.startswith("error"):
            raise AssertionError(line)
    raise AssertionError(f"the window did not answer « {expected} » in {timeout} s")


#: said through the window at the end of a listening block (see Session.listening), never returned
END_OF_LISTENING = "⟦fin de l'écoute⟧"


@contextmanager
def accessibility_session(size: str = "1366x768", font_dpi: int | None = None) -> Iterator[Session]:
    work = Path(tempfile.mkdtemp(prefix="spie-a11y-"))
    procs: list[subprocess.Popen] = []
    try:
        read_fd, write_fd = os.pipe()
        xvfb = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", f"{size}x24", "-nolisten", "tcp"],
            pass_fds=(write_fd,),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        procs.append(xvfb)
        os.close(write_fd)
        with os.fdopen(read_fd) as fh:
            display = ":" + fh.readline().strip()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "DBUS_", "AT_SPI", "XDG_"))}
        env.update(
            DISPLAY=display,
            HOME=str(work / "home"),
            XDG_RUNTIME_DIR=str(work / "run"),
            XDG_CACHE_HOME=str(work / "home" / ".cache"),
        )
        (work / "run").mkdir(mode=0o700)
        (work / "home").mkdir()
        # The bus's own environment is the one of what it starts (at-spi-bus-launcher): without these
        # private directories, every audit on the machine shared ~/.cache/at-spi/bus, and one session
        # ending took the accessibility bus of the others with it.
        bus = subprocess.Popen(
            ["dbus-daemon", "--session", "--nofork", "--print-address=1"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        procs.append(bus)
        address = bus.stdout.readline().strip()
        env.update(
            DBUS_SESSION_BUS_ADDRESS=address,
            QT_QPA_PLATFORM="xcb",
            QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1",
            QT_ACCESSIBILITY="1",
            NO_AT_BRIDGE="0",
            USER="auditeur",
            LOGNAME="auditeur",
            SPIE_A11Y_WORK=str(work),
            SPIE_A11Y_SIZE=size,
            LANG="fr_FR.UTF-8",
        )
        if font_dpi:
            env["QT_FONT_DPI"] = str(font_dpi)
        app = subprocess.Popen(
            [sys.executable, str(HERE / "a11y_driver.py")],
            env=env,
            text=True,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        procs.append(app)
        ready = _read_until(app, "ready", 90)
        yield Session(env, app, ready.split()[1:])
    finally:
        for proc in reversed(procs):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        shutil.rmtree(work, ignore_errors=True)
