"""Issue 8: the file (and its folder) become read-only while editing — reported in French, nothing
lost once a copy is saved, the original left sound.

CI runs as root, and root ignores permission bits: the file is made immutable (``chattr +i``),
which stops root too; as another user, ``chmod a-w`` does it. The read-only SQLite connection swap
is already covered by tests/ui/test_saving.py.
"""

from __future__ import annotations

import pytest
from faultkit import digest, integrity, leftovers, read_only_now

from spie_desktop.__main__ import main
from spie_desktop.models import DossierFile, SaveFailed, open_dossier
from spie_desktop.ui.controller import DossierController, SaveState

EDITS = {
    "porteur_nom": "Métropole des Deux-Rives",
    "resume": "Un guichet unique pour l'insertion, co-construit avec les partenaires. " * 20,
    "nb_allocataires_rsa": 8700,
}


def _stored(path, keys=EDITS):
    with open_dossier(path, read_only=True) as d:
        return {k: d.get(k) for k in keys}


@pytest.fixture
def opened(tmp_path, template_2021, qtbot):
    """A dossier in its own folder, open under a controller; torn down whatever the test left."""
    folder = tmp_path / "partage"
    path = folder / "dossier.spie"
    DossierFile.create(path, template_2021, "Dossier protégé").close()
    c = DossierController(open_dossier(path, author="Camille"))
    yield c
    for timer in (c._save_timer, c._retry_timer, c._check_timer, c._lock_timer):
        timer.stop()
    if not c.dossier._closed:
        c.discard_and_close()


def test_read_only_while_editing_is_reported_and_a_copy_keeps_everything(opened, tmp_path):
    c = opened
    path = c.path
    before = digest(path)
    failures: list[str] = []
    c.saveFailed.connect(failures.append)
    with read_only_now(path, path.parent):
        for k, v in EDITS.items():
            c.set_value(k, v)
        assert not c.flush()
        assert c.state is SaveState.FAILED
        assert failures and failures[-1] == c.last_error
        assert c.last_error.startswith("L'enregistrement a échoué : ")
        assert "Enregistrer une copie sous" in c.last_error and "Traceback" not in c.last_error
        assert c.pending == EDITS
        assert all(c.value(k) == v for k, v in EDITS.items())

        # a copy next to the original cannot be written either: said in French, nothing lost
        with pytest.raises(SaveFailed, match="impossible d'écrire dans"):
            c.save_copy(path.with_name("copie.spie"))
        assert c.pending == EDITS

        dest = tmp_path / "ailleurs" / "copie.spie"
        c.save_copy(dest)
        assert _stored(dest) == EDITS and integrity(dest) == "ok"
        assert digest(path) == before  # the protected file was not touched
        c.discard_and_close()
    assert digest(path) == before
    assert integrity(path) == "ok"
    # the original still opens, as it was (its lock stayed: the folder refused its removal)
    assert leftovers(path) == ["dossier.spie.lock"]
    with open_dossier(path, force_lock=True) as d:
        assert d.get("porteur_nom") is None
    assert leftovers(path) == []


def test_read_only_message_says_read_only(opened):
    c = opened
    with read_only_now(c.path, c.path.parent):
        c.set_value("porteur_nom", "Texte")
        assert not c.flush()
        message = c.last_error
        c.discard_and_close()
    assert "lecture seule" in message, message


def test_read_only_in_the_window_then_continue_in_a_copy(
    fault_window, tmp_path, template_2021, qtbot, monkeypatch
):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLineEdit

    from spie_desktop.ui import dialogs

    w = fault_window.window
    folder = tmp_path / "reseau"
    path = folder / "dossier.spie"
    DossierFile.create(path, template_2021, "Dossier du réseau").close()
    assert w.open_path(path)
    w.show_section("porteur")
    c = w.controller
    before = digest(path)
    dest = tmp_path / "mes-documents" / "sauve.spie"
    with read_only_now(path, folder):
        field = w.current_form().widget_for("porteur_nom")
        edit = next(i for i in field.inputs() if isinstance(i, QLineEdit))
        edit.setFocus()
        qtbot.keyClicks(edit, "Texte tape sur un partage protege")
        assert not c.flush()
        assert w.save_banner.isVisible()
        assert w.save_banner.text().startswith("Vos dernières modifications ne sont pas encore enregistrées")
        assert w.header.save_label.text() == SaveState.FAILED.value

        # first the user picks the protected folder itself: refused in French, still nothing lost
        monkeypatch.setattr(
            dialogs, "ask_save_path", lambda parent, suggested, title="": str(folder / "c.spie")
        )
        qtbot.mouseClick(w.save_banner.copy_button, Qt.MouseButton.LeftButton)
        assert fault_window.errors and fault_window.errors[-1][0] == "La copie n'a pas pu être enregistrée"
        assert "impossible d'écrire" in fault_window.errors[-1][1]
        assert w.controller is c and c.pending["porteur_nom"] == "Texte tape sur un partage protege"

        # then another folder: the window goes on in the copy, on the same section, everything saved
        monkeypatch.setattr(dialogs, "ask_save_path", lambda parent, suggested, title="": str(dest))
        qtbot.mouseClick(w.save_banner.copy_button, Qt.MouseButton.LeftButton)
        assert w.controller is not c and w.controller.path == dest
        assert w._section_id == "porteur"
        assert w.header.save_label.text() == SaveState.SAVED.value
        assert _stored(dest, ["porteur_nom"]) == {"porteur_nom": "Texte tape sur un partage protege"}
        assert digest(path) == before
    assert integrity(path) == "ok"
    # and the window still works: an edit in the copy is saved
    w.controller.set_value("porteur_adresse", "2 rue de la Copie", immediate=True)
    assert _stored(dest, ["porteur_adresse"]) == {"porteur_adresse": "2 rue de la Copie"}


def test_opening_a_protected_file_offers_read_only(
    fault_window, tmp_path, template_2021, monkeypatch, capsys
):
    from spie_desktop.ui import dialogs

    folder = tmp_path / "archives"
    path = folder / "dossier.spie"
    with DossierFile.create(path, template_2021, "Dossier archivé") as df:
        df.set_value("porteur_nom", "Archive")
    before = digest(path)
    asked: list[str] = []
    monkeypatch.setattr(
        dialogs, "confirm", lambda parent, title, text, ok_text="": asked.append(text) or True
    )
    w = fault_window.window
    with read_only_now(path, folder):
        assert w.open_path(path)
        assert asked and "lecture seule" in asked[0]
        assert w.controller.read_only and w.controller.state is SaveState.READ_ONLY
        assert w.controller.value("porteur_nom") == "Archive"
        # the command line reads it too, without writing anything
        assert main(["info", str(path)]) == 0
        assert "Archive" not in capsys.readouterr().err
        w.close_dossier()
    assert digest(path) == before
    assert [p.name for p in folder.iterdir()] == ["dossier.spie"]
