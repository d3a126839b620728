"""``spie-desktop link FICHIER.spie SCHEMA.json|URL [--yes]`` and ``spie-desktop send FICHIER.spie``.

``link`` shows the matching and stores it only when confirmed (``--yes``, or « o » typed);
``send`` is the explicit click of the command line: it posts the prefill body, then records it.
"""

from __future__ import annotations

import argparse
import sys
import webbrowser
from typing import Any

EXIT_OK, EXIT_ERROR = 0, 2


def add_parsers(subparsers: Any) -> None:
    s = subparsers.add_parser(
        "link",
        help="associer le modèle d'un dossier à une démarche en ligne (identifiants de la plateforme)",
        description="Relie les questions du dossier à celles de la démarche (type, position, libellé), montre "
        "le résultat, puis l'enregistre dans le dossier (historique).",
    )
    s.add_argument("file", metavar="FICHIER.spie")
    s.add_argument(
        "schema",
        metavar="SCHEMA.json|URL",
        help="schéma téléchargé, ou adresse de la démarche (téléchargé sur demande)",
    )
    s.add_argument("--yes", action="store_true", help="enregistrer sans demander, douteuses comprises")
    s.add_argument(
        "--sans-douteuses",
        dest="no_doubtful",
        action="store_true",
        help="ne garder que les correspondances sûres",
    )
    s.add_argument("--author", help="nom inscrit dans l'historique")
    s.set_defaults(handler=run_link)
    s = subparsers.add_parser(
        "send",
        help="envoyer le préremplissage du dossier à la plateforme (crée un brouillon à reprendre en ligne)",
        description="Envoie les réponses préremplissables à /api/public/v1/demarches/<numéro>/dossiers, affiche le "
        "numéro et le lien du dossier créé (à reprendre dans les 5 jours) et l'inscrit dans l'historique.",
    )
    s.add_argument("file", metavar="FICHIER.spie")
    s.add_argument(
        "--no-browser", action="store_true", help="ne pas ouvrir le lien du dossier dans le navigateur"
    )
    s.add_argument("--author", help="nom inscrit dans l'historique")
    s.set_defaults(handler=run_send)


def _fail(message: str) -> int:
    print(f"spie-desktop : {message}", file=sys.stderr)
    return EXIT_ERROR


def _author(args: argparse.Namespace) -> tuple[str, str]:
    from ..settings import load_settings

    s = load_settings()
    return args.author or s.author_name, s.author_organisation


def run_link(args: argparse.Namespace) -> int:
    from ..models import open_dossier
    from .link_store import OnlineError, load_schema, plan_link, store_link
    from .schema_import import SchemaImportError

    try:
        schema, source = load_schema(args.schema)
        name, org = _author(args)
        with open_dossier(args.file, author=name, organisation=org) as df:
            plan = plan_link(df.template, schema, source)
            print("\n".join(plan.lines()))
            if not plan.pairs:
                return _fail("aucune question ne correspond : rien n'est enregistré.")
            if not args.yes:
                answer = input("\nEnregistrer cette association dans le dossier ? [o/N] ").strip().lower()
                if answer not in ("o", "oui", "y", "yes"):
                    print("Rien n'a été enregistré.")
                    return EXIT_OK
            store_link(df, plan, accept_doubtful=not args.no_doubtful)
    except (OnlineError, SchemaImportError) as exc:
        return _fail(str(exc))
    except EOFError:
        print("Rien n'a été enregistré (pas de confirmation).")
        return EXIT_OK
    print(f"Association enregistrée dans {args.file} (démarche n° {plan.procedure_number}).")
    return EXIT_OK


def run_send(args: argparse.Namespace) -> int:
    from ..formatting import format_datetime
    from ..models import open_dossier
    from .link_store import record_sent
    from .online import OnlineError, send_prefill
    from .prefill import build_prefill

    name, org = _author(args)
    try:
        with open_dossier(args.file, author=name, organisation=org) as df:
            result = build_prefill(df.snapshot())
            for label, reason in result.refused:
                print(f"non envoyé — {label} : {reason}", file=sys.stderr)
            sent = send_prefill(df.template, result.body)
            record_sent(df, sent)
    except OnlineError as exc:
        return _fail(str(exc))
    print(f"Dossier n° {sent.dossier_number} créé sur la plateforme : {sent.dossier_url}")
    print(
        f"Ouvrez ce lien et connectez-vous pour le reprendre, à reprendre avant le "
        f"{format_datetime(sent.claim_before.isoformat())} (un dossier prérempli non repris est supprimé au bout de 5 jours)."
    )
    for label, why in result.undone():
        print(f"à faire en ligne — {label}" + (f" : {why}" if why else ""))
    if not args.no_browser:
        webbrowser.open(sent.dossier_url)
    return EXIT_OK
