"""The audit's checks on small hand-made trees: each catches the gap of issue 13 it was written for
(and passes what the application now exposes), without an X server or a bus."""

from __future__ import annotations

import a11y_audit as audit


def node(
    role: str, name: str = "", rect=(0, 0, 10, 10), description: str = "", states=("showing",), **extra
) -> dict:
    return {
        "role": role,
        "name": name,
        "description": description,
        "states": list(states),
        "extents": list(rect),
        "children": [],
        **extra,
    }


def tree(*children: dict) -> dict:
    root = node("application", "spie")
    root["children"] = list(children)
    return root


def test_a_label_with_a_fixed_name_hides_the_status_it_shows():
    facts = {"labels": [{"text": "Enregistré", "rect": [5, 5, 60, 16]}]}
    fixed = tree(node("label", "État de l'enregistrement", (5, 5, 60, 16)))
    said = tree(node("label", "Enregistré", (5, 5, 60, 16), "État de l'enregistrement"))
    assert audit.shown_text_not_in_its_object(fixed, facts) == [
        "« Enregistré » est annoncé « État de l'enregistrement »"
    ]
    assert audit.shown_text_not_in_its_object(said, facts) == []


def test_an_answer_only_in_a_button_description_is_not_read():
    facts = {"answers": [{"question": "Nom", "text": "Département de la Haute-Vallée"}]}
    hidden = tree(
        node("label", "Réponse : Nom"),
        node("push button", "Copier : Nom", description="Département de la Haute-Vallée"),
    )
    read = tree(node("label", "Département de la Haute-Vallée", description="Réponse : Nom"))
    assert len(audit.answers_not_read(hidden, facts)) == 1
    assert audit.answers_not_read(read, facts) == []


def test_the_name_says_the_words_on_the_button_arrows_and_ellipsis_aside():
    facts = {
        "buttons": [
            {"text": "Suivant →", "rect": [1, 1, 80, 22]},
            {"text": "Ajouter un autre fichier…", "rect": [1, 40, 80, 22]},
        ],
        "tabs": [{"text": "Réponses à reporter (2 / 9 copiées)", "rect": [1, 80, 80, 22]}],
    }
    good = tree(
        node("push button", "Suivant : C. Territoire", (1, 1, 80, 22)),
        node("push button", "Ajouter un autre fichier : RIB", (1, 40, 80, 22)),
        node("page tab", "Réponses à reporter (2 / 9 copiées)", (1, 80, 80, 22)),
    )
    bad = tree(
        node("push button", "Section suivante : C. Territoire", (1, 1, 80, 22)),
        node("push button", "Choisir un fichier : RIB", (1, 40, 80, 22)),
        node("page tab", "Réponses à reporter (0 / 9 copiées)", (1, 80, 80, 22)),
    )
    assert audit.names_without_visible_text(good, facts) == []
    assert len(audit.names_without_visible_text(bad, facts)) == 3


def test_required_and_invalid_inputs_say_so_first():
    facts = {
        "required": [{"label": "Nom", "rect": [0, 0, 100, 22]}],
        "invalid": [{"label": "Nom", "rect": [0, 0, 100, 22]}],
    }
    late = tree(
        node(
            "text", "Nom", (0, 0, 100, 22), "Le nom complet. Réponse obligatoire. Problème : Indiquez le nom."
        )
    )
    first = tree(
        node("text", "Nom", (0, 0, 100, 22), "Obligatoire. À corriger : Indiquez le nom. Le nom complet.")
    )
    assert len(audit.required_not_said(late, facts)) == 2
    assert audit.required_not_said(first, facts) == []


def test_navigation_buttons_name_the_section_they_go_to_now():
    facts = {"current": [{"text": "D. Consortium", "rect": [1, 700, 80, 22]}]}
    stale = tree(node("push button", "Suivant : C. Territoire", (1, 700, 80, 22)))
    current = tree(node("push button", "Suivant", (1, 700, 80, 22), "Aller à la section D. Consortium"))
    assert len(audit.stale_after_navigation(stale, facts)) == 1
    assert audit.stale_after_navigation(current, facts) == []


def _stop(name: str, rect, *regions) -> dict:
    return {
        "class": "QPushButton",
        "name": name,
        "rect": list(rect),
        "regions": [["fenêtre", [0, 0, 1366, 768], "fenêtre"], *[[r, list(rr), r] for r, rr in regions]],
    }


LIST = ("liste", (0, 90, 228, 650))
CENTRE = ("centre", (232, 90, 680, 660))
FORM = ("formulaire", (232, 90, 680, 610))
PANEL = ("panneau", (917, 75, 443, 665))


def test_tab_order_reads_column_by_column():
    reading = [
        _stop("Sections", (0, 91, 228, 650), LIST),
        _stop("Nom", (350, 250, 500, 22), CENTRE, FORM),
        _stop("SIRET", (350, 350, 150, 22), CENTRE, FORM),
        _stop("Précédent", (244, 716, 89, 22), CENTRE),
        _stop("Suivant", (820, 716, 80, 22), CENTRE),
        _stop("Problèmes", (917, 75, 443, 665), PANEL),
    ]
    assert audit.tab_order_inversions({"focus_chain": reading}) == []
    buttons_first = [reading[0], reading[3], reading[4], reading[1], reading[2], reading[5]]
    found = audit.tab_order_inversions({"focus_chain": buttons_first})
    assert any("« Suivant » revient à « formulaire »" in f for f in found)
    panel_between = [reading[0], reading[1], reading[5], reading[2], reading[3], reading[4]]
    assert any(
        "revient dans « centre »" in f for f in audit.tab_order_inversions({"focus_chain": panel_between})
    )
