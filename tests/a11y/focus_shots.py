"""Screenshots of the keyboard focus in each kind of control, and the ring's contrast measured on them.

Run under an X server (or offscreen) with the project's Python:
    QT_QPA_PLATFORM=xcb DISPLAY=:35 python tests/a11y/focus_shots.py OUT_DIR
For each kind of control it gives the focus by keyboard (Tab from the widget before), grabs the
control and its surroundings unfocused and focused (PNG in OUT_DIR), and prints one line: the
kind, the colour of the pixels that changed most and their contrast against the unfocused pixels
and the background. ``shots(window)`` is what the tests call.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QWidget

MARGIN = 6


def _luminance(c: QColor) -> float:
    def ch(v: int) -> float:
        x = v / 255
        return x / 12.92 if x <= 0.04045 else ((x + 0.055) / 1.055) ** 2.4

    return 0.2126 * ch(c.red()) + 0.7152 * ch(c.green()) + 0.0722 * ch(c.blue())


def contrast(a: QColor, b: QColor) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def grab_around(widget: QWidget) -> QImage:
    """The widget and MARGIN pixels around it, as the window shows them."""
    win = widget.window()
    top_left = widget.mapTo(win, QPoint(0, 0))
    rect = QRect(top_left, widget.size()).adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN).intersected(win.rect())
    return win.grab(rect).toImage().convertToFormat(QImage.Format.Format_RGB32)


def focus_change(before: QImage, after: QImage) -> dict:
    """How the focus shows: the pixels that changed, their strongest contrast with what they were,
    how many there are and the contrast of the changed colour against the background."""
    if before.size() != after.size():
        return {"changed": 0, "contrast_with_unfocused": 1.0}
    changed, best, best_colour, best_was = 0, 1.0, None, None
    step = 1
    for y in range(0, after.height(), step):
        for x in range(0, after.width(), step):
            a, b = QColor(before.pixel(x, y)), QColor(after.pixel(x, y))
            if a != b:
                changed += 1
                ratio = contrast(a, b)
                if ratio > best:
                    best, best_colour, best_was = ratio, b, a
    background = QColor(before.pixel(0, 0))
    return {
        "changed": changed,
        "contrast_with_unfocused": round(best, 2),
        "ring": best_colour.name() if best_colour else "",
        "was": best_was.name() if best_was else "",
        "ring_on_background": round(contrast(best_colour, background), 2) if best_colour else 1.0,
        "background": background.name(),
    }


def shoot(kind: str, widget: QWidget, out: Path | None, settle: Callable[[], None]) -> dict:
    """Unfocused, then focused by keyboard: both grabbed, compared."""
    widget.window().activateWindow()
    settle()
    focused = QApplication.focusWidget()
    if focused is not None:
        focused.clearFocus()
    settle()
    before = grab_around(widget)
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    settle()
    after = grab_around(widget)
    if out is not None:
        before.save(str(out / f"{kind}-sans-focus.png"))
        after.save(str(out / f"{kind}-focus.png"))
    return {"kind": kind, "focused": QApplication.focusWidget() is widget, **focus_change(before, after)}


def controls(window) -> Iterator[tuple[str, QWidget]]:
    """One control of each kind, in the window as the example shows it (section by section)."""
    from PySide6.QtWidgets import (
        QAbstractSpinBox,
        QCheckBox,
        QComboBox,
        QLineEdit,
        QListView,
        QPlainTextEdit,
        QPushButton,
        QRadioButton,
        QToolButton,
    )

    from spie_desktop.ui.fields.dates import DateField

    wanted: list[tuple[str, type, str]] = [
        ("saisie", QLineEdit, "porteur"),
        ("zone-de-texte", QPlainTextEdit, "territoire"),
        ("liste-deroulante", QComboBox, "recevabilite"),
        ("case-a-cocher", QCheckBox, "principes"),
        ("bouton-radio", QRadioButton, "principes"),
        ("bouton", QPushButton, "territoire"),
        ("bouton-outil", QToolButton, "territoire"),
        ("nombre", QAbstractSpinBox, "public_cible"),
    ]
    for kind, cls, section in wanted:
        window.show_section(section)
        QApplication.processEvents()
        form = window.current_form()
        found = [
            w
            for w in form.findChildren(cls)
            if w.isVisibleTo(form)
            and w.isEnabled()
            and w.focusPolicy() & Qt.FocusPolicy.TabFocus
            and not isinstance(w.parentWidget(), QAbstractSpinBox)
        ]
        if kind == "bouton":
            found = [w for w in found if w.objectName() != "linkButton"]
        if found:
            form.ensureWidgetVisible(found[0])
            QApplication.processEvents()
            yield kind, found[0]
        if kind == "bouton":
            links = [
                w
                for w in form.findChildren(QPushButton)
                if w.objectName() == "linkButton" and w.isVisibleTo(form)
            ]
            if links:
                form.ensureWidgetVisible(links[0])
                QApplication.processEvents()
                yield "lien", links[0]
    window.show_section("calendrier")
    form = window.current_form()
    date = next(f for f in form.findChildren(DateField) if f.isVisibleTo(form))
    form.ensureWidgetVisible(date)
    yield "date", date.inputs()[0]
    pick = [b for b in date.findChildren(QToolButton) if b.isVisibleTo(date)]
    if pick:
        yield "bouton-calendrier", pick[0]
    yield "liste-des-sections", window.section_list.findChild(QListView) or window.section_list
    from spie_desktop.ui.export_menu import PdfOptions, PdfOptionsDialog

    pdf = PdfOptionsDialog(PdfOptions(False, False), has_comments=False, can_file=None, parent=window)
    pdf.show()
    pdf.activateWindow()
    QApplication.processEvents()
    yield "marges-larges", pdf.wide
    yield "choisir-l-emplacement", pdf.ok_button
    pdf.close()


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp(prefix="focus-"))
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="spie-focus-"))
    os.environ.setdefault("SPIE_DESKTOP_CONFIG_DIR", str(work / "config"))
    os.environ.setdefault("SPIE_DESKTOP_DATA_DIR", str(work / "data"))
    from PySide6.QtTest import QTest

    from spie_desktop.app import create_application
    from spie_desktop.interchange import create_example_copy
    from spie_desktop.settings import Settings
    from spie_desktop.ui.main_window import MainWindow

    create_application(["spie-desktop"])
    window = MainWindow(Settings(author_name="Camille Martin"))
    window.resize(1366, 740)
    window.show()
    QTest.qWaitForWindowExposed(window)
    window.activateWindow()
    QTest.qWaitForWindowActive(window, 3000)
    window.open_path(create_example_copy(work / "exemples"))

    def settle() -> None:
        QTest.qWait(80)

    results = [shoot(kind, w, out, settle) for kind, w in controls(window)]
    for r in results:
        print(json.dumps(r, ensure_ascii=False))
    window.controller.discard_and_close() if hasattr(window.controller, "discard_and_close") else None
    print(f"images : {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
