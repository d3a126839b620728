"""Every kind of bad file gets its own French message, and its bytes are never changed."""

from __future__ import annotations

import hashlib
import sqlite3
import zipfile

import pytest

from spie_desktop.__main__ import main
from spie_desktop.models import (
    DossierCorrupt,
    DossierNotFound,
    DossierTooNew,
    NotADossier,
    UnknownTemplateError,
    open_dossier,
)
from spie_desktop.models.schema import APPLICATION_ID


def _digest(p):
    return hashlib.sha256(p.read_bytes()).hexdigest()


def _empty(tmp):
    p = tmp / "vide.spie"
    p.write_bytes(b"")
    return p


def _random(tmp):
    p = tmp / "hasard.spie"
    p.write_bytes(bytes(range(256)) * 40)
    return p


def _zip(tmp):
    p = tmp / "archive.spie"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    return p


def _foreign_sqlite(tmp):
    p = tmp / "autre.spie"
    con = sqlite3.connect(p)
    con.execute("CREATE TABLE contacts (nom TEXT)")
    con.commit()
    con.close()
    return p


def _truncated(tmp, new_dossier):
    new_dossier.set_value("porteur_nom", "x" * 20000)
    new_dossier.close()
    data = new_dossier.path.read_bytes()
    p = tmp / "tronque.spie"
    p.write_bytes(data[: len(data) // 2])
    return p


def _newer(tmp, new_dossier):
    new_dossier.close()
    p = tmp / "futur.spie"
    p.write_bytes(new_dossier.path.read_bytes())
    con = sqlite3.connect(p)
    con.execute("PRAGMA user_version=99")
    con.commit()
    con.close()
    return p


def _unknown_template(tmp, new_dossier):
    new_dossier.close()
    p = tmp / "modele-inconnu.spie"
    p.write_bytes(new_dossier.path.read_bytes())
    con = sqlite3.connect(p)
    con.execute("UPDATE dossier SET template_id='ami-inexistant', template_json=''")
    con.commit()
    con.close()
    return p


CASES = [
    ("vide", _empty, NotADossier, "vide"),
    ("hasard", _random, NotADossier, "pas reconnu"),
    ("zip", _zip, NotADossier, "ZIP"),
    ("autre-application", _foreign_sqlite, NotADossier, "autre application"),
    ("tronque", _truncated, DossierCorrupt, "tronqué"),
    ("version-plus-recente", _newer, DossierTooNew, "plus récente"),
    ("modele-inconnu", _unknown_template, UnknownTemplateError, "n'est pas installé"),
]


@pytest.mark.parametrize("name,make,exc,words", CASES, ids=[c[0] for c in CASES])
def test_bad_file_is_refused_clearly_and_left_untouched(
    tmp_path, new_dossier, name, make, exc, words, capsys
):
    p = make(tmp_path, new_dossier) if make.__code__.co_argcount == 2 else make(tmp_path)
    before = _digest(p)
    with pytest.raises(exc) as info:
        open_dossier(p)
    assert words in str(info.value)
    assert "Traceback" not in str(info.value)
    assert _digest(p) == before
    assert not p.with_name(p.name + ".lock").exists()
    # the command line says the same in French, exits 2, and still changes nothing
    assert main(["info", str(p)]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err
    assert _digest(p) == before


def test_missing_file(tmp_path, capsys):
    with pytest.raises(DossierNotFound, match="introuvable"):
        open_dossier(tmp_path / "absent.spie")
    assert main(["info", str(tmp_path / "absent.spie")]) == 2
    assert "introuvable" in capsys.readouterr().err
    assert not (tmp_path / "absent.spie").exists()


def test_distinct_exception_kinds():
    kinds = {c[2] for c in CASES} | {DossierNotFound}
    assert len(kinds) == 5 and APPLICATION_ID == 0x53504945
