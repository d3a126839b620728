"""Issue 13: what a screen reader gets, read through the real AT-SPI accessibility bus.

The real main window runs under Xvfb with Qt's accessibility bridge on a private session bus; the
system Python's pyatspi walks its tree on every section of the example, with the check panel open
(after a required answer was removed), in « Dépôt en ligne » and in every dialog and panel
(a11y_dialogs.py). Every check fails the test on its first finding; the findings and the figures are
printed (``pytest -s tests/a11y``) for the README. CI installs the Debian packages; elsewhere the
test is skipped when they are missing.
"""

from __future__ import annotations

import os

import a11y_audit as audit
import pytest
from a11y_dialogs import DIALOGS
from a11ykit import accessibility_session, missing_tools

# one accessibility stack at a time: the three files run in turn on one worker (pytest -n, --dist loadgroup)
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("a11y")]

CHECKS = {
    "objets interactifs sans nom": lambda tree, facts: audit.unnamed_interactive(tree),
    "textes affichés absents de l'arbre": audit.unreadable_texts,
    "nom annoncé sans le texte du bouton": audit.names_without_visible_text,
    "statut ou réponse affiché absent de son objet": audit.shown_text_not_in_its_object,
    "réponse du dépôt en ligne illisible": audit.answers_not_read,
    "nom ou description périmé après navigation": audit.stale_after_navigation,
    "champ obligatoire non annoncé": audit.required_not_said,
    "ordre de tabulation contraire à l'affichage": lambda tree, facts: audit.tab_order_inversions(facts),
    "contraste du texte sous 4,5:1": lambda tree, facts: audit.low_contrast(facts),
}
# Every check is a guarantee of the application (issue 13): each finding fails the test.
ENFORCED = set(CHECKS)


@pytest.fixture(scope="module")
def walk() -> dict[str, tuple[dict, dict]]:
    missing = missing_tools()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"il manque pour l'audit d'accessibilité : {', '.join(missing)}")
        pytest.skip(f"il manque : {', '.join(missing)}")
    views: dict[str, tuple[dict, dict]] = {}
    with accessibility_session() as session:
        for section in session.sections:
            session.send(f"section {section}")
            views[f"section {section}"] = (session.tree(), session.facts())
        first = session.sections[1]  # a required answer removed: the field must say what to correct, first
        session.send(f"section {first}")
        session.send("clear")
        session.send("check")
        views["panneau de vérification"] = (session.tree(), session.facts())
        session.send(f"section {session.sections[0]}")  # the panel stays open while the sections change
        views[f"section {session.sections[0]}, panneau ouvert"] = (session.tree(), session.facts())
        session.send(f"section {first}")
        views[f"section {first}, panneau ouvert"] = (session.tree(), session.facts())
        session.send("filing")
        views["Dépôt en ligne"] = (session.tree(), session.facts())
        session.send("close-filing")
        for name in DIALOGS:  # every dialog and panel, as its menu opens it
            session.send(f"dialog {name}")
            facts = session.facts()
            views[f"dialogue {name} ({facts['audited']})"] = (session.tree(), facts)
            session.send("close-dialogs")
    return views


def test_the_tree_is_walked_in_every_view(walk):
    assert len(walk) >= 16 + len(DIALOGS)
    titles = {facts["audited"] for _tree, facts in walk.values()}
    for title in (
        "Nouveau dossier",
        "Préférences",
        "Copie de relecture PDF",
        "Imprimer la copie de relecture",
        "Envoyer une copie à un partenaire",
        "Historique du dossier",
        "Importer un formulaire en ligne",
        "Associer à une démarche en ligne",
        "Remplacer : aperçu",
        "Intégrer une copie : conflits à résoudre",
    ):
        assert title in titles, f"dialogue non parcouru : {title}"
    answers = walk["Dépôt en ligne"][1]["answers"]
    assert len(answers) > 200  # every answer of « Dépôt en ligne », scrolled into view or not
    for view, (tree, _facts) in walk.items():
        assert audit.figures(tree)["interactifs"] > 5, view


def test_audit(walk, capsys):
    findings: dict[str, list[str]] = {name: [] for name in CHECKS}
    for view, (tree, facts) in walk.items():
        for name, check in CHECKS.items():
            findings[name] += [f"{view} : {f}" for f in check(tree, facts)]
    objects = sum(audit.figures(t)["objets"] for t, _ in walk.values())
    interactive = sum(audit.figures(t)["interactifs"] for t, _ in walk.values())
    named = (
        sum(audit.figures(t)["nommés %"] * audit.figures(t)["interactifs"] for t, _ in walk.values()) / 100
    )
    described = (
        sum(audit.figures(t)["décrits %"] * audit.figures(t)["interactifs"] for t, _ in walk.values()) / 100
    )
    contrasts = [audit.contrast(fg, bg) for _t, f in walk.values() for fg, bg in f["colours"].values()]
    with capsys.disabled():
        print(
            f"\nAudit d'accessibilité : {len(walk)} vues, {objects} objets, {interactive} interactifs, "
            f"{100 * named / interactive:.1f} % nommés, {100 * described / interactive:.1f} % décrits, "
            f"contraste minimal {min(contrasts):.2f}:1"
        )
        for name, found in findings.items():
            unique = sorted(set(f.split(" : ", 1)[1] for f in found))
            print(f"  {name}{' (exigé)' if name in ENFORCED else ''} : {len(unique)}")
            for f in unique[:5]:
                print(f"    - {f}")
    for name in ENFORCED:
        assert not findings[name], findings[name][:20]
