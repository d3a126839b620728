"""How long the completeness check takes: the example dossier (goal ≤ 10 ms), dossiers with 10×
and 100× its rows, one re-check after a single edit (what a keystroke in the wizard costs), full
and incremental, and the window's re-check after a typing pause at 100× before (a full check of a
fresh snapshot) and now (ui/live_check.py). Goal: ≤ 16 ms (one frame) at 100×. Prints figures; it
is not a test.

    python benchmarks/bench_check.py [--runs N] [--no-window]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if importlib.util.find_spec("spie_desktop") is None:  # run from a checkout without an install
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
                        atts.append(
                            AttachmentInfo(
                                next_id,
                                f"{spec.id}[{new_id}].{child.id}",
                                a.name,
                                a.media_type,
                                a.size,
                                a.sha256,
                            )
                        )
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
    return (
        f"{name:<44} médiane {median:6.2f} ms  p95 {p95:6.2f} ms  (CPU : médiane {statistics.median(times.cpu):6.2f}, "
        f"p95 {_p95(times.cpu):6.2f})  objectif ≤ {goal:g} ms  {verdict}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--no-window", action="store_true", help="sans la mesure du contrôleur (pas de Qt)")
    args = parser.parse_args()

    snap = example_snapshot()
    stress = multiply_rows(snap, 10)
    rows = sum(len(v) for v in snap.answers.values() if isinstance(v, list) and v and isinstance(v[0], dict))
    stress_rows = sum(
        len(v) for v in stress.answers.values() if isinstance(v, list) and v and isinstance(v[0], dict)
    )

    plan_times = time_it(lambda: TemplatePlan(snap.template), 50)

    report = check(snap)
    stress_report = check(stress)
    load = (
        f", charge moyenne {os.getloadavg()[0]:.1f} sur {os.cpu_count()} processeurs"
        if hasattr(os, "getloadavg")
        else ""
    )
    print(f"Python {sys.version.split()[0]} — {args.runs} passages par mesure{load}")
    print(
        f"Exemple : {rows} lignes de répétition, {len(snap.attachments)} pièces jointes, "
        f"{len(report.problems)} problème(s), {len(report.blocking)} bloquant(s)"
    )
    print(
        f"Stress ×10 : {stress_rows} lignes, {len(stress.attachments)} pièces jointes, "
        f"{len(stress_report.problems)} problème(s), {len(stress_report.blocking)} bloquant(s)"
    )
    print(
        f"Préparation du modèle (une fois par objet modèle) : médiane {statistics.median(plan_times):.2f} ms"
    )
    print(line("Vérification de l'exemple", time_it(lambda: check(snap), args.runs), 10))
    print(
        line(
            "Vérification du dossier ×10 lignes", time_it(lambda: check(stress), max(20, args.runs // 4)), 100
        )
    )

    # one keystroke in the wizard: one answer changes, a new snapshot is checked
    answers = dict(snap.answers)
    counter = iter(range(10**9))

    def keystroke() -> None:
        answers["resume"] = f"{snap.answers.get('resume', '')}{next(counter) % 10}"
        check(DossierSnapshot(snap.template, snap.info, answers, snap.attachments))

    print(line("Re-vérification après une frappe (exemple)", time_it(keystroke, args.runs), 10))

    big = multiply_rows(snap, 100)
    print(
        line(
            "Vérification du dossier ×100 lignes", time_it(lambda: check(big), max(5, args.runs // 20)), 1000
        )
    )
    for name, times in incremental_edits(big, max(20, args.runs // 4)).items():
        print(line(name, times, FRAME_MS))
    if not args.no_window:
        for name, times in window_rechecks(100, max(10, args.runs // 10)).items():
            print(line(name, times, FRAME_MS))
    return 0


FRAME_MS = 16


def edit_paths(snap: DossierSnapshot) -> dict[str, tuple[str, str, str]]:
    """One edit of each kind, (field, row id or "", child): a text, a budget amount, an action's date."""
    depenses, actions = snap.answers["depenses"], snap.answers["actions"]
    return {
        "un texte": ("resume", "", ""),
        "un montant du budget": ("depenses", depenses[len(depenses) // 2]["_id"], "montant"),
        "une date d'action": ("actions", actions[len(actions) // 2]["_id"], "date_fin"),
    }


def incremental_edits(big: DossierSnapshot, runs: int, factor: int = 100) -> dict[str, Timings]:
    """A full check versus the incremental one after one edit, on a big dossier (×100)."""
    out: dict[str, Timings] = {}
    for kind, (field, row, child) in edit_paths(big).items():
        full, incremental = _one_edit(big, field, row, child, runs)
        out[f"×{factor}, {kind} : vérification complète"] = full
        out[f"×{factor}, {kind} : vérification incrémentale"] = incremental
    return out


def _one_edit(big: DossierSnapshot, field: str, row: str, child: str, runs: int) -> tuple[Timings, Timings]:
    """(full check, incremental check) timings after one edit of ``field`` (a row's ``child`` if ``row``)."""
    from spie_desktop.checks import IncrementalChecker

    answers = dict(big.answers)
    checker = IncrementalChecker()
    checker.check(big)
    counter = iter(range(10**9))

    def edited() -> tuple[DossierSnapshot, str]:
        n = next(counter)
        if not row:
            answers[field] = f"Résumé révisé {n}"
            return DossierSnapshot(big.template, big.info, dict(answers), big.attachments), field
        rows = list(answers[field])
        i = next(k for k, r in enumerate(rows) if r["_id"] == row)
        rows[i] = {**rows[i], child: str(1000 + n % 900) if child == "montant" else f"2023-0{1 + n % 9}-15"}
        answers[field] = rows
        return DossierSnapshot(
            big.template, big.info, dict(answers), big.attachments
        ), f"{field}[{row}].{child}"

    def full() -> None:
        check(edited()[0])

    def incremental() -> None:
        s, path = edited()
        checker.check(s, [path])

    return time_it(full, max(3, runs // 5)), time_it(incremental, runs)


def window_rechecks(factor: int, runs: int) -> dict[str, Timings]:
    """The controller's re-check after a typing pause (snapshot + check, what blocks the window)."""
    import tempfile

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication
    from scaled import write_scaled

    from spie_desktop.models import open_dossier
    from spie_desktop.ui.controller import DossierController

    app = QApplication.instance() or QApplication([])  # noqa: F841 - timers need one (widgets come later)
    out: dict[str, Timings] = {}
    with tempfile.TemporaryDirectory(prefix="spie-banc-verif-") as tmp:
        path = write_scaled(factor, Path(tmp) / f"x{factor}.spie")
        with open_dossier(path, author="Banc") as df:
            c = DossierController(df)
            rows = df.row_ids("depenses")
            counter = iter(range(10**9))

            def paused(recheck, n_runs: int) -> Timings:
                """Edit (and save one time in three), then time only the re-check, as the timer runs it."""
                out_t = Timings()
                out_t.cpu = []
                recheck()
                for _ in range(n_runs):
                    n = next(counter)
                    c.set_value(f"depenses[{rows[n % len(rows)]}].montant", str(1000 + n % 900))
                    if n % 3 == 0:
                        c.flush()
                    c0, t0 = time.process_time(), time.perf_counter()
                    recheck()
                    out_t.append((time.perf_counter() - t0) * 1000)
                    out_t.cpu.append((time.process_time() - c0) * 1000)
                return out_t

            def before() -> None:  # what the controller did until now
                check(c.snapshot())

            out[f"×{factor}, fenêtre : re-vérification avant (instantané + tout)"] = paused(
                before, max(3, runs // 3)
            )
            out[f"×{factor}, fenêtre : re-vérification maintenant"] = paused(c.recheck, runs)
            c._check_timer.stop()
            c._save_timer.stop()
            c.flush()
    return out


if __name__ == "__main__":
    sys.exit(main())
