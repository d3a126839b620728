"""Hostile sizes (issue 11): one word of 10 k … 2 M characters, and 2 000 / 20 000 table rows, in the
PDF review copy and in the window. Goal: linear. For each size it prints the time, the time per unit
above the empty baseline, and that per-unit time as a ratio to the smallest size's (≈ 1 means
linear; a quadratic cost would make it grow with the size). It is not a test.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_sizes.py [--quick] [--window-rows 200,2000]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "exports"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

WORDS = (10_000, 100_000, 1_000_000, 2_000_000)
PDF_ROWS = (2_000, 20_000)


def timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def report(title: str, unit: str, results: list[tuple[int, float]], baseline: float) -> None:
    print(f"\n{title} (base vide : {baseline:.2f} s)")
    print(f"  {'taille':>10}  {'temps':>8}  {'µs / ' + unit:>12}  {'ratio':>6}")
    first = None
    for size, seconds in results:
        if seconds < baseline * 1.5 + 0.05:  # lost in the noise of the baseline: no meaningful ratio
            print(f"  {size:>10,}  {seconds:>7.2f}s  {'—':>12}  {'—':>6}".replace(",", " "))
            continue
        per_unit = (seconds - baseline) / size * 1e6
        first = first or per_unit
        print(
            f"  {size:>10,}  {seconds:>7.2f}s  {per_unit:>12.3f}  {per_unit / first:>6.2f}".replace(",", " ")
        )


def pdf_benchmarks(words: tuple[int, ...], rows: tuple[int, ...]) -> None:
    from exportkit import make_snapshot

    from spie_desktop.exports.pdf import build_pdf

    build_pdf(make_snapshot({}), check=False)  # fonts, imports
    base = min(timed(lambda: build_pdf(make_snapshot({}), check=False)) for _ in range(2))
    results = [
        (n, timed(lambda n=n: build_pdf(make_snapshot({"diagnostic": "A" * n}), check=False))) for n in words
    ]
    report("PDF — un mot de N caractères", "caractère", results, base)

    def table(n: int):
        return make_snapshot(
            {
                "depenses": [
                    {"_id": f"r{i}", "categorie": f"Poste {i}", "annee": "2022", "montant": f"{i}.50"}
                    for i in range(n)
                ]
            }
        )

    results = [(n, timed(lambda n=n: build_pdf(table(n), check=False))) for n in rows]
    report("PDF — tableau de N lignes", "ligne", results, base)


def window_benchmarks(words: tuple[int, ...], rows: tuple[int, ...]) -> None:
    from PySide6.QtWidgets import QApplication

    sys.path.insert(0, str(ROOT / "tests" / "ui"))
    from conftest import ALL_TYPES

    from spie_desktop.forms import parse_template
    from spie_desktop.models import DossierFile
    from spie_desktop.ui.controller import DossierController
    from spie_desktop.ui.section_form import SectionForm

    app = QApplication.instance() or QApplication([])
    template = parse_template(ALL_TYPES)
    folder = Path(tempfile.mkdtemp(prefix="bench-sizes-"))
    keep = []

    def form_time(name: str, fill) -> float:
        d = DossierFile.create(folder / f"{name}.spie", template, name)
        fill(d)
        c = DossierController(d)

        def show():
            f = SectionForm(c, template.section("tout"))
            f.resize(1000, 800)
            f.show()
            for _ in range(3):
                app.processEvents()
            keep.append(f)

        seconds = timed(show)
        c._save_timer.stop()
        c._check_timer.stop()
        keep.append(c)
        return seconds

    form_time("chauffe", lambda d: None)
    base = min(form_time(f"vide{i}", lambda d: None) for i in range(2))

    def word(n: int):
        def fill(d):
            d.set_value("presentation", "A" * n)  # a growing text area
            d.add_row("membres", {"structure": "A" * n, "role": "A" * n})  # a row card

        return fill

    results = [(n, form_time(f"mot{n}", word(n))) for n in words]
    report("Fenêtre — un mot de N caractères (zone de texte + ligne de tableau)", "caractère", results, base)

    def table(n: int):
        def fill(d):
            for i in range(n):
                d.add_row("membres", {"structure": f"Structure {i}", "role": "Rôle"})

        return fill

    if rows:
        results = [(n, form_time(f"lignes{n}", table(n))) for n in rows]
        report("Fenêtre — répétition de N lignes", "ligne", results, base)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="10 k / 100 k / 1 M caractères, 2 000 lignes")
    parser.add_argument(
        "--window-rows",
        default="200,2000",
        help="lignes d'une répétition dans la fenêtre (« 2000,20000 » : plusieurs minutes)",
    )
    args = parser.parse_args()
    words = WORDS[:3] if args.quick else WORDS
    pdf_rows = PDF_ROWS[:1] + (PDF_ROWS[0] * 2,) if args.quick else PDF_ROWS
    window_rows = tuple(int(x) for x in args.window_rows.split(",") if x.strip())
    pdf_benchmarks(words, pdf_rows)
    window_benchmarks(words, window_rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
