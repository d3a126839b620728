"""One root exception for what a user can meet, module loggers and the log file (``--debug`` verbose)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from spie_desktop import cli, logs
from spie_desktop.errors import SpieError


@pytest.fixture(autouse=True)
def no_log_left():
    yield
    logs.close_logging()


def log_file() -> Path:
    return logs.log_path()


def test_a_command_writes_the_log_file_in_the_data_folder(tmp_path, capsys, monkeypatch):
    data = tmp_path / "donnees"
    monkeypatch.setenv("SPIE_DESKTOP_DATA_DIR", str(data))
    assert cli.main(["templates"]) == 0
    path = data / "journal" / "spie-desktop.log"
    assert log_file() == path
    text = path.read_text(encoding="utf-8")
    assert " INFO spie_desktop.cli : spie-desktop " in text and "(templates)" in text
    assert " DEBUG " not in text
    assert logging.getLogger("spie_desktop").getEffectiveLevel() == logging.INFO
    assert "INFO" not in capsys.readouterr().err  # nothing logged reaches the console without --debug


def test_info_lines_carry_no_file_name_and_debug_does(tmp_path, capsys):
    missing = tmp_path / "Candidature Mme Dupont.spie"
    assert cli.main(["info", str(missing)]) == cli.EXIT_ERROR
    assert "introuvable" in capsys.readouterr().err
    text = log_file().read_text(encoding="utf-8")
    assert "commande info refusée : DossierNotFound" in text
    assert "Dupont" not in text

    assert cli.main(["info", str(missing), "--debug"]) == cli.EXIT_ERROR
    err = capsys.readouterr().err
    assert logging.getLogger("spie_desktop").getEffectiveLevel() == logging.DEBUG
    assert " DEBUG spie_desktop.cli : message : " in err  # --debug: the lines on stderr too
    assert "Dupont" in log_file().read_text(encoding="utf-8")


def test_opening_a_dossier_is_logged_without_its_path(example_spie, capsys):
    assert cli.main(["info", str(example_spie)]) == 0
    text = log_file().read_text(encoding="utf-8")
    assert "spie_desktop.models.opening : dossier ouvert (format" in text
    assert str(example_spie) not in text and example_spie.name not in text


def test_an_unwritable_data_folder_means_no_log_not_a_failure(tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "fichier"
    blocker.write_text("pas un dossier", encoding="utf-8")
    monkeypatch.setenv("SPIE_DESKTOP_DATA_DIR", str(blocker))
    assert logs.setup_logging() is None
    assert cli.main(["templates"]) == 0
    assert "ami-spie" in capsys.readouterr().out


def test_the_log_file_rotates_small(tmp_path):
    path = logs.setup_logging()
    assert path is not None
    logger = logging.getLogger("spie_desktop.test")
    for i in range(3000):
        logger.info("ligne %d %s", i, "x" * 300)
    sizes = sorted(p.stat().st_size for p in path.parent.glob("spie-desktop.log*"))
    assert len(sizes) == 1 + logs.BACKUPS
    assert max(sizes) <= logs.MAX_BYTES


def test_every_error_a_user_can_meet_derives_from_the_root():
    from spie_desktop.exports import ExportCancelled, ExportError
    from spie_desktop.exports.online import OnlineError
    from spie_desktop.exports.schema_import import SchemaImportError
    from spie_desktop.forms import TemplateError
    from spie_desktop.forms.registry import UnknownTemplateError
    from spie_desktop.interchange_validation import InterchangeError
    from spie_desktop.models import DossierError, DossierLocked, DossierNotFound, SaveFailed
    from spie_desktop.platform_hosts import HostNotAllowed
    from spie_desktop.printing import PrintError
    from spie_desktop.safe_json import JsonInputError

    for kind in (
        DossierError,
        DossierLocked,
        DossierNotFound,
        SaveFailed,
        InterchangeError,
        TemplateError,
        UnknownTemplateError,
        SchemaImportError,
        ExportError,
        ExportCancelled,
        OnlineError,
        JsonInputError,
        PrintError,
        HostNotAllowed,
    ):
        assert issubclass(kind, SpieError), kind
    # the builtins they were stay true, so older ``except ValueError/LookupError`` still hold
    assert issubclass(TemplateError, ValueError) and issubclass(UnknownTemplateError, LookupError)


def test_an_unknown_template_is_one_error_from_the_registry_and_from_opening(tmp_path, new_dossier, capsys):
    import sqlite3

    from spie_desktop.forms import registry
    from spie_desktop.forms.registry import UnknownTemplateError
    from spie_desktop.models import open_dossier

    with pytest.raises(UnknownTemplateError, match="n'est pas installé"):
        registry.find("ami-inexistant")
    new_dossier.close()
    path = tmp_path / "modele-inconnu.spie"
    path.write_bytes(new_dossier.path.read_bytes())
    con = sqlite3.connect(path)
    con.execute("UPDATE dossier SET template_id='ami-inexistant', template_json=''")
    con.commit()
    con.close()
    with pytest.raises(UnknownTemplateError, match="ami-inexistant") as caught:
        open_dossier(path, read_only=True)
    assert isinstance(caught.value, SpieError) and isinstance(caught.value, LookupError)
    assert cli.main(["info", str(path)]) == cli.EXIT_ERROR
    assert "« ami-inexistant » (version 1.0) n'est pas installé" in capsys.readouterr().err


def test_the_cli_catches_the_root_once(monkeypatch, capsys):
    class Refusal(SpieError):
        pass

    def refuse(args):
        raise Refusal("Ce modèle n'est pas disponible sur ce poste.")

    monkeypatch.setitem(cli.HANDLERS, "templates", refuse)
    assert cli.main(["templates"]) == cli.EXIT_ERROR
    err = capsys.readouterr().err
    assert err == "spie-desktop : Ce modèle n'est pas disponible sur ce poste.\n"
    assert "commande templates refusée : Refusal" in log_file().read_text(encoding="utf-8")


def test_debug_reaches_the_window_too(monkeypatch):
    import spie_desktop.app

    seen = {}

    def run(file, **kwargs):
        seen.update(file=file, level=logging.getLogger("spie_desktop").getEffectiveLevel())
        return 0

    monkeypatch.setattr(spie_desktop.app, "run", run)
    assert cli.main(["dossier.spie", "--debug"]) == 0
    assert seen == {"file": "dossier.spie", "level": logging.DEBUG}
    assert "(fenêtre)" in log_file().read_text(encoding="utf-8")
