"""Command line: export pdf|text|prefill, import-schema; exit 2 with a French message on errors."""

from __future__ import annotations

import json

import pytest
from exportkit import ROOT, SAMPLE_SCHEMA

from spie_desktop.exports.command import main


@pytest.fixture
def example_spie(tmp_path):
    cli = pytest.importorskip("spie_desktop.cli")
    pytest.importorskip("spie_desktop.models", reason="fichier dossier pas encore livré")
    out = tmp_path / "exemple.spie"
    assert cli.main(["import", str(ROOT / "resources" / "examples" / "exemple-dossier.json"), str(out)]) == 0
    return out


def test_export_pdf_text_prefill(example_spie, tmp_path, capsys):
    pdf, txt, md, pre = (tmp_path / n for n in ("d.pdf", "d.txt", "d.md", "d.json"))
    assert main(["export", "pdf", str(example_spie), "-o", str(pdf), "--wide-margins", "--comments"]) == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    assert main(["export", "text", str(example_spie), "-o", str(txt)]) == 0
    assert "Pièces jointes à déposer en ligne" in txt.read_text(encoding="utf-8")
    assert main(["export", "text", str(example_spie), "-o", str(md)]) == 0
    assert md.read_text(encoding="utf-8").startswith("# ")
    assert main(["export", "prefill", str(example_spie), "-o", str(pre)]) == 0
    data = json.loads(pre.read_text(encoding="utf-8"))
    assert set(data) >= {"body", "link", "endpoint", "not_prefillable", "refused"}
    assert (
        "Nom de la structure porteuse" in data["not_prefillable"]
    )  # the built-in template has no platform ids


def test_import_schema_then_new_dossier_prefills(tmp_path, capsys):
    if not SAMPLE_SCHEMA.exists():
        pytest.skip("échantillon de schéma absent")
    tpl = tmp_path / "modele.json"
    assert main(["import-schema", str(SAMPLE_SCHEMA), "-o", str(tpl)]) == 0
    data = json.loads(tpl.read_text(encoding="utf-8"))
    assert data["format"] == "spie-template" and data["platform"]["procedure_number"] == 48211
    cli = pytest.importorskip("spie_desktop.cli")
    spie = tmp_path / "ds.spie"
    if cli.main(["new", str(spie), "--template", str(tpl)]) != 0:
        pytest.skip("la commande new ne prend pas encore un fichier de modèle")
    out = tmp_path / "prefill.json"
    assert main(["export", "prefill", str(spie), "-o", str(out)]) == 0
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["endpoint"] == "https://www.demarches-simplifiees.fr/api/public/v1/demarches/48211/dossiers"
    assert result["not_prefillable"] == ["Lettre d'engagement du conseil départemental"]


def test_errors_exit_2_with_french_message(tmp_path, capsys):
    assert main(["export", "pdf", str(tmp_path / "absent.spie"), "-o", str(tmp_path / "x.pdf")]) == 2
    assert "spie-desktop :" in capsys.readouterr().err
    assert main(["import-schema", str(tmp_path / "absent.json"), "-o", str(tmp_path / "t.json")]) == 2
    assert "introuvable" in capsys.readouterr().err
    bad = tmp_path / "bad.json"
    bad.write_text('{"title": "pas une démarche"}', encoding="utf-8")
    assert main(["import-schema", str(bad), "-o", str(tmp_path / "t.json")]) == 2
    assert "revision" in capsys.readouterr().err
    assert not (tmp_path / "t.json").exists()
    assert main(["export", "text", str(bad), "-o", str(tmp_path / "nowhere" / "x.txt")]) == 2
    assert "n'existe pas" in capsys.readouterr().err


def test_exports_stay_off_the_startup_path():
    import subprocess
    import sys

    code = (
        "import sys, spie_desktop, spie_desktop.forms, spie_desktop.exports, spie_desktop.exports.command; "
        "print(any(m.startswith('reportlab') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip() == "False", out.stderr
