"""Guard against a Qt binding that leaks references to None (PySide6 6.12.0 on Python 3.11).

Such a binding aborts the interpreter ("none_dealloc") after a few thousand keystrokes in the
window, losing what was being typed. This runs in a child process so a bad binding fails the test
instead of killing the test session.
"""

from __future__ import annotations

import subprocess
import sys

CODE = r"""
import sys
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel()
before = sys.getrefcount(None)
for _ in range(5000):
    label.setVisible(False)
    label.setText("x")
print(before - sys.getrefcount(None))
"""


def test_void_qt_calls_do_not_leak_none():
    out = subprocess.run(
        [sys.executable, "-c", CODE],
        capture_output=True,
        text=True,
        timeout=120,
        env={"QT_QPA_PLATFORM": "offscreen", **__import__("os").environ},
    )
    assert out.returncode == 0, out.stderr[-500:]
    lost = int(out.stdout.strip())
    assert lost < 100, f"the Qt binding lost {lost} references to None in 10 000 calls"
