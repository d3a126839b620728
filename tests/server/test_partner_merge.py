"""A partner's or a reviewer's taken copy merged back into the server dossier: what their role may write
is applied, the rest is reported in French and left out, and the server's policies stay the authority."""

from __future__ import annotations

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
