"""Child of test_fault_typing_kill: the real main window, a real text area, typing at 15 keys a second until killed.

    python typing_child.py DOSSIER.spie LOG KEYS

Opens DOSSIER through the window's own open function (a lock left by the previous, killed child is
this user's and is taken back without a question), lets the application's warm-up of the SQL layer
finish as a real start does before anyone can type, puts the cursor at the end of « perimetre » and
types KEYS one QTest key click at a time. After each key event has been processed — the text area
changed and handed its text to the controller — it appends « k <TAB> monotonic-time <TAB> characters
in the text area » to LOG with an unbuffered write, so a SIGKILL loses no line; each save adds
« s <TAB> time » when it starts and « e <TAB> time » when it ends, so the parent can tell how long
the machine made it wait. Any dialog would wait for a
click forever: it is written to stderr and the child exits with code 3 instead.
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

FIELD = "perimetre"
KEYS_PER_SECOND = 15
from spie_desktop.ui.dialogs import QUESTIONS  # noqa: E402 - after the path set-up

DIALOGS = list(QUESTIONS)


def _refuse(name: str):
    def stop(*args, **kwargs):
        sys.stderr.write(f"dialogue inattendu : {name} {args[1:]}\n")
        sys.stderr.flush()
        os._exit(3)

    return stop


def _warm_up_and_wait() -> None:
    """The application's own warm-up of the SQL layer (app.run starts it once the window shows), waited for.

    A person cannot click into a field and type within the ~0.3 s it takes; on a loaded test machine
    it can take over a second, which would be counted against the first key instead of the saving.
    """
    import threading

    from spie_desktop.app import _warm_up_writer

    _warm_up_writer()
    for thread in threading.enumerate():
        if thread.name == "prechargement-sql":
            thread.join(60)


def main() -> int:
    path, log_path, keys = sys.argv[1], sys.argv[2], sys.argv[3]
    import faulthandler
    import signal

    faulthandler.register(signal.SIGUSR1)  # the parent asks for the stack when a round goes wrong
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtGui import QTextCursor
    from PySide6.QtTest import QTest

    from spie_desktop.app import create_application
    from spie_desktop.settings import Settings
    from spie_desktop.ui import dialogs
    from spie_desktop.ui.main_window import MainWindow

    for name in DIALOGS:
        setattr(dialogs, name, _refuse(name))
    app = create_application()
    window = MainWindow(Settings(author_name="Frappe continue"))
    window.resize(1100, 780)
    window.show()
    if not window.open_path(path):
        return 4
    _warm_up_and_wait()
    window.show_section(window.controller.template.section_of(FIELD).id)
    edit = window.current_form().fields[FIELD].edit
    window.activateWindow()
    edit.setFocus()
    edit.moveCursor(QTextCursor.MoveOperation.End)
    app.processEvents()
    log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    typed = 0
    controller = window.controller
    flush = controller.flush

    def timed_flush(*args, **kwargs):
        os.write(log, f"s\t{time.monotonic():.6f}\n".encode())
        try:
            return flush(*args, **kwargs)
        finally:
            os.write(log, f"e\t{time.monotonic():.6f}\n".encode())

    controller.flush = timed_flush
    controller._save_timer.timeout.disconnect()
    controller._save_timer.timeout.connect(timed_flush)

    def key() -> None:
        nonlocal typed
        if typed >= len(keys):
            timer.stop()
            return
        QTest.keyClick(edit, keys[typed])  # press and release, processed before it returns
        typed += 1
        os.write(log, f"k\t{time.monotonic():.6f}\t{len(edit.toPlainText())}\n".encode())

    timer = QTimer(interval=1000 // KEYS_PER_SECOND, timeout=key)
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.start()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
