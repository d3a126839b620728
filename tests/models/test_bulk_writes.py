"""A batch's rows, answers and change-log rows are sent in bulk (issue 14), and the file still ends
exactly as one statement at a time would leave it: same content, same history, same order."""

from __future__ import annotations

import copy
import sqlite3

import pytest
from sqlalchemy import event

from spie_desktop.interchange import (
    example_document_path,
    import_document,
    load_document,
)
from spie_desktop.models import open_dossier


def _file_state(path) -> dict:
    con = sqlite3.connect(path)
    try:
        return {
            "answers": dict(con.execute("SELECT path, value FROM answer")),
            "rows": con.execute(
                "SELECT field_id, id, position FROM row ORDER BY field_id, position"
            ).fetchall(),
            "log": con.execute("SELECT op, path, old, new, counter FROM change ORDER BY id").fetchall(),
            "counter": con.execute("SELECT counter FROM dossier").fetchone()[0],
        }
    finally:
        con.close()


def _edits(df) -> None:
    """Edits whose order matters: a row added, edited, removed, restored, one inserted before it."""
    df.add_row("consortium", {"structure": "Pôle emploi"}, row_id="r1")
    df.set_value("consortium[r1].structure", "France Travail")
    df.set_value("perimetre", "Le Val")
    df.set_value("perimetre", None)
    df.set_value("perimetre", "Le Val nord")
    removed = df.remove_row("consortium", "r1")
    df.restore_row(removed)
    df.add_row("consortium", {"structure": "Mission locale"}, index=0, row_id="r2")
    df.add_row("consortium", {"structure": "Association"}, row_id="r3")
    df.move_row("consortium", "r1", 0)
    df.set_value("consortium[r1].contact_nom", "Anne Durand")


def test_a_batch_leaves_the_file_as_single_edits_do(tmp_path, template_2021):
    from spie_desktop.models import DossierFile

    one, bulk = tmp_path / "un.spie", tmp_path / "lot.spie"
    with DossierFile.create(one, template_2021, "Dossier", author="A") as df:
        _edits(df)
    with DossierFile.create(bulk, template_2021, "Dossier", author="A") as df:
        with df.batch():
            _edits(df)
            assert df.changes()[-1].path == "consortium[r1].contact_nom"  # read inside the batch: complete
        cached = (df.stored_answers(), df.row_ids("consortium"))
    assert _file_state(bulk) == _file_state(one)
    assert cached[1] == ["r1", "r2", "r3"]
    with open_dossier(bulk) as again:  # the cache said what the file holds
        assert (again.stored_answers(), again.row_ids("consortium")) == cached


def test_a_failed_batch_sends_nothing_it_held(new_dossier):
    df = new_dossier
    before = _file_state(df.path)
    with pytest.raises(RuntimeError), df.batch():
        df.add_row("consortium", {"structure": "Pôle emploi"})
        df.set_value("perimetre", "Le Val")
        raise RuntimeError("interrompu")
    assert df.stored_answers() == {} and df.row_ids("consortium") == []
    df.set_value("resume", "Après")  # the next edit does not carry what the failed batch held
    after = _file_state(df.path)
    assert after["rows"] == before["rows"] and set(after["answers"]) == {"resume"}
    assert [op for op, *_ in after["log"]] == [op for op, *_ in before["log"]] + ["set"]


def _statements(df) -> list[str]:
    seen: list[str] = []
    event.listen(df._conn.engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
    return seen


def test_an_import_sends_a_few_statements_whatever_its_size(tmp_path, monkeypatch):
    """The number of statements does not grow with the rows: they go as one executemany per kind."""
    from spie_desktop.models import dossier_file

    counts = {}
    real_create = dossier_file.DossierFile.create.__func__

    def counting_create(cls, *a, **kw):
        df = real_create(cls, *a, **kw)
        counts[str(a[0])] = _statements(df)
        return df

    monkeypatch.setattr(dossier_file.DossierFile, "create", classmethod(counting_create))
    doc = load_document(example_document_path())
    for factor in (1, 4):
        big = copy.deepcopy(doc)
        big["answers"]["actions"] = [
            {k: v for k, v in row.items() if k != "_id"}
            for row in doc["answers"]["actions"]
            for _ in range(factor)
        ]
        import_document(big, tmp_path / f"x{factor}.spie")
    small, large = (len(v) for v in counts.values())
    assert small == large  # four times the rows, not one statement more
    with open_dossier(tmp_path / "x4.spie") as df:
        assert len(df.row_ids("actions")) == 4 * len(doc["answers"]["actions"])
        assert len(
            [c for c in df.changes() if c.op == "row_add" and c.path.startswith("actions[")]
        ) == 4 * len(doc["answers"]["actions"])
