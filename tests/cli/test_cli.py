from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from spie_desktop.__main__ import main

ROOT = Path(__file__).resolve().parents[2]


def test_version_is_fast_and_light():
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "spie_desktop", "--version"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    assert out.stdout.startswith("spie-desktop ")
    code = "import sys; from spie_desktop.__main__ import main; main(['--version']); print(sorted(m for m in ('sqlalchemy', 'PySide6', 'reportlab') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip().endswith("[]")
    assert time.perf_counter() - start < 30


def test_new_import_export_apply_info_templates(tmp_path, place, example_document, capsys):
    """On both back-ends (``place``: a .spie file, then a dossier on a PostgreSQL server)."""
    assert main(["templates"]) == 0
    assert "ami-spie-2021-vague2" in capsys.readouterr().out

    blank = place("vierge.spie")
    assert main(["new", blank, "--template", "ami-spie-2020-vague1", "--title", "Essai"]) == 0
    capsys.readouterr()

    src = tmp_path / "exemple.json"
    src.write_text(json.dumps(example_document, ensure_ascii=False), encoding="utf-8")
    spie = place("exemple.spie")
    assert main(["import", str(src), spie]) == 0
    out = tmp_path / "export.json"
    assert main(["export", "json", spie, "-o", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8")) == example_document

    answers = tmp_path / "reponses.json"
    answers.write_text(json.dumps({"porteur_nom": "Nouveau nom"}), encoding="utf-8")
    assert main(["apply", spie, str(answers), "--author", "Relecteur"]) == 0
    capsys.readouterr()
    assert main(["info", spie]) == 0
    info = capsys.readouterr().out
    assert example_document["dossier"]["title"] in info
    assert "Ouvert par : personne" in info or "serveur" in info
    assert "admin-secret" not in info  # the password of the address is never shown


def test_user_errors_exit_2_in_french_without_traceback(tmp_path, capsys):
    assert main(["new", str(tmp_path / "x.spie"), "--template", "inconnu"]) == 2
    err = capsys.readouterr().err
    assert "n'est pas installé" in err and "Traceback" not in err
    bad = tmp_path / "mauvais.json"
    bad.write_text("{pas du json", encoding="utf-8")
    assert main(["import", str(bad), str(tmp_path / "y.spie")]) == 2
    assert "JSON valide" in capsys.readouterr().err
    assert not (tmp_path / "y.spie").exists()


def test_unknown_command_is_a_french_usage_error(capsys):
    try:
        main(["export", "pdf"])
    except SystemExit as exc:
        assert exc.code == 2
    assert "erreur" in capsys.readouterr().err


def test_new_from_a_template_file(tmp_path, capsys):
    tpl = tmp_path / "modele.json"
    tpl.write_text(
        json.dumps(
            {
                "format": "spie-template",
                "format_version": 1,
                "id": "local",
                "version": "1",
                "title": "Local",
                "sections": [
                    {"id": "s", "title": "S", "fields": [{"id": "nom", "type": "text", "label": "Nom"}]}
                ],
            }
        ),
        encoding="utf-8",
    )
    assert main(["new", str(tmp_path / "l.spie"), "--template", str(tpl)]) == 0
