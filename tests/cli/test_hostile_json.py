"""Hostile JSON through the CLI: every input refused with exit 2 and a French message saying where."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from spie_desktop.__main__ import main
from spie_desktop.safe_json import JsonInputError, loads

ROOT = Path(__file__).resolve().parents[2]
DEEP = "[" * 100_000 + "]" * 100_000
HUGE_INT = '{"format": "spie-dossier", "format_version": ' + "7" * 5000 + "}"
DUPLICATE = '{"format": "spie-dossier", "format": "spie-template"}'
NOT_A_NUMBER = '{"a": NaN}'
HOSTILE = {
    "profond": (DEEP, "imbrication trop profonde"),
    "entier": (HUGE_INT, "5000 chiffres"),
    "double": (DUPLICATE, "la clé « format » apparaît deux fois"),
    "nan": (NOT_A_NUMBER, "« NaN »"),
}


def _refused(capsys, argv: list[str], expected: str) -> str:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert expected in err
    assert "(ligne 1, colonne" in err
    assert "inattendue" not in err and "Traceback" not in err
    return err


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_import_refuses_hostile_json(tmp_path, capsys, kind):
    text, expected = HOSTILE[kind]
    src = tmp_path / "entree.json"
    src.write_text(text, encoding="utf-8")
    _refused(capsys, ["import", str(src), str(tmp_path / "sortie.spie")], expected)
    assert not (tmp_path / "sortie.spie").exists()


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_apply_refuses_hostile_json_and_leaves_the_dossier_as_it_was(tmp_path, capsys, kind):
    text, expected = HOSTILE[kind]
    spie = tmp_path / "d.spie"
    assert main(["new", str(spie), "--template", "ami-spie-2021-vague2"]) == 0
    before = spie.read_bytes()
    src = tmp_path / "reponses.json"
    src.write_text(text, encoding="utf-8")
    _refused(capsys, ["apply", str(spie), str(src)], expected)
    assert spie.read_bytes() == before


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_new_with_a_hostile_template_file_is_refused(tmp_path, capsys, kind):
    text, expected = HOSTILE[kind]
    src = tmp_path / "modele.json"
    src.write_text(text, encoding="utf-8")
    err = _refused(capsys, ["new", str(tmp_path / "d.spie"), "--template", str(src)], expected)
    assert "Modèle de formulaire invalide" in err


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_import_schema_refuses_hostile_json(tmp_path, capsys, kind):
    text, expected = HOSTILE[kind]
    src = tmp_path / "schema.json"
    src.write_text(text, encoding="utf-8")
    _refused(capsys, ["import-schema", str(src), "-o", str(tmp_path / "modele.json")], expected)
    assert not (tmp_path / "modele.json").exists()


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_a_hostile_embedded_template_is_refused_when_the_dossier_is_read(tmp_path, capsys, kind):
    text, expected = HOSTILE[kind]
    template = json.loads((ROOT / "resources" / "templates" / "ami-spie-2021-vague2.json").read_text("utf-8"))
    template["id"] = "modele-recu"
    own = tmp_path / "modele-recu.json"
    own.write_text(json.dumps(template), encoding="utf-8")
    spie = tmp_path / "recu.spie"
    assert main(["new", str(spie), "--template", str(own)]) == 0
    capsys.readouterr()
    with sqlite3.connect(spie) as db:  # what a partner could do to the copy they send back
        db.execute("UPDATE dossier SET template_json = ?", (text,))
    db.close()
    for argv in (["info", str(spie)], ["export", "text", str(spie), "-o", str(tmp_path / "x.txt")]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert "modèle intégré" in err and expected in err
        assert "inattendue" not in err and "Traceback" not in err


def test_the_reader_refuses_with_line_and_column():
    with pytest.raises(JsonInputError) as err:
        loads('{\n  "a": 1,\n  "a": 2\n}', source="x.json")
    assert (
        str(err.value)
        == "« x.json » : la clé « a » apparaît deux fois dans le même objet (ligne 3, colonne 3)"
    )
    with pytest.raises(JsonInputError, match="hors limites"):
        loads("[1e999]")
    with pytest.raises(JsonInputError, match="« -Infinity »"):
        loads("[-Infinity]")
    with pytest.raises(JsonInputError, match="apparaît deux fois"):
        loads('{"a": 1, "\\u0061": 2}')  # the same key, spelt with an escape


def test_the_reader_accepts_ordinary_json_unchanged():
    doc = {"a": [1, 2.5, -3, 'x"y', {"b": None, "c": True}], "d": "é" * 10, "big": 10**30, "tiny": 1e-300}
    text = json.dumps(doc)
    assert loads(text) == json.loads(text)
    assert loads(json.dumps(doc, ensure_ascii=False).encode("utf-8")) == doc
    nested = "[" * 64 + "]" * 64
    assert loads(nested) == json.loads(nested)
    with pytest.raises(JsonInputError):
        loads("[" * 65 + "]" * 65)


def test_an_embedded_template_over_the_size_bounds_is_refused(tmp_path, capsys):
    template = json.loads((ROOT / "resources" / "templates" / "ami-spie-2021-vague2.json").read_text("utf-8"))
    template["id"] = "modele-recu"
    own = tmp_path / "modele-recu.json"
    own.write_text(json.dumps(template), encoding="utf-8")
    spie = tmp_path / "recu.spie"
    assert main(["new", str(spie), "--template", str(own)]) == 0
    capsys.readouterr()
    rep = next(f for s in template["sections"] for f in s["fields"] if f["type"] == "repetition")
    child = rep["children"][0]["id"]
    template["rules"].append(
        {
            "id": "enorme",
            "kind": "rows_require",
            "message": "x",
            "field": rep["id"],
            "child": child,
            "where": {"child": child, "in": [str(i) for i in range(20_000)]},
        }
    )
    with sqlite3.connect(spie) as db:
        db.execute("UPDATE dossier SET template_json = ?", (json.dumps(template),))
    db.close()
    assert main(["check", str(spie)]) == 2
    err = capsys.readouterr().err
    assert "modèle intégré" in err and "valeurs dans une règle" in err and "inattendue" not in err
