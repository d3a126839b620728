"""The command line: parse, hand over to the package that does the work, map errors to exit codes.

Exit codes: 0 success, 1 the dossier has blocking problems (``check``) or conflicts (``merge``),
2 a user error (French message on stderr, never a traceback).
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .terminal import echo, one_line

if TYPE_CHECKING:  # argparse and its French load only for a command or an unusual window line
    import argparse

EXIT_OK, EXIT_PROBLEMS, EXIT_ERROR = 0, 1, 2
log = logging.getLogger(__name__)


def _fail(message: str) -> int:
    echo(f"spie-desktop : {message}", file=sys.stderr)
    return EXIT_ERROR


GUI_EPILOG = """Sans commande, la fenêtre de l'application s'ouvre :
  FICHIER.spie     ouvrir ce dossier
  ADRESSE          ouvrir un dossier sur un serveur (postgresql://serveur/base?dossier=ID)
  --example        ouvrir une copie du dossier d'exemple
  --read-only      ouvrir le dossier en lecture seule
  --debug          journal détaillé, pour la fenêtre comme pour une commande
Aide d'une commande : spie-desktop COMMANDE --help"""


def build_parser() -> argparse.ArgumentParser:
    from .cli_french import FrenchParser, FrenchRawEpilog

    p = FrenchParser(
        prog="spie-desktop",
        usage="spie-desktop [FICHIER.spie] [--example] [--read-only] [--debug]\n"
        "       spie-desktop COMMANDE [options]",
        description="Préparer hors ligne, à plusieurs, le dossier de candidature à l'AMI SPIE.",
        epilog=GUI_EPILOG,
        formatter_class=FrenchRawEpilog,
    )
    p.add_argument(
        "--version", action="version", version=f"spie-desktop {__version__}", help="afficher la version"
    )
    sub = p.add_subparsers(dest="command", metavar="COMMANDE", parser_class=FrenchParser, prog="spie-desktop")

    s = sub.add_parser("new", help="créer un dossier vide à partir d'un modèle")
    s.add_argument("out", metavar="SORTIE.spie")
    s.add_argument(
        "--template",
        required=True,
        metavar="ID|MODELE.json",
        help="identifiant d'un modèle installé, ou fichier de modèle",
    )
    s.add_argument("--title", help="titre du dossier")

    s = sub.add_parser("import", help="créer un dossier .spie à partir d'un fichier d'échange JSON")
    s.add_argument("input", metavar="ENTREE.json")
    s.add_argument("out", metavar="SORTIE.spie")

    s = sub.add_parser("apply", help="appliquer des réponses (JSON partiel) comme modifications enregistrées")
    s.add_argument("file", metavar="FICHIER.spie")
    s.add_argument("answers", metavar="REPONSES.json")
    s.add_argument("--author", default="", metavar="NOM", help="auteur inscrit dans l'historique")
    s.add_argument(
        "--organisation",
        default=None,
        metavar="ORGANISATION",
        help="organisation de l'auteur (par défaut : celle des préférences, sauf avec --author)",
    )

    sub.add_parser("templates", help="lister les modèles de formulaire installés")

    s = sub.add_parser("info", help="afficher le modèle, le titre, les effectifs et le verrou d'un dossier")
    s.add_argument("file", metavar="FICHIER.spie")

    _add_optional(sub, "spie_desktop.checks.command", "add_parser")
    _add_optional(sub, "spie_desktop.exports.command", "add_parsers", fallback=_add_export_json_only)
    _add_optional(sub, "spie_desktop.collab.command", "add_parsers")
    _add_optional(sub, "spie_desktop.exports.platform_command", "add_parsers")
    _add_optional(sub, "spie_desktop.server.command", "add_parsers")
    return p


def _add_optional(sub, module: str, func: str, fallback=None) -> None:
    """Subcommands owned by other packages register themselves; their imports stay light."""
    import importlib

    try:
        mod = importlib.import_module(module)
    except ImportError:
        if fallback:
            fallback(sub)
        return
    getattr(mod, func)(sub)


def _add_export_json_only(sub) -> None:
    s = sub.add_parser("export", help="exporter un dossier")
    s.add_argument("kind", choices=["json"])
    s.add_argument("file", metavar="FICHIER.spie")
    s.add_argument("-o", "--output", required=True, metavar="SORTIE")
    s.set_defaults(handler=lambda a: run_export_json(a))


def run_export_json(args: argparse.Namespace) -> int:
    from .interchange import export_json

    export_json(args.file, args.output)
    echo(f"Fichier d'échange écrit : {args.output}")
    return EXIT_OK


def _is_address(target: str) -> bool:
    """A ``postgresql://…`` address: a dossier on a server (spie_desktop/server)."""
    return target.lower().startswith(("postgresql://", "postgres://"))


def _author() -> tuple[str, str]:
    from .settings import load_settings

    s = load_settings()
    return s.author_name, s.author_organisation


def cmd_new(args: argparse.Namespace) -> int:
    from .forms import registry
    from .models import DossierFile

    if args.template.lower().endswith(".json") and not Path(args.template).is_file():
        return _fail(f"le fichier de modèle « {args.template} » est introuvable.")
    template = registry.resolve(args.template)
    if _is_address(args.out):  # a dossier on a server
        name, org = _author()
        with DossierFile.create(
            args.out, template, args.title or f"Dossier {template.title}", author=name, organisation=org
        ) as df:
            echo(f"Dossier créé : {df.path} (modèle {template.id} {template.version})")
        return EXIT_OK
    out = Path(args.out)
    if out.suffix.lower() != ".spie":
        return _fail("le fichier de sortie doit avoir l'extension .spie")
    name, org = _author()
    title = args.title or f"Dossier {template.title}"
    with DossierFile.create(out, template, title, author=name, organisation=org):
        pass
    echo(f"Dossier créé : {out} (modèle {template.id} {template.version})")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from .interchange import import_document, load_document

    name, org = _author()
    if _is_address(args.out):
        from .server.command import import_to_server

        shown = import_to_server(
            load_document(args.input), args.out, author=name or "Import", organisation=org, source=args.input
        )
        echo(f"Dossier importé : {shown}")
        return EXIT_OK
    out = import_document(
        load_document(args.input), args.out, author=name or "Import", organisation=org, source=args.input
    )
    echo(f"Dossier importé : {out}")
    return EXIT_OK


def cmd_apply(args: argparse.Namespace) -> int:
    from .interchange import InterchangeError, apply_answers, load_document
    from .models import open_dossier

    answers = load_document(args.answers)
    if not isinstance(answers, dict):
        raise InterchangeError(["un objet JSON {champ: valeur} est attendu"], args.answers)
    if answers.get("format") == "spie-dossier":
        answers = answers.get("answers", {})
    name, org = _author()
    if args.author:  # « X (Y) » is said in full: the local user's organisation is not added to it
        name, org = args.author, ""
    if args.organisation is not None:
        org = args.organisation
    with open_dossier(args.file, author=name, organisation=org) as df:
        n = apply_answers(df, answers)
    echo(f"{n} modification(s) enregistrée(s) dans {args.file}")
    return EXIT_OK


def cmd_templates(args: argparse.Namespace) -> int:
    from .forms import registry

    entries, errors = registry.available()
    for e in entries:
        origin = "intégré" if e.builtin else str(e.path)
        deadline = f", date limite {e.template.deadline}" if e.template.deadline else ""
        echo(
            f"{one_line(e.template.id)}\t{one_line(e.template.version)}\t{one_line(e.template.title)} "
            f"({one_line(origin)}{deadline})"
        )
    for err in errors:
        echo(f"ignoré : {err}", file=sys.stderr)
    return EXIT_OK


def cmd_info(args: argparse.Namespace) -> int:
    from .formatting import format_datetime
    from .models import open_snapshot
    from .models.lock import is_stale, read_holder

    snap = open_snapshot(args.file)
    t = snap.template
    rows = sum(len(v) for v in snap.answers.values() if isinstance(v, list))
    answers = sum(1 for v in snap.answers.values() if not isinstance(v, list)) + sum(
        len(r) - 1 for v in snap.answers.values() if isinstance(v, list) for r in v
    )
    echo(f"Titre : {one_line(snap.info.title)}")
    echo(f"Modèle : {one_line(t.title)} ({one_line(t.id)}, version {one_line(t.version)})")
    echo(f"Identifiant : {one_line(snap.info.id)}")
    echo(
        f"Créé le : {one_line(format_datetime(snap.info.created_at))} — "
        f"modifié le : {one_line(format_datetime(snap.info.updated_at))}"
    )
    echo(
        f"Réponses : {answers} — lignes de tableaux : {rows} — pièces jointes : {len(snap.attachments)} — "
        f"commentaires : {len(snap.comments)} — modifications enregistrées : {snap.change_count}"
    )
    holder = None if _is_address(args.file) else read_holder(Path(args.file))
    if _is_address(args.file):
        echo("Ouvert par : (dossier sur un serveur, partagé)")
    elif holder:
        stale = " (verrou abandonné)" if is_stale(Path(args.file), holder) else ""
        since = f" depuis le {one_line(format_datetime(holder.since))}" if holder.since else ""
        echo(f"Ouvert par : {one_line(holder.who)}{since}{stale}")
    else:
        echo("Ouvert par : personne")
    return EXIT_OK


HANDLERS = {
    "new": cmd_new,
    "import": cmd_import,
    "apply": cmd_apply,
    "templates": cmd_templates,
    "info": cmd_info,
}


def _start_log(debug: bool, what: str) -> None:
    from .logs import setup_logging

    setup_logging(debug)
    log.info("spie-desktop %s (%s), Python %s, %s", __version__, what, sys.version.split()[0], sys.platform)


#: The window's options that take no value, and their help (``--debug`` is taken off the line before).
WINDOW_FLAGS = {
    "--example": "ouvrir une copie du dossier d'exemple",
    "--quit-after-show": "quitter dès la fenêtre affichée (mesures)",
    "--read-only": "ouvrir le dossier en lecture seule",
}


def _plain_window_line(argv: list[str]) -> tuple[str | None, set[str]] | None:
    """The file and options of a window line argparse would read the same way (known options
    spelt in full, at most one file not starting with « - »), else None: then argparse reads it
    and says, in French, what is wrong or what the options are (``--help``)."""
    file, flags = None, set()
    for arg in argv:
        if arg in WINDOW_FLAGS:
            flags.add(arg)
        elif arg.startswith("-") or file is not None:
            return None
        else:
            file = arg
    return file, flags


def _parsed_window_line(argv: list[str]) -> tuple[str | None, set[str]]:
    """The same, read by the French argparse (which exits with its help or its refusal)."""
    from .cli_french import FrenchParser

    p = FrenchParser(prog="spie-desktop", description="Ouvre la fenêtre de SPIE Desktop.")
    p.add_argument("file", nargs="?", metavar="FICHIER.spie")
    for flag, help_text in WINDOW_FLAGS.items():
        p.add_argument(flag, action="store_true", help=help_text)
    p.add_argument(
        "--debug", action="store_true", help="journal détaillé (fichier journal et sortie d'erreur)"
    )
    a = p.parse_args(argv)
    return a.file, {flag for flag in WINDOW_FLAGS if getattr(a, flag[2:].replace("-", "_"))}


def _run_gui(argv: list[str]) -> int:
    from .app import run

    # a plain line, the usual case, is read without loading argparse (about 10 ms of start-up)
    file, flags = _plain_window_line(argv) or _parsed_window_line(argv)
    return run(
        file,
        example="--example" in flags,
        quit_after_show="--quit-after-show" in flags,
        read_only="--read-only" in flags,
    )


SUBCOMMANDS = {
    "new",
    "import",
    "apply",
    "templates",
    "info",
    "check",
    "export",
    "import-schema",
    "copy",
    "merge",
    "history",
    "link",
    "send",
    "server",
    "take",
    "-h",
    "--help",
    "--version",
}


def main(argv: list[str]) -> int:
    debug = "--debug" in argv  # anywhere on the line: for the window as for every command
    argv = [a for a in argv if a != "--debug"]
    _start_log(debug, argv[0] if argv and argv[0] in SUBCOMMANDS else "fenêtre")
    if not argv or argv[0] not in SUBCOMMANDS:
        return _run_gui(argv)
    from . import collector

    collector.resume()  # a command: the usual cycle collector (only the window's start-up pauses it)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        return _run_gui([])
    from .errors import SpieError

    handler = getattr(args, "handler", None) or HANDLERS[args.command]
    try:
        return handler(args)
    except SpieError as exc:  # every error a user can meet, with its French message
        log.info("commande %s refusée : %s", args.command, exc.__class__.__name__)
        log.debug("message : %s", exc)
        return _fail(str(exc))
    except OSError as exc:
        return _fail(
            f"le fichier « {exc.filename or ''} » ne peut pas être lu ou écrit ({exc.strerror or exc})."
        )
    except KeyboardInterrupt:
        return _fail("interrompu.")
    except Exception as exc:  # noqa: BLE001 - last resort: a French message, the details in a log file
        from .crashlog import write_crash_log

        report = write_crash_log(exc)
        return _fail(
            f"erreur inattendue ({exc.__class__.__name__}). Rien n'a été modifié par cette commande "
            f"au-delà de ce qu'elle a pu terminer. Détails techniques : {report}"
        )
