"""Imprimer… (Ctrl+P): options first, the review copy made by the export worker, then handed to the
system's printing — CUPS ``lp`` or Windows' « print » verb — stubbed here at the boundary."""

from __future__ import annotations

import subprocess

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from writing_window import close_window, make_dossier, open_window, writing_settings  # noqa: F401

from spie_desktop import printing
from spie_desktop.printing import PrintOptions
from spie_desktop.ui import dialogs, print_dialog
from spie_desktop.ui.print_dialog import PrintOptionsDialog
from spie_desktop.ui.shortcuts import SHORTCUTS
from spie_desktop.ui.shortcuts_dialog import ShortcutsDialog


@pytest.fixture
def window(qtbot, tmp_path, writing_settings):  # noqa: F811
    w = open_window(qtbot, writing_settings, make_dossier(tmp_path / "d.spie", {"perimetre": "Le Diois."}))
    w.raise_()
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    yield w
    close_window(w)


def _print_and_wait(window, qtbot, options: PrintOptions):
    asked = []
    qtbot_patch = pytest.MonkeyPatch()
    qtbot_patch.setattr(
        print_dialog, "ask_print_options", lambda parent, saved: asked.append(saved) or options
    )
    try:
        jobs = []
        real = print_dialog.run_export
        qtbot_patch.setattr(
            print_dialog, "run_export", lambda *a, **k: jobs.append(real(*a, **k)) or jobs[-1]
        )
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
        qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
        assert jobs, "Ctrl+P started no print job"
        if jobs[0].running:
            with qtbot.waitSignal(jobs[0].finished, timeout=60000):
                pass
    finally:
        qtbot_patch.undo()
    return asked


def test_ctrl_p_sends_the_review_copy_to_lp_with_the_options(window, qtbot, monkeypatch):
    calls = []

    def fake_run(args):
        calls.append(args)
        pdf = args[-1]
        with open(pdf, "rb") as fh:
            assert fh.read(5) == b"%PDF-"
        return subprocess.CompletedProcess(args, 0, "request id is Bureau-12 (1 file(s))\n", "")

    monkeypatch.setattr(printing, "uses_cups", lambda: True)
    monkeypatch.setattr(printing, "run", fake_run)
    _print_and_wait(window, qtbot, PrintOptions("Bureau", 2, True))
    assert calls and calls[0][:7] == ["lp", "-d", "Bureau", "-n", "2", "-o", "sides=two-sided-long-edge"]
    assert calls[0][-2] == "--" and calls[0][-1].endswith(".pdf")
    assert (
        window.statusBar().currentMessage()
        == "Copie de relecture envoyée à l'imprimante « Bureau » (2 exemplaires, recto verso)."
    )
    asked = _print_and_wait(window, qtbot, PrintOptions(None, 1, False))
    assert asked[0] == PrintOptions("Bureau", 2, True)  # the last options are offered again
    assert calls[1][:5] == ["lp", "-n", "1", "-o", "sides=one-sided"]


def test_no_printing_system_is_said_in_french(window, qtbot, monkeypatch):
    shown = []
    monkeypatch.setattr(printing, "uses_cups", lambda: True)

    def missing(args):
        raise FileNotFoundError(2, "No such file", "lp")

    monkeypatch.setattr(printing, "run", missing)
    monkeypatch.setattr(dialogs, "show_error", lambda parent, text, title="": shown.append((title, text)))
    _print_and_wait(window, qtbot, PrintOptions())
    assert shown == [("Impression impossible", printing.NO_PRINTING)]


def test_windows_uses_the_print_verb_once_per_copy(window, qtbot, monkeypatch):
    started = []
    monkeypatch.setattr(printing, "uses_cups", lambda: False)
    monkeypatch.setattr(
        printing, "start_file", lambda path, verb: started.append((path.endswith(".pdf"), verb))
    )
    _print_and_wait(window, qtbot, PrintOptions(None, 2, False))
    assert started == [(True, "print"), (True, "print")]
    assert "lecteur de PDF" in window.statusBar().currentMessage()


def test_refused_job_names_the_reason(monkeypatch, tmp_path):
    monkeypatch.setattr(printing, "uses_cups", lambda: True)
    monkeypatch.setattr(
        printing,
        "run",
        lambda args: subprocess.CompletedProcess(args, 1, "", "lp: The printer or class does not exist.\n"),
    )
    with pytest.raises(printing.PrintError, match=r"a refusé la copie .*does not exist"):
        printing.send_to_printer(tmp_path / "x.pdf", PrintOptions("Absente"))


def test_printers_from_lpstat(monkeypatch):
    monkeypatch.setattr(printing, "uses_cups", lambda: True)
    monkeypatch.setattr(printing.shutil, "which", lambda name: "/usr/bin/" + name)
    out = {
        "-a": "Bureau accepting requests since Tue 01 Dec\nCouleur accepting requests since Mon\n",
        "-d": "system default destination: Couleur\n",
    }
    monkeypatch.setattr(printing, "run", lambda args: subprocess.CompletedProcess(args, 0, out[args[1]], ""))
    assert printing.printers() == (["Bureau", "Couleur"], "Couleur")


def test_options_dialog_and_shortcuts_list(qtbot, monkeypatch):
    monkeypatch.setattr(printing, "uses_cups", lambda: True)
    dialog = PrintOptionsDialog(PrintOptions("Couleur", 3, True), ["Bureau", "Couleur"], "Bureau")
    qtbot.addWidget(dialog)
    assert dialog.printer.itemText(0) == "Imprimante par défaut (Bureau)"
    assert dialog.options() == PrintOptions("Couleur", 3, True)
    dialog.printer.setCurrentIndex(0)
    assert dialog.options().printer is None
    assert SHORTCUTS["print"][0] == "Ctrl+P" and SHORTCUTS["export_pdf"][0] == "Ctrl+Shift+P"
    shown = ShortcutsDialog()
    qtbot.addWidget(shown)
    texts = [shown.tree.topLevelItem(i).text(1) for i in range(shown.tree.topLevelItemCount())]
    assert any(t.startswith("Imprimer") for t in texts) and any(t.startswith("Rechercher") for t in texts)
