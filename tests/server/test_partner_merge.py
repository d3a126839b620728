"""A partner's or a reviewer's taken copy merged back into the server dossier: what their role may write
is applied, the rest is reported in French and left out, and the server's policies stay the authority."""

from __future__ import annotations

import json

from spie_desktop.__main__ import main
from spie_desktop.collab.merge import MergeOutcome, merge
from spie_desktop.models import DossierFile, open_dossier


def _team(s, template):
    s.role("claire", "spie_coordinator")
    s.role("karim", "spie_partner")
    s.role("rita", "spie_reviewer")
    dossier = s.new_id()
    urls = {who: s.url(dossier, user=who, password="pw") for who in ("claire", "karim", "rita")}
    with DossierFile.create(urls["claire"], template, "Dossier d'équipe", author="Claire") as df:
        df.set_value("porteur_nom", "Département")
        df.entrust_section("territoire", "karim")
    return urls


def _offline_copy(url, dest):
    with open_dossier(url, read_only=True) as df:
        df.save_copy(dest, new_replica=True)
    with open_dossier(dest, author="Hors ligne") as df:
        df.set_value("perimetre", "Tout le département")  # territoire: karim's
        df.set_value("porteur_nom", "Pas à lui")  # porteur: not entrusted
        df.add_comment("perimetre", "Vu dans le train.")


def test_a_partner_merges_back_their_sections_and_hears_about_the_others(
    pg_server, template_2021, tmp_path, capsys
):
    urls = _team(pg_server, template_2021)
    copy = tmp_path / "karim.spie"
    _offline_copy(urls["karim"], copy)
    assert main(["merge", urls["karim"], str(copy)]) == 0
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    assert "non confiée à karim : modification non reprise" in out.out
    with open_dossier(urls["claire"]) as df:
        assert df.get("perimetre") == "Tout le département"
        assert df.get("porteur_nom") == "Département"
        assert [c.text for c in df.comments()] == ["Vu dans le train."]
        n = len(df.changes())
    assert main(["merge", urls["karim"], str(copy)]) == 0  # again: nothing new, nothing doubled
    with open_dossier(urls["claire"]) as df:
        assert len(df.changes()) == n


def test_a_reviewer_merge_brings_only_comments(pg_server, template_2021, tmp_path):
    urls = _team(pg_server, template_2021)
    copy = tmp_path / "rita.spie"
    _offline_copy(urls["rita"], copy)
    with open_dossier(urls["rita"], author="Rita") as df:
        result = merge(df, copy)
    assert result.outcome is MergeOutcome.MERGED and result.written
    assert any("seuls les commentaires" in r for r in result.refused)
    with open_dossier(urls["claire"]) as df:
        assert df.get("perimetre") in (None, "")
        assert [c.text for c in df.comments()] == ["Vu dans le train."]


def test_a_form_linked_to_a_demarche_gives_its_new_fields_their_rights_without_server_init(
    pg_server, template_2021
):
    import copy

    from spie_desktop.models import SaveFailed

    urls = _team(pg_server, template_2021)
    raw = copy.deepcopy(dict(template_2021.raw))
    raw["version"] = str(raw["version"]) + "-lie"
    section = next(s for s in raw["sections"] if s["id"] == "territoire")
    section["fields"].append({"id": "champ_demarche", "label": "Champ de la démarche", "type": "text"})
    with open_dossier(urls["claire"]) as df:  # what « Associer à une démarche » writes
        df.replace_template(raw, op="link", old=None, new={"version": raw["version"]})
    with open_dossier(urls["karim"], author="Karim") as df:
        assert df.set_value("champ_demarche", "écrit par le partenaire")  # territoire: entrusted to karim
    with open_dossier(urls["rita"], author="Rita") as df:
        try:
            df.set_value("champ_demarche", "x")
        except SaveFailed as exc:
            assert "vos droits" in str(exc)
        else:
            raise AssertionError("a reviewer wrote an answer")
        assert df.get("champ_demarche") == "écrit par le partenaire"


def dumps(v):
    return json.dumps(v, sort_keys=True)


BASE = "Premier paragraphe : le diagnostic.\nDeuxième paragraphe : les publics.\nTroisième : les moyens.\n"
MINE = BASE.replace("le diagnostic.", "le diagnostic partagé avec la DREETS.")
THEIRS = BASE.replace("les moyens.", "les moyens humains et financiers.")
BOTH = MINE.replace("les moyens.", "les moyens humains et financiers.")


def _texts_changed_on_both_sides(s, template, tmp_path, who: str):
    """The coordinator writes a text and a figure; ``who`` takes a copy and rewrites them there while
    the coordinator rewrites them on the server: a text in other paragraphs (combined), a figure both
    changed (a conflict)."""
    urls = _team(s, template)
    with open_dossier(urls["claire"], author="Claire") as df:
        df.set_value("diagnostic_territorial", BASE)
        df.set_value("nb_allocataires_rsa", 8000)
    copy = tmp_path / f"{who}.spie"
    with open_dossier(urls[who], read_only=True) as df:
        df.save_copy(copy, new_replica=True)
    with open_dossier(copy, author="Hors ligne") as df:
        df.set_value("diagnostic_territorial", THEIRS)
        df.set_value("nb_allocataires_rsa", 8450)
    with open_dossier(urls["claire"], author="Claire") as df:
        df.set_value("diagnostic_territorial", MINE)
        df.set_value("nb_allocataires_rsa", 8100)
    return urls, copy


def _merge_own_rows(url: str, since: int) -> list[tuple[str, str, object]]:
    """The rows the merge wrote of its own (not a copy's changes), the « merge » line aside."""
    with open_dossier(url, read_only=True) as df:
        return [(c.op, c.path, c.new) for c in df.changes(since_id=since) if c.op in ("set", "resolve")]


def _last_id(url: str) -> int:
    with open_dossier(url, read_only=True) as df:
        return df.changes()[-1].id


def test_a_partner_merge_records_the_combined_texts_and_choices_as_a_coordinator_merge_does(
    pg_server, template_2021, tmp_path
):
    resolutions = {"nb_allocataires_rsa": 8450}
    own: dict[str, list] = {}
    for who in ("karim", "claire"):  # a partner's merge, then the coordinator's own on a new dossier
        urls, copy = _texts_changed_on_both_sides(pg_server, template_2021, tmp_path, who)
        since = _last_id(urls["claire"])
        with open_dossier(urls[who], author=who) as df:
            result = merge(df, copy, resolutions=resolutions)
            assert result.applied and result.counts.combined == 1
            assert df.get("diagnostic_territorial") == BOTH and df.get("nb_allocataires_rsa") == 8450
        rows = _merge_own_rows(urls["claire"], since)
        if who == "claire":  # the copy's own changes, recorded under their identity: not the merge's rows
            with open_dossier(copy, read_only=True) as c:
                theirs = {(x.op, x.path, dumps(x.new)) for x in c.changes()}
            rows = [r for r in rows if (r[0], r[1], dumps(r[2])) not in theirs]
        own[who] = rows
    assert (
        own["karim"]
        == own["claire"]
        == [
            ("set", "diagnostic_territorial", BOTH),
            ("resolve", "nb_allocataires_rsa", 8450),
        ]
    )


def test_a_partner_merge_of_rows_moved_in_the_copy_moves_them(pg_server, template_2021, tmp_path):
    """It raised « reorder_rows() is only allowed inside unlogged() » (a traceback): the moves are now
    this role's own, logged like its other edits."""
    urls = _team(pg_server, template_2021)
    with open_dossier(urls["claire"]) as df:
        a = df.add_row("epcis", {"epci": "Agglomération"})
        b = df.add_row("epcis", {"epci": "Haut-Vance"})
    copy = tmp_path / "karim.spie"
    with open_dossier(urls["karim"], read_only=True) as df:
        df.save_copy(copy, new_replica=True)
    with open_dossier(copy, author="Hors ligne") as df:
        df.move_row("epcis", b, 0)
    with open_dossier(urls["karim"], author="Karim") as df:
        assert merge(df, copy).applied
    with open_dossier(urls["claire"]) as df:
        assert df.row_ids("epcis") == [b, a]
        assert [c.author for c in df.changes() if c.op == "row_move"] == ["karim"]
