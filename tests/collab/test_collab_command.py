"""``spie-desktop copy``, ``merge`` and ``history`` as a person would run them."""

from __future__ import annotations

import json

from spie_desktop.cli import main
from spie_desktop.models import DossierFile, open_dossier


def _two_copies(tmp_path, template):
    with DossierFile.create(
        tmp_path / "cd.spie", template, "Candidature", author="Claire", organisation="CD"
    ) as cd:
        cd.set_value("perimetre", "Le Val")
    assert (
        main(
            [
                "copy",
                str(tmp_path / "cd.spie"),
                str(tmp_path / "ml.spie"),
                "--for",
                "Mission locale",
                "--section",
                "public_cible",
            ]
        )
        == 0
    )
    return tmp_path / "cd.spie", tmp_path / "ml.spie"


def test_copy_names_the_partner_and_its_sections(tmp_path, template_2021, capsys):
    cd_path, ml_path = _two_copies(tmp_path, template_2021)
    out = capsys.readouterr().out
    assert "Destinataire : Mission locale — sections confiées : E. Public cible" in out
    with open_dossier(ml_path, read_only=True) as ml, open_dossier(cd_path, read_only=True) as cd:
        assert ml.info.id == cd.info.id and ml.info.replica_id != cd.info.replica_id
        assert ml.entrusted() == {"public_cible": "Mission locale"} == cd.entrusted()
        assert ml.changes()[-1].op == "copy" and ml.changes()[-1].new["for"] == "Mission locale"
    assert main(["copy", str(cd_path), str(ml_path)]) == 2
    assert "existe déjà" in capsys.readouterr().err
    assert (
        main(["copy", str(cd_path), str(tmp_path / "x.spie"), "--for", "A", "--section", "nulle_part"]) == 2
    )
    assert "n'existe pas dans ce formulaire" in capsys.readouterr().err


def test_merge_without_prefer_lists_conflicts_and_changes_nothing(tmp_path, template_2021, capsys):
    cd_path, ml_path = _two_copies(tmp_path, template_2021)
    with open_dossier(cd_path, author="Claire") as cd:
        cd.set_value("perimetre", "Le Val nord")
    with open_dossier(ml_path, author="Karim", organisation="Mission locale") as ml:
        ml.set_value("perimetre", "Le Val sud")
        ml.set_value("volume_2022", 80)
    capsys.readouterr()
    before = cd_path.read_bytes()
    assert main(["merge", str(cd_path), str(ml_path)]) == 1
    out = capsys.readouterr().out
    assert "1 conflit(s)" in out and "Périmètre du projet" in out
    assert "« Le Val nord »" not in out and "Le Val nord" in out and "Le Val sud" in out and "Karim" in out
    assert "Rien n'a été modifié" in out
    assert cd_path.read_bytes() == before
    assert main(["merge", str(cd_path), str(ml_path), "--prefer", "theirs"]) == 0
    out = capsys.readouterr().out
    assert "Copie intégrée" in out and "1 conflit(s) résolu(s) en gardant la leur" in out
    with open_dossier(cd_path, read_only=True) as cd:
        assert cd.get("perimetre") == "Le Val sud" and cd.get("volume_2022") == 80
    assert main(["merge", str(cd_path), str(ml_path)]) == 0
    assert "Rien de nouveau" in capsys.readouterr().out


def test_merge_refuses_another_dossier_in_french(tmp_path, template_2021, capsys):
    cd_path, _ = _two_copies(tmp_path, template_2021)
    with DossierFile.create(tmp_path / "autre.spie", template_2021, "Autre"):
        pass
    assert main(["merge", str(cd_path), str(tmp_path / "autre.spie")]) == 2
    assert "copie d'un autre dossier" in capsys.readouterr().err


def test_history_lists_changes_and_exports_the_past(tmp_path, template_2021, capsys, clock):
    cd_path, _ml_path = _two_copies(tmp_path, template_2021)
    clock.jump(days=2)
    with open_dossier(cd_path, author="Claire", organisation="CD") as cd:
        cd.set_value("perimetre", "Plus tard")
        rid = cd.add_row("jalons", {"libelle": "COPIL"})
    capsys.readouterr()
    assert main(["history", str(cd_path)]) == 0
    out = capsys.readouterr().out
    assert "Claire (CD)" in out and "« Le Val » → « Plus tard »" in out and "Périmètre du projet" in out
    assert main(["history", str(cd_path), "--field", "jalons[0].libelle"]) == 0
    out = capsys.readouterr().out
    assert "ligne ajoutée" in out and "Périmètre" not in out
    assert main(["history", str(cd_path), "--field", f"jalons[{rid}]"]) == 0
    assert "ligne ajoutée" in capsys.readouterr().out
    when = (clock.now.replace(day=clock.now.day - 1)).astimezone().strftime("%Y-%m-%d %H:%M")
    out_json = tmp_path / "avant.json"
    assert main(["history", str(cd_path), "--at", when, "-o", str(out_json)]) == 0
    doc = json.loads(out_json.read_text(encoding="utf-8"))
    assert doc["answers"]["perimetre"] == "Le Val" and doc["answers"].get("jalons", []) == []
    assert main(["history", str(cd_path), "--at", "hier"]) == 2
    assert "illisibles" in capsys.readouterr().err
    assert main(["history", str(cd_path), "--field", "jalons[5].libelle"]) == 2
