"""Once a dossier is shown, the window imports in its idle time what the first visit of its other
sections would (issue 14): a first visit then builds without waiting for imports. Run in a fresh
process: in the test session every module is long imported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

#: Opens a copy of the example in the window, preloads (or not), then visits and builds every
#: section, and reports the modules those visits imported.
PROBE = r"""
import json, sys
from PySide6.QtWidgets import QApplication
from spie_desktop.interchange import create_example_copy
from spie_desktop.settings import Settings
from spie_desktop.ui.main_window import MainWindow
from spie_desktop.ui.section_form import preload

if sys.argv[1] == "plain":  # the control: the window's own preload is turned off
    MainWindow._preload = lambda self, controller: None
app = QApplication([])
window = MainWindow(Settings(author_name="Essai"))
window.resize(1100, 760)
window.show()
assert window.open_path(create_example_copy(sys.argv[2]))
app.processEvents()
if sys.argv[1] == "preload":
    preload(window.controller.template)
before = set(sys.modules)
for section in window.controller.template.sections:
    window.show_section(section.id)
    window.current_form().fields  # every field built, not only the first screenful
    app.processEvents()
print("SONDE " + json.dumps(sorted(m for m in set(sys.modules) - before if m.startswith("spie_desktop"))))
"""


def _visits(mode: str, tmp_path: Path) -> list[str]:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "SPIE_DESKTOP_CONFIG_DIR": str(tmp_path / "config"),
        "SPIE_DESKTOP_DATA_DIR": str(tmp_path / "data"),
    }
    done = subprocess.run(
        [sys.executable, "-c", PROBE, mode, str(tmp_path / mode)],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    line = next(x for x in done.stdout.splitlines() if x.startswith("SONDE "))
    return json.loads(line[len("SONDE ") :])


def test_after_the_preload_no_first_visit_imports_anything(tmp_path):
    without = _visits("plain", tmp_path)
    assert "spie_desktop.ui.fields.repetition" in without  # the visits do import, when nothing is preloaded
    assert _visits("preload", tmp_path) == []


def test_the_window_preloads_once_the_dossier_is_shown(qtbot, monkeypatch, tmp_path):
    from PySide6.QtWidgets import QApplication

    from spie_desktop.forms import registry
    from spie_desktop.models import DossierFile
    from spie_desktop.settings import Settings
    from spie_desktop.ui import section_form
    from spie_desktop.ui.main_window import MainWindow

    monkeypatch.setenv("SPIE_DESKTOP_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("SPIE_DESKTOP_DATA_DIR", str(tmp_path / "data"))
    path = tmp_path / "d.spie"
    DossierFile.create(path, registry.find("ami-spie-2021-vague2"), "Essai").close()
    window = MainWindow(Settings(author_name="Essai"))
    qtbot.addWidget(window)
    seen = []
    monkeypatch.setattr(section_form, "preload", lambda template: seen.append(template.id))
    assert window.open_path(path)
    assert seen == []  # not during the opening: in the idle time after it
    QApplication.processEvents()
    assert seen == ["ami-spie-2021-vague2"]
    window.controller.discard_and_close()
    window.controller = None
