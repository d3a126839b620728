"""The measurements of run_all.py, run inside the throw-away install (see run_all.py). Each returns
rows: a figure, the floor measured beside it in this run, their ratio, and the goal."""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pdf_compare
from floors import (
    EMPTY_WINDOW,
    BareCommit,
    executemany_import,
    executemany_merge,
    labels_in_scroll_area,
    list_view,
    plain_pdf,
)
from scaled import row_count, scaled_document
from stats import percentile


@dataclass
class Row:
    name: str
    value: str
    floor: str = ""
    ratio: str = ""
    goal: str = ""
    ok: bool | None = None  # None: a figure without a goal

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def ratio_row(name: str, value: float, floor_name: str, floor: float, goal: float | None) -> Row:
    r = value / floor if floor > 0 else float("inf")
    return Row(
        name,
        ms(value),
        f"{floor_name} {ms(floor)}",
        f"{r:.2f}×",
        f"≤ {goal:g}×" if goal else "",
        (r <= goal) if goal else None,
    )


# -- start-up ---------------------------------------------------------------------------------

MEASURE = r"""
import resource, subprocess, sys, time
t = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
elapsed = time.perf_counter() - t
print(code, elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def _process(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, *cmd], capture_output=True, text=True, env=env, check=True
    )
    code, elapsed, kib = out.stdout.split()
    if code != "0":
        raise RuntimeError(f"{cmd} a échoué (code {code})")
    return float(elapsed), int(kib) / 1024


#: start-ups are short: at least this many pairs, whatever --runs says
STARTUP_PAIRS = 15


def startup(runs: int, tmp: Path, platform: str, display: str = "") -> list[Row]:
    """The installed ``spie-desktop --example --quit-after-show`` against an empty window, alternated.

    The ratio is the median of the pairs' ratios (each start against the empty window started just
    before it): pairing keeps it meaningful while the machine's speed drifts, which on these shared
    machines moves the empty window alone between 0.21 and 0.34 s within an hour."""
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": platform,
        "SPIE_DESKTOP_CONFIG_DIR": str(tmp / "config"),
        "SPIE_DESKTOP_DATA_DIR": str(tmp / "data"),
        "USER": "banc",
        "LOGNAME": "banc",
    }
    if display:
        env["DISPLAY"] = display
    app_cmd = [str(Path(sys.executable).with_name("spie-desktop")), "--example", "--quit-after-show"]
    empty, app = [], []
    _process(app_cmd, env)  # the first run writes the settings and the example copy
    for _ in range(max(STARTUP_PAIRS, runs)):
        empty.append(_process([sys.executable, "-c", EMPTY_WINDOW], env))
        app.append(_process(app_cmd, env))
    e_time, a_time = statistics.median(t for t, _ in empty), statistics.median(t for t, _ in app)
    e_mem, a_mem = statistics.median(m for _, m in empty), statistics.median(m for _, m in app)
    paired = statistics.median(a / e for (a, _), (e, _) in zip(app, empty, strict=True))
    where = "hors écran" if platform == "offscreen" else f"Xvfb {display}"
    return [
        Row(
            f"Démarrage jusqu'à la fenêtre peinte, exemple ({where})",
            ms(a_time),
            f"fenêtre PySide6 vide {ms(e_time)}",
            f"{paired:.2f}× (médiane de {len(app)} paires ; rapport des médianes {a_time / e_time:.2f}×)",
            "≤ 2×",
            paired <= 2.0,
        ),
        Row(
            f"Mémoire maximale de ce démarrage ({where})",
            f"{a_mem:.0f} Mio",
            f"fenêtre vide {e_mem:.0f} Mio",
            f"{a_mem / e_mem:.2f}×",
            "≤ 2,5×",
            a_mem / e_mem <= 2.5,
        ),
    ]


# -- writing ----------------------------------------------------------------------------------


def saved_edit(example: Path, runs: int, tmp: Path) -> list[Row]:
    from spie_desktop.models import open_dossier

    count = max(100, runs * 40)
    times, floor = [], []
    bare = BareCommit(tmp)
    try:
        with open_dossier(example, author="banc") as df:
            df.set_value("perimetre", "chauffe")  # the first write loads the SQL layer
            bare.one()
            for i in range(count):  # alternated, edit then bare commit: the disk's drift hits both alike
                t = time.perf_counter()
                df.set_value("perimetre", f"Texte {i} " * 40)
                times.append((time.perf_counter() - t) * 1000)
                floor.append(bare.one())
    finally:
        bare.close()
    p95, f95 = percentile(times, 0.95), percentile(floor, 0.95)
    return [
        Row(
            "Une saisie enregistrée (p95, avec sa ligne d'historique)",
            f"{p95:.2f} ms",
            f"commit SQLite nu {f95:.2f} ms",
            f"{p95 / f95:.2f}×",
            "≤ 2×",
            p95 / f95 <= 2,
        )
    ]


def imports(factors: tuple[int, ...], runs: int, tmp: Path) -> tuple[list[Row], dict[int, Path]]:
    """Interchange import in process against sqlite3 ``executemany`` of the same rows."""
    from spie_desktop.interchange import import_document

    rows, files = [], {}
    for factor in factors:
        doc = scaled_document(factor)
        n = max(1, runs)  # in bulk, a 100× import takes about a second: a median at every size
        took, floor = [], []
        for i in range(n):
            out = tmp / f"x{factor}-{i}.spie"
            t = time.perf_counter()
            import_document(doc, out, author="Banc")
            took.append(time.perf_counter() - t)
            floor.append(executemany_import(tmp, doc, f"floor{factor}"))
            files[factor] = out
        rows.append(
            ratio_row(
                f"Import ×{factor} ({row_count(doc)} lignes)",
                statistics.median(took),
                "executemany",
                statistics.median(floor),
                5.0 if factor >= 100 else None,
            )
        )
    return rows, files


def saved_copies(factors: tuple[int, ...], files: dict[int, Path], runs: int, tmp: Path) -> list[Row]:
    """« Enregistrer une copie » of each imported dossier against sqlite3 ``executemany`` of its rows."""
    from spie_desktop.models import open_dossier

    rows = []
    for factor in factors:
        doc = scaled_document(factor)
        took, floor = [], []
        with open_dossier(files[factor], author="Banc") as df:
            for i in range(max(1, runs)):
                t = time.perf_counter()
                df.save_copy(tmp / f"copie{factor}-{i}.spie")
                took.append(time.perf_counter() - t)
                floor.append(executemany_import(tmp, doc, f"floor-copie{factor}"))
        rows.append(
            ratio_row(
                f"Enregistrer une copie ×{factor}",
                statistics.median(took),
                "executemany",
                statistics.median(floor),
                5.0 if factor >= 100 else None,
            )
        )
    return rows


def _partner_edits(df, factor: int) -> None:
    """A partner's review: one text of every row reworded, rows added, a paragraph of a long text."""
    with df.batch():
        for rep, ids in [(f, df.row_ids(f)) for f in ("consortium", "actions", "depenses", "indicateurs")]:
            for rid in ids:
                values = df.row_values(rep, rid)
                child = next((k for k, v in values.items() if isinstance(v, str) and " " in v), None)
                if child is not None:
                    df.set_value(f"{rep}[{rid}].{child}", values[child] + " (revu)")
            for i in range(factor):
                df.add_row("jalons", {"libelle": f"Jalon ajouté {i}"})
        text = df.get("diagnostic_territorial") or ""
        df.set_value("diagnostic_territorial", text + "\nUn paragraphe ajouté par le partenaire.")


def scaled_merges(factors: tuple[int, ...], files: dict[int, Path], runs: int, tmp: Path) -> list[Row]:
    """Merging a partner's reviewed copy of each imported dossier (one change per row) into the
    coordinator's, who changed other answers meanwhile, against sqlite3 doing the same reads and writes."""
    import shutil

    from spie_desktop.collab import make_partner_copy, merge
    from spie_desktop.models import open_dossier

    out = []
    for factor in factors:
        mine, theirs = tmp / f"fusion-mien{factor}.spie", tmp / f"fusion-leur{factor}.spie"
        shutil.copyfile(files[factor], mine)
        with open_dossier(mine, author="Coordination") as df:
            make_partner_copy(df, theirs, "Partenaire")
            text = df.get("diagnostic_territorial") or ""
            with df.batch():
                df.set_value("diagnostic_territorial", "Introduction revue.\n" + text)
                df.set_value("resume", "Résumé revu par la coordination.")
        with open_dossier(theirs, author="Partenaire") as df:
            _partner_edits(df, factor)
            brought = df.change_count
        took, floor, writing = [], [], []
        for i in range(1 if factor >= 100 else max(1, runs)):
            work = tmp / f"fusion{factor}-{i}.spie"
            shutil.copyfile(mine, work)
            with open_dossier(work, author="Coordination") as df:
                t = time.perf_counter()
                result = merge(df, theirs, prefer="theirs")  # a version that cannot combine texts asks
                took.append(time.perf_counter() - t)
                assert result.applied
            whole, written = executemany_merge(mine, theirs, tmp)
            floor.append(whole)
            writing.append(written)
        out.append(
            ratio_row(
                f"Fusion ×{factor} ({result.counts.changes} modifications reçues sur {brought}, "
                f"{len(result.conflicts)} conflit)",
                statistics.median(took),
                "lecture sqlite3 + json, executemany",
                statistics.median(floor),
                5.0 if factor >= 100 else None,
            )
        )
        out.append(
            ratio_row(
                f"Fusion ×{factor}, face à l'écriture seule",
                statistics.median(took),
                "executemany des lignes écrites",
                statistics.median(writing),
                None,
            )
        )
    return out


# -- checking ---------------------------------------------------------------------------------


def checks(factors: tuple[int, ...], files: dict[int, Path], runs: int) -> list[Row]:
    from bench_check import example_snapshot, incremental_edits, multiply_rows, window_rechecks

    from spie_desktop.checks import check

    snap = example_snapshot()
    out = []
    for factor in factors:
        big = multiply_rows(snap, factor)
        check(big)
        times = []
        for _ in range(max(3, runs if factor >= 100 else runs * 5)):
            t = time.perf_counter()
            check(big)
            times.append(time.perf_counter() - t)
        out.append(Row(f"Vérification complète ×{factor}", ms(statistics.median(times))))
    top = max(factors)
    big = multiply_rows(snap, top)
    frame = 0.016
    for name, times in incremental_edits(big, max(20, runs * 10), top).items():
        if "incrémentale" in name:
            p95 = percentile(times, 0.95) / 1000
            out.append(
                Row(f"{name} (p95)", ms(p95), "une image 16 ms", f"{p95 / frame:.2f}×", "≤ 1×", p95 <= frame)
            )
    for name, times in window_rechecks(top, max(10, runs * 5)).items():
        med = statistics.median(times) / 1000
        cpu = statistics.median(times.cpu) / 1000
        now = "maintenant" in name
        out.append(
            Row(
                f"{name} (médiane ; CPU {ms(cpu)})",
                ms(med),
                "une image 16 ms",
                f"{med / frame:.2f}×",
                "≤ 1×" if now else "",
                (med <= frame) if now else None,
            )
        )
    return out


# -- PDF --------------------------------------------------------------------------------------


def pdfs(factors: tuple[int, ...], runs: int, tmp: Path) -> list[Row]:
    from spie_desktop.checks import check
    from spie_desktop.exports.pdf import write_pdf
    from spie_desktop.interchange import snapshot_from_document

    out = []
    for factor in factors:
        doc = scaled_document(factor)
        snap = snapshot_from_document(doc)
        report = check(snap)
        n = 1 if factor >= 100 else max(1, runs)
        if factor == factors[0]:
            write_pdf(snap, tmp / "chauffe.pdf", report=report)  # fonts registered, modules imported
        took, floor = [], []
        for i in range(n):
            t = time.perf_counter()
            write_pdf(snap, tmp / f"x{factor}-{i}.pdf", report=report)
            took.append(time.perf_counter() - t)
            floor.append(plain_pdf(doc, tmp / f"plain{factor}.pdf"))
        out.append(
            ratio_row(
                f"PDF ×{factor}",
                statistics.median(took),
                "reportlab, paragraphes, une passe",
                statistics.median(floor),
                2.0,
            )
        )
        office = pdf_compare.libreoffice_seconds(doc, n, tmp)
        if office is not None:
            out.append(
                ratio_row(
                    f"PDF ×{factor} / LibreOffice",
                    statistics.median(took),
                    "LibreOffice, DOCX des mêmes textes → PDF",
                    office,
                    1.0,
                )
            )
    big = max(factors)
    mem = pdf_compare.memory(big, tmp)
    grown = {k: max(v["peak"] - v["before"], 0.1) for k, v in mem.items()}
    r = grown["export"] / grown["floor"]
    out.append(
        Row(
            f"Mémoire du PDF ×{big}",
            f"+{grown['export']:.0f} Mio (pic {mem['export']['peak']:.0f} Mio)",
            f"reportlab, paragraphes : +{grown['floor']:.0f} Mio (pic {mem['floor']['peak']:.0f} Mio)",
            f"{r:.2f}×",
            "≤ 1.5×",
            r <= 1.5,
        )
    )
    if pdf_compare.soffice() is None:
        out.append(
            Row("PDF / LibreOffice", "LibreOffice absent (soffice introuvable) : comparaison non faite")
        )
    return out


# -- the window -------------------------------------------------------------------------------


def _rss_mib() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


def _painted(app, window, action) -> float:
    t = time.perf_counter()
    action()
    app.processEvents()
    window.repaint()
    return time.perf_counter() - t


FIRST_VISIT_GOAL_MS = {10: 100, 100: 150}


class _PaintClock:
    """The moment a section's page is first painted (its first screenful on the screen)."""

    def __init__(self) -> None:
        from PySide6.QtCore import QEvent, QObject

        clock = self

        class Filter(QObject):
            def eventFilter(self, watched, event) -> bool:
                if event.type() == QEvent.Type.Paint and clock.at is None:
                    clock.at = time.perf_counter()
                return False

        self.at: float | None = None
        self.filter = Filter()


def _visit(app, window, section_id: str) -> tuple[float, float, float]:
    """A first visit: (until its first screenful is painted — the page's first paint event, or the
    forced repaint when none came —, until every field of the section is built, the longest turn of
    the event loop in between: what a key pressed meanwhile waits). The fields below the first
    screenful are built after the paint, a slice at a time."""
    stack = window.forms
    paint = _PaintClock()
    watch = {"done": False}

    def added(index: int) -> None:  # the new form's page, watched as soon as it joins the stack
        form = stack.widget(index)
        page = form.widget() if hasattr(form, "widget") else None
        if page is not None and not watch["done"]:
            page.installEventFilter(paint.filter)
            watch["done"] = True

    stack.widgetAdded.connect(added)
    t = time.perf_counter()
    try:
        painted = _painted(app, window, lambda: window.show_section(section_id))
    finally:
        stack.widgetAdded.disconnect(added)
    if paint.at is not None:
        painted = min(painted, paint.at - t)
    form = window.current_form()
    longest = 0.0
    while not getattr(form, "fully_built", True):
        s = time.perf_counter()
        app.processEvents()
        longest = max(longest, time.perf_counter() - s)
    return painted, time.perf_counter() - t, longest


def first_visits(files: dict[int, Path], tmp: Path) -> list[Row]:
    """Every section shown for the first time, painted, in the real window, at 10× and 100×: the
    slowest beside the goal, Budget beside its floors (plain QLabels, a QListView of its rows), the
    memory once every section was seen, and reopening a dossier left on Budget against the same
    dossier left on a light section (issue 14)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from spie_desktop.settings import Settings
    from spie_desktop.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    out = []
    for factor, path in sorted(files.items()):
        if factor == 1:
            continue
        start = _rss_mib()
        window = MainWindow(Settings(author_name="Banc"))
        window.resize(1100, 760)
        window.show()
        window.open_path(path)
        app.processEvents()
        sections = [s.id for s in window.controller.template.sections]
        budget = next(
            s.id for s in window.controller.template.sections if any(f.id == "depenses" for f in s.fields)
        )
        lines = len(window.controller.row_ids("depenses"))
        light = sections[0]
        before = _rss_mib()
        times, whole, blocked = {}, {}, {}
        for sid in [budget, *[s for s in sections if s != budget and s != window._section_id]]:
            times[sid], whole[sid], blocked[sid] = _visit(app, window, sid)
        rss = _rss_mib()
        slowest = max(times, key=times.get)
        goal = FIRST_VISIT_GOAL_MS[factor] / 1000
        listed = list_view(lines)
        out.append(
            Row(
                f"Première visite la plus lente ×{factor} ({slowest})",
                ms(times[slowest]),
                f"QListView de {lines} lignes {ms(listed)}",
                f"{times[slowest] / listed:.2f}×",
                f"≤ {FIRST_VISIT_GOAL_MS[factor]} ms",
                times[slowest] <= goal,
            )
        )
        built = max(whole, key=whole.get)
        longest = max(blocked, key=blocked.get)
        out.append(
            Row(
                f"Section entière construite ×{factor}, la plus lente ({built}) ; la fenêtre "
                f"répond pendant ce temps (plus longue attente {ms(blocked[longest])}, {longest})",
                ms(whole[built]),
                "",
                "",
                "attente ≤ 50 ms",
                blocked[longest] <= 0.050,
            )
        )
        widgets = lines * 4 + 10
        labels = labels_in_scroll_area(widgets)
        out.append(
            ratio_row(
                f"Première visite du budget ×{factor} ({lines} lignes)",
                times[budget],
                f"{widgets} QLabel dans un QScrollArea",
                labels,
                None,
            )
        )
        used = (
            rss - start
        )  # the window with its dossier open and every section built (the process holds more)
        out.append(
            Row(
                f"Mémoire de la fenêtre après toutes les sections ×{factor} (dont +{rss - before:.0f} Mio "
                "pour les sections)",
                f"{used:.0f} Mio",
                "",
                "",
                "≤ 200 Mio" if factor == 100 else "",
                (used <= 200) if factor == 100 else None,
            )
        )

        def reopen(section: str, window: MainWindow = window, path: Path = path) -> float:
            window.show_section(section)
            app.processEvents()
            window.close_dossier()  # remembers the section it was left on
            app.processEvents()
            return _painted(app, window, lambda: window.open_path(path))

        reopen(light)  # the file's pages in the cache for both
        heavy_t, light_t = reopen(budget), reopen(light)
        out.append(
            ratio_row(
                f"Réouverture ×{factor} laissée sur le budget",
                heavy_t,
                "la même sur une section légère",
                light_t,
                3.0,
            )
        )
        window.controller.flush()
        window.close()
        window.deleteLater()
        app.processEvents()
    return out


# -- the existing benches ---------------------------------------------------------------------


def durability(runs: int) -> list[Row]:
    from bench_durability import GOAL_S, measure

    r = measure(max(6.0, runs * 2.0))
    return [
        Row(
            "Frappe continue (15/s) : pire délai frappe → disque",
            ms(r["worst"]),
            "",
            "",
            "≤ 1 s",
            r["worst"] <= GOAL_S,
        )
    ]


def merging(tmp: Path) -> list[Row]:
    from bench_merge import one_run

    seconds = one_run(tmp, 5000)["fusion complète écrite"]
    return [
        Row(
            "Fusion de deux copies de 5 000 modifications chacune", ms(seconds), "", "", "≤ 1 s", seconds <= 1
        )
    ]


def peak_rss() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
