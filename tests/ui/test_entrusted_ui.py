"""Sections entrusted to partners, in the window: « Confiée à : … » in the section list and
« Section confiée à : … » at the top of the form, after entrusting and after a merge."""

from __future__ import annotations

import pytest

from spie_desktop.collab import make_partner_copy
from spie_desktop.models import DossierFile, open_dossier
from spie_desktop.ui import collab_dialogs, dialogs


@pytest.fixture
def window(qtbot, tmp_path, template_2021):
    from spie_desktop.app import create_application
    from spie_desktop.settings import Settings
    from spie_desktop.ui.main_window import MainWindow

    create_application()
    path = tmp_path / "cd.spie"
    DossierFile.create(path, template_2021, "Candidature", author="Claire", organisation="CD").close()
    w = MainWindow(Settings(author_name="Claire", author_organisation="CD"))
    qtbot.addWidget(w)
    w.resize(1100, 780)
    w.show()
    qtbot.waitExposed(w)
    assert w.open_path(path)
    yield w
    if w.controller is not None:
        w.controller.discard_and_close()
        w.controller = None


def test_entrusting_a_section_shows_in_the_list_and_the_form(window, monkeypatch):
    w = window
    w.show_section("public_cible")
    assert "Confiée à" not in w.section_list.item_text("public_cible")
    form = w.current_form()
    assert not form.entrusted_label.isVisible()
    monkeypatch.setattr(
        collab_dialogs, "ask_entrust", lambda parent, dossier, sid: (sid, "Mission locale du Val")
    )
    w.collab_actions.entrust_section()
    text = w.section_list.item_text("public_cible")
    assert text.startswith("E. Public cible\n") and text.endswith("\nConfiée à : Mission locale du Val")
    item = w.section_list.currentItem()
    from PySide6.QtCore import Qt

    assert item.data(Qt.ItemDataRole.AccessibleTextRole).endswith(", Confiée à : Mission locale du Val")
    assert "Confiée à : Mission locale du Val" in item.toolTip()
    assert form.entrusted_label.isVisible()
    assert form.entrusted_label.text() == "Section confiée à : Mission locale du Val"
    assert "Confiée à" not in w.section_list.item_text("budget")
    # taken back: the words go
    monkeypatch.setattr(collab_dialogs, "ask_entrust", lambda parent, dossier, sid: (sid, None))
    w.collab_actions.entrust_section()
    assert "Confiée à" not in w.section_list.item_text("public_cible")
    assert not form.entrusted_label.isVisible()


def test_a_merged_copy_brings_its_entrusted_sections(window, monkeypatch, tmp_path):
    w = window
    c = w.controller
    copy = make_partner_copy(c.dossier, tmp_path / "ml.spie", "Mission locale", sections=["budget"]).path
    with open_dossier(copy, author="Karim", organisation="Mission locale") as ml:
        ml.entrust_section("evaluation", "Association Tremplin")
    w.show_section("evaluation")
    monkeypatch.setattr(dialogs, "ask_open_path", lambda *a: str(copy))
    monkeypatch.setattr(dialogs, "show_info", lambda *a: None)
    w.collab_actions.integrate_copy()
    assert w.section_list.item_text("evaluation").endswith("\nConfiée à : Association Tremplin")
    assert w.section_list.item_text("budget").endswith("\nConfiée à : Mission locale")
    assert w.current_form().entrusted_label.text() == "Section confiée à : Association Tremplin"


def test_the_section_list_alone_takes_its_partners_from_a_source(qtbot, template_2021):
    from spie_desktop.ui.section_list import SectionList

    lst = SectionList()
    qtbot.addWidget(lst)
    partners = {"porteur": "CD du Val"}
    lst.entrusted_source = lambda: partners
    lst.set_template(template_2021)
    assert lst.item_text("porteur") == "B. Porteur du projet\nConfiée à : CD du Val"
    partners["porteur"] = "Mission locale"
    lst.set_entrusted()
    assert lst.item_text("porteur") == "B. Porteur du projet\nConfiée à : Mission locale"
    assert lst.entrusted_to("porteur") == "Mission locale" and lst.entrusted_to("budget") == ""
