"""Long texts changed in both copies (issue 17): different paragraphs are combined, the same one is
a conflict, both copies' change-log rows stay, and the history ends on the combined text."""

from __future__ import annotations

from spie_desktop.collab import MergeOutcome, merge
from spie_desktop.collab.history import history, parse_at, snapshot_at
from spie_desktop.collab.textmerge import MAX_LINES, merge_texts
from spie_desktop.models import open_dossier

BASE = "Premier paragraphe : le diagnostic.\nDeuxième paragraphe : les publics.\nTroisième : les moyens.\n"
MINE = BASE.replace("le diagnostic.", "le diagnostic partagé avec la DREETS.")
THEIRS = BASE.replace("les moyens.", "les moyens humains et financiers.")
BOTH = (
    "Premier paragraphe : le diagnostic partagé avec la DREETS.\nDeuxième paragraphe : les publics.\n"
    "Troisième : les moyens humains et financiers.\n"
)


def _diverge(c, mine_text: str, theirs_text: str) -> None:
    """The coordinator writes the text, sends it in a copy; each side then rewrites it its way."""
    with c.open("cd") as cd:
        cd.set_value("diagnostic_territorial", BASE)
    with c.open("cd") as cd:
        from spie_desktop.collab import make_partner_copy

        make_partner_copy(cd, c.dir / "relu.spie", for_partner="Mission locale du Val")
    c.files["relu"] = c.dir / "relu.spie"
    with open_dossier(c.files["relu"], author="Karim Benali", organisation="Mission locale du Val") as ml:
        ml.set_value("diagnostic_territorial", theirs_text)
    with c.open("cd") as cd:
        cd.set_value("diagnostic_territorial", mine_text)


def test_the_library_merge_is_line_by_line():
    assert merge_texts(BASE, MINE, THEIRS) == BOTH
    assert merge_texts(BASE, MINE, MINE) == MINE  # the same change on both sides, once
    assert merge_texts(BASE, MINE, BASE.replace("le diagnostic.", "le diagnostic ancien.")) is None
    long = "ligne\n" * (MAX_LINES + 1)  # a hostile copy's text: asked about, never diffed at length
    assert merge_texts(long, "début\n" + long, long + "fin\n") is None


def test_changes_in_different_paragraphs_are_combined_without_a_conflict(consortium):
    c = consortium
    _diverge(c, MINE, THEIRS)
    with c.open("cd") as cd:
        assert merge(cd, c.files["relu"], dry_run=True).conflicts == ()
        result = merge(cd, c.files["relu"])
        assert result.applied and result.conflicts == ()
        assert result.counts.combined == 1
        assert cd.get("diagnostic_territorial") == BOTH
    # and the partner, merging back, gets the same text with nothing to decide
    with open_dossier(c.files["relu"], author="Karim Benali") as ml:
        back = merge(ml, c.files["cd"])
        assert back.applied and not back.conflicts
        assert ml.get("diagnostic_territorial") == BOTH


def test_changes_to_the_same_paragraph_are_a_conflict(consortium):
    c = consortium
    _diverge(c, MINE, BASE.replace("le diagnostic.", "le diagnostic de 2019."))
    with c.open("cd") as cd:
        result = merge(cd, c.files["relu"])
        assert result.outcome is MergeOutcome.CONFLICTS and not result.applied
        (conflict,) = result.conflicts
        assert conflict.path == "diagnostic_territorial"
        assert (conflict.mine, conflict.theirs) == (
            MINE,
            BASE.replace("le diagnostic.", "le diagnostic de 2019."),
        )
        assert cd.get("diagnostic_territorial") == MINE  # nothing written
        settled = merge(cd, c.files["relu"], prefer="theirs")
        assert settled.applied and cd.get("diagnostic_territorial") == conflict.theirs


def test_both_copies_change_rows_stay_and_the_history_ends_on_the_combined_text(consortium):
    c = consortium
    _diverge(c, MINE, THEIRS)
    with c.open("cd") as cd:
        merge(cd, c.files["relu"])
        rows = [(h.organisation, h.op, h.new) for h in history(cd) if h.path == "diagnostic_territorial"]
        assert ("Mission locale du Val", "set", THEIRS) in rows
        assert ("Conseil départemental", "set", MINE) in rows
        assert rows[-1][1:] == ("set", BOTH)  # the combined text, recorded by this copy's merge
        assert snapshot_at(cd, parse_at(cd.changes()[-1].at)).answers["diagnostic_territorial"] == BOTH
        merge_row = cd.changes()[-1]
        assert merge_row.op == "merge" and merge_row.new["combined"] == 1


def test_without_a_common_text_it_stays_a_conflict(consortium):
    c = consortium
    with c.open("cd") as cd:
        from spie_desktop.collab import make_partner_copy

        make_partner_copy(cd, c.dir / "relu.spie", for_partner="Mission locale du Val")
        cd.set_value("diagnostic_territorial", MINE)
    with open_dossier(c.dir / "relu.spie", author="Karim Benali") as ml:
        ml.set_value("diagnostic_territorial", THEIRS)
    with c.open("cd") as cd:
        result = merge(cd, c.dir / "relu.spie")
        assert [x.path for x in result.conflicts] == ["diagnostic_territorial"]


def test_the_command_line_says_the_texts_were_combined(consortium, capsys):
    from spie_desktop.cli import main

    c = consortium
    _diverge(c, MINE, THEIRS)
    capsys.readouterr()
    assert main(["merge", str(c.files["cd"]), str(c.files["relu"])]) == 0
    out = capsys.readouterr().out
    assert "Copie intégrée" in out and "conflit" not in out
    assert "1 texte(s) modifié(s) des deux côtés, dans des paragraphes différents" in out
    with open_dossier(c.files["cd"], read_only=True) as cd:
        assert cd.get("diagnostic_territorial") == BOTH
