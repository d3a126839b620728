"""Finding a template by id reads only the built-in file named after it (start-up, issue 14)."""

from __future__ import annotations

import json

from spie_desktop.forms import registry
from spie_desktop.forms.loader import load_template_file


def test_every_builtin_template_is_named_after_its_id():
    files = [p for p in registry.builtin_dir().glob("*.json") if not p.name.endswith(".schema.json")]
    assert files
    for p in files:
        assert load_template_file(p).id == p.stem, p.name


def test_find_reads_only_the_wanted_builtin_file(monkeypatch, tmp_path):
    monkeypatch.setattr(registry, "user_dir", lambda: tmp_path / "modeles")  # no user template
    read = []
    real = registry.load
    monkeypatch.setattr(registry, "load", lambda p: read.append(p.name) or real(p))
    t = registry.find("ami-spie-2021-vague2")
    assert t.id == "ami-spie-2021-vague2"
    assert read == ["ami-spie-2021-vague2.json"]
    read.clear()
    entries, _ = registry.available()  # listing still reads them all
    assert sorted(read) == ["ami-spie-2020-vague1.json", "ami-spie-2021-vague2.json"]
    assert {e.template.id for e in entries} == {"ami-spie-2020-vague1", "ami-spie-2021-vague2"}


def test_a_user_template_of_the_same_id_still_wins(monkeypatch, tmp_path):
    folder = tmp_path / "modeles"
    folder.mkdir()
    source = json.loads((registry.builtin_dir() / "ami-spie-2021-vague2.json").read_text(encoding="utf-8"))
    source["version"] = "99"
    source["title"] = "Ma révision"
    (folder / "ma-revision.json").write_text(json.dumps(source), encoding="utf-8")
    monkeypatch.setattr(registry, "user_dir", lambda: folder)
    assert registry.find("ami-spie-2021-vague2").title == "Ma révision"  # the newest installed
    assert registry.find("ami-spie-2021-vague2", version="99").version == "99"
