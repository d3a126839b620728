"""Command line for the exports: ``export pdf|text|prefill|json FILE.spie -o OUT`` and ``import-schema``.

The foundation's CLI calls :func:`add_parsers` on its subparsers; each parser sets ``func`` to
the handler (and ``handler``, which the foundation's CLI reads), which returns the exit code (0 ok, 2 error with a French message on stderr).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ..errors import SpieError
from ..terminal import echo, one_line

EXPORT_KINDS = ("pdf", "text", "prefill", "json")


def add_parsers(subparsers: Any) -> None:
    """Register ``export`` and ``import-schema`` on an argparse subparsers object."""
    p = subparsers.add_parser(
        "export",
        help="exporter un dossier (copie PDF, texte, préremplissage, JSON)",
        description="Exporte un dossier .spie : copie de relecture PDF, copie texte pour le dépôt, "
        "données de préremplissage de la démarche en ligne, ou échange JSON.",
    )
    p.add_argument("kind", choices=EXPORT_KINDS, help="pdf, text, prefill ou json")
    p.add_argument("file", metavar="FICHIER.spie", help="le dossier à exporter")
    p.add_argument("-o", "--output", required=True, metavar="SORTIE", help="le fichier à écrire")
    p.add_argument("--wide-margins", action="store_true", help="PDF : grandes marges pour annoter à la main")
    p.add_argument("--comments", action="store_true", help="PDF : inclure les commentaires de relecture")
    p.add_argument(
        "--format",
        choices=("txt", "md"),
        default=None,
        help="texte : txt (par défaut) ou md ; deviné d'après l'extension de SORTIE",
    )
    p.set_defaults(func=run_export, handler=run_export)

    s = subparsers.add_parser(
        "import-schema",
        help="faire un modèle de formulaire à partir d'une démarche en ligne",
        description="Transforme le schéma JSON d'une démarche (https://<hôte>/preremplir/<démarche>/schema) "
        "en modèle de formulaire utilisable hors ligne.",
    )
    s.add_argument(
        "schema",
        metavar="SCHEMA.json|URL",
        help="le schéma téléchargé depuis la plateforme, ou l'adresse de la démarche (téléchargé à cette demande)",
    )
    s.add_argument("-o", "--output", required=True, metavar="MODELE.json", help="le modèle à écrire")
    s.set_defaults(func=run_import_schema, handler=run_import_schema)


def _fail(message: str) -> int:
    echo(f"spie-desktop : {message}", file=sys.stderr)
    return 2


def _open(path: str) -> Any:
    from ..models import open_snapshot

    return open_snapshot(path)


def run_export(args: argparse.Namespace) -> int:
    if args.kind == "json":  # owned by the interchange code; only routed from here
        from ..cli import run_export_json

        return run_export_json(args)
    out = Path(args.output)
    if not out.parent.is_dir():
        return _fail(f"le dossier de destination « {out.parent} » n'existe pas.")
    try:
        snapshot = _open(args.file)
        if args.kind == "pdf":
            from .pdf import write_pdf

            write_pdf(snapshot, out, wide_margins=args.wide_margins, include_comments=args.comments)
            print(f"Copie PDF écrite : {out}")  # like « Fichier d'échange écrit » for json
        elif args.kind == "text":
            from .text import write_text

            fmt = args.format or ("md" if out.suffix.lower() in (".md", ".markdown") else "txt")
            write_text(snapshot, out, fmt)
            print(f"Copie texte écrite : {out}")
        else:
            from ..atomic import atomic_write_text
            from .prefill import build_prefill

            result = build_prefill(snapshot)
            atomic_write_text(out, json.dumps(result.as_json(), ensure_ascii=False, indent=2) + "\n")
            for label, reason in result.refused:
                echo(f"non prérempli — {one_line(label)} : {one_line(reason)}", file=sys.stderr)
            for line in result.instructions():
                echo(line)
    except SpieError as exc:  # dossier, template, export: the French message as is
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f"« {args.file} » : {exc.strerror or exc}.")
    return 0


def run_import_schema(args: argparse.Namespace) -> int:
    from ..safe_json import TEMPLATE_LIMITS, JsonInputError, read_json_file

    src = Path(args.schema)
    if args.schema.startswith(("https://", "http://")):
        from .online import OnlineError, fetch_schema

        try:
            data = fetch_schema(args.schema)
        except OnlineError as exc:
            return _fail(str(exc))
        return _write_imported(args, data, args.schema)
    try:
        data = read_json_file(src, limits=TEMPLATE_LIMITS)
    except FileNotFoundError:
        return _fail(f"le fichier « {src} » est introuvable.")
    except OSError as exc:
        return _fail(f"le fichier « {src} » ne peut pas être lu ({exc.__class__.__name__}).")
    except JsonInputError as exc:
        return _fail(f"{exc}.")
    return _write_imported(args, data, str(src))


def _write_imported(args: argparse.Namespace, data: Any, source: str) -> int:
    from ..atomic import atomic_write_text
    from ..forms import TemplateError, parse_template
    from .schema_import import SchemaImportError, template_from_schema

    try:
        template, warnings = template_from_schema(data, source=source)
        parse_template(template, source=source)  # never write a template the application would refuse
    except (SchemaImportError, TemplateError) as exc:
        return _fail(str(exc))
    out = Path(args.output)
    try:
        atomic_write_text(out, json.dumps(template, ensure_ascii=False, indent=2) + "\n")
    except OSError as exc:
        return _fail(f"« {out} » n'a pas pu être écrit : {exc.strerror or exc}.")
    for w in warnings:
        echo(f"attention : {one_line(w)}", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry (``python -m spie_desktop.exports.command``), for tests and scripts."""
    parser = argparse.ArgumentParser(prog="spie-desktop")
    add_parsers(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
