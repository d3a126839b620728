"""The engine's contract: pure (no Qt, no disk), template preparation done once per template object."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from checkkit import one_section, snapshot

from spie_desktop.checks import check
from spie_desktop.checks.engine import plan_for

ROOT = Path(__file__).resolve().parents[2]


def test_the_engine_imports_no_qt_and_touches_no_file():
    code = (
        "import sys, builtins\n"
        "sys.path[:0] = ['tests/checks', '.']\n"
        "from checkkit import one_section, snapshot\n"
        "t = one_section({'id': 'f', 'type': 'text', 'label': 'Q', 'required': True})\n"
        "def no_open(*a, **k): raise AssertionError('the engine opened a file')\n"
        "builtins.open = no_open\n"
        "from spie_desktop.checks import check\n"
        "report = check(snapshot(t))\n"
        "assert len(report.problems) == 1\n"
        "assert not [m for m in sys.modules if m.startswith(('PySide6', 'sqlalchemy'))], 'heavy import'\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr


def test_template_is_prepared_once_per_object():
    t = one_section({"id": "f", "type": "text", "label": "Q"})
    check(snapshot(t))
    plan = plan_for(t)
    check(snapshot(t, {"f": "x"}))
    assert plan_for(t) is plan
    same_content = one_section({"id": "f", "type": "text", "label": "Q"})
    assert plan_for(same_content) is not plan


def test_check_does_not_change_the_answers():
    t = one_section(
        {
            "id": "rep",
            "type": "repetition",
            "label": "R",
            "children": [{"id": "c", "type": "text", "label": "C", "required": True}],
        }
    )
    answers = {"rep": [{"_id": "r1"}, {"c": "x"}, "junk"]}
    before = repr(answers)
    check(snapshot(t, answers))
    assert repr(answers) == before
