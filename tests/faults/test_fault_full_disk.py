"""Issue 8: a full disk while editing — reported in French, nothing typed lost, everything written once space returns.

Two ways to fill the disk: SQLite's own size limit on the dossier's connection (``PRAGMA
max_page_count``, runs everywhere), and a real 4 MiB tmpfs filled to the last byte (needs root:
CI has it; skipped with the reason elsewhere).
"""

from __future__ import annotations

import sqlite3

import pytest
from faultkit import fill_disk, integrity, leftovers, tmpfs

from spie_desktop.models import DossierFile, SaveFailed, open_dossier
from spie_desktop.ui.controller import DossierController, SaveState

FULL = "le disque est plein"

# What a person types in a few minutes: short answers and long texts (several SQLite pages each).
EDITS = {
    "porteur_nom": "Communauté d'agglomération du Val-de-Saône",
    "diagnostic_territorial": (
        "Le territoire compte 12 000 allocataires du RSA, dont 40 % depuis plus de deux ans. "
        "Les freins périphériques — mobilité, garde d'enfants, santé — pèsent lourd. "
    )
    * 28,
    "perimetre": "Trois EPCI, 142 communes, une ville moyenne et un large espace rural. " * 25,
    "apports": "Un référent unique, un diagnostic partagé, une offre lisible : « tout le monde y gagne ». "
    * 40,
    "nb_allocataires_rsa": 12000,
    "resume": "Résumé du projet : coordonner l'accompagnement vers l'emploi, sans couture. " * 24,
}


def _stored(path, read=None):
    """What the file holds now, read through a separate read-only connection (the truth on disk)."""
    with open_dossier(path, read_only=True) as d:
        return {k: d.get(k) for k in (read or EDITS)}


def _raw(df: DossierFile) -> sqlite3.Connection:
    return df._conn.connection.dbapi_connection


def _cap_size(df: DossierFile) -> int:
    """Make the dossier's own connection unable to grow the file by one page: the disk is 'full'."""
    con = _raw(df)
    pages = con.execute("PRAGMA page_count").fetchone()[0]
    assert con.execute(f"PRAGMA max_page_count={pages}").fetchone()[0] == pages
    return pages


def _free_size(df: DossierFile) -> None:
    _raw(df).execute("PRAGMA max_page_count=1073741823")


def _type_all(c: DossierController) -> None:
    for path, value in EDITS.items():
        c.set_value(path, value)


def _assert_nothing_lost(c: DossierController) -> None:
    for path, value in EDITS.items():
        assert c.value(path) == value, path
    assert c.snapshot().answers["diagnostic_territorial"] == EDITS["diagnostic_territorial"]


def _assert_failed_honestly(c: DossierController, failures: list[str]) -> None:
    assert c.state is SaveState.FAILED
    assert FULL in c.last_error, c.last_error
    assert failures and FULL in failures[-1]
    assert "Enregistrer une copie sous" in c.last_error
    assert "Traceback" not in c.last_error and "sqlite" not in c.last_error.lower()
    assert c.pending, "an edit that did not reach the disk must stay pending"


@pytest.fixture
def controller_on(qtbot):
    """A controller on a dossier file; stopped timers and closed file at the end."""
    made: list[DossierController] = []

    def make(df: DossierFile) -> DossierController:
        c = DossierController(df)
        made.append(c)
        return c

    yield make
    for c in made:
        for timer in (c._save_timer, c._retry_timer, c._check_timer, c._lock_timer):
            timer.stop()
        if not c.dossier._closed:
            c.discard_and_close()


def test_size_limit_edits_stay_pending_then_the_retry_writes_them_all(new_dossier, controller_on, qtbot):
    df = new_dossier
    c = controller_on(df)
    failures: list[str] = []
    c.saveFailed.connect(failures.append)
    _cap_size(df)
    _type_all(c)
    assert not c.flush()
    _assert_failed_honestly(c, failures)
    _assert_nothing_lost(c)
    on_disk = _stored(df.path)
    assert all(on_disk[p] in (None, v) for p, v in EDITS.items())  # nothing half-written
    assert any(on_disk[p] is None for p in c.pending)
    assert integrity(df.path) == "ok"
    assert not df.path.with_name(df.path.name + "-journal").exists()

    # typing goes on while the disk is full: kept as well, state stays FAILED (not "pending")
    c.set_value("porteur_adresse", "1 place de la Mairie")
    assert c.state is SaveState.FAILED
    c._save_timer.stop()

    # space returns: the controller's own retry (shortened from 5 s) writes every edit
    _free_size(df)
    c._retry_timer.setInterval(20)
    c._retry_timer.start()
    qtbot.waitUntil(lambda: c.state is SaveState.SAVED, timeout=3000)
    assert not c.pending and c.last_error == ""
    assert _stored(df.path) == EDITS
    assert _stored(df.path, ["porteur_adresse"]) == {"porteur_adresse": "1 place de la Mairie"}
    assert integrity(df.path) == "ok"
    logged = {ch.path for ch in df.changes()}
    assert set(EDITS) <= logged  # every edit is in the history too


def test_size_limit_a_copy_elsewhere_holds_every_edit(new_dossier, controller_on, tmp_path):
    df = new_dossier
    c = controller_on(df)
    _cap_size(df)
    _type_all(c)
    assert not c.flush()
    assert FULL in c.last_error
    dest = tmp_path / "ailleurs" / "copie.spie"
    c.save_copy(dest)
    assert integrity(dest) == "ok"
    assert _stored(dest) == EDITS
    assert leftovers(dest) == []
    assert c.pending  # the original still could not take them: still pending, still said
    assert c.state is SaveState.FAILED


def test_size_limit_structural_edit_is_refused_in_french_and_the_row_not_half_made(
    new_dossier, controller_on
):
    df = new_dossier
    c = controller_on(df)
    errors: list[str] = []
    c.error.connect(errors.append)
    c.saveFailed.connect(errors.append)
    _cap_size(df)
    rows = [c.add_row("jalons", {"libelle": "Jalon " + "x" * 6000, "date": "2022-06-01"}) for _ in range(3)]
    assert errors and all(FULL in e for e in errors)
    kept = [r for r in rows if r]
    assert df.row_ids("jalons") == kept  # the cache matches the file: no ghost row
    with open_dossier(df.path, read_only=True) as d:
        assert d.row_ids("jalons") == kept
    assert integrity(df.path) == "ok"


def test_real_full_disk_with_the_controller(tmp_path, template_2021, controller_on, qtbot):
    with tmpfs(tmp_path / "cle-usb", "4m") as disk:
        path = disk / "dossier.spie"
        df = DossierFile.create(path, template_2021, "Dossier sur une clé pleine", author="Camille")
        c = controller_on(df)
        failures: list[str] = []
        c.saveFailed.connect(failures.append)
        filler = fill_disk(disk)
        _type_all(c)
        assert not c.flush()
        _assert_failed_honestly(c, failures)
        _assert_nothing_lost(c)
        assert integrity(path) == "ok"

        # a copy on the same full disk fails in French, leaves no temporary file, loses nothing
        with pytest.raises(SaveFailed, match="plein"):
            c.save_copy(disk / "copie.spie")
        assert not (disk / "copie.spie").exists()
        assert [p.name for p in disk.iterdir() if p.name.startswith(".")] == []
        _assert_nothing_lost(c)

        # a copy on another disk holds everything
        elsewhere = tmp_path / "disque-dur" / "copie.spie"
        c.save_copy(elsewhere)
        assert _stored(elsewhere) == EDITS and integrity(elsewhere) == "ok"

        # space returns: a flush writes it all; after closing, nothing is left beside the file
        filler.unlink()
        assert c.flush()
        assert c.state is SaveState.SAVED and not c.pending
        assert _stored(path) == EDITS
        assert c.close()
        assert integrity(path) == "ok"
        assert leftovers(path) == []


def test_real_full_disk_in_the_window(fault_window, tmp_path, template_2021, qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLineEdit

    w = fault_window.window
    with tmpfs(tmp_path / "partage", "4m") as disk:
        path = disk / "dossier.spie"
        DossierFile.create(path, template_2021, "Dossier partagé").close()
        assert w.open_path(path)
        w.show_section("porteur")
        c = w.controller
        filler = fill_disk(disk)
        field = w.current_form().widget_for("porteur_nom")
        edit = next(i for i in field.inputs() if isinstance(i, QLineEdit))
        edit.setFocus()
        typed = "Syndicat mixte du Val"  # on a disk with no free byte, even the journal cannot be written
        qtbot.keyClicks(edit, typed)
        assert not c.flush()
        assert w.save_banner.isVisible()
        assert FULL in w.save_banner.text()
        assert w.header.save_label.text() == SaveState.FAILED.value
        assert edit.text() == typed and c.pending["porteur_nom"] == typed
        assert fault_window.errors == []  # a banner, not a modal dialog in the middle of typing

        filler.unlink()
        qtbot.mouseClick(w.save_banner.retry_button, Qt.MouseButton.LeftButton)
        assert not w.save_banner.isVisible()
        assert w.header.save_label.text() == SaveState.SAVED.value
        assert _stored(path, ["porteur_nom"]) == {"porteur_nom": typed}
        assert c.close()
        w.controller = None
        assert integrity(path) == "ok"
        assert leftovers(path) == []


def test_opening_on_a_full_disk_leaves_no_empty_lock(tmp_path, template_2021):
    from spie_desktop.models import DossierError

    with tmpfs(tmp_path / "cle-pleine", "2m") as disk:
        path = disk / "dossier.spie"
        DossierFile.create(path, template_2021, "Dossier sur une clé pleine").close()
        filler = fill_disk(disk)
        try:
            open_dossier(path).close()
        except DossierError as exc:
            assert FULL in str(exc)
        finally:
            stray = leftovers(path)
            filler.unlink()
        assert stray == []
        with open_dossier(path) as df:  # space is back: it opens, no « déjà ouvert par inconnu »
            assert df.title == "Dossier sur une clé pleine"


def test_the_window_offers_read_only_on_a_full_disk(fault_window, tmp_path, template_2021, monkeypatch):
    from spie_desktop.ui import dialogs

    w = fault_window.window
    with tmpfs(tmp_path / "cle-pleine", "2m") as disk:
        path = disk / "dossier.spie"
        with DossierFile.create(path, template_2021, "Dossier à relire") as df:
            df.set_value("porteur_nom", "Lisible malgré tout")
        before = path.read_bytes()
        filler = fill_disk(disk)
        asked: list[str] = []
        monkeypatch.setattr(
            dialogs, "confirm", lambda parent, title, text, ok_text="": asked.append(text) or True
        )
        assert w.open_path(path)
        assert asked and "lecture seule" in asked[0]
        assert w.controller.read_only and w.controller.value("porteur_nom") == "Lisible malgré tout"
        assert fault_window.errors == []
        w.close_dossier()
        assert path.read_bytes() == before
        filler.unlink()
