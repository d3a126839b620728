"""A comment made on a server dossier is signed by the role the server authenticated, as the change log
is (issue 17): not by the name typed in Préférences, and not by whatever author a client or ``psql``
sends. A coordinator's merge keeps the authors of a copy's comments; a partner's signs them as theirs."""

from __future__ import annotations

import psycopg
import pytest

from spie_desktop.collab.merge import merge
from spie_desktop.models import DossierFile, open_dossier
from spie_desktop.server.address import parse_address


def direct(url: str) -> psycopg.Connection:
    """A plain psycopg connection as that role, in the dossier's schema (what psql would do)."""
    a = parse_address(url)
    return psycopg.connect(a.conninfo(), options=f"-c search_path={a.schema}")


@pytest.fixture
def team(pg_server, template_2021):
    s = pg_server
    s.role("claire", "spie_coordinator")
    s.role("karim", "spie_partner")
    s.role("rita", "spie_reviewer")
    dossier = s.new_id()
    urls = {who: s.url(dossier, user=who, password="pw") for who in ("claire", "karim", "rita")}
    with DossierFile.create(urls["claire"], template_2021, "Dossier d'équipe", author="Claire Martin") as df:
        df.entrust_section("territoire", "karim")
    return urls


def _authors(url: str) -> dict[str, str]:
    with open_dossier(url, read_only=True) as df:
        return {c.text: c.author for c in df.comments()}


def test_a_comment_is_signed_by_the_connected_role_not_the_preferences_name(team):
    for who in ("claire", "karim", "rita"):
        with open_dossier(team[who], author="Nom tapé dans les préférences", organisation="CD") as df:
            assert df.comment_author == who
            made = df.add_comment("perimetre", f"Remarque de {who}")
            assert (made.author, made.organisation) == (who, "CD")  # what the window shows at once
            assert df.comments("perimetre")[-1].author == who
            [logged] = [c for c in df.changes() if c.op == "comment" and c.new["text"] == made.text]
            assert logged.author == who  # the same name as the change log's
    assert _authors(team["claire"]) == {f"Remarque de {w}": w for w in ("claire", "karim", "rita")}


@pytest.mark.parametrize("who", ["karim", "rita"])
def test_a_forged_author_from_psql_is_replaced_by_the_connected_role(team, who):
    with direct(team[who]) as conn:
        # even asking for the coordinator's merge setting: only a coordinator keeps a given author
        conn.execute("SELECT set_config('spie.keep_author', 'on', true)")
        conn.execute(
            "INSERT INTO comment (id, path, author, organisation, created_at, text, resolved) "
            "VALUES (%s, 'perimetre', 'claire', 'CD', 'x', 'Signé par un autre ?', false)",
            (f"forge-{who}",),
        )
        conn.commit()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # and not changed afterwards
            conn.execute("UPDATE comment SET author = 'claire' WHERE id = %s", (f"forge-{who}",))
        conn.rollback()
    assert _authors(team["claire"]) == {"Signé par un autre ?": who}


def _copy_with_a_comment(url: str, dest, text: str) -> None:
    with open_dossier(url, read_only=True) as df:
        df.save_copy(dest, new_replica=True)
    with open_dossier(dest, author="Lucie Hors Ligne") as copy:
        copy.add_comment("perimetre", text)


def test_a_coordinators_merge_keeps_the_copys_authors_a_partners_signs_as_the_partner(team, tmp_path):
    _copy_with_a_comment(team["claire"], tmp_path / "a.spie", "Écrit dans la copie.")
    with open_dossier(team["claire"], author="Claire Martin") as df:
        merge(df, tmp_path / "a.spie")
        assert [c.author for c in df.comments("perimetre")] == ["Lucie Hors Ligne"]
        df.add_comment("perimetre", "Après la fusion.")  # the merge's setting ends with it
    assert _authors(team["claire"]) == {
        "Écrit dans la copie.": "Lucie Hors Ligne",
        "Après la fusion.": "claire",
    }

    _copy_with_a_comment(team["karim"], tmp_path / "k.spie", "Écrit dans la copie de karim.")
    with open_dossier(team["karim"], author="Karim") as df:
        merge(df, tmp_path / "k.spie")
        # a partner's merge writes what it brings as that role's own: the server signs it (and the
        # window shows what the server kept)
        assert {c.text: c.author for c in df.comments("perimetre")}[
            "Écrit dans la copie de karim."
        ] == "karim"
    authors = _authors(team["claire"])
    assert authors["Écrit dans la copie de karim."] == "karim"
    assert authors["Écrit dans la copie."] == "Lucie Hors Ligne"  # the coordinator's merge stays as it was
