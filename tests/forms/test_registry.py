"""Finding a template by id reads only the built-in file named after it (start-up, issue 14)."""

from __future__ import annotations

import json

import pytest

from spie_desktop.forms import registry
from spie_desktop.forms.loader import TemplateError, load_builtin_template_file, load_template_file
from spie_desktop.safe_json import TEMPLATE_LIMITS, read_json_file


def test_every_builtin_template_is_named_after_its_id():
    files = [p for p in registry.builtin_dir().glob("*.json") if not p.name.endswith(".schema.json")]
    assert files
    for p in files:
        assert load_template_file(p).id == p.stem, p.name


def test_the_builtin_templates_pass_the_guarded_reader_that_their_fast_read_skips():
    """Built-in templates are read as plain JSON (start-up): each must pass every check of the
    guarded reader (limits, duplicate keys, numbers) and read to the same template both ways."""
    files = [p for p in registry.builtin_dir().glob("*.json") if not p.name.endswith(".schema.json")]
    for p in files:
        assert read_json_file(p, limits=TEMPLATE_LIMITS) == json.loads(p.read_bytes()), p.name
        assert load_builtin_template_file(p) == load_template_file(p), p.name


def test_a_user_folder_template_is_read_with_the_guarded_reader(monkeypatch, tmp_path):
    folder = tmp_path / "modeles"
    folder.mkdir()
    source = (registry.builtin_dir() / "ami-spie-2021-vague2.json").read_text(encoding="utf-8")
    # a duplicate key: plain JSON would keep the last one; the guarded reader refuses the file
    (folder / "double.json").write_text(
        source.replace('"title":', '"title": "A", "title":', 1), encoding="utf-8"
    )
    monkeypatch.setattr(registry, "user_dir", lambda: folder)
    _entries, errors = registry.available()
    assert len(errors) == 1 and isinstance(errors[0], TemplateError)
    assert "apparaît deux fois" in str(errors[0])


def test_a_damaged_builtin_file_is_a_french_template_error(tmp_path):
    bad = tmp_path / "abime.json"
    bad.write_bytes(b'{"format": "spie-template", ')
    with pytest.raises(TemplateError, match="ne peut pas être lu"):
        load_builtin_template_file(bad)


def test_find_reads_only_the_wanted_builtin_file(monkeypatch, tmp_path):
    monkeypatch.setattr(registry, "user_dir", lambda: tmp_path / "modeles")  # no user template
    read = []
    real = registry.load
    monkeypatch.setattr(registry, "load", lambda p, **kw: read.append(p.name) or real(p, **kw))
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
