"""Change rows no version of the application writes (issue 11): merge refuses them, history shows them safely."""

from __future__ import annotations

import sqlite3

import pytest

from spie_desktop.collab import merge
from spie_desktop.collab.copies import make_partner_copy
from spie_desktop.collab.history import history, restore
from spie_desktop.collab.validation import HostileCopy
from spie_desktop.models import DossierError, DossierFile, open_dossier


def _insert(path, op, field_path, old, new, replica, counter, author="X"):
    con = sqlite3.connect(path)
    con.execute(
        "INSERT INTO change (at, author, organisation, op, path, old, new, replica_id, counter) "
        "VALUES ('2030-01-01T00:00:00.000+00:00', ?, '', ?, ?, ?, ?, ?, ?)",
        (author, op, field_path, old, new, replica, counter),
    )
    con.commit()
    con.close()


@pytest.fixture
def pair(tmp_path, template_2021):
    mine = tmp_path / "mien.spie"
    with DossierFile.create(mine, template_2021, "Dossier", author="Camille") as df:
        df.set_value("porteur_nom", "Département")
        rid = df.add_row("consortium", {"structure": "Mission locale"})
        make_partner_copy(df, tmp_path / "partenaire.spie", for_partner="Mission locale")
    return mine, tmp_path / "partenaire.spie", rid


def test_rows_in_my_own_replica_id_are_refused_and_nothing_is_written(pair):
    mine, theirs, _ = pair
    with open_dossier(mine) as df:
        replica, counter = df.info.replica_id, df.changes()[-1].counter
    _insert(theirs, "set", "porteur_nom", None, '"Piégé"', replica, counter + 1, author="Camille")
    before = mine.read_bytes()
    with open_dossier(mine) as df, pytest.raises(HostileCopy, match="ce dossier-ci"):
        merge(df, theirs)
    assert mine.read_bytes() == before


def test_an_unknown_op_or_a_bad_row_move_refuses_the_whole_copy(pair):
    mine, theirs, rid = pair
    with open_dossier(theirs) as df:
        replica = df.info.replica_id
        df.set_value("porteur_nom", "Un vrai changement")  # an honest change travels with the bad ones
        counter = df.changes()[-1].counter
    _insert(theirs, "row_move", f"consortium[{rid}]", "0", '"x"', replica, counter + 1)
    _insert(theirs, "teleport", "", None, None, replica, counter + 2)
    with open_dossier(mine) as df:
        with pytest.raises(HostileCopy) as caught:
            merge(df, theirs)
        assert df.get("porteur_nom") == "Département"
    assert any("position « x »" in p for p in caught.value.problems)
    assert any("teleport" in p for p in caught.value.problems)


def test_history_shows_an_unreadable_row_and_restore_refuses_it_in_french(pair):
    _, theirs, rid = pair
    with open_dossier(theirs) as df:
        replica = df.info.replica_id
    _insert(theirs, "row_move", f"consortium[{rid}]", '"y"', '"x"', replica, 99)
    _insert(theirs, "attach", "porteur_nom", None, '"pas un objet"', replica, 100)
    with open_dossier(theirs) as df:
        entries = history(df)
        assert entries[-2].text == "modification illisible (row_move)"
        assert entries[-1].text == "modification illisible (attach)"
        with pytest.raises(DossierError, match="illisible"):
            restore(df, entries[-2].change_id)


def test_a_value_nested_too_deep_is_refused_at_open(pair):
    _, theirs, _ = pair
    con = sqlite3.connect(theirs)
    con.execute("UPDATE answer SET value = ? WHERE path = 'porteur_nom'", ("[" * 985 + "]" * 985,))
    con.commit()
    con.close()
    with pytest.raises(DossierError, match="imbriquée"):
        open_dossier(theirs, read_only=True)
