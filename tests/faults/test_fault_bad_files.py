"""Issue 8: a matrix of bad files opened from the command line (info, check, export pdf) and from the window.

Every case: a French message (stderr and exit code 2, or an error dialog), never a traceback, the
file's bytes unchanged, no .lock or -journal left beside it, no output written. A file truncated
after its last used page may legitimately open: then it must pass SQLite's integrity check.
(tests/models/test_bad_files.py checks each kind's exception class through ``open_dossier``.)
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest
from faultkit import EXAMPLE_JSON, digest, integrity, is_root, leftovers

from spie_desktop.__main__ import main

# What the user reads for each kind of bad file (the start of the explanation, in French).
REFUSED = (
    "n'est pas un dossier SPIE",
    "est endommagé ou incomplet",
    "version plus récente",
    "est introuvable",
)

# 20 cuts of a real dossier made from the example: inside the 100-byte header, around the first page
# border, spread over the file (tenths), and just before its end.
CUTS = (
    ["1", "16", "60", "99", "100", "101", "4095", "4096", "4097"]
    + [f"{k}0pct" for k in range(1, 10)]
    + ["fin-4096", "fin-1"]
)


def _cut(name: str, size: int) -> int:
    if name.endswith("pct"):
        return size * int(name[:-3]) // 100
    if name.startswith("fin-"):
        return size - int(name[4:])
    return int(name)


@pytest.fixture(scope="module")
def example_bytes(tmp_path_factory) -> bytes:
    from spie_desktop.interchange import import_document

    if not EXAMPLE_JSON.exists():
        pytest.skip("le dossier d'exemple n'est pas dans resources/examples")
    doc = json.loads(EXAMPLE_JSON.read_text(encoding="utf-8"))
    data = import_document(doc, tmp_path_factory.mktemp("source") / "exemple.spie").read_bytes()
    assert len(data) > 3 * 4096
    return data


def _sqlite(path: Path, *statements: str) -> None:
    con = sqlite3.connect(path)
    for s in statements:
        con.execute(s)
    con.commit()
    con.close()


def _make(kind: str, folder: Path, example: bytes) -> Path:
    p = folder / f"{kind}.spie"
    if kind == "vide":
        p.write_bytes(b"")
    elif kind == "hasard":
        p.write_bytes(random.Random(8).randbytes(8192))
    elif kind == "hasard-entete-sqlite":
        p.write_bytes(b"SQLite format 3\x00" + random.Random(9).randbytes(8192))
    elif kind == "zip":
        with zipfile.ZipFile(p, "w") as z:
            z.writestr("word/document.xml", "<w:document/>")
    elif kind == "json":
        shutil.copyfile(EXAMPLE_JSON, p)
    elif kind == "pdf":
        p.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n")
    elif kind == "autre-application":
        _sqlite(p, "CREATE TABLE contacts (nom TEXT)", "INSERT INTO contacts VALUES ('Dupont')")
    elif kind == "version-plus-recente":
        p.write_bytes(example)
        _sqlite(p, "PRAGMA user_version=99")
    elif kind == "repertoire":
        p.mkdir()
    elif kind.startswith("tronque-"):
        p.write_bytes(example[: _cut(kind[len("tronque-") :], len(example))])
    else:  # pragma: no cover
        raise AssertionError(kind)
    return p


KINDS = [
    "vide",
    "hasard",
    "hasard-entete-sqlite",
    "zip",
    "json",
    "pdf",
    "autre-application",
    "version-plus-recente",
    "repertoire",
]
ALL_KINDS = KINDS + [f"tronque-{c}" for c in CUTS]


class Fingerprint:
    """The bad file's bytes and its folder's listing, to prove nothing was written."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.bytes = digest(path) if path.is_file() else None
        self.listing = sorted(os.listdir(path.parent))

    def assert_unchanged(self) -> None:
        if self.bytes is not None:
            assert digest(self.path) == self.bytes, "les octets du fichier ont changé"
        else:
            assert self.path.is_dir() and os.listdir(self.path) == []
        assert sorted(os.listdir(self.path.parent)) == self.listing, leftovers(self.path)


def _may_open(kind: str) -> bool:
    return kind.startswith("tronque-")


def _assert_french_refusal(err: str, path: Path) -> None:
    err = err.replace(str(path), "FICHIER")  # the name itself may say anything
    assert "Traceback" not in err and "Error" not in err and "sqlite" not in err.lower(), err
    assert any(words in err for words in REFUSED), err


@pytest.mark.parametrize("command", ["info", "check", "export-pdf"])
@pytest.mark.parametrize("kind", ALL_KINDS)
def test_command_line_refuses_in_french_and_changes_nothing(kind, command, tmp_path, example_bytes, capsys):
    (tmp_path / "bad").mkdir()
    bad = _make(kind, tmp_path / "bad", example_bytes)
    out_dir = tmp_path / "sortie"
    out_dir.mkdir()
    out = out_dir / "dossier.pdf"
    seen = Fingerprint(bad)
    argv = {
        "info": ["info", str(bad)],
        "check": ["check", str(bad)],
        "export-pdf": ["export", "pdf", str(bad), "-o", str(out)],
    }[command]
    code = main(argv)
    captured = capsys.readouterr()
    seen.assert_unchanged()
    if code == 2:
        _assert_french_refusal(captured.err, bad)
        assert os.listdir(out_dir) == []  # no PDF, no temporary file
    else:
        assert _may_open(kind), f"« {kind} » accepté ({code}) : {captured.out[:300]} {captured.err[:300]}"
        assert code in (0, 1) and "Traceback" not in captured.err
        assert integrity(bad) == "ok"


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_window_shows_a_french_dialog_and_keeps_working(
    kind, fault_window, tmp_path, example_bytes, template_2021
):
    (tmp_path / "bad").mkdir()
    bad = _make(kind, tmp_path / "bad", example_bytes)
    seen = Fingerprint(bad)
    w = fault_window.window
    opened = w.open_path(bad)
    if opened:
        assert _may_open(kind), f"« {kind} » ouvert par la fenêtre"
        assert fault_window.errors == []
        w.close_dossier()
        seen.assert_unchanged()
        assert integrity(bad) == "ok"
        return
    assert len(fault_window.errors) == 1
    title, text = fault_window.errors[0]
    assert title == "Impossible d'ouvrir le dossier"
    _assert_french_refusal(text, bad)
    assert w.controller is None and w.pages.currentWidget() is w.start
    seen.assert_unchanged()
    # the window still works: a good dossier opens and takes an edit
    from spie_desktop.models import DossierFile, open_dossier

    good = tmp_path / "bon.spie"
    DossierFile.create(good, template_2021, "Dossier sain").close()
    assert w.open_path(good)
    w.controller.set_value("porteur_nom", "Après le mauvais fichier", immediate=True)
    with open_dossier(good, read_only=True) as d:
        assert d.get("porteur_nom") == "Après le mauvais fichier"


@pytest.mark.skipif(
    is_root(), reason="root lit tout : un fichier sans droit de lecture n'existe pas pour lui"
)
def test_unreadable_file(tmp_path, fault_window, template_2021, capsys):
    from spie_desktop.models import DossierFile

    path = tmp_path / "secret.spie"
    DossierFile.create(path, template_2021, "Secret").close()
    os.chmod(path, 0)
    try:
        for argv in (["info", str(path)], ["check", str(path)]):
            assert main(argv) == 2
            assert "pas le droit de le lire" in capsys.readouterr().err
        assert not fault_window.window.open_path(path)
        assert "pas le droit de le lire" in fault_window.errors[-1][1]
        assert leftovers(path) == []
    finally:
        os.chmod(path, 0o644)


def test_the_matrix_is_the_one_promised():
    cuts = [k for k in ALL_KINDS if k.startswith("tronque-")]
    assert len(set(cuts)) == 20
    assert {
        "vide",
        "hasard",
        "zip",
        "json",
        "autre-application",
        "version-plus-recente",
        "repertoire",
    } <= set(ALL_KINDS)
