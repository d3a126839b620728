"""What one keystroke costs in a 10 000-character textarea of a real section form (goal: a few ms).

Types at the end of « Diagnostic territorial » (section C of the 2021 template, already holding
10 000 characters in paragraphs) and prints the median and 95th percentile per keystroke of:
- the handler alone (key event → text change → controller.set_value → counter), and
- the handler plus the layout and repaint Qt does before the next key (processEvents).
The debounced save and re-check are the controller's (they run once typing pauses) and are
timed apart. Prints figures; it is not a test.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_typing.py [--keys N] [--chars N]
"""

from __future__ import annotations

import argparse
import ctypes
import importlib.util
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if importlib.util.find_spec("spie_desktop") is None:  # run from a checkout without an install
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

if sys.version_info < (3, 12):  # PySide6 6.12.0 drops a reference to None per void call on 3.11
    for _obj in (None, True, False):
        ctypes.c_ssize_t.from_address(id(_obj)).value += 1 << 40

from PySide6.QtCore import QEvent, Qt  # noqa: E402
from PySide6.QtGui import QKeyEvent, QTextCursor  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

PARAGRAPH = (
    "Le territoire compte 12 400 allocataires du RSA, dont 38 % depuis plus de deux ans ; les délais "
    "d'orientation dépassent trois mois dans le sud du département, où l'offre d'accompagnement est "
    "dispersée entre six opérateurs. Les jeunes suivis par les missions locales sont 3 900. "
)


def text_of(chars: int) -> str:
    out = []
    while sum(len(p) + 1 for p in out) < chars:
        out.append(PARAGRAPH * 2)
    return "\n".join(out)[:chars]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keys", type=int, default=400)
    parser.add_argument("--chars", type=int, default=10_000)
    args = parser.parse_args()

    app = QApplication.instance() or QApplication([])
    from spie_desktop.forms import registry
    from spie_desktop.models import DossierFile
    from spie_desktop.ui.controller import DossierController
    from spie_desktop.ui.section_form import SectionForm

    template = registry.find("ami-spie-2021-vague2")
    folder = Path(tempfile.mkdtemp(prefix="bench-typing-"))
    dossier = DossierFile.create(folder / "bench.spie", template, "Banc d'essai de la saisie")
    dossier.set_value("diagnostic_territorial", text_of(args.chars))
    controller = DossierController(dossier)
    form = SectionForm(controller, template.section("territoire"))
    form.resize(1100, 900)
    form.show()
    app.processEvents()
    field = form.fields["diagnostic_territorial"]
    edit = field.edit
    form.activateWindow()
    edit.setFocus()
    edit.moveCursor(QTextCursor.MoveOperation.End)
    form.focus_path("diagnostic_territorial")
    app.processEvents()

    handler: list[float] = []
    with_paint: list[float] = []
    letters = "abcdefghij klmnopqrstuvwxyzéè,."
    for i in range(args.keys):
        ch = letters[i % len(letters)]
        press = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch)
        release = QKeyEvent(QEvent.Type.KeyRelease, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch)
        t0 = time.perf_counter()
        QApplication.sendEvent(edit, press)
        QApplication.sendEvent(edit, release)
        t1 = time.perf_counter()
        app.processEvents()
        t2 = time.perf_counter()
        handler.append((t1 - t0) * 1000)
        with_paint.append((t2 - t0) * 1000)

    t0 = time.perf_counter()
    controller.flush()
    save_ms = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    controller.recheck()
    check_ms = (time.perf_counter() - t0) * 1000

    length = len(edit.toPlainText())
    print(f"textarea: {length} caractères ({field.counter_text()})")
    print(f"frappes : {args.keys}")
    print(
        f"par frappe, gestionnaire seul : médiane {statistics.median(handler):.3f} ms, "
        f"95e centile {percentile(handler, 0.95):.3f} ms, max {max(handler):.3f} ms"
    )
    print(
        f"par frappe, avec mise en page et affichage : médiane {statistics.median(with_paint):.3f} ms, "
        f"95e centile {percentile(with_paint, 0.95):.3f} ms, max {max(with_paint):.3f} ms"
    )
    print(f"après la pause (une fois) : enregistrement {save_ms:.1f} ms, contrôle {check_ms:.1f} ms")
    controller.close()


if __name__ == "__main__":
    main()
