"""Préférences: the user adds platform hosts (https only); a bad entry is refused in French."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from spie_desktop.app import create_application
from spie_desktop.settings import Settings


def _dialog(qtbot, settings):
    from spie_desktop.ui.preferences import PreferencesDialog

    create_application()
    dialog = PreferencesDialog(settings)
    qtbot.addWidget(dialog)
    return dialog


def _ok(qtbot, dialog):
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)


def test_hosts_are_typed_one_a_line_and_kept_normalised(qtbot):
    settings = Settings(extra_hosts=["ancien.example"])
    dialog = _dialog(qtbot, settings)
    assert dialog.hosts_edit.toPlainText() == "ancien.example"
    dialog.hosts_edit.clear()
    qtbot.keyClicks(dialog.hosts_edit, "Demarches.Exemple.gouv.fr")
    dialog.hosts_edit.appendPlainText("https://collecte.example:8443/")
    dialog.hosts_edit.appendPlainText("www.demarches-simplifiees.fr")  # already allowed: not repeated
    _ok(qtbot, dialog)
    assert settings.extra_hosts == ["demarches.exemple.gouv.fr", "collecte.example:8443"]


def test_a_bad_host_is_refused_and_the_dialog_stays_open(qtbot):
    for entry in (
        "www.demarches-simplifiees.fr@collecte.example",
        "http://collecte.example",
        "localhost:3000",
        "a b.example",
    ):
        settings = Settings()
        dialog = _dialog(qtbot, settings)
        dialog.show()
        dialog.hosts_edit.setPlainText(entry)
        _ok(qtbot, dialog)
        assert settings.extra_hosts == [] and dialog.isVisible()
        assert "n'est pas une adresse autorisée" in dialog.hosts_problem.text()
        assert dialog.hosts_problem.textFormat() == Qt.TextFormat.PlainText
        dialog.close()
