"""Figures for the dossier file: open + read, one saved edit, `--version` as a process.

Run: python benchmarks/bench_foundation.py   (prints a table; not a test)
"""

from __future__ import annotations

import importlib.util
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if importlib.util.find_spec("spie_desktop") is None:  # run from a checkout without an install
    sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from stats import percentile  # noqa: E402

from spie_desktop.interchange import example_document_path, import_document, load_document  # noqa: E402
from spie_desktop.models import open_dossier  # noqa: E402


def row(name: str, values: list[float], goal: str) -> None:
    print(
        f"{name:<48} median {statistics.median(values):8.2f} ms   p95 {percentile(values, 0.95):8.2f} ms   goal {goal}"
    )


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="spie-bench-"))
    spie = import_document(load_document(example_document_path()), tmp / "exemple.spie")

    opens = []
    for _ in range(30):
        t = time.perf_counter()
        with open_dossier(spie) as df:
            df.snapshot()
        opens.append((time.perf_counter() - t) * 1000)
    row("open the example and read all answers", opens, "≤ 50 ms")

    edits = []
    with open_dossier(spie, author="bench") as df:
        for i in range(300):
            t = time.perf_counter()
            df.set_value("perimetre", f"Texte {i} " * 40)
            edits.append((time.perf_counter() - t) * 1000)
    row("one saved edit with its change-log row", edits, "p95 ≤ 5 ms")

    bare = []
    con = sqlite3.connect(tmp / "bare.db")
    con.execute("PRAGMA journal_mode=DELETE")
    con.execute("PRAGMA synchronous=FULL")
    con.execute("CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT)")
    con.commit()
    for i in range(300):
        t = time.perf_counter()
        con.execute("INSERT OR REPLACE INTO t VALUES ('k', ?)", (f"v{i}",))
        con.commit()
        bare.append((time.perf_counter() - t) * 1000)
    con.close()
    row("(baseline) bare SQLite commit, rollback journal", bare, "reference")

    runs = []
    for _ in range(10):
        t = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "spie_desktop", "--version"], check=True, capture_output=True, cwd=ROOT
        )
        runs.append((time.perf_counter() - t) * 1000)
    row("`spie-desktop --version` as a process", runs, "≤ 300 ms")
    empty = []
    for _ in range(10):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        empty.append((time.perf_counter() - t) * 1000)
    row("(baseline) empty Python process", empty, "reference")


if __name__ == "__main__":
    main()
