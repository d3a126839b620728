"""A copy of the example comes from a master imported once; each copy is its own dossier, with the
example's content, and a damaged master never gives a damaged copy."""

from __future__ import annotations

from spie_desktop import example_cache
from spie_desktop.interchange import (
    create_example_copy,
    example_document_path,
    import_document,
    load_document,
)
from spie_desktop.models import open_dossier


def _content(path):
    with open_dossier(path) as df:
        snap = df.snapshot()
        return snap.info, snap.answers, [(a.path, a.sha256) for a in snap.attachments]


def test_copies_share_the_content_not_the_identity(tmp_path, monkeypatch):
    built = []
    real = example_cache._backup_copy
    monkeypatch.setattr(
        example_cache, "_backup_copy", lambda master, out: built.append(master) or real(master, out)
    )
    first, second = create_example_copy(tmp_path), create_example_copy(tmp_path)
    assert len(set(built)) == 1 and len(built) == 2  # one master, copied twice
    reference = import_document(load_document(example_document_path()), tmp_path / "ref" / "import.spie")
    (i1, a1, f1), (i2, a2, f2), (_ir, ar, fr) = _content(first), _content(second), _content(reference)
    assert a1 == a2 == ar and f1 == f2 == fr
    assert i1.id != i2.id and i1.replica_id != i2.replica_id
    with open_dossier(first) as df:  # a copy is a normal, writable dossier
        df.set_value("resume", "Modifié dans la copie")
    assert _content(second)[1]["resume"] == ar["resume"]


def test_a_damaged_master_falls_back_to_an_import(tmp_path):
    master = example_cache.master_path(tmp_path, example_document_path())
    master.write_bytes(b"pas une base SQLite" * 100)
    copy = create_example_copy(tmp_path)
    assert (
        _content(copy)[1]
        == _content(import_document(load_document(example_document_path()), tmp_path / "ref" / "i.spie"))[1]
    )
    assert not list(tmp_path.glob(".*.tmp"))
    assert not master.exists()  # removed, so the next copy rebuilds it
    create_example_copy(tmp_path)
    assert master.exists()
