"""How long the completeness check takes: the example dossier (goal ≤ 10 ms) and a stress dossier
with ten times its rows (goal ≤ 100 ms), plus one re-check after a single edit (what a keystroke
in the wizard costs). Prints figures; it is not a test.

    python benchmarks/bench_check.py [--runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from stats import percentile  # noqa: E402

from spie_desktop.checks import check  # noqa: E402
from spie_desktop.checks.engine import TemplatePlan  # noqa: E402
from spie_desktop.forms import load_template_file  # noqa: E402
from spie_desktop.resources_path import resource  # noqa: E402
from spie_desktop.snapshot import AttachmentInfo, DossierSnapshot  # noqa: E402


def example_snapshot() -> DossierSnapshot:
    from spie_desktop.interchange import snapshot_from_document

    data = json.loads(resource("examples", "exemple-dossier.json").read_text(encoding="utf-8"))
    template = load_template_file(resource("templates", f"{data['template']['id']}.json"))
    return snapshot_from_document(data, template)


def multiply_rows(snap: DossierSnapshot, factor: int) -> DossierSnapshot:
    """Every repetition's rows, and their attachments, repeated ``factor`` times under new row ids."""
    answers = dict(snap.answers)
    atts = list(snap.attachments)
    next_id = max((a.id for a in atts), default=0) + 1
    by_path: dict[str, list[AttachmentInfo]] = {}
    for a in snap.attachments:
        by_path.setdefault(a.path, []).append(a)
    for _section, spec in snap.template.iter_fields():
        value = snap.answers.get(spec.id)
        if not spec.is_repetition or not isinstance(value, list):
            continue
        rows = list(value)
        for copy in range(1, factor):
            for row in value:
                new_id = f"{row['_id']}x{copy}"
                rows.append({**row, "_id": new_id})
                for child in spec.children:
                    for a in by_path.get(f"{spec.id}[{row['_id']}].{child.id}", ()):
                        atts.append(AttachmentInfo(next_id, f"{spec.id}[{new_id}].{child.id}", a.name, a.media_type, a.size,
                                                   a.sha256))
                        next_id += 1
        answers[spec.id] = rows
    return DossierSnapshot(snap.template, snap.info, answers, tuple(atts), snap.comments)


class Timings(list):
    """Wall-clock milliseconds per run, with the process's CPU time beside them: on a loaded machine
    the wall-clock p95 includes time spent waiting for a processor, the CPU time does not."""

    cpu: list[float]


def time_it(fn, runs: int) -> Timings:
    fn()  # warm-up (and the per-template plan on the first call)
    out = Timings()
    out.cpu = []
    for _ in range(runs):
        c0, t0 = time.process_time(), time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
        out.cpu.append((time.process_time() - c0) * 1000)
    return out


def _p95(values: list[float]) -> float:
    return percentile(values, 0.95)


def line(name: str, times: Timings, goal: float) -> str:
    median, p95 = statistics.median(times), _p95(times)
    verdict = "OK" if p95 <= goal else "AU-DESSUS DE L'OBJECTIF"
    return (f"{name:<44} médiane {median:6.2f} ms  p95 {p95:6.2f} ms  (CPU : médiane {statistics.median(times.cpu):6.2f}, "
            f"p95 {_p95(times.cpu):6.2f})  objectif ≤ {goal:g} ms  {verdict}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()

    snap = example_snapshot()
    stress = multiply_rows(snap, 10)
    rows = sum(len(v) for v in snap.answers.values() if isinstance(v, list) and v and isinstance(v[0], dict))
    stress_rows = sum(len(v) for v in stress.answers.values() if isinstance(v, list) and v and isinstance(v[0], dict))

    plan_times = time_it(lambda: TemplatePlan(snap.template), 50)

    report = check(snap)
    stress_report = check(stress)
    load = f", charge moyenne {os.getloadavg()[0]:.1f} sur {os.cpu_count()} processeurs" if hasattr(os, "getloadavg") else ""
    print(f"Python {sys.version.split()[0]} — {args.runs} passages par mesure{load}")
    print(f"Exemple : {rows} lignes de répétition, {len(snap.attachments)} pièces jointes, "
          f"{len(report.problems)} problème(s), {len(report.blocking)} bloquant(s)")
    print(f"Stress ×10 : {stress_rows} lignes, {len(stress.attachments)} pièces jointes, "
          f"{len(stress_report.problems)} problème(s), {len(stress_report.blocking)} bloquant(s)")
    print(f"Préparation du modèle (une fois par objet modèle) : médiane {statistics.median(plan_times):.2f} ms")
    print(line("Vérification de l'exemple", time_it(lambda: check(snap), args.runs), 10))
    print(line("Vérification du dossier ×10 lignes", time_it(lambda: check(stress), max(20, args.runs // 4)), 100))

    # one keystroke in the wizard: one answer changes, a new snapshot is checked
    answers = dict(snap.answers)
    counter = iter(range(10 ** 9))

    def keystroke() -> None:
        answers["resume"] = f"{snap.answers.get('resume', '')}{next(counter) % 10}"
        check(DossierSnapshot(snap.template, snap.info, answers, snap.attachments))

    print(line("Re-vérification après une frappe (exemple)", time_it(keystroke, args.runs), 10))
    return 0


if __name__ == "__main__":
    sys.exit(main())
