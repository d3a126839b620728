"""Rights enforced by the server itself: a partner writes only the sections entrusted to them, a
reviewer only comments, and the change log's author is the connected role — through the application
and through direct SQL alike."""

from __future__ import annotations

import psycopg
import pytest

from spie_desktop.models import DossierFile, SaveFailed, open_dossier
from spie_desktop.server.address import parse_address


def direct(url: str) -> psycopg.Connection:
    """A plain psycopg connection as that role, in the dossier's schema (what psql would do)."""
    a = parse_address(url)
    return psycopg.connect(a.conninfo(), options=f"-c search_path={a.schema}")


@pytest.fixture
def team(pg_server, template_2021):
    """A dossier created by a coordinator, the « territoire » section entrusted to partner karim."""
    s = pg_server
    s.role("claire", "spie_coordinator")
    s.role("karim", "spie_partner")
    s.role("rita", "spie_reviewer")
    dossier = s.new_id()
    urls = {who: s.url(dossier, user=who, password="pw") for who in ("claire", "karim", "rita")}
    with DossierFile.create(urls["claire"], template_2021, "Dossier d'équipe", author="Claire Martin") as df:
        df.set_value("porteur_nom", "Département")
        df.entrust_section("territoire", "karim")
    return urls


def test_partner_writes_entrusted_section_only(team):
    with open_dossier(team["karim"], author="Nom tapé dans les préférences") as df:
        assert df.set_value("perimetre", "Tout le département")  # territoire: entrusted to karim
        rid = df.add_row("epcis", {})
        with pytest.raises(SaveFailed, match="vos droits"):
            df.set_value("porteur_nom", "Autre chose")  # porteur: not entrusted
        with pytest.raises(SaveFailed, match="vos droits"):
            df.add_row("actions", {"titre": "x"})
        with pytest.raises(SaveFailed):
            df.set_title("Titre changé")
        with pytest.raises(SaveFailed):
            df.entrust_section("porteur", "karim")  # a partner cannot give themselves a section
        df.add_comment("porteur_nom", "Le nom officiel est plus long.")  # reading and commenting: yes
        assert df.get("porteur_nom") == "Département" and rid in df.row_ids("epcis")
        mine = [c for c in df.changes() if c.path in ("perimetre", "porteur_nom") and c.op == "set"]
    # the author is the role the server authenticated, not the name typed in the preferences
    assert [(c.path, c.author) for c in mine] == [("porteur_nom", "claire"), ("perimetre", "karim")]


def test_partner_direct_sql_write_to_other_section_is_refused_by_the_server(team):
    with direct(team["karim"]) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # row-level security
            conn.execute(
                "INSERT INTO answer (path, value, updated_at) VALUES ('porteur_siret', '\"1\"', 'x')"
            )
        conn.rollback()
        updated = conn.execute("UPDATE answer SET value = '\"piraté\"' WHERE path = 'porteur_nom'").rowcount
        assert updated == 0  # the row is not theirs to write: the policy hides it from UPDATE
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM entrusted_section")
        conn.rollback()
        # their own section, same connection: accepted
        conn.execute(
            "INSERT INTO answer (path, value, updated_at) VALUES ('diagnostic_territorial', '\"ok\"', 'x')"
        )
        conn.commit()
    with open_dossier(team["claire"]) as df:
        assert df.get("porteur_nom") == "Département" and df.get("diagnostic_territorial") == "ok"


def test_reviewer_reads_and_comments_only(team):
    with open_dossier(team["rita"]) as df:
        assert df.get("porteur_nom") == "Département"
        with pytest.raises(SaveFailed, match="vos droits"):
            df.set_value("perimetre", "x")
        c = df.add_comment("perimetre", "À préciser.")
        df.set_comment_resolved(c.id, True)
        assert [ch.author for ch in df.changes() if ch.op == "comment"] == ["rita"]
    with direct(team["rita"]) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute("INSERT INTO answer (path, value, updated_at) VALUES ('perimetre', '\"x\"', 'x')")


def test_a_forged_author_is_replaced_by_the_connected_role(team):
    with direct(team["karim"]) as conn:
        replica = conn.execute("SELECT replica_id FROM dossier").fetchone()[0]
        conn.execute(
            "INSERT INTO change (at, author, organisation, op, path, old, new, replica_id, counter) "
            "VALUES ('x', 'claire', '', 'set', 'perimetre', NULL, '\"y\"', %s, 1)",
            (replica,),
        )
        conn.commit()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # another copy's identity: coordinator only
            conn.execute(
                "INSERT INTO change (at, author, organisation, op, path, old, new, replica_id, counter) "
                "VALUES ('x', 'claire', '', 'set', 'perimetre', NULL, '\"y\"', 'autre', 1)"
            )
        conn.rollback()
    with open_dossier(team["claire"]) as df:
        assert "karim" in {c.author for c in df.changes()}
