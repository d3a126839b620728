"""The command line speaks French to the last word whatever LANG says: help of every command,
argparse's own errors, no internal name (``kind``) shown."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from spie_desktop import cli
from spie_desktop.cli import build_parser, main

#: argparse's English, as it would show under LANG=C.UTF-8.
ENGLISH = re.compile(
    r"usage:|options:|positional arguments|optional arguments|show this help|show program|choose from|"
    r"the following arguments|are required|unrecognized|invalid choice|expected (one|at most|at least)|"
    r"error:|ambiguous option|not allowed with|\bkind\b|\bTITLE\b|\bFILE\b"
)


def commands() -> list[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return sorted(sub.choices)


@pytest.fixture(autouse=True)
def english_environment(monkeypatch):
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


def run(capsys, argv: list[str]) -> tuple[int, str]:
    try:
        code = main(argv)
    except SystemExit as exc:
        code = exc.code
    out = capsys.readouterr()
    return code, out.out + out.err


def test_every_command_is_there():
    assert {
        "new",
        "import",
        "apply",
        "templates",
        "info",
        "check",
        "export",
        "copy",
        "merge",
        "history",
    } <= set(commands())


@pytest.mark.parametrize("argv", [["--help"], *[[c, "--help"] for c in commands()]], ids=" ".join)
def test_help_has_no_english_argparse_word(capsys, argv):
    code, text = run(capsys, argv)
    assert code == 0
    assert text.startswith("utilisation : spie-desktop")
    assert "options :" in text or "arguments :" in text or "options" in text
    assert not ENGLISH.search(text), ENGLISH.search(text).group(0)


@pytest.mark.parametrize(
    "argv",
    [
        ["export"],
        ["export", "docx", "x.spie", "-o", "y"],
        ["new"],
        ["check", "--bogus", "f.spie"],
        ["apply", "a.spie"],
        ["export", "pdf", "x.spie", "-o"],
        ["merge", "--prefer", "les-deux", "a", "b"],
    ],
    ids=" ".join,
)
def test_argparse_errors_are_french(capsys, argv):
    code, text = run(capsys, argv)
    assert code == 2
    assert "erreur :" in text
    assert not ENGLISH.search(text), ENGLISH.search(text).group(0)


def test_the_main_help_shows_the_window_options(capsys):
    _, text = run(capsys, ["--help"])
    for word in ("[FICHIER.spie]", "--example", "--read-only"):
        assert word in text


def test_a_real_process_under_lang_c():
    env = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    env.pop("LANGUAGE", None)
    done = subprocess.run(
        [sys.executable, "-m", "spie_desktop", "export"], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 2
    assert "arguments obligatoires manquants : {pdf," in done.stderr
    assert not ENGLISH.search(done.stderr)


def test_apply_author_is_kept_as_given_and_organisation_is_an_option(tmp_path, capsys, monkeypatch):
    import json

    from spie_desktop.models import open_dossier
    from spie_desktop.settings import Settings, save_settings

    monkeypatch.setenv("SPIE_DESKTOP_CONFIG_DIR", str(tmp_path / "config"))
    save_settings(Settings(author_name="Camille Local", author_organisation="CD local"))
    spie = tmp_path / "d.spie"
    assert main(["new", str(spie), "--template", "ami-spie-2021-vague2"]) == 0
    answers = tmp_path / "r.json"
    answers.write_text(json.dumps({"porteur_nom": "Département"}), encoding="utf-8")
    assert main(["apply", str(spie), str(answers), "--author", "Sophie Roux (Mission locale)"]) == 0
    answers.write_text(json.dumps({"porteur_nom": "Département du Val"}), encoding="utf-8")
    assert main(["apply", str(spie), str(answers), "--author", "Léa", "--organisation", "CAF"]) == 0
    with open_dossier(spie, read_only=True) as d:
        first, second = [c for c in d.changes() if c.path == "porteur_nom"][-2:]
    assert (first.author, first.organisation) == ("Sophie Roux (Mission locale)", "")
    assert (second.author, second.organisation) == ("Léa", "CAF")


def test_new_with_a_missing_template_file_says_introuvable(tmp_path, capsys):
    code, text = run(capsys, ["new", str(tmp_path / "d.spie"), "--template", str(tmp_path / "absent.json")])
    assert code == 2
    assert "introuvable" in text and "installé" not in text


def test_export_pdf_and_text_say_what_they_wrote(tmp_path, capsys):
    from spie_desktop.interchange import create_example_copy

    spie = create_example_copy(tmp_path)
    capsys.readouterr()
    for kind, name, said in (
        ("pdf", "d.pdf", "Copie PDF écrite"),
        ("text", "d.txt", "Copie texte écrite"),
        ("json", "d.json", "Fichier d'échange écrit"),
    ):
        code, text = run(capsys, ["export", kind, str(spie), "-o", str(tmp_path / name)])
        assert code == 0
        assert f"{said} : {tmp_path / name}" in text


@pytest.mark.parametrize(
    ("argv", "read"),
    [
        ([], (None, set())),
        (["--example"], (None, {"--example"})),
        (["dossier.spie", "--read-only"], ("dossier.spie", {"--read-only"})),
        (["--quit-after-show", "d.spie"], ("d.spie", {"--quit-after-show"})),
        (["-h"], None),  # argparse prints the window's help, in French
        (["--exam"], None),  # an abbreviation: argparse knows what it stands for
        (["a.spie", "b.spie"], None),  # two files: argparse refuses it, in French
        (["--", "-d.spie"], None),
    ],
)
def test_a_plain_window_line_is_read_without_argparse_and_the_rest_by_it(argv, read):
    assert cli._plain_window_line(argv) == read


def test_two_files_for_the_window_are_refused_in_french(capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(["a.spie", "b.spie"])
    assert stop.value.code == 2
    assert "arguments inconnus" in capsys.readouterr().err
