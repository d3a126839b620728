"""Rechercher / Remplacer on a snapshot: accents and case folded, offsets into the original text."""

from __future__ import annotations

from spie_desktop.forms import parse_template
from spie_desktop.search import HitKind, find_spans, fold, plan_replacements, search
from spie_desktop.snapshot import CommentInfo, DossierInfo, DossierSnapshot

TEMPLATE = {
    "format": "spie-template",
    "format_version": 1,
    "id": "t-search",
    "version": "1",
    "title": "Essai",
    "description": "",
    "deadline": None,
    "platform": {},
    "parameters": {},
    "sections": [
        {
            "id": "projet",
            "title": "Le projet",
            "fields": [
                {
                    "id": "diagnostic",
                    "type": "textarea",
                    "label": "Diagnostic du territoire",
                    "description": "Décrivez les besoins repérés par les élus.",
                },
                {"id": "nature", "type": "drop_down_list", "label": "Nature", "options": ["Élus", "Autres"]},
            ],
        },
        {
            "id": "consortium",
            "title": "Consortium",
            "fields": [
                {
                    "id": "membres",
                    "type": "repetition",
                    "label": "Membres",
                    "row_label": "Membre",
                    "children": [
                        {"id": "structure", "type": "text", "label": "Structure"},
                        {"id": "role", "type": "textarea", "label": "Rôle"},
                    ],
                },
            ],
        },
    ],
}


def snapshot(answers, comments=()):
    info = DossierInfo("d1", "Essai", "t-search", "1", "2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z")
    return DossierSnapshot(parse_template(TEMPLATE), info, answers, comments=tuple(comments))


ANSWERS = {
    "diagnostic": "Le DIAGNOSTIC partagé avec les Élus\u00a0locaux ; les élus ont validé.",
    "nature": "Élus",
    "membres": [
        {"_id": "r1", "structure": "CCAS de Valence", "role": "Pilote du diagnostic"},
        {"_id": "r2", "structure": "Mission locale", "role": "Accompagne les jeunes élus"},
    ],
}


def test_fold_keeps_offsets_into_the_original():
    f = fold("Élus œuvre")
    assert f.text == "elus oeuvre"
    assert f.origin[:5] == (0, 1, 2, 3, 4)
    assert f.origin[5:7] == (5, 5)  # « œ » folds to two characters


def test_accents_and_case_folded_spans_point_at_the_original():
    text = ANSWERS["diagnostic"]
    spans = find_spans(text, "elus")
    assert [text[s:e] for s, e in spans] == ["Élus", "élus"]
    assert find_spans(text, "diagnostic") == [(3, 13)]
    assert find_spans("une œuvre", "OEUVRE") == [(4, 9)]
    assert find_spans("les Élus", "elus", exact=True) == []


def test_search_covers_answers_rows_labels_help_and_comments():
    comments = [
        CommentInfo(
            "c1", "membres[r2].role", "Claire", "CD", "2024-01-02T00:00:00Z", "Préciser le rôle des élus"
        )
    ]
    hits = search(snapshot(ANSWERS, comments), "elus")
    found = {(h.kind, h.path, h.match) for h in hits}
    assert (HitKind.ANSWER, "diagnostic", "Élus") in found
    assert (HitKind.ANSWER, "diagnostic", "élus") in found
    assert (HitKind.HELP, "diagnostic", "élus") in found
    assert (HitKind.ANSWER, "nature", "Élus") in found
    assert (HitKind.LABEL, "nature", "Élus") not in found  # options are not labels
    assert (HitKind.ANSWER, "membres[r2].role", "élus") in found
    assert (HitKind.COMMENT, "membres[r2].role", "élus") in found
    row_hit = next(h for h in hits if h.path == "membres[r2].role" and h.kind is HitKind.ANSWER)
    assert row_hit.section_title == "Consortium" and row_hit.question == "Rôle"
    assert row_hit.location == "Membre 2"
    assert row_hit.excerpt_text() == "Accompagne les jeunes « élus »"
    label_hits = search(snapshot({}), "territoire")
    assert [(h.kind, h.path) for h in label_hits] == [(HitKind.LABEL, "diagnostic")]
    assert search(snapshot(ANSWERS), "   ") == []


def test_excerpt_is_cut_around_the_match():
    long = "mot " * 40 + "cible" + " fin" * 40
    hit = search(snapshot({"diagnostic": long}), "cible")[0]
    before, match, after = hit.excerpt()
    assert match == "cible" and before.startswith("…") and after.endswith("…")
    assert len(before) < 50


def test_replacements_touch_only_text_answers_and_keep_the_rest():
    plan = plan_replacements(snapshot(ANSWERS), "elus", "conseillers")
    by_path = {r.path: r for r in plan}
    assert set(by_path) == {"diagnostic", "membres[r2].role"}  # not the drop-down « nature »
    assert (
        by_path["diagnostic"].new == "Le DIAGNOSTIC partagé avec les conseillers\u00a0locaux ; "
        "les conseillers ont validé."
    )
    assert by_path["diagnostic"].hit_count == 2
    assert by_path["membres[r2].role"].new == "Accompagne les jeunes conseillers"
    assert plan_replacements(snapshot(ANSWERS), "introuvable", "x") == []
