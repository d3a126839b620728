"""How a template's size costs: open (window, offscreen), check and export (text, PDF) at 500, 2 000
and 20 000 fields, each figure beside its time per field and that per-field time's ratio to the
smallest size's (a ratio near 1 is linear; the quadratic open of issue 11 gave 3.5 / 9.4 / 32 s for
500 / 1 000 / 2 000 fields). Sizes over the template bounds (spie_desktop/forms/limits.py) are
refused by the loader, and that refusal is timed instead.

``--one-section`` puts every field in one section (the window builds a whole section at once) and
lifts the bounds, to show that opening stays linear even past them. Prints figures; not a test.

    python benchmarks/bench_template_size.py [--sizes 500,2000,20000] [--one-section] [--pdf]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if importlib.util.find_spec("spie_desktop") is None:  # run from a checkout without an install
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TYPES = ["text", "textarea", "integer_number", "decimal_number", "date", "yes_no", "drop_down_list", "email"]


def make_template(n: int, per_section: int) -> dict:
    """n fields (a third required, one in eight a drop-down list) in sections of ``per_section``."""
    sections = []
    for start in range(0, n, per_section):
        fields = []
        for i in range(start, min(n, start + per_section)):
            kind = TYPES[i % len(TYPES)]
            f: dict = {
                "id": f"f{i}",
                "type": kind,
                "label": f"Question numéro {i}",
                "required": i % 3 == 0,
                "description": "Une aide d'une ligne, comme dans les vrais formulaires.",
            }
            if kind == "drop_down_list":
                f["options"] = ["Oui, tout à fait", "En partie", "Non"]
            if kind == "textarea":
                f["character_limit"] = 2000
            fields.append(f)
        sections.append({"id": f"s{start}", "title": f"Section {start // per_section + 1}", "fields": fields})
    return {
        "format": "spie-template",
        "format_version": 1,
        "id": f"bench-{n}",
        "version": "1",
        "title": "Formulaire de mesure",
        "sections": sections,
        "rules": [],
    }


def _lift_bounds() -> None:
    from spie_desktop.forms import limits

    for name in ("MAX_SECTIONS", "MAX_FIELDS_PER_SECTION", "MAX_FIELDS", "MAX_CHILDREN"):
        setattr(limits, name, 10**9)


def measure(n: int, per_section: int, workdir: Path, *, pdf: bool) -> dict[str, float] | str:
    from PySide6.QtWidgets import QApplication

    from spie_desktop.checks import check
    from spie_desktop.exports.text import export_text
    from spie_desktop.forms import TemplateError, parse_template
    from spie_desktop.models import DossierFile, open_snapshot
    from spie_desktop.settings import Settings
    from spie_desktop.ui.main_window import MainWindow

    raw = make_template(n, per_section)
    t0 = time.perf_counter()
    try:
        template = parse_template(raw)
    except TemplateError as exc:
        return f"refusé en {time.perf_counter() - t0:.3f} s : {exc.detail}"
    figures = {"chargement": time.perf_counter() - t0}
    path = workdir / f"t{n}.spie"
    DossierFile.create(path, template, "Mesure").close()

    window = MainWindow(Settings(author_name="Mesure"))
    window.show()
    QApplication.processEvents()
    t0 = time.perf_counter()
    window.open_path(path)
    QApplication.processEvents()
    figures["ouverture"] = time.perf_counter() - t0
    window.close_dossier() if hasattr(window, "close_dossier") else None
    window.close()
    window.deleteLater()
    QApplication.processEvents()

    snap = open_snapshot(path)
    t0 = time.perf_counter()
    report = check(snap)
    figures["vérification"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    export_text(snap)
    figures["export texte"] = time.perf_counter() - t0
    if pdf:
        from spie_desktop.exports.pdf import write_pdf

        t0 = time.perf_counter()
        write_pdf(snap, workdir / f"t{n}.pdf", report=report)
        figures["export PDF"] = time.perf_counter() - t0
    return figures


def rules_at_the_bounds(rows: int) -> str:
    """The costliest rules the bounds admit, over ``rows`` rows: every rule a pass over the rows."""
    from spie_desktop.checks import check
    from spie_desktop.forms import limits, parse_template
    from spie_desktop.snapshot import DossierInfo, DossierSnapshot

    per_rule = 10
    days = [f"jour{k}" for k in range(limits.MAX_CHILDREN - 2)]  # distinct date references: one pass each
    sums = min(limits.MAX_RULES - 1, (limits.MAX_RULE_VALUES_TOTAL - len(days)) // per_rule)
    kinds = [f"type {k}" for k in range(per_rule)]
    rep = {
        "id": "lignes",
        "type": "repetition",
        "label": "Lignes",
        "children": [
            {"id": "genre", "type": "text", "label": "Genre"},
            {"id": "montant", "type": "decimal_number", "label": "Montant"},
        ]
        + [{"id": d, "type": "date", "label": d} for d in days],
    }
    rules = [
        {
            "id": f"somme{i}",
            "kind": "sum_equals",
            "severity": "avertissement",
            "message": "{left} ≠ {right}",
            "left": {
                "sum": {"field": "lignes", "child": "montant", "where": {"child": "genre", "in": kinds}}
            },
            "right": {"value": str(i)},
        }
        for i in range(sums)
    ]
    rules.append(
        {
            "id": "dates",
            "kind": "dates_within",
            "message": "{date} hors période",
            "dates": [{"field": "lignes", "child": d} for d in days],
            "start": {"value": "2020-01-01"},
            "end": {"value": "2030-12-31"},
        }
    )
    template = parse_template(
        {
            "format": "spie-template",
            "format_version": 1,
            "id": "bench-regles",
            "version": "1",
            "title": "Règles",
            "sections": [{"id": "s", "title": "S", "fields": [rep]}],
            "rules": rules,
        }
    )
    values = [
        {
            "_id": f"r{i}",
            "genre": kinds[i % per_rule],
            "montant": f"{i}.50",
            **dict.fromkeys(days, "2024-05-01"),
        }
        for i in range(rows)
    ]
    snap = DossierSnapshot(
        template=template,
        info=DossierInfo("d", "Mesure", "bench-regles", "1", "", ""),
        answers={"lignes": values},
        attachments=(),
        comments=(),
        change_count=0,
    )
    t0 = time.perf_counter()
    check(snap)
    seconds = time.perf_counter() - t0
    return (
        f"{len(rules)} règles, {sums * per_rule + len(days)} valeurs, {rows} lignes : "
        f"vérification {seconds:.3f} s"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="500,2000,20000")
    ap.add_argument("--one-section", action="store_true")
    ap.add_argument("--pdf", action="store_true", help="also time the PDF export")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    workdir = Path(tempfile.mkdtemp(prefix="bench-taille-"))
    os.environ["SPIE_DESKTOP_CONFIG_DIR"] = str(workdir / "config")
    os.environ["SPIE_DESKTOP_DATA_DIR"] = str(workdir / "data")
    from spie_desktop.app import create_application
    from spie_desktop.forms import limits

    app = create_application([])  # noqa: F841 - kept alive for the windows
    if args.one_section:
        _lift_bounds()
    floor: dict[str, float] = {}
    print(f"bornes : {limits.MAX_FIELDS} champs, {limits.MAX_FIELDS_PER_SECTION} par section")
    for n in sizes:
        per = n if args.one_section else min(n, limits.MAX_FIELDS_PER_SECTION)
        result = measure(n, per, workdir, pdf=args.pdf)
        if isinstance(result, str):
            print(f"{n:>6} champs : {result}")
            continue
        parts = []
        for name, seconds in result.items():
            per_field = seconds / n
            floor.setdefault(name, per_field)
            parts.append(
                f"{name} {seconds:.3f} s ({per_field * 1000:.3f} ms/champ, ×{per_field / floor[name]:.2f})"
            )
        print(f"{n:>6} champs ({per} par section) : " + " ; ".join(parts))
    if not args.one_section:
        for rows in (400, 4000):
            print(rules_at_the_bounds(rows))


if __name__ == "__main__":
    main()
