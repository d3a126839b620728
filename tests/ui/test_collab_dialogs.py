"""The windows of working together, driven like a person: conflicts side by side (mine, theirs,
a combination), a copy for a partner, integrating a copy from the window, history and restore."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from spie_desktop.collab import MergeOutcome, make_partner_copy, merge
from spie_desktop.models import DossierFile, open_dossier
from spie_desktop.ui import collab_dialogs, dialogs
from spie_desktop.ui.collab_dialogs import ConflictDialog, install_collab_menu


@pytest.fixture
def two_copies(tmp_path, template_2021):
    """The coordinator's file and the mission locale's copy, which then disagree on three things."""
    mine = tmp_path / "cd.spie"
    with DossierFile.create(mine, template_2021, "Candidature", author="Claire", organisation="CD") as cd:
        row = cd.add_row("jalons", {"libelle": "Lancement"})
        make_partner_copy(cd, tmp_path / "ml.spie", "Mission locale")
        cd.set_value("perimetre", "Le nord du Val")
        cd.set_value("volume_2022", 100)
        cd.set_value(f"jalons[{row}].libelle", "Lancement officiel")
    with open_dossier(tmp_path / "ml.spie", author="Karim", organisation="Mission locale") as ml:
        ml.set_value("perimetre", "Les quartiers prioritaires du Val")
        ml.set_value("volume_2022", 140)
        ml.remove_row("jalons", row)
        ml.set_value("resume", "Sans conflit")
    return mine, tmp_path / "ml.spie", row


def _panels(dialog):
    return {p.conflict.path.split("[")[0]: p for p in dialog.panels}


def test_conflict_dialog_keep_mine_keep_theirs_or_combine(qtbot, ui, two_copies):
    mine_path, theirs_path, row = two_copies
    with open_dossier(mine_path, author="Claire") as cd:
        preview = merge(cd, theirs_path)
        assert preview.outcome is MergeOutcome.CONFLICTS
        dialog = ConflictDialog(preview.conflicts, cd.template, "ml.spie")
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        panels = _panels(dialog)
        assert set(panels) == {"perimetre", "volume_2022", "jalons"}
        p = panels["perimetre"]
        assert p.title() == "Périmètre du projet"
        assert p.mine_view.toPlainText() == "Le nord du Val"
        assert p.theirs_view.toPlainText() == "Les quartiers prioritaires du Val"
        assert panels["jalons"].theirs_view.toPlainText() == "(ligne supprimée)"
        # the words that differ are marked; the common ones (« du Val ») are not
        from spie_desktop.ui.word_diff import MARK_OPEN

        theirs_html = p.theirs_view.toHtml()
        assert "underline" in theirs_html and "quartiers" in theirs_html
        assert p.mine_view.toPlainText().endswith("du Val")
        assert MARK_OPEN  # the mark the view renders
        assert panels["jalons"].combine_button.isHidden()  # a row: mine or theirs
        assert not dialog.ok_button.isEnabled()  # every conflict needs a choice

        panels["volume_2022"].theirs_button.click()
        panels["jalons"].mine_button.click()
        assert not dialog.ok_button.isEnabled()
        p.combine_button.click()
        assert p.combined_edit.isEnabled()
        p.combined_edit.clear()
        ui.type_into(p.combined_edit, "Le nord et les quartiers prioritaires")
        assert dialog.ok_button.isEnabled()
        dialog.ok_button.click()
        assert dialog.result() == dialog.DialogCode.Accepted
        choices = dialog.resolutions()
        assert choices == {
            "perimetre": "Le nord et les quartiers prioritaires",
            "volume_2022": 140,
            f"jalons[{row}]": {"libelle": "Lancement officiel"},
        }

        result = merge(cd, theirs_path, resolutions=choices)
        assert result.applied
        assert cd.get("perimetre") == "Le nord et les quartiers prioritaires"
        assert cd.get("volume_2022") == 140
        assert cd.get(f"jalons[{row}].libelle") == "Lancement officiel"
        assert cd.get("resume") == "Sans conflit"


def test_a_combination_that_cannot_be_stored_keeps_the_dialog_open(qtbot, ui, two_copies):
    mine_path, theirs_path, _ = two_copies
    with open_dossier(mine_path, author="Claire") as cd:
        dialog = ConflictDialog(merge(cd, theirs_path).conflicts, cd.template)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.all_mine.click()
        p = _panels(dialog)["volume_2022"]
        p.combine_button.click()
        p.combined_edit.clear()
        ui.type_into(p.combined_edit, "beaucoup")
        dialog.ok_button.click()
        assert dialog.isVisible() and dialog.result() != dialog.DialogCode.Accepted
        assert "n'est pas un nombre entier" in p.error_label.text()
        p.combined_edit.clear()
        ui.type_into(p.combined_edit, "1 250")
        dialog.ok_button.click()
        assert dialog.resolutions()["volume_2022"] == 1250


def test_integrating_a_copy_from_the_window(qtbot, controller, tmp_path, monkeypatch):
    cd = controller.dossier
    cd.set_value("perimetre", "Le Val")
    copy = make_partner_copy(cd, tmp_path / "ml.spie", "Mission locale").path
    with open_dossier(copy, author="Karim") as ml:
        ml.set_value("perimetre", "Le Val sud")
        ml.set_value("volume_2022", 80)
    controller.set_value("perimetre", "Le Val nord")  # not yet on disk: the merge must see it
    seen: list[str] = []
    controller.valueChanged.connect(seen.append)
    monkeypatch.setattr(dialogs, "ask_open_path", lambda *a: str(copy))
    infos: list[str] = []
    monkeypatch.setattr(dialogs, "show_info", lambda parent, title, text: infos.append(text))

    def choose_theirs(parent, conflicts, template=None, source=""):
        dialog = ConflictDialog(conflicts, template, source, parent)
        qtbot.addWidget(dialog)
        assert [c.mine for c in conflicts] == ["Le Val nord"]
        dialog.all_theirs.click()
        dialog.ok_button.click()
        return dialog.resolutions()

    monkeypatch.setattr(collab_dialogs, "ask_conflict_choices", choose_theirs)
    from PySide6.QtWidgets import QWidget

    window = QWidget()
    qtbot.addWidget(window)
    actions = collab_dialogs.CollabActions(window, lambda: controller)
    result = actions.integrate_copy()
    assert result.applied
    assert cd.get("perimetre") == "Le Val sud" and cd.get("volume_2022") == 80
    assert {"perimetre", "volume_2022"} <= set(seen)
    assert "est intégrée" in infos[0] and "1 conflit(s) résolu(s)" in infos[0]
    assert actions.integrate_copy() is not None and "déjà dans votre dossier" in infos[-1]


def test_sending_a_copy_to_a_partner(qtbot, controller, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QWidget

    window = QWidget()
    qtbot.addWidget(window)
    dialog = collab_dialogs.PartnerCopyDialog(controller.dossier)
    qtbot.addWidget(dialog)
    dialog.partner.setCurrentText("Mission locale du Val")
    for i in range(dialog.sections.count()):
        item = dialog.sections.item(i)
        if item.data(Qt.ItemDataRole.UserRole) == "public_cible":
            item.setCheckState(Qt.CheckState.Checked)
    request = dialog.request()
    assert request == ("Mission locale du Val", ["public_cible"])
    monkeypatch.setattr(collab_dialogs, "ask_partner_copy", lambda *a: request)
    target = tmp_path / "pour-ml.spie"
    monkeypatch.setattr(dialogs, "ask_save_path", lambda *a: str(target))
    infos: list[str] = []
    monkeypatch.setattr(dialogs, "show_info", lambda parent, title, text: infos.append(text))
    actions = collab_dialogs.CollabActions(window, lambda: controller)
    assert actions.send_copy() == target
    with open_dossier(target, read_only=True) as copy:
        assert copy.entrusted() == {"public_cible": "Mission locale du Val"}
        assert copy.info.id == controller.dossier.info.id
    assert "sections confiées : E. Public cible" in infos[0]


def test_history_dialog_restores_an_earlier_value(qtbot, controller):
    cd = controller.dossier
    cd.set_value("perimetre", "Première version")
    cd.set_value("perimetre", "Deuxième version")
    from PySide6.QtWidgets import QWidget

    window = QWidget()
    qtbot.addWidget(window)
    actions = collab_dialogs.CollabActions(window, lambda: controller)
    seen: list[str] = []
    controller.valueChanged.connect(seen.append)
    dialog = collab_dialogs.HistoryDialog(
        cd, "perimetre", label="Périmètre du projet", on_restore=lambda cid: actions._restore(controller, cid)
    )
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Historique de « Périmètre du projet »"
    assert dialog.table.rowCount() == 2
    assert dialog.table.item(0, 3).text() == "« Première version » → « Deuxième version »"
    assert not dialog.restore_button.isEnabled()
    dialog.table.selectRow(0)
    assert dialog.restore_button.isEnabled()
    dialog.restore_button.click()
    assert cd.get("perimetre") == "Première version" and seen == ["perimetre"]
    assert dialog.table.rowCount() == 3


def test_the_menu_goes_into_the_window(qtbot, controller):
    from PySide6.QtWidgets import QMainWindow

    window = QMainWindow()
    qtbot.addWidget(window)
    window.help_menu = window.menuBar().addMenu("&Aide")
    window.controller = None
    actions = install_collab_menu(window)
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == ["&Partenaires", "&Aide"]
    menu = window.menuBar().actions()[0].menu()
    assert [a.text() for a in menu.actions()] == [
        "Envoyer une copie à un partenaire…",
        "Intégrer une copie reçue…",
        "Confier la section…",
        "Historique du dossier…",
    ]
    assert not actions.act_merge.isEnabled()
    window.controller = controller
    menu.aboutToShow.emit()
    assert actions.act_merge.isEnabled() and actions.act_history.isEnabled()


def test_wired_into_the_main_window_a_merge_shows_in_the_open_form(qtbot, tmp_path, monkeypatch):
    """The wiring proposed to the main window (one call once its menus exist): the form on
    screen shows what the partner wrote as soon as the copy is integrated."""
    from PySide6.QtWidgets import QLineEdit

    from spie_desktop.app import create_application
    from spie_desktop.forms import registry
    from spie_desktop.settings import Settings
    from spie_desktop.ui import main_window

    create_application()
    path = tmp_path / "dossier.spie"
    with DossierFile.create(path, registry.find("ami-spie-2021-vague2"), "Dossier", author="Claire") as cd:
        copy = make_partner_copy(cd, tmp_path / "ml.spie", "Mission locale").path
    with open_dossier(copy, author="Karim", organisation="Mission locale") as ml:
        ml.set_value("porteur_nom", "Département du Val")
    w = main_window.MainWindow(Settings(author_name="Claire"))
    qtbot.addWidget(w)
    install_collab_menu(
        w, w.dossier_menu, lambda: w.controller, current_section=w.section_list.current_section
    )
    w.show()
    qtbot.waitExposed(w)
    try:
        assert w.open_path(path)
        w.show_section("porteur")
        labels = [a.text() for a in w.dossier_menu.actions()]
        assert "Intégrer une copie reçue…" in labels and "Historique du dossier…" in labels
        monkeypatch.setattr(dialogs, "ask_open_path", lambda *a: str(copy))
        monkeypatch.setattr(dialogs, "show_info", lambda *a: None)
        w.dossier_menu.aboutToShow.emit()  # the user opens the menu
        w.collab_actions.act_merge.trigger()
        assert on_disk_value(path, "porteur_nom") == "Département du Val"
        field = w.current_form().widget_for("porteur_nom")
        edit = next(i for i in field.inputs() if isinstance(i, QLineEdit))
        assert edit.text() == "Département du Val"
    finally:
        if w.controller is not None:
            w.controller.discard_and_close()
            w.controller = None
        w.close()


def on_disk_value(path, field):
    with open_dossier(path, read_only=True) as df:
        return df.get(field)


def test_entrusting_the_current_section(qtbot, controller, monkeypatch):
    from PySide6.QtWidgets import QWidget

    window = QWidget()
    qtbot.addWidget(window)
    controller.dossier.entrust_section("budget", "Mission locale")
    dialog = collab_dialogs.EntrustDialog(controller.dossier, "projet")
    qtbot.addWidget(dialog)
    assert dialog.section.currentData() == "projet" and dialog.partner.currentText() == ""
    dialog.section.setCurrentIndex(dialog.section.findData("budget"))
    assert dialog.partner.currentText() == "Mission locale"  # who has it now
    dialog.section.setCurrentIndex(dialog.section.findData("projet"))
    dialog.partner.setCurrentText("Association Tremplin")
    request = dialog.request()
    assert request == ("projet", "Association Tremplin")
    asked: list = []
    monkeypatch.setattr(
        collab_dialogs, "ask_entrust", lambda parent, dossier, sid: asked.append(sid) or request
    )
    actions = collab_dialogs.CollabActions(window, lambda: controller, current_section=lambda: "projet")
    actions.entrust_section()
    assert asked == ["projet"]
    assert controller.dossier.entrusted() == {"budget": "Mission locale", "projet": "Association Tremplin"}


def test_history_of_one_field_from_the_window(qtbot, controller, monkeypatch):
    from PySide6.QtWidgets import QWidget

    window = QWidget()
    qtbot.addWidget(window)
    rid = controller.dossier.add_row("jalons", {"libelle": "COPIL"})
    shown: list = []
    monkeypatch.setattr(
        collab_dialogs,
        "show_history",
        lambda parent, dossier, path, label, on_restore=None: shown.append((path, label)),
    )
    actions = collab_dialogs.CollabActions(window, lambda: controller)
    actions.show_field_history(f"jalons[{rid}].libelle")
    actions.show_dossier_history()
    assert shown == [(f"jalons[{rid}].libelle", "Jalons › ligne 1 › Jalon"), (None, "")]
