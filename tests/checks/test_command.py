"""``spie-desktop check``: the French text report, the JSON report, exit codes 0/1/2."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from checkkit import EXAMPLE, TEMPLATE_2021, attachment, make_template, snapshot

from spie_desktop.checks import check, command

ROOT = Path(__file__).resolve().parents[2]


def f(id, type="text", label=None, **extra):
    return {"id": id, "type": type, "label": label or id, **extra}


T = make_template(
    [
        {
            "id": "porteur",
            "title": "B. Porteur du projet",
            "fields": [
                f("nom", label="Nom de la structure", required=True),
                f("siret", "siret", "SIRET", required=True),
            ],
        },
        {
            "id": "consortium",
            "title": "D. Consortium",
            "fields": [
                f(
                    "membres",
                    "repetition",
                    "Membres",
                    row_label="Membre",
                    children=[
                        f("structure", label="Structure", required=True),
                        f("lettre", "piece_justificative", "Lettre"),
                    ],
                ),
                f("texte", "textarea", "Rôle", character_limit=400),
            ],
        },
        {"id": "vide", "title": "E. Facultatif", "fields": [f("note", label="Note")]},
    ],
    rules=[
        {
            "id": "limite",
            "kind": "deadline",
            "severity": "avertissement",
            "message": "La date limite ({date}) est passée.",
            "date": {"value": "2021-10-11"},
        }
    ],
)
ANSWERS = {
    "nom": "CD du Val-Fictif",
    "siret": "123",
    "membres": [{"_id": "r1", "structure": "CD"}, {"_id": "r2"}],
    "texte": "é" * 300,
}


def report_for(answers=ANSWERS, today=dt.date(2021, 12, 1)):
    snap = snapshot(T, answers, (attachment("membres[r1].lettre"),))
    return snap, check(snap, today=today)


def plain(text):
    return text.replace("\u00a0", " ")


def test_text_report_is_grouped_by_section():
    snap, report = report_for()
    text = plain(command.format_text(snap, report))
    assert text.splitlines()[:4] == [
        "Vérification du dossier « Dossier de test »",
        "Modèle : Test (version 1)",
        "Réponses obligatoires données : 3 sur 4 (75 %)",
        "2 problèmes bloquants, 2 avertissements : le dossier ne peut pas encore être déposé.",
    ]
    assert "\nEnsemble du dossier\n  [avertissement] La date limite (11/10/2021) est passée.\n" in text
    assert (
        "\nB. Porteur du projet — À corriger — réponses obligatoires : 2 sur 2\n  [bloquant] SIRET : Le SIRET doit comporter 14 chiffres (vous en avez saisi 3).\n"
        in text
    )
    assert (
        "\nD. Consortium — En cours — réponses obligatoires : 1 sur 2\n  [bloquant] Membre 2 : Renseignez « Structure ».\n"
        in text
    )
    assert "  [avertissement] Rôle : Le texte compte 600 caractères" in text
    assert "\nE. Facultatif — Non commencée — réponses obligatoires : 0 sur 0\n" in text
    assert text.index("B. Porteur") < text.index("D. Consortium") < text.index("E. Facultatif")


def test_text_verdicts():
    answers = dict(ANSWERS, siret="73282932000074", membres=[{"_id": "r1", "structure": "CD"}], texte="court")
    snap, report = report_for(answers)
    assert plain(command.format_text(snap, report)).splitlines()[3] == (
        "0 problème bloquant, 1 avertissement : rien n'empêche le dépôt, mais relisez les avertissements."
    )
    snap, report = report_for(answers, today=dt.date(2021, 10, 1))
    assert (
        command.format_text(snap, report).splitlines()[3]
        == "Aucun problème : le dossier est prêt à être déposé."
    )


def test_json_report():
    snap, report = report_for()
    data = json.loads(plain(command.format_json(snap, report)))
    assert data["format"] == "spie-check" and data["can_file"] is False
    assert (data["blocking"], data["warnings"]) == (2, 2)
    assert data["progress"] == {"answered": 3, "required": 4, "ratio": 0.75}
    assert [s["id"] for s in data["sections"]] == ["porteur", "consortium", "vide"]
    assert data["sections"][1] == {
        "id": "consortium",
        "title": "D. Consortium",
        "state": "en_cours",
        "state_label": "En cours",
        "answered": 1,
        "required": 2,
        "blocking": 1,
        "warnings": 1,
    }
    row_problem = next(p for p in data["problems"] if p["row_index"] is not None)
    assert row_problem == {
        "severity": "bloquant",
        "section_id": "consortium",
        "path": "membres[1].structure",
        "stored_path": "membres[r2].structure",
        "row_index": 1,
        "location": "Membre 2",
        "field_label": "Structure",
        "message": "Renseignez « Structure ».",
        "rule_id": "required",
        "missing": True,
    }
    assert data["problems"][0]["path"] == "" and data["problems"][0]["section_id"] == ""


def args(file, as_json=False):
    return argparse.Namespace(file=str(file), json=as_json)


def test_run_exit_codes(monkeypatch, capsys):
    snap, _ = report_for()
    monkeypatch.setattr(command, "_open", lambda path: snap)
    assert command.run(args("x.spie")) == 1
    assert "ne peut pas encore être déposé" in capsys.readouterr().out
    good = snapshot(T, dict(ANSWERS, siret="73282932000074", membres=[], texte=""))
    monkeypatch.setattr(command, "_open", lambda path: good)
    assert command.run(args("x.spie", as_json=True)) == 0
    assert json.loads(capsys.readouterr().out)["can_file"] is True


def test_unexpected_failure_is_a_french_message_not_a_traceback(monkeypatch, capsys):
    def boom(path):
        raise RuntimeError("panne")

    monkeypatch.setattr(command, "_open", boom)
    assert command.run(args("x.spie")) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "erreur inattendue" in captured.err and "Traceback" not in captured.err


def test_missing_file(tmp_path, capsys):
    assert command.run(args(tmp_path / "absent.spie")) == 2
    err = capsys.readouterr().err
    assert "absent.spie" in err and "introuvable" in err and "Traceback" not in err


def test_not_a_dossier(tmp_path, capsys):
    bad = tmp_path / "bad.spie"
    bad.write_bytes(b"\x00\x01 pas un dossier" * 50)
    before = bad.read_bytes()
    assert command.run(args(bad)) == 2
    assert "n'est pas un dossier SPIE" in capsys.readouterr().err
    assert bad.read_bytes() == before


needs_files = pytest.mark.skipif(not TEMPLATE_2021.exists(), reason="le modèle 2021 n'est pas encore livré")


@needs_files
def test_blank_dossier_file_blocks(tmp_path, capsys):
    from spie_desktop.forms import load_template_file
    from spie_desktop.models import DossierFile

    out = tmp_path / "vide.spie"
    with DossierFile.create(out, load_template_file(TEMPLATE_2021), "Dossier vide"):
        pass
    assert command.run(args(out)) == 1
    text = plain(capsys.readouterr().out)
    assert "Vérification du dossier « Dossier vide »" in text and "[bloquant]" in text


@pytest.mark.skipif(not EXAMPLE.exists(), reason="le dossier d'exemple n'est pas encore livré")
def test_example_file_through_the_command_line(tmp_path):
    from spie_desktop.interchange import import_document

    out = import_document(json.loads(EXAMPLE.read_text(encoding="utf-8")), tmp_path / "exemple.spie")
    proc = subprocess.run(
        [sys.executable, "-m", "spie_desktop", "check", str(out), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["can_file"] is True and data["progress"]["ratio"] == 1.0
    assert all(p["severity"] == "avertissement" for p in data["problems"])

    bad = tmp_path / "bruit.spie"
    bad.write_bytes(bytes(range(256)) * 8)
    proc = subprocess.run(
        [sys.executable, "-m", "spie_desktop", "check", str(bad)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and proc.stderr.strip()
