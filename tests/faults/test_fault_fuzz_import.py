"""Issue 8: hypothesis fuzzing of the interchange JSON import.

Documents derived from the bundled example (values replaced, retyped, emptied, keys removed or
added) and plain random JSON. ``import_document`` either succeeds — the file is sound, and what
it holds exports back to the answers given — or raises a DossierError (InterchangeError is one)
with a French message and leaves nothing behind. Any other exception is a bug.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from faultkit import EXAMPLE_JSON, integrity
from hypothesis import HealthCheck, event, given, settings, strategies as st

from spie_desktop.__main__ import main
from spie_desktop.interchange import (
    InterchangeError,
    document_from_snapshot,
    import_document,
    load_document,
    validate_document,
)
from spie_desktop.models import DossierError, open_snapshot

FRENCH = re.compile(
    r"ne peut pas|n'est pas|attendu|n'existe|existe déjà|introuvable|invalide|endommagé|"
    r"plus récente|échoué|en double|ne correspond|accepte|lecture seule|pèse|modèle"
)

# A comment and an entrusted section, so that the fuzzer reaches those parts of the format too.
EXTRA = {
    "comments": [
        {
            "id": "c-fuzz",
            "field": "consortium[1].structure",
            "author": "Claire",
            "organisation": "CD",
            "created_at": "2022-03-01T10:00:00+00:00",
            "text": "À vérifier avec la CAF",
            "resolved": True,
            "resolved_at": "2022-03-02T10:00:00+00:00",
        }
    ],
    "entrusted_sections": {"budget": "CAF"},
}


def _base() -> dict:
    if not EXAMPLE_JSON.exists():
        pytest.skip("le dossier d'exemple n'est pas dans resources/examples")
    return {**json.loads(EXAMPLE_JSON.read_text(encoding="utf-8")), **copy.deepcopy(EXTRA)}


BASE = _base() if EXAMPLE_JSON.exists() else {}
FIELD_IDS = sorted(BASE.get("answers", {})) + ["champ_inconnu", "_id", "porteur_nom", "consortium"]

# any character, lone surrogates included (a JSON file may hold "\ud800" escapes)
UNICODE = st.characters() | st.sampled_from(["\ud800", "\udbff", "\udc80", "\udfff"])
json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=True)
    | st.text(max_size=30)
    | st.sampled_from(
        [
            "",
            " ",
            "2022-02-30",
            "1234.50",
            "1,5",
            "true",
            "Autre",
            "Conseil départemental",
            "0" * 36,
            "<b>x</b>",
            "\udc80",
            "a\x00b",
            "consortium[99].structure",
        ]
    )
)
json_values = st.recursive(
    json_scalars,
    lambda c: (
        st.lists(c, max_size=3)
        | st.dictionaries(st.sampled_from(FIELD_IDS) | st.text(max_size=8), c, max_size=3)
    ),
    max_leaves=6,
)


def _nodes(doc: Any, path: tuple = ()) -> list[tuple]:
    """Every node of the document (its JSON path), attachments' contents excepted (too long to matter)."""
    out = [path] if path else []
    if isinstance(doc, dict):
        for k, v in doc.items():
            if k != "content_base64":
                out += _nodes(v, path + (k,))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out += _nodes(v, path + (i,))
    return out


def _retyped(value: Any) -> Any:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return int(value) if value == value and abs(value) < 1e18 else "nan"
    if isinstance(value, str):
        return len(value) if value else 0
    if isinstance(value, list):
        return {str(i): v for i, v in enumerate(value)}
    if isinstance(value, dict):
        return list(value.values())
    return ""


@st.composite
def mutated_documents(draw) -> dict:
    doc = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(1, 3))):
        nodes = _nodes(doc)
        if not nodes:
            break
        path = draw(st.sampled_from(nodes))
        parent = doc
        for key in path[:-1]:
            parent = parent[key]
        key = path[-1]
        op = draw(
            st.sampled_from(["text", "text", "replace", "retype", "delete", "empty", "add", "duplicate"])
        )
        if op == "text":  # any Unicode in place of a string: accents, emoji, controls, RTL marks, NUL
            if isinstance(parent[key], str):
                parent[key] = draw(st.text(UNICODE, max_size=300))
        elif op == "replace":
            parent[key] = draw(json_values)
        elif op == "retype":
            parent[key] = _retyped(parent[key])
        elif op == "delete":
            del parent[key]
        elif op == "empty":
            parent[key] = draw(st.sampled_from([None, "", [], {}]))
        elif op == "add" and isinstance(parent[key], dict):
            parent[key][draw(st.sampled_from(FIELD_IDS) | st.text(max_size=8))] = draw(json_values)
        elif op == "duplicate" and isinstance(parent, list):
            parent.insert(key, copy.deepcopy(parent[key]))  # a row twice: same "_id"
        event(op)
    return doc


def random_documents() -> st.SearchStrategy:
    top = st.fixed_dictionaries(
        {"format": st.just("spie-dossier"), "format_version": st.sampled_from([1, 0, -1, 2])},
        optional={
            k: json_values
            for k in ("template", "dossier", "answers", "attachments", "comments", "entrusted_sections")
        },
    )
    return json_values | top


def _empty(v: Any) -> bool:
    return v is None or v == "" or v == []


def _expected_answers(doc: dict, exported: dict) -> dict:
    """The answers the file should give back: empties dropped, rows given a fresh id when they had none."""
    out = {}
    for key, value in (doc.get("answers") or {}).items():
        if isinstance(value, list) and value and all(isinstance(r, dict) for r in value):
            got = exported["answers"].get(key, [])
            rows = []
            for i, row in enumerate(value):
                kept = {k: v for k, v in row.items() if k != "_id" and not _empty(v)}
                rid = row.get("_id") or (got[i]["_id"] if i < len(got) else None)
                rows.append({"_id": rid, **kept})
            out[key] = rows
        elif not _empty(value):
            out[key] = value
    return out


def _normalised(answers: dict) -> dict:
    return {
        k: (
            [{c: w for c, w in r.items() if not _empty(w)} for r in v]
            if isinstance(v, list) and v and isinstance(v[0], dict)
            else v
        )
        for k, v in answers.items()
    }


def _check_import(doc: Any) -> str:
    folder = Path(tempfile.mkdtemp(prefix="fuzz-import-"))
    out = folder / "dossier.spie"
    try:
        try:
            import_document(doc, out)
        except DossierError as exc:
            message = str(exc)
            assert message and "Traceback" not in message and FRENCH.search(message), message
            assert list(folder.iterdir()) == [], "une importation refusée a laissé des fichiers"
            return "refusé"
        assert sorted(p.name for p in folder.iterdir()) == ["dossier.spie"], list(folder.iterdir())
        assert integrity(out) == "ok"
        exported = document_from_snapshot(open_snapshot(out))
        validate_document(exported)  # what was imported exports as an importable document
        assert exported["dossier"]["id"] == doc["dossier"]["id"]
        assert exported["dossier"]["title"] == doc["dossier"]["title"]
        assert _normalised(exported["answers"]) == _expected_answers(doc, exported)
        assert len(exported["attachments"]) == len(doc.get("attachments") or [])
        return "importé"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


FUZZ = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.mark.skipif(
    not EXAMPLE_JSON.exists(), reason="le dossier d'exemple n'est pas dans resources/examples"
)
@FUZZ
@given(doc=mutated_documents())
def test_mutated_example_imports_or_is_refused_in_french(doc):
    event(_check_import(doc))


@settings(max_examples=120, deadline=None)
@given(doc=random_documents())
def test_random_json_is_refused_in_french(doc):
    event(_check_import(doc))


def test_the_unmutated_base_imports():
    assert _check_import(copy.deepcopy(BASE)) == "importé"


def test_lone_surrogate_is_refused_in_french(tmp_path):
    """Found by this suite (fixed in ea2f888): a \\ud800 escape reached SQLite and raised UnicodeEncodeError."""
    doc = copy.deepcopy(BASE)
    doc["answers"]["porteur_nom"] = "Syndicat \ud800"
    assert _check_import(doc) == "refusé"


@pytest.mark.parametrize("field", ["consortium[99].structure", 3])
def test_comment_on_a_missing_row_is_refused_in_french(field):
    """Found by this suite (fixed in ea2f888): IndexError / TypeError from interchange._stored_path."""
    doc = copy.deepcopy(BASE)
    doc["comments"][0]["field"] = field
    assert _check_import(doc) == "refusé"


@pytest.mark.parametrize("case", ["surrogate", "comment"])
def test_command_line_import_of_a_faulty_document(case, tmp_path, capsys):
    """Both faults above reached `spie-desktop import` users as a Python traceback."""
    doc = copy.deepcopy(BASE)
    if case == "surrogate":
        doc["answers"]["porteur_nom"] = "Syndicat \ud800"
    else:
        doc["comments"][0]["field"] = "consortium[99].structure"
    source = tmp_path / "echange.json"
    source.write_text(json.dumps(doc), encoding="utf-8")  # ensure_ascii: the surrogate is a \\ud800 escape
    assert load_document(source)["dossier"]["id"] == doc["dossier"]["id"]
    try:
        code = main(["import", str(source), str(tmp_path / "sortie.spie")])
    except Exception as exc:  # noqa: BLE001 - what the user would see as a traceback
        pytest.fail(f"traceback : {exc!r}")
    assert code == 2 and "ne peut pas" in capsys.readouterr().err
    assert not (tmp_path / "sortie.spie").exists()


def test_refusal_lists_every_problem_in_french(tmp_path):
    doc = copy.deepcopy(BASE)
    doc["answers"]["nb_allocataires_rsa"] = "douze"
    doc["dossier"]["title"] = ""
    with pytest.raises(InterchangeError) as info:
        import_document(doc, tmp_path / "x.spie")
    assert len(info.value.problems) == 2 and "ne peut pas être importé" in str(info.value)
    assert list(tmp_path.iterdir()) == []
