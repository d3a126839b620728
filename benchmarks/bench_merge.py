"""How long merging two copies takes when each made 5 000 changes since they parted (goal ≤ 1 s).

Each copy adds 250 rows to its tables and edits their cells and the dossier's answers until it has
5 000 changes of its own; a few answers are changed on both sides (conflicts settled with
--prefer theirs). Prints figures for reading both sides, planning and writing; it is not a test.

    python benchmarks/bench_merge.py [--changes N] [--runs N]
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if importlib.util.find_spec("spie_desktop") is None:  # run from a checkout without an install
    sys.path.insert(0, str(ROOT))

from spie_desktop.collab import make_partner_copy, merge  # noqa: E402
from spie_desktop.collab.merge import plan_merge  # noqa: E402
from spie_desktop.collab.units import Side  # noqa: E402
from spie_desktop.forms import registry  # noqa: E402
from spie_desktop.models import DossierFile, open_dossier  # noqa: E402

SHARED = ["perimetre", "diagnostic_territorial", "resume"]  # both sides write these: conflicts


def edit(df: DossierFile, who: str, changes: int) -> None:
    """``changes`` recorded edits in one transaction (the timing is about merging, not typing)."""
    start = df.change_count
    with df.batch():
        rows = [
            df.add_row(
                "actions" if who == "a" else "indicateurs", {"titre" if who == "a" else "nom": f"{who}{i}"}
            )
            for i in range(250)
        ]
        child = "description" if who == "a" else "source"
        for name in SHARED:
            df.set_value(name, f"{name} selon {who}")
        i = 0
        while df.change_count - start < changes:
            field = "actions" if who == "a" else "indicateurs"
            df.set_value(f"{field}[{rows[i % len(rows)]}].{child}", f"{who} version {i}")
            if i % 10 == 0:
                df.set_value("modalites_evaluation" if who == "a" else "apports", f"{who} texte {i}")
            i += 1


def one_run(work: Path, changes: int) -> dict[str, float]:
    template = registry.find("ami-spie-2021-vague2")
    base = DossierFile.create(work / "a.spie", template, "Banc d'essai", author="A")
    base.add_row("jalons", {"libelle": "Départ"})
    make_partner_copy(base, work / "b.spie", "B")
    edit(base, "a", changes)
    base.close()
    with open_dossier(work / "b.spie", author="B") as b:
        edit(b, "b", changes)
    figures: dict[str, float] = {}
    with open_dossier(work / "a.spie", author="A") as a, open_dossier(work / "b.spie", read_only=True) as b:
        t = time.perf_counter()
        mine, theirs = Side.read(a), Side.read(b)
        figures["lire les deux copies"] = time.perf_counter() - t
        t = time.perf_counter()
        plan = plan_merge(mine, theirs, a.template, lambda c: c.theirs)
        figures["calculer la fusion"] = time.perf_counter() - t
        figures["_conflicts"] = len(plan.conflicts)
        figures["_missing"] = len(plan.missing)
    with open_dossier(work / "a.spie", author="A") as a:
        t = time.perf_counter()
        preview = merge(a, work / "b.spie")
        figures["aperçu (conflits listés)"] = time.perf_counter() - t
        assert preview.conflicts and not preview.applied
        t = time.perf_counter()
        result = merge(a, work / "b.spie", prefer="theirs")
        figures["fusion complète écrite"] = time.perf_counter() - t
        assert result.applied
        t = time.perf_counter()
        again = merge(a, work / "b.spie")
        figures["fusionner à nouveau (rien)"] = time.perf_counter() - t
        assert not again.applied
    with open_dossier(work / "b.spie", author="B") as b:
        t = time.perf_counter()
        back = merge(b, work / "a.spie")
        figures["retour vers l'autre copie"] = time.perf_counter() - t
        assert back.applied and not back.conflicts
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    runs = []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            runs.append(one_run(Path(tmp), args.changes))
    first = runs[0]
    print(
        f"Deux copies, {args.changes} modifications chacune depuis la séparation : "
        f"{first['_missing']:.0f} reçues, {first['_conflicts']:.0f} conflits ({args.runs} essais, médiane)"
    )
    for key in first:
        if key.startswith("_"):
            continue
        values = [r[key] for r in runs]
        print(
            f"  {key:32s} {statistics.median(values) * 1000:8.0f} ms   (min {min(values) * 1000:.0f}, "
            f"max {max(values) * 1000:.0f})"
        )
    total = statistics.median(r["fusion complète écrite"] for r in runs)
    print(f"Objectif ≤ 1 s pour la fusion complète : {'atteint' if total <= 1 else 'MANQUÉ'} ({total:.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
