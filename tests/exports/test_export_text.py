"""The text copy (txt, md) and the paste items of the "Dépôt en ligne" view."""

from __future__ import annotations

import pytest
from exportkit import ANSWERS, ATTACHMENTS, DIAGNOSTIC, make_snapshot

from spie_desktop.exports.text import PasteKind, count_label, export_text, paste_items, write_text


def test_txt_follows_the_form_order_with_french_values(snapshot):
    text = export_text(snapshot)
    order = [
        "Porteur du projet",
        "Nom de la structure porteuse *",
        "Conseil départemental du Morbihan",
        "Territoire",
        "Diagnostic territorial *",
        "Allocataires du RSA",
        "12\u00a0400\u00a0personnes",
        "03/01/2022",
        "Budget",
        "Dépense 1",
        "45\u00a0000,00\u00a0€",
        "Total Montant — 2022 : 53\u00a0000,00\u00a0€",
        "Total Montant : 65\u00a0500,50\u00a0€",
        "Pièces jointes à déposer en ligne",
    ]
    positions = [text.index(piece) for piece in order]
    assert positions == sorted(positions)
    assert DIAGNOSTIC in text  # paragraphs and line breaks kept
    assert "Précisions *\nNon renseigné" in text


def test_platform_character_count_for_textareas(snapshot):
    text = export_text(snapshot)
    n = len(DIAGNOSTIC.encode("utf-8"))
    assert f"{n} / 2\u00a0000 caractères (comptés comme la plateforme)" in text
    assert (
        count_label("é" * 300, 400)
        == "600 / 400 caractères (comptés comme la plateforme) — au-delà de la limite"
    )


def test_hidden_fields_are_left_out():
    text = export_text(make_snapshot())
    assert "Accord du conseil départemental" not in text
    shown = export_text(make_snapshot(dict(ANSWERS, type_porteur="Autre acteur")))
    assert "Accord du conseil départemental *\nNon renseigné" in shown


def test_attachments_to_upload_listed(snapshot):
    text = export_text(snapshot)
    assert (
        "- Actions, action 1 — Convention : convention-diagnostic.pdf (47,1\u00a0Ko), SHA-256 abababababab…"
        in text
    )


def test_markdown_escapes_what_the_user_typed():
    snap = make_snapshot(
        dict(ANSWERS, nom_structure="*Gras* <b>x</b> # titre", commentaire="- pas une liste\n1. ni ça")
    )
    md = export_text(snap, "md")
    assert "\\*Gras\\* \\<b\\>x\\</b\\> \\# titre" in md
    assert "\\- pas une liste\\\n1\\. ni ça" in md
    assert md.startswith("# Dossier SPIE du Morbihan\n")
    assert "## Territoire" in md


def test_unknown_format_refused(snapshot):
    with pytest.raises(ValueError):
        export_text(snapshot, "docx")


def test_write_text_is_utf8(snapshot, tmp_path):
    out = tmp_path / "d.md"
    write_text(snapshot, out, "md")
    assert "Cœur du projet" in out.read_text(encoding="utf-8")


def test_paste_items_one_per_visible_field_with_copy_text():
    snap = make_snapshot(attachments=ATTACHMENTS)
    items = paste_items(snap)
    by_path = {i.path: i for i in items}
    assert "accord_cd" not in by_path  # hidden
    assert by_path["nb_rsa"].text == "12400" and by_path["nb_rsa"].kind is PasteKind.NUMBER
    assert by_path["etp"].text == "2,5"
    assert by_path["date_debut"].text == "03/01/2022" and by_path["date_debut"].kind is PasteKind.DATE
    assert by_path["referent"].text == "Oui" and by_path["referent"].kind is PasteKind.CHOICE
    diag = by_path["diagnostic"]
    assert diag.text == DIAGNOSTIC and diag.char_limit == 2000 and diag.char_count == len(DIAGNOSTIC.encode())
    assert not by_path["commentaire"].answered and by_path["commentaire"].required
    row = by_path["depenses[r2]"]
    assert row.kind is PasteKind.ROW and row.row_index == 1
    assert by_path["depenses[r2].montant"].text == "12500,50"
    conv = by_path["actions[a1].convention"]
    assert conv.is_attachment and conv.attachments == ATTACHMENTS and conv.text == "convention-diagnostic.pdf"
    sections = [i.section_id for i in items]
    assert sections == sorted(sections, key=["porteur", "territoire", "budget"].index)
