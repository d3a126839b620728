"""Start-up (issue 14): what the first paint of the window needs, and only that, is loaded before it;
what was left for later is done once the window has painted.

No timing here: which modules are imported at the first paint is deterministic.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from spie_desktop.ui import after_paint

#: Modules the first paint of the example (its first section: texts, a list, and an attachment its
#: condition hides, built after the paint) does not need: exports and the SQL layer, working together, the spelling, the file dialogs, the start screen,
#: the search, the widgets of field types that section does not show, the server addresses, Annuler
#: (made at the first edit), the check's report (the first check runs after the paint), the full
#: schema comparison (a new file is known by its rows), the menus' actions (filled after the paint: the
#: writing tools, Annuler / Rétablir), html (its entities: ui/plain.py escapes by itself); and the standard modules only creating a dossier or a comment, attaching
#: a file, the desktop's opener or a server's schema name use (uuid loads platform, secrets hmac,
#: importlib.resources zipfile; the lock's host name is read with os.uname, without socket).
NOT_AT_START = (
    "uuid",
    "platform",
    "secrets",
    "hmac",
    "hashlib",
    "mimetypes",
    "socket",
    "spie_desktop.server.address",
    "spie_desktop.checks.report",
    "spie_desktop.models.schema_compare",
    "spie_desktop.undo",
    "spie_desktop.undo_session",
    "spie_desktop.undo_edits",
    "subprocess",
    "importlib.resources",
    "reportlab",
    "sqlalchemy",
    "psycopg",
    "merge3",
    "spie_desktop.exports",
    "spie_desktop.collab",
    "spie_desktop.spelling",
    "spie_desktop.search",
    "spie_desktop.ui.collab_dialogs",
    "spie_desktop.ui.conflict_dialog",
    "spie_desktop.ui.history_dialog",
    "spie_desktop.ui.word_diff",
    "spie_desktop.ui.spell_highlighter",
    "spie_desktop.ui.file_dialogs",
    "spie_desktop.ui.start_screen",
    "spie_desktop.ui.export_menu",
    "spie_desktop.ui.fields.attachment",
    "spie_desktop.attachment_safety",
    "spie_desktop.ui.fields.text",
    "spie_desktop.ui.fields.dates",
    "spie_desktop.ui.fields.calendar",
    "spie_desktop.ui.fields.numbers",
    "spie_desktop.ui.fields.geo",
    "spie_desktop.ui.fields.places",
    "spie_desktop.ui.fields.repetition",
    "spie_desktop.ui.shortcuts_dialog",
    "spie_desktop.ui.writing_tools",
    "spie_desktop.ui.undo_actions",
    "html",
)

#: Run by the subprocess: the real start (``spie-desktop --example --quit-after-show``), reporting
#: the modules loaded when the window has painted and what it shows.
PROBE = r"""
import json, linecache, sys
from spie_desktop import app

real_wait = app._wait_for_first_paint

def wait(window):
    real_wait(window)
    shown = window.pages.currentWidget() is window.dossier_page
    form = window.current_form()
    from PySide6 import QtWidgets
    out = {"modules": sorted(sys.modules), "dossier_shown": shown,
           "widget_classes": sorted(k for k in QtWidgets.__dict__ if k.startswith("Q")),
           "section": window._section_id, "fields": len(form.fields) if form is not None else 0,
           "sources_read": sorted(f for f in linecache.cache if "spie_desktop" in f)}
    print("SONDE " + json.dumps(out))

app._wait_for_first_paint = wait
from spie_desktop.__main__ import main
sys.exit(main(["--example", "--quit-after-show"]))
"""


def _ctrl_wheel(target) -> None:
    event = QWheelEvent(
        QPointF(10, 10),
        QPointF(target.mapToGlobal(QPoint(10, 10))),
        QPoint(0, 0),
        QPoint(0, 120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.ControlModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(target, event)


def _start(tmp_path: Path) -> dict:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "SPIE_DESKTOP_CONFIG_DIR": str(tmp_path / "config"),
        "SPIE_DESKTOP_DATA_DIR": str(tmp_path / "data"),
    }
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    line = next(x for x in done.stdout.splitlines() if x.startswith("SONDE "))
    return json.loads(line[len("SONDE ") :])


def test_first_paint_loads_only_what_it_shows(tmp_path):
    _start(tmp_path)  # the first start writes the settings and the user's copy of the example
    seen = _start(tmp_path)  # the measured start: « Voir l'exemple » reopens that copy
    assert seen["dossier_shown"] and seen["section"] == "recevabilite" and seen["fields"] >= 4
    loaded = set(seen["modules"])
    early = sorted(m for m in loaded if any(m == n or m.startswith(n + ".") for n in NOT_AT_START))
    assert early == []
    assert {"spie_desktop.ui.fields.choices", "spie_desktop.ui.fields.display"} <= loaded  # what it shows
    # PySide builds a Qt class's Python type at its first use; QStyle's enums cost 16 ms, and nothing
    # the first paint shows draws through QStyle from Python (section_list.WrapDelegate)
    assert "QStyle" not in seen["widget_classes"]
    assert "QListWidget" in seen["widget_classes"]  # what the probe sees is what was built
    # PySide's import scan read no module's source (ui/feature_scan.py) but the two packages imported
    # before the shortcut is in place
    read = {Path(f).parts[-2:] for f in seen["sources_read"]}
    assert read <= {("spie_desktop", "__init__.py"), ("ui", "__init__.py")}


def test_what_waits_for_the_first_paint_is_done_after_it(qtbot, example_spie):
    """The deferred work (the Dossier menu's partners' commands, the spelling of the text areas, the
    file dialogs' memory) is done one event-loop turn after the window's first paint."""
    from spie_desktop.settings import Settings
    from spie_desktop.ui.fields.text import TextAreaField
    from spie_desktop.ui.main_window import MainWindow

    after_paint.begin_startup()
    try:
        window = MainWindow(Settings(author_name="Camille Test", text_size=15), start_screen=False)
        qtbot.addWidget(window)
        after_paint.watch(window)
        assert window.open_path(example_spie)
        # the menu bar has its four titles and the user's text size before the paint; the actions
        # (and with them the writing tools, Annuler, F10) come after it
        titles = [a.text() for a in window.menuBar().actions()]
        assert titles == ["&Fichier", "É&dition", "&Dossier", "&Aide"]
        assert QApplication.font().pointSizeF() == 15
        assert not hasattr(window, "act_check") and not hasattr(window, "writing")
        assert window.dossier_menu.actions() == []
        window.show_section("territoire")  # two text areas
        areas = [w for w in window.current_form().fields.values() if isinstance(w, TextAreaField)]
        assert areas and all(getattr(a.edit, "_spell_highlighter", None) is None for a in areas)
        assert not hasattr(window, "collab_actions")  # not before the paint
        assert not gc.isenabled()  # no cycle collection while starting
        size = QApplication.font().pointSizeF()
        _ctrl_wheel(window.section_list.viewport())
        assert QApplication.font().pointSizeF() == size  # the zoom watches no view yet
        window.show()
        qtbot.waitUntil(lambda: not after_paint.starting_up(), timeout=5000)
        assert gc.isenabled() and gc.get_freeze_count() > 0  # start-up's objects: frozen at the paint
    finally:
        after_paint.flush()  # never leave a start-up open for the next test
        gc.unfreeze()
        gc.enable()
    QApplication.processEvents()
    assert window.act_check.isEnabled() and window.act_close.isEnabled()  # up to date with the dossier
    assert window.act_check in window.dossier_menu.actions()
    assert window.act_close_check in window.dossier_menu.actions() and window._f10_shortcut is not None
    assert window.writing.act_find.isEnabled() and window.undo_actions is not None
    assert QApplication.font().pointSizeF() == 15  # the zoom, built now, keeps the size set before
    _ctrl_wheel(window.section_list.viewport())
    assert QApplication.font().pointSizeF() > size  # Ctrl + wheel zooms once the window has painted
    from spie_desktop.ui.zoom import apply_text_size

    apply_text_size(0)
    assert window.collab_actions is not None
    assert all(getattr(a.edit, "_spell_highlighter", None) is not None for a in areas)
    assert window._start is None  # the start screen: built when first shown
    window.close_dossier()
    assert window.pages.currentWidget() is window.start


def test_quitting_does_not_build_the_start_screen(qtbot, example_spie):
    """Closing the window closes the dossier without going back to a start screen nobody would see."""
    from spie_desktop.settings import Settings
    from spie_desktop.ui.main_window import MainWindow

    window = MainWindow(Settings(author_name="Camille Test"), start_screen=False)
    qtbot.addWidget(window)
    assert window.open_path(example_spie)
    window.show()
    assert window.close()
    assert window.controller is None and window._start is None
