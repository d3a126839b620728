"""Time the PDF review copy: the example dossier (goal ≤ 1 s) and the same with ten times the content
(goal: linear, ≤ 10× the example). Prints figures; it is not a test.

    python benchmarks/bench_pdf.py [--runs 3]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if importlib.util.find_spec("spie_desktop") is None:  # run from a checkout without an install
    sys.path.insert(0, str(ROOT))


def example_snapshot():
    from spie_desktop.interchange import snapshot_from_document

    data = json.loads((ROOT / "resources" / "examples" / "exemple-dossier.json").read_text(encoding="utf-8"))
    return snapshot_from_document(data)


def tenfold(snapshot):
    """Every repetition has ten times its rows, every long text ten times its paragraphs."""
    from dataclasses import replace

    from spie_desktop.forms import FieldType

    answers = dict(snapshot.answers)
    for _, spec in snapshot.template.iter_fields():
        value = answers.get(spec.id)
        if spec.is_repetition and isinstance(value, list):
            answers[spec.id] = [dict(row, _id=f"{row.get('_id')}x{k}") for k in range(10) for row in value]
        elif spec.type is FieldType.TEXTAREA and isinstance(value, str):
            answers[spec.id] = "\n\n".join([value] * 10)
    return replace(snapshot, answers=answers)


def timed(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    t0 = time.perf_counter()
    from spie_desktop.checks import check
    from spie_desktop.exports.pdf import build_pdf
    from spie_desktop.exports.pdf_style import register_fonts

    register_fonts()
    startup = time.perf_counter() - t0

    base = example_snapshot()
    big = tenfold(base)
    report_base, report_big = check(base), check(big)

    sizes = {}

    def run(snap, report, key):
        sizes[key] = len(build_pdf(snap, report=report))

    first = timed(lambda: run(base, report_base, "base"), 1)[0]
    base_times = timed(lambda: run(base, report_base, "base"), args.runs)
    big_times = timed(lambda: run(big, report_big, "big"), args.runs)
    b, g = min(base_times), min(big_times)
    import io

    from pypdf import PdfReader

    pages_base = len(PdfReader(io.BytesIO(build_pdf(base, report=report_base))).pages)
    pages_big = len(PdfReader(io.BytesIO(build_pdf(big, report=report_big))).pages)
    print(f"import reportlab + fonts     : {startup:.3f} s")
    print(f"example, first build         : {first:.3f} s")
    print(
        f"example (best of {args.runs})         : {b:.3f} s  — {pages_base} pages, {sizes['base'] // 1024} Kio  (goal ≤ 1 s)"
    )
    print(
        f"example ×10 (best of {args.runs})     : {g:.3f} s  — {pages_big} pages, {sizes['big'] // 1024} Kio"
    )
    print(f"ratio ×10 / example          : {g / b:.1f}  (goal ≤ 10, linear)")
    print(f"per page                     : {b / pages_base * 1000:.0f} ms vs {g / pages_big * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
