"""Issue 11: a received .spie is untrusted input. Hostile files built with plain ``sqlite3`` on a
real dossier, through the command line (a child process under a timeout) and the window.

Every case is refused cleanly: exit code 2 and a French message naming the cause (never
« erreur inattendue », never a traceback, never a hang), the received file and the recipient's
own file byte-identical, nothing left beside them (no -wal, -shm, -journal, .lock, backup or
output). A partner copy carrying forged or malformed change rows is refused whole by ``merge``.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from faultkit import EXAMPLE_JSON, digest, leftovers

TIMEOUT = 90  # seconds for one command; an honest one takes about two

TAMPERED = "modifié par un autre programme"
HOSTILE_COPY = "ne peut pas être intégrée"
CORRUPT = "endommagé ou incomplet"

# -- the files ---------------------------------------------------------------------------------

_TRIGGER_AMOUNT = """CREATE TRIGGER montant AFTER INSERT ON answer WHEN NEW.path = 'montant_etat'
BEGIN UPDATE answer SET value = '"999999.00"' WHERE path = NEW.path; END"""
_TRIGGER_AMOUNT_UPDATE = """CREATE TRIGGER montant_maj AFTER UPDATE ON answer WHEN NEW.path = 'montant_etat'
BEGIN UPDATE answer SET value = '"999999.00"' WHERE path = NEW.path AND value != '"999999.00"'; END"""
_RECURSIVE = (
    "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) "
    "SELECT 'p' || x AS path, '1' AS value, '' AS updated_at FROM n"
)
_REPLACE_ENTRUSTED = "DROP TABLE entrusted_section"

#: name -> (statements run with plain sqlite3 on a copy of the example dossier, words of the refusal)
SCHEMA_CASES: dict[str, tuple[tuple[str, ...], str]] = {
    "declencheur-montant": ((_TRIGGER_AMOUNT, _TRIGGER_AMOUNT_UPDATE), "déclencheur"),
    "declencheur-piece-jointe": (
        (
            """CREATE TRIGGER rib AFTER INSERT ON attachment BEGIN
        UPDATE attachment SET data = X'255044462D31', sha256 = NEW.sha256 WHERE id = NEW.id; END""",
        ),
        "déclencheur",
    ),
    "declencheur-efface-historique": (
        ("CREATE TRIGGER oubli AFTER INSERT ON change BEGIN DELETE FROM change; END",),
        "déclencheur",
    ),
    "declencheur-insere": (
        (
            """CREATE TRIGGER ajout AFTER INSERT ON answer BEGIN
        INSERT INTO comment VALUES (hex(randomblob(8)), '', 'DREETS', 'DREETS', '2021-01-01', 'validé', 1, NULL);
        END""",
        ),
        "déclencheur",
    ),
    "declencheur-regexp": (
        (
            """CREATE TRIGGER lent BEFORE INSERT ON change BEGIN
        SELECT 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!' REGEXP '^(a+)+$'; END""",
        ),
        "déclencheur",
    ),
    "vue-recursive": (("DROP TABLE answer", f"CREATE VIEW answer AS {_RECURSIVE}"), "vue"),
    "vue-en-plus": (("CREATE VIEW resume AS SELECT title FROM dossier",), "vue"),
    "table-en-plus": (("CREATE TABLE espion (x TEXT)",), "table inconnue"),
    "table-sqlite-stat": (("ANALYZE",), "table inconnue"),
    "index-en-plus": (("CREATE INDEX ix_espion ON answer (value)",), "index inconnu"),
    "index-partiel": (
        ("DROP INDEX ix_change_path", "CREATE INDEX ix_change_path ON change (path) WHERE path != ''"),
        "WHERE",
    ),
    "index-expression": (
        ("DROP INDEX ix_change_path", "CREATE INDEX ix_change_path ON change (lower(path))"),
        "lower",
    ),
    "colonne-en-plus": (("ALTER TABLE answer ADD COLUMN espion TEXT",), "colonnes de la table « answer »"),
    "colonne-retypee": (
        (
            _REPLACE_ENTRUSTED,
            "CREATE TABLE entrusted_section (section_id INTEGER NOT NULL, "
            "partner TEXT NOT NULL, PRIMARY KEY (section_id))",
        ),
        "colonnes de la table",
    ),
    "colonne-calculee": (
        (
            _REPLACE_ENTRUSTED,
            "CREATE TABLE entrusted_section (section_id VARCHAR(64) NOT NULL, "
            "partner TEXT NOT NULL, secret TEXT GENERATED ALWAYS AS (partner || 'x'), "
            "PRIMARY KEY (section_id))",
        ),
        "entrusted_section",
    ),
    "defaut-calcule": (
        (
            _REPLACE_ENTRUSTED,
            "CREATE TABLE entrusted_section (section_id VARCHAR(64) NOT NULL, "
            "partner TEXT NOT NULL DEFAULT (randomblob(8)), PRIMARY KEY (section_id))",
        ),
        "randomblob",
    ),
    "contrainte-check-regexp": (
        (
            _REPLACE_ENTRUSTED,
            "CREATE TABLE entrusted_section (section_id VARCHAR(64) "
            "NOT NULL, partner TEXT NOT NULL, PRIMARY KEY (section_id), "
            "CHECK (partner REGEXP '^(a+)+$'))",
        ),
        "CHECK",
    ),
    "remplacement-sur-conflit": (
        (
            _REPLACE_ENTRUSTED,
            "CREATE TABLE entrusted_section (section_id VARCHAR(64) "
            "NOT NULL, partner TEXT NOT NULL, PRIMARY KEY (section_id) ON CONFLICT REPLACE)",
        ),
        "CONFLICT",
    ),
    "table-manquante": (("DROP TABLE comment",), "la table « comment » manque"),
    "table-virtuelle": (("CREATE VIRTUAL TABLE notes USING fts5(texte)",), "table virtuelle"),
    "mode-wal": (("PRAGMA journal_mode=WAL",), "mode WAL"),
    # a trigger disguised as an index by rewriting sqlite_master: SQLite itself finds it incoherent
    "declencheur-deguise": (
        (
            "CREATE TRIGGER espion AFTER INSERT ON answer BEGIN DELETE FROM change; END",
            "PRAGMA writable_schema=ON",
            "UPDATE sqlite_master SET type = 'index', tbl_name = 'answer' WHERE name = 'espion'",
        ),
        "structure SQL est incohérente, objet « espion »",
    ),
}
#: cases SQLite itself cannot read: refused as damaged rather than as modified
DAMAGED = {"declencheur-deguise"}


def _fts5() -> bool:
    con = sqlite3.connect(":memory:")
    try:
        con.execute("CREATE VIRTUAL TABLE t USING fts5(x)")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        con.close()


def _run_sql(path: Path, statements: tuple[str, ...]) -> None:
    con = sqlite3.connect(path, isolation_level=None)
    con.create_function("regexp", 2, lambda pattern, text: 0)  # only to write a CHECK that names it
    try:
        for s in statements:
            con.execute(s).fetchall()
    finally:
        con.close()
    assert leftovers(path) == [], leftovers(path)


@pytest.fixture(scope="module")
def example_bytes(tmp_path_factory) -> bytes:
    from spie_desktop.interchange import import_document

    doc = json.loads(EXAMPLE_JSON.read_text(encoding="utf-8"))
    return import_document(doc, tmp_path_factory.mktemp("source") / "exemple.spie").read_bytes()


def _hostile(case: str, folder: Path, example: bytes) -> Path:
    statements, _ = SCHEMA_CASES[case]
    if case == "table-virtuelle" and not _fts5():
        pytest.skip("ce SQLite n'a pas fts5")
    path = folder / f"{case}.spie"
    path.write_bytes(example)
    _run_sql(path, statements)
    return path


class Folder:
    """Every file of a folder, bytes included, to prove a refusal wrote nothing anywhere."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.state = self._state()

    def _state(self) -> dict[str, str]:
        return {p.name: digest(p) for p in sorted(self.folder.iterdir()) if p.is_file()}

    def assert_unchanged(self) -> None:
        now = self._state()
        assert sorted(now) == sorted(self.state), (
            f"fichiers ajoutés ou retirés : {sorted(set(now) ^ set(self.state))}"
        )
        changed = [n for n in now if now[n] != self.state[n]]
        assert not changed, f"octets modifiés : {changed}"


def cli(tmp: Path, *args: str | Path) -> subprocess.CompletedProcess:
    """The real command line in a child process; a hang fails the test instead of blocking it."""
    env = dict(
        os.environ,
        SPIE_DESKTOP_CONFIG_DIR=str(tmp / "config"),
        SPIE_DESKTOP_DATA_DIR=str(tmp / "data"),
        PYTHONIOENCODING="utf-8",
        QT_QPA_PLATFORM="offscreen",
    )
    try:
        return subprocess.run(
            [sys.executable, "-m", "spie_desktop", *map(str, args)],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            env=env,
            cwd=tmp,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"« spie-desktop {' '.join(map(str, args))} » bloqué plus de {TIMEOUT} s")


def assert_refused(done: subprocess.CompletedProcess, words: str) -> None:
    err = done.stderr
    assert done.returncode == 2, (done.returncode, done.stdout[-400:], err[-800:])
    assert "Traceback" not in err and "erreur inattendue" not in err, err
    assert words in err, err


# -- schema cases: command line ----------------------------------------------------------------


@pytest.mark.parametrize("case", list(SCHEMA_CASES))
def test_command_line_refuses_a_hostile_schema_and_changes_nothing(case, tmp_path, example_bytes):
    received = tmp_path / "recu"
    received.mkdir()
    bad = _hostile(case, received, example_bytes)
    mine = tmp_path / "mien"
    mine.mkdir()
    own = mine / "mon-dossier.spie"
    own.write_bytes(example_bytes)  # the same dossier, as the recipient keeps it
    out = tmp_path / "sortie"
    out.mkdir()
    seen, seen_mine, seen_out = Folder(received), Folder(mine), Folder(out)
    _, cause = SCHEMA_CASES[case]
    for argv in (
        ["info", bad],
        ["check", bad],
        ["export", "pdf", bad, "-o", out / "dossier.pdf"],
        ["copy", bad, out / "copie.spie"],
        ["merge", own, bad],
        ["merge", bad, own],
        ["history", bad],
    ):
        done = cli(tmp_path, *argv)
        assert_refused(done, CORRUPT if case in DAMAGED else TAMPERED)
        assert cause in done.stderr, done.stderr
        seen.assert_unchanged()
        seen_mine.assert_unchanged()
        seen_out.assert_unchanged()


def test_an_old_format_file_with_a_trigger_is_refused_before_its_upgrade(tmp_path):
    fixture = Path(__file__).resolve().parents[1] / "models" / "fixtures" / "dossier-format1.spie"
    bad = tmp_path / "ancien.spie"
    shutil.copyfile(fixture, bad)
    _run_sql(bad, ("CREATE TRIGGER t AFTER INSERT ON answer BEGIN DELETE FROM change; END",))
    seen = Folder(tmp_path)
    done = cli(tmp_path, "info", bad)
    assert_refused(done, "déclencheur")
    seen.assert_unchanged()  # no backup copy « avant-mise-a-jour », no upgrade


# -- schema cases: the window ------------------------------------------------------------------


@pytest.mark.parametrize("case", list(SCHEMA_CASES))
def test_window_refuses_a_hostile_schema_in_french(case, fault_window, tmp_path, example_bytes):
    received = tmp_path / "recu"
    received.mkdir()
    bad = _hostile(case, received, example_bytes)
    seen = Folder(received)
    w = fault_window.window
    assert not w.open_path(bad)
    assert len(fault_window.errors) == 1, fault_window.errors
    title, text = fault_window.errors[0]
    assert title == "Impossible d'ouvrir le dossier"
    assert (CORRUPT if case in DAMAGED else TAMPERED) in text and SCHEMA_CASES[case][1] in text, text
    assert w.controller is None
    seen.assert_unchanged()


# -- partner copies with forged or malformed change rows ---------------------------------------


@pytest.fixture(scope="module")
def pair(tmp_path_factory, example_bytes):
    """The recipient's dossier (with a few edits of its own) and an honest partner copy of it, as bytes."""
    from spie_desktop.collab.copies import make_partner_copy
    from spie_desktop.models import open_dossier

    folder = tmp_path_factory.mktemp("paire")
    mine = folder / "mien.spie"
    mine.write_bytes(example_bytes)
    with open_dossier(mine, author="Camille Panne", organisation="Département") as df:
        df.set_value("montant_etat", "450001.00")
        make_partner_copy(df, folder / "partenaire.spie", for_partner="Mission locale")
    return mine.read_bytes(), (folder / "partenaire.spie").read_bytes()


def _identity(path: Path) -> tuple[str, int]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute("SELECT replica_id, counter FROM dossier").fetchone()
    finally:
        con.close()


def _change(
    con: sqlite3.Connection,
    op: str,
    path: str,
    old,
    new,
    replica: str,
    counter: int,
    author: str = "Mission locale",
) -> None:
    con.execute(
        "INSERT INTO change (at, author, organisation, op, path, old, new, replica_id, counter) "
        "VALUES ('2030-01-01T00:00:00.000+00:00', ?, '', ?, ?, ?, ?, ?, ?)",
        (author, op, path, old, new, replica, counter),
    )


def _deep(n: int) -> str:
    return "[" * n + '"x"' + "]" * n


def _forge(case: str, theirs: Path, mine: Path) -> None:
    my_replica, my_counter = _identity(mine)
    their_replica, their_counter = _identity(theirs)
    nxt = their_counter + 1
    con = sqlite3.connect(theirs)
    if case == "lignes-a-mon-nom":  # my replica id and name: "I" set 999 999 €
        _change(
            con,
            "set",
            "montant_etat",
            '"450001.00"',
            '"999999.00"',
            my_replica,
            my_counter + 1,
            author="Camille Panne",
        )
        con.execute("UPDATE answer SET value = '\"999999.00\"' WHERE path = 'montant_etat'")
    elif case == "identite-reutilisee":  # one of my own changes, rewritten
        con.execute(
            "UPDATE change SET path = 'perimetre', new = '\"piégé\"' WHERE replica_id = ? AND counter = ?",
            (my_replica, my_counter),
        )
    elif case == "identite-en-double":
        _change(con, "set", "porteur_nom", None, '"A"', their_replica, nxt)
        _change(con, "set", "porteur_nom", '"A"', '"B"', their_replica, nxt)
    elif case == "deplacement-vers-x":
        rid = con.execute("SELECT id FROM row WHERE field_id = 'consortium' ORDER BY position").fetchone()[0]
        _change(con, "row_move", f"consortium[{rid}]", "0", '"x"', their_replica, nxt)
    elif case == "chemin-inconnu":
        _change(con, "set", "champ_qui_n_existe_pas", None, '"x"', their_replica, nxt)
    elif case == "chemin-mal-forme":
        _change(con, "set", "consortium]x[.", None, '"x"', their_replica, nxt)
    elif case == "ligne-inexistante":
        _change(con, "row_add", "montant_etat[r1]", None, '{"index": 0, "values": {}}', their_replica, nxt)
    elif case == "valeur-mal-typee":
        _change(con, "set", "nb_allocataires_rsa", "8450", '{"a": 1}', their_replica, nxt)
        con.execute("UPDATE answer SET value = '{\"a\": 1}' WHERE path = 'nb_allocataires_rsa'")
    elif case == "montant-flottant":
        _change(con, "set", "montant_etat", '"450001.00"', "999999.5", their_replica, nxt)
        con.execute("UPDATE answer SET value = '999999.5' WHERE path = 'montant_etat'")
    elif case == "operation-inconnue":
        _change(con, "drop_everything", "", None, None, their_replica, nxt)
    elif case == "valeur-985-niveaux":
        _change(con, "set", "perimetre", None, _deep(985), their_replica, nxt)
        con.execute("UPDATE answer SET value = ? WHERE path = 'perimetre'", (_deep(985),))
    elif case == "historique-985-niveaux":  # only the log row: the answer itself looks fine
        _change(con, "set", "perimetre", None, _deep(985), their_replica, nxt)
    elif case == "json-illisible":
        _change(con, "set", "perimetre", None, "{pas du json", their_replica, nxt)
    elif case == "identite-mal-typee":
        _change(con, "set", "perimetre", None, '"x"', their_replica, -5)
    elif case == "piece-jointe-mal-decrite":
        _change(con, "attach", "porteur_nom", None, '{"name": "x.exe", "size": -1}', their_replica, nxt)
    else:  # pragma: no cover
        raise AssertionError(case)
    if case not in ("identite-reutilisee", "lignes-a-mon-nom"):
        con.execute("UPDATE dossier SET counter = counter + 1")
    con.commit()
    con.close()


#: name -> words of the refusal
ROW_CASES = {
    "lignes-a-mon-nom": "ce dossier-ci",
    "identite-reutilisee": "dupliqués sans passer",
    "identite-en-double": "utilisée deux fois",
    "deplacement-vers-x": "position « x » invalide",
    "chemin-inconnu": "champ_qui_n_existe_pas",
    "chemin-mal-forme": "n'existe pas dans ce formulaire",
    "ligne-inexistante": "n'est pas un tableau",
    "valeur-mal-typee": "nombre entier",
    "montant-flottant": "nombre décimal",
    "operation-inconnue": "drop_everything",
    "valeur-985-niveaux": "imbriquée",
    "historique-985-niveaux": "imbriquée",
    "json-illisible": "n'est pas lisible",
    "identite-mal-typee": "identité",
    "piece-jointe-mal-decrite": "n'accepte pas de fichier",
}


def _write_pair(tmp_path: Path, pair: tuple[bytes, bytes]) -> tuple[Path, Path]:
    (tmp_path / "mien").mkdir()
    (tmp_path / "recu").mkdir()
    mine, theirs = tmp_path / "mien" / "mien.spie", tmp_path / "recu" / "partenaire.spie"
    mine.write_bytes(pair[0])
    theirs.write_bytes(pair[1])
    return mine, theirs


@pytest.mark.parametrize("case", list(ROW_CASES))
def test_merge_refuses_a_forged_or_malformed_copy_whole(case, tmp_path, pair):
    mine, theirs = _write_pair(tmp_path, pair)
    _forge(case, theirs, mine)
    seen_mine, seen_theirs = Folder(mine.parent), Folder(theirs.parent)
    done = cli(tmp_path, "merge", mine, theirs, "--prefer", "theirs")
    assert done.returncode == 2, (done.stdout[-500:], done.stderr[-800:])
    assert "Traceback" not in done.stderr and "erreur inattendue" not in done.stderr, done.stderr
    assert any(w in done.stderr for w in (HOSTILE_COPY, CORRUPT, "dupliqués sans passer")), done.stderr
    assert ROW_CASES[case] in done.stderr, done.stderr
    seen_mine.assert_unchanged()
    seen_theirs.assert_unchanged()
    # the received copy's history is shown, or refused in French: never an unexpected error
    shown = cli(tmp_path, "history", theirs)
    assert shown.returncode in (0, 2) and "erreur inattendue" not in shown.stderr, shown.stderr
    assert "Traceback" not in shown.stderr
    seen_theirs.assert_unchanged()
    # and the recipient keeps working with honest copies
    assert cli(tmp_path, "merge", mine, tmp_path / "recu" / "absent.spie").returncode == 2
    honest = tmp_path / "honnete.spie"
    honest.write_bytes(pair[1])
    done = cli(tmp_path, "merge", mine, honest)
    assert done.returncode == 0, done.stderr
    assert cli(tmp_path, "export", "json", mine, "-o", tmp_path / "mien.json").returncode == 0


@pytest.mark.parametrize("case", ["lignes-a-mon-nom", "valeur-985-niveaux", "deplacement-vers-x"])
def test_window_opens_a_forged_copy_harmlessly_or_refuses_it(case, fault_window, tmp_path, pair):
    mine, theirs = _write_pair(tmp_path, pair)
    _forge(case, theirs, mine)
    seen = Folder(theirs.parent)
    w = fault_window.window
    if w.open_path(theirs):
        assert fault_window.errors == []
        assert w.close_dossier()
    else:
        assert len(fault_window.errors) == 1 and CORRUPT in fault_window.errors[0][1], fault_window.errors
    seen.assert_unchanged()


def test_a_counter_behind_a_recorded_row_is_advanced(tmp_path, pair):
    """A file whose own counter is behind one of its rows never gives a used identity again."""
    from spie_desktop.models import open_dossier

    mine, _ = _write_pair(tmp_path, pair)
    replica, counter = _identity(mine)
    con = sqlite3.connect(mine)
    _change(con, "set", "perimetre", None, '"x"', replica, counter + 5)
    con.commit()
    con.close()
    with open_dossier(mine, author="Camille Panne") as df:
        df.set_value("porteur_nom", "Nouveau nom")
        last = df.changes()[-1]
    assert (last.replica_id, last.counter) == (replica, counter + 6)


def test_the_hostile_inputs_are_the_ones_promised():
    assert len(SCHEMA_CASES) + 1 + len(ROW_CASES) >= 35
    assert {
        "declencheur-montant",
        "declencheur-piece-jointe",
        "declencheur-efface-historique",
        "declencheur-insere",
        "vue-recursive",
        "declencheur-regexp",
        "table-en-plus",
        "index-en-plus",
        "colonne-en-plus",
        "table-virtuelle",
        "mode-wal",
    } <= set(SCHEMA_CASES)
    assert {
        "lignes-a-mon-nom",
        "deplacement-vers-x",
        "chemin-inconnu",
        "valeur-mal-typee",
        "valeur-985-niveaux",
    } <= set(ROW_CASES)
