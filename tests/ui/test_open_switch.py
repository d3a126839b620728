"""Opening another file never costs the open one, and a crash's own lock is taken back without a question.

- Ctrl+O, a recent file or a drop on a file that cannot be opened: the error is shown and the
  dossier that was open stays open, with what was being typed.
- A lock left by this user's own killed process on this host: no dialog, the dossier opens for
  writing and the window says once that the application had closed unexpectedly and until when
  everything was kept. Any other lock still asks.
"""

from __future__ import annotations

import getpass
import json
import os
import socket
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QLineEdit

from spie_desktop.app import create_application
from spie_desktop.forms import registry
from spie_desktop.models import DossierFile, open_dossier
from spie_desktop.models.lock import lock_path
from spie_desktop.settings import Settings
from spie_desktop.ui import dialogs
from spie_desktop.ui.dialogs import QUESTIONS
from spie_desktop.ui.dossier_session import crash_notice
from spie_desktop.ui.main_window import MainWindow

DIALOGS = list(QUESTIONS)
CRASH_WORDS = "L'application s'était fermée de façon inattendue ; tout ce qui avait été saisi jusqu'"


def _unexpected(name):
    def fail(*args, **kwargs):
        raise AssertionError(f"dialogue inattendu : {name} {args[1:]}")

    return fail


@pytest.fixture
def errors(monkeypatch):
    for name in DIALOGS:
        monkeypatch.setattr(dialogs, name, _unexpected(name))
    seen: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda parent, text, title="": seen.append(text))
    return seen


@pytest.fixture
def window(qtbot, errors):
    create_application()
    w = MainWindow(Settings(author_name="Camille Test"))
    qtbot.addWidget(w)
    w.resize(1100, 780)
    w.show()
    qtbot.waitExposed(w)
    yield w
    if w.controller is not None:
        w.controller.discard_and_close()
        w.controller = None


def make_dossier(path: Path, title: str = "Dossier ouvert") -> Path:
    DossierFile.create(path, registry.find("ami-spie-2021-vague2"), title).close()
    return path


def bad_file(folder: Path) -> Path:
    bad = folder / "abime.spie"
    bad.write_bytes(b"ceci n'est pas un dossier" * 50)
    return bad


@pytest.fixture
def open_with_typing(window, qtbot, tmp_path):
    """A dossier open in the window, « porteur_nom » just typed (not yet written; QTest types ASCII only)."""
    path = make_dossier(tmp_path / "ouvert.spie")
    assert window.open_path(path)
    window.show_section("porteur")
    field = window.current_form().widget_for("porteur_nom")
    edit = next(i for i in field.inputs() if isinstance(i, QLineEdit))
    edit.setFocus()
    qtbot.keyClicks(edit, "Conseil departemental")
    return window.controller, edit


def _still_open(window, before, edit) -> None:
    assert window.controller is before and not before.dossier._closed
    assert window.pages.currentWidget() is window.dossier_page
    assert edit.text() == "Conseil departemental"
    assert before.value("porteur_nom") == "Conseil departemental"
    assert before.flush() and before.dossier.get("porteur_nom") == "Conseil departemental"


def test_ctrl_o_on_an_invalid_file_keeps_the_open_dossier(
    window, open_with_typing, errors, monkeypatch, tmp_path
):
    before, edit = open_with_typing
    bad = bad_file(tmp_path)
    monkeypatch.setattr(dialogs, "ask_open_path", lambda parent, folder="": str(bad))
    window.act_open.trigger()
    assert errors and "n'est pas un dossier SPIE" in errors[0]
    _still_open(window, before, edit)


def test_a_recent_file_that_is_gone_or_broken_keeps_the_open_dossier(
    window, open_with_typing, errors, tmp_path
):
    before, edit = open_with_typing
    bad = bad_file(tmp_path)
    gone = tmp_path / "disparu.spie"
    window.settings.add_recent(bad)
    window.settings.add_recent(gone)
    window._fill_recent_menu()
    actions = {a.text(): a for a in window.recent_menu.actions()}
    actions["disparu.spie (introuvable)"].trigger()
    actions["abime.spie"].trigger()
    assert len(errors) == 2 and "introuvable" in errors[0] and "n'est pas un dossier SPIE" in errors[1]
    _still_open(window, before, edit)


def test_a_drop_of_an_invalid_file_keeps_the_open_dossier(window, open_with_typing, errors, tmp_path):
    before, edit = open_with_typing
    bad = bad_file(tmp_path)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(bad))])
    event = QDropEvent(
        QPointF(50, 50),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)
    assert errors and "n'est pas un dossier SPIE" in errors[0]
    _still_open(window, before, edit)


def test_cancelling_at_the_lock_question_keeps_the_open_dossier(
    window, open_with_typing, monkeypatch, tmp_path
):
    before, edit = open_with_typing
    other_path = make_dossier(tmp_path / "autre.spie")
    other = open_dossier(other_path, author="Dominique Autre")
    try:
        monkeypatch.setattr(dialogs, "ask_lock_choice", lambda parent, exc: dialogs.LockChoice.CANCEL)
        assert not window.open_path(other_path)
        _still_open(window, before, edit)
    finally:
        other.close()


def test_a_good_file_replaces_the_open_one_and_saves_it(window, open_with_typing, tmp_path):
    before, _edit = open_with_typing
    first = before.path
    second = make_dossier(tmp_path / "second.spie", "Second")
    assert window.open_path(second)
    assert window.controller is not before and window.controller.path == second
    assert before.dossier._closed and not lock_path(first).exists()
    with open_dossier(first, read_only=True) as d:
        assert d.get("porteur_nom") == "Conseil departemental"


def test_reopen_for_writing_keeps_the_read_only_view_when_still_locked(window, monkeypatch, tmp_path):
    path = make_dossier(tmp_path / "partage.spie")
    other = open_dossier(path, author="Dominique Autre")
    try:
        monkeypatch.setattr(dialogs, "ask_lock_choice", lambda parent, exc: dialogs.LockChoice.READ_ONLY)
        assert window.open_path(path)
        read_only = window.controller
        assert read_only.read_only
        monkeypatch.setattr(dialogs, "ask_lock_choice", lambda parent, exc: dialogs.LockChoice.CANCEL)
        window._reopen_writable()
        assert window.controller is read_only and not read_only.dossier._closed
    finally:
        window.close_dossier()
        other.close()


# -- a crash's own lock ------------------------------------------------------------------------------


def _dead_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def _lock(path: Path, user: str, pid: int, host: str | None = None) -> None:
    lock_path(path).write_text(
        json.dumps(
            {
                "host": host or socket.gethostname(),
                "user": user,
                "pid": pid,
                "since": "2026-01-01T10:00:00+00:00",
                "author": "Camille Test",
            }
        )
    )


def test_my_own_dead_process_lock_is_taken_back_without_a_question(window, tmp_path):
    path = make_dossier(tmp_path / "tue.spie")
    with open_dossier(path, author="Camille Test") as df:
        df.set_value("porteur_nom", "Saisi avant le crash")
        last = df.info.updated_at
    _lock(path, getpass.getuser(), _dead_pid())
    assert window.open_path(path)  # ask_lock_choice would fail the test
    c = window.controller
    assert not c.read_only and c.value("porteur_nom") == "Saisi avant le crash"
    assert json.loads(lock_path(path).read_text())["pid"] == os.getpid()
    assert window.info_banner.isVisible()
    hhmm = datetime.fromisoformat(last).astimezone().strftime("%H:%M")
    assert window.info_banner.text() == crash_notice(last)
    assert CRASH_WORDS in window.info_banner.text() and hhmm in window.info_banner.text()
    # said once: the next ordinary opening says nothing
    assert window.close_dossier()
    assert window.open_path(path)
    assert not window.info_banner.isVisible()


@pytest.mark.parametrize("who", ["another user", "my live process", "another host"])
def test_any_other_lock_still_asks(window, monkeypatch, tmp_path, who):
    path = make_dossier(tmp_path / "verrou.spie")
    if who == "another user":
        _lock(path, "dominique", _dead_pid())
    elif who == "my live process":
        _lock(path, getpass.getuser(), os.getppid())
    else:
        _lock(path, getpass.getuser(), _dead_pid(), host="autre-poste")
    asked = []

    def choose(parent, exc):
        asked.append(exc)
        return dialogs.LockChoice.CANCEL

    monkeypatch.setattr(dialogs, "ask_lock_choice", choose)
    assert not window.open_path(path)
    assert len(asked) == 1 and window.controller is None
    assert not window.info_banner.isVisible()


def test_the_crash_notice_names_the_time_in_french():
    today = datetime(2026, 3, 4, 18, 0, tzinfo=UTC).astimezone()
    same_day = (today - timedelta(hours=2)).astimezone(UTC).isoformat()
    text = crash_notice(same_day, today)
    expected = (today - timedelta(hours=2)).strftime("%H:%M")
    assert text == (
        "L'application s'était fermée de façon inattendue ; tout ce qui avait été saisi "
        f"jusqu'à {expected} a été conservé."
    )
    older = (today - timedelta(days=3)).astimezone(UTC).isoformat()
    assert f"jusqu'au {(today - timedelta(days=3)):%d/%m/%Y} à " in crash_notice(older, today)
    assert "a été conservé" in crash_notice("pas une date", today)
