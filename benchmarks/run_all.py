"""Every speed goal of SPIE Desktop, measured in one run and printed as a table next to its goal.

    QT_QPA_PLATFORM=offscreen python benchmarks/run_all.py [--runs N] [--markdown]

Medians over several runs; start-up and its memory are compared with an empty PySide6 window
measured in the same run, so the ratios hold on slower or faster machines. This prints figures;
it is not a test (tests stay deterministic).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from stats import percentile  # noqa: E402

EMPTY_WINDOW = r"""
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
w = QMainWindow(); w.resize(1100, 760)
class Painted(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, app.quit)
        return False
f = Painted(); w.installEventFilter(f); w.show()
sys.exit(app.exec())
"""

# Runs a command and reports its wall time and peak memory (its own RUSAGE_CHILDREN).
MEASURE = r"""
import resource, subprocess, sys, time
t = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
elapsed = time.perf_counter() - t
print(code, elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


@dataclass
class Row:
    name: str
    value: str
    goal: str
    ok: bool | None  # None: a reference figure, no goal


def measure_process(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak resident MiB of one run of ``cmd``."""
    out = subprocess.run([sys.executable, "-c", MEASURE, *cmd], capture_output=True, text=True, env=env, check=True)
    code, elapsed, kib = out.stdout.split()
    if code != "0":
        raise RuntimeError(f"{cmd} a échoué (code {code})")
    return float(elapsed), int(kib) / 1024


def startup(example: Path, runs: int, tmp: Path) -> list[Row]:
    # An installed application has its bytecode compiled (pip does it); a checkout run with
    # PYTHONDONTWRITEBYTECODE would recompile ~70 modules at every start and measure that instead.
    import compileall

    compileall.compile_dir(str(ROOT / "spie_desktop"), quiet=1)
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
           "SPIE_DESKTOP_CONFIG_DIR": str(tmp / "config"), "SPIE_DESKTOP_DATA_DIR": str(tmp / "data")}
    empty, app = [], []
    for _ in range(runs):  # alternate, so machine load hits both alike
        empty.append(measure_process([sys.executable, "-c", EMPTY_WINDOW], env))
        app.append(measure_process([sys.executable, "-m", "spie_desktop", "--quit-after-show", str(example)], env))
    e_time, a_time = statistics.median(t for t, _ in empty), statistics.median(t for t, _ in app)
    e_mem, a_mem = statistics.median(m for _, m in empty), statistics.median(m for _, m in app)
    return [
        Row("Fenêtre PySide6 vide, peinte (référence)", f"{e_time * 1000:.0f} ms, {e_mem:.0f} Mio", "", None),
        Row("Démarrage jusqu'à la fenêtre peinte, exemple chargé", f"{a_time * 1000:.0f} ms = {a_time / e_time:.2f}×",
            "≤ 3× la fenêtre vide", a_time / e_time <= 3),
        Row("Mémoire maximale de ce démarrage", f"{a_mem:.0f} Mio = {a_mem / e_mem:.2f}×", "≤ 2,5× la fenêtre vide",
            a_mem / e_mem <= 2.5),
    ]


def saved_edit(example: Path, runs: int) -> list[Row]:
    from spie_desktop.models import open_dossier

    times = []
    with open_dossier(example, author="banc") as df:
        df.set_value("perimetre", "chauffe")  # the first write loads the SQL layer
        for i in range(max(100, runs * 30)):
            t = time.perf_counter()
            df.set_value("perimetre", f"Texte {i} " * 40)
            times.append((time.perf_counter() - t) * 1000)
    p95 = percentile(times, 0.95)
    return [Row("Une saisie enregistrée (avec sa ligne d'historique)",
                f"médiane {statistics.median(times):.2f} ms, p95 {p95:.2f} ms", "p95 ≤ 5 ms", p95 <= 5)]


def durability(runs: int) -> list[Row]:
    from bench_durability import GOAL_S, measure

    r = measure(max(6.0, runs * 2.0))
    return [Row("Frappe continue (15/s) : pire délai frappe → disque", f"{r['worst'] * 1000:.0f} ms = "
                f"{r['worst'] / GOAL_S:.2f}× l'objectif", "≤ 1 s", r["worst"] <= GOAL_S),
            Row("Frappe continue : 95e centile frappe → disque", f"{r['p95'] * 1000:.0f} ms = {r['p95'] / GOAL_S:.2f}×",
                "≤ 1 s", r["p95"] <= GOAL_S)]


def checking(runs: int) -> list[Row]:
    from bench_check import example_snapshot, multiply_rows, time_it

    from spie_desktop.checks import check

    snap = example_snapshot()
    base = statistics.median(time_it(lambda: check(snap), runs * 20))
    stress = multiply_rows(snap, 10)
    tenfold = statistics.median(time_it(lambda: check(stress), runs * 5))
    return [Row("Vérification complète de l'exemple", f"{base:.2f} ms", "≤ 10 ms", base <= 10),
            Row("Vérification d'un dossier ×10 lignes", f"{tenfold:.2f} ms", "≤ 100 ms", tenfold <= 100)]


def pdf(runs: int, tmp: Path) -> list[Row]:
    from bench_pdf import example_snapshot, tenfold

    from spie_desktop.checks import check
    from spie_desktop.exports.pdf import write_pdf

    snap = example_snapshot()
    big = tenfold(snap)
    report, big_report = check(snap), check(big)
    write_pdf(snap, tmp / "chauffe.pdf", report=report)  # fonts registered, modules imported

    def timed(s, r, n) -> float:
        out = []
        for i in range(n):
            t = time.perf_counter()
            write_pdf(s, tmp / f"x{i}.pdf", report=r)
            out.append(time.perf_counter() - t)
        return statistics.median(out)

    one = timed(snap, report, max(3, runs))
    ten = timed(big, big_report, max(1, runs // 2))
    return [Row("Copie de relecture PDF de l'exemple", f"{one:.2f} s", "≤ 1 s", one <= 1),
            Row("PDF d'un dossier ×10 (linéaire)", f"{ten:.2f} s = {ten / one:.1f}× l'exemple", "≤ 10× l'exemple",
                ten / one <= 10)]


def merging(tmp: Path) -> list[Row]:
    from bench_merge import one_run

    seconds = one_run(tmp, 5000)["fusion complète écrite"]
    return [Row("Fusion de deux copies de 5 000 modifications chacune", f"{seconds:.2f} s", "≤ 1 s", seconds <= 1)]


def big_attachments(tmp: Path, runs: int) -> list[Row]:
    from spie_desktop.forms import registry
    from spie_desktop.models import DossierFile, open_dossier

    path = tmp / "lourd.spie"
    with DossierFile.create(path, registry.find("ami-spie-2021-vague2"), "Pièces lourdes") as df:
        for i in range(10):
            df.add_attachment("lettres_soutien", os.urandom(10 * 1024 * 1024), name=f"lettre-{i}.pdf")
    times = []
    for _ in range(max(5, runs)):
        t = time.perf_counter()
        with open_dossier(path) as df:
            df.snapshot()
        times.append(time.perf_counter() - t)
    median = statistics.median(times)
    size = path.stat().st_size / 1024 / 1024
    return [Row(f"Ouverture d'un dossier de {size:.0f} Mo de pièces jointes", f"{median * 1000:.0f} ms", "≤ 0,5 s",
                median <= 0.5)]


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import PySide6
    import sqlalchemy
    from reportlab import Version as rl_version

    load = f", charge {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    return (f"{cpu}, {os.cpu_count()} cœurs{load} — {platform.system()} {platform.release()} — Python "
            f"{platform.python_version()}, PySide6 {PySide6.__version__}, SQLAlchemy {sqlalchemy.__version__}, "
            f"reportlab {rl_version}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="passages par mesure (5 par défaut)")
    parser.add_argument("--markdown", action="store_true", help="tableau Markdown (pour le README)")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from spie_desktop.interchange import create_example_copy

    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="spie-banc-") as name:
        tmp = Path(name)
        example = create_example_copy(tmp)
        rows += startup(example, args.runs, tmp)
        rows += saved_edit(example, args.runs)
        rows += durability(args.runs)
        rows += checking(args.runs)
        rows += pdf(args.runs, tmp)
        merge_dir = tmp / "fusion"
        merge_dir.mkdir()
        rows += merging(merge_dir)
        rows += big_attachments(tmp, args.runs)

    print(f"Machine : {machine()}")
    print(f"Date : {time.strftime('%Y-%m-%d %H:%M')} — médianes sur {args.runs} passages ou plus")
    verdict = {True: "atteint", False: "NON ATTEINT", None: "—"}
    if args.markdown:
        print("\n| mesure | résultat | objectif | |\n|---|---|---|---|")
        for r in rows:
            print(f"| {r.name} | {r.value} | {r.goal or '—'} | {verdict[r.ok]} |")
    else:
        width = max(len(r.name) for r in rows)
        for r in rows:
            print(f"{r.name:<{width}}  {r.value:<34} {r.goal:<24} {verdict[r.ok]}")
    return 0 if all(r.ok is not False for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
