"""Memory while typing for long: 10 000 keystrokes in the real window (offscreen), with pauses so
that saves and checks run, RSS printed at intervals. The text returns to its start every few keys
(letters, then as many backspaces), so a growing answer does not count as a leak.

    python benchmarks/bench_memory.py [--keys 10000] [--pause-every 200] [--factor 1] [--trace]

``--no-undo`` turns off the text box's own undo history (Qt keeps one command per keystroke,
in C++ memory that tracemalloc does not see), to tell its share of any growth. ``--trace`` also
compares tracemalloc snapshots (after the first tenth, at the end) and prints the Python lines
whose allocations grew most. Prints figures; it is not a test.
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import importlib.util
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
if importlib.util.find_spec("spie_desktop") is None:  # run from a checkout without an install
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

if sys.version_info < (3, 12):  # PySide6 6.12.0 drops a reference to None per void call on 3.11
    for _obj in (None, True, False):
        ctypes.c_ssize_t.from_address(id(_obj)).value += 1 << 40

from PySide6.QtCore import QEvent, Qt  # noqa: E402
from PySide6.QtGui import QKeyEvent, QTextCursor  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

LETTERS = "abcdefgh"


def rss_mib() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


def key(edit, i: int) -> None:
    """Key ``i`` of the cycle: LETTERS, then as many backspaces."""
    k = i % (2 * len(LETTERS))
    if k < len(LETTERS):
        ch, code = LETTERS[k], Qt.Key.Key_unknown
    else:
        ch, code = "", Qt.Key.Key_Backspace
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(edit, QKeyEvent(kind, code, Qt.KeyboardModifier.NoModifier, ch))


def pause(app: QApplication, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, default=10_000)
    parser.add_argument(
        "--pause-every", type=int, default=200, help="une pause (enregistrement, contrôle) tous les N"
    )
    parser.add_argument("--factor", type=int, default=1, help="taille du dossier (×1, ×10, ×100 lignes)")
    parser.add_argument("--trace", action="store_true", help="comparer des instantanés tracemalloc")
    parser.add_argument(
        "--no-undo",
        action="store_true",
        help="sans l'historique d'annulation de Qt (pour isoler sa part de la croissance)",
    )
    args = parser.parse_args()

    app = QApplication.instance() or QApplication([])
    from scaled import write_scaled

    from spie_desktop.settings import Settings
    from spie_desktop.ui.main_window import MainWindow

    with tempfile.TemporaryDirectory(prefix="spie-banc-memoire-") as tmp:
        os.environ["SPIE_DESKTOP_CONFIG_DIR"] = str(Path(tmp) / "config")
        os.environ["SPIE_DESKTOP_DATA_DIR"] = str(Path(tmp) / "data")
        path = write_scaled(args.factor, Path(tmp) / f"x{args.factor}.spie")
        window = MainWindow(Settings(author_name="Banc"))
        window.resize(1100, 760)
        window.show()
        window.open_path(path)
        window.show_section("territoire")
        pause(app, 0.5)
        edit = window.current_form().fields["diagnostic_territorial"].edit
        if args.no_undo:
            edit.setUndoRedoEnabled(False)
        edit.setFocus()
        edit.moveCursor(QTextCursor.MoveOperation.End)
        controller = window.controller
        saves = checks = 0

        def saved(state) -> None:
            nonlocal saves
            saves += state.name == "SAVED"

        def checked(_report) -> None:
            nonlocal checks
            checks += 1

        controller.saveStateChanged.connect(saved)
        controller.reportChanged.connect(checked)
        start = time.perf_counter()
        figures: list[tuple[int, float]] = []
        first_trace = None
        step = max(args.pause_every, args.keys // 10)
        for i in range(args.keys):
            key(edit, i)
            app.processEvents()
            if (i + 1) % args.pause_every == 0:
                pause(app, 0.75)  # > the save delay and the check delay
            if (i + 1) % step == 0:
                gc.collect()
                figures.append((i + 1, rss_mib()))
                print(
                    f"{i + 1:>6} frappes : RSS {figures[-1][1]:.1f} Mio ({saves} enregistrements, {checks} contrôles)",
                    flush=True,
                )
                if args.trace and first_trace is None:
                    tracemalloc.start(12)
                    first_trace = tracemalloc.take_snapshot()
        last_trace = tracemalloc.take_snapshot() if args.trace and first_trace is not None else None
        controller.flush()
        elapsed = time.perf_counter() - start
        base = figures[0][1]
        print(
            f"Croissance après les {figures[0][0]} premières frappes : {figures[-1][1] - base:+.1f} Mio sur "
            f"{figures[-1][0] - figures[0][0]} frappes ({elapsed:.0f} s, {saves} enregistrements, {checks} contrôles)"
        )
        if last_trace is not None and first_trace is not None:
            print("Allocations Python qui ont le plus grandi :")
            for stat in last_trace.compare_to(first_trace, "traceback")[:8]:
                frame = next(
                    (f for f in reversed(stat.traceback) if "spie_desktop" in f.filename), stat.traceback[-1]
                )
                print(
                    f"  {stat.size_diff / 1024:+8.1f} Kio  {stat.count_diff:+6d} objets  {frame.filename}:{frame.lineno}"
                )
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
