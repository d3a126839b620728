"""Text from a file never drives the terminal: `info`, `history`, `check` escape control characters."""

from __future__ import annotations

import json

import pytest

from spie_desktop.__main__ import main
from spie_desktop.terminal import for_terminal, one_line

EVIL = "Dossier\x1b]0;pirate\x07\x1b[31m rouge\x1b[0m\r\nn°1 faux\u202eetc\x9b2J\x00"
RAW = ("\x1b", "\x07", "\r", "\u202e", "\x9b", "\x00")


def _clean(text: str) -> None:
    for ch in RAW:
        assert ch not in text, repr(ch)


@pytest.fixture
def evil_dossier(tmp_path, capsys):
    spie = tmp_path / "recu.spie"
    assert main(["new", str(spie), "--template", "ami-spie-2021-vague2", "--title", EVIL]) == 0
    answers = tmp_path / "reponses.json"
    answers.write_text(json.dumps({"porteur_nom": EVIL}), encoding="utf-8")
    assert main(["apply", str(spie), str(answers), "--author", "Alex\x1b[8m caché"]) == 0
    capsys.readouterr()
    return spie


def test_info_escapes_the_title(evil_dossier, capsys):
    assert main(["info", str(evil_dossier)]) == 0
    out = capsys.readouterr().out
    _clean(out)
    assert "Titre : Dossier\\u001b]0;pirate\\u0007" in out
    assert "n°1 faux" in out and "\nn°1 faux" not in out  # a newline in the title cannot fake a line


def test_history_escapes_answers_and_authors(evil_dossier, capsys):
    assert main(["history", str(evil_dossier)]) == 0
    out = capsys.readouterr().out
    _clean(out)
    assert "Alex\\u001b[8m caché" in out
    assert all(line.startswith("n°") for line in out.splitlines())  # one line per change, whatever the text


def test_check_escapes_text_and_keeps_json_exact(evil_dossier, capsys):
    main(["check", str(evil_dossier)])
    out = capsys.readouterr().out
    _clean(out)
    assert "Dossier\\u001b]0;pirate" in out
    main(["check", "--json", str(evil_dossier)])
    out = capsys.readouterr().out
    _clean(out)
    assert json.loads(out)["dossier"]["title"] == EVIL  # the escapes are JSON's own: nothing lost


def test_the_helpers():
    assert for_terminal("a\tb\nc\x1bd\u2066") == "a\tb\nc\\u001bd\\u2066"
    assert one_line("a\nb\tc\x1b") == "a ⏎ b c\\u001b"
    assert one_line(None) == ""
