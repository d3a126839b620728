"""The command line of working together: ``copy``, ``merge`` and ``history``.

Registering the commands imports nothing heavy; each handler imports what it needs.
"""

from __future__ import annotations

import argparse
import re
from datetime import datetime
from pathlib import Path

from ..terminal import echo, one_line

EXIT_OK, EXIT_CONFLICTS = 0, 1


def add_parsers(sub) -> None:
    s = sub.add_parser(
        "copy", help="préparer une copie du dossier pour un partenaire (nouvelle copie, même dossier)"
    )
    s.add_argument("file", metavar="FICHIER.spie")
    s.add_argument("out", metavar="SORTIE.spie")
    s.add_argument(
        "--for", dest="partner", metavar="NOM", help="partenaire destinataire (ses sections sont signalées)"
    )
    s.add_argument(
        "--section",
        dest="sections",
        action="append",
        default=[],
        metavar="ID",
        help="confier cette section au partenaire (répétable)",
    )
    s.set_defaults(handler=cmd_copy)

    s = sub.add_parser("merge", help="intégrer la copie reçue d'un partenaire dans un dossier")
    s.add_argument("mine", metavar="MIEN.spie")
    s.add_argument("theirs", metavar="LEUR.spie")
    s.add_argument(
        "--prefer",
        choices=["mine", "theirs"],
        help="en cas de conflit, garder ma version (mine) ou la leur (theirs)",
    )
    s.set_defaults(handler=cmd_merge)

    s = sub.add_parser(
        "history", help="afficher l'historique d'un dossier, ou l'exporter tel qu'il était à une date"
    )
    s.add_argument("file", metavar="FICHIER.spie")
    s.add_argument(
        "--field", metavar="CHAMP", help="seulement ce champ (ex. perimetre, consortium[0].structure)"
    )
    s.add_argument(
        "--at", metavar='"AAAA-MM-JJ HH:MM"', help="le dossier tel qu'il était à cette date (heure locale)"
    )
    s.add_argument(
        "-o", "--output", metavar="SORTIE.json", help="avec --at : fichier d'échange JSON à écrire"
    )
    s.set_defaults(handler=cmd_history)


def _error(message: str) -> Exception:
    from ..models.errors import DossierError

    return DossierError(message)


def _me() -> tuple[str, str]:
    from ..settings import load_settings

    s = load_settings()
    return s.author_name, s.author_organisation


def cmd_copy(args: argparse.Namespace) -> int:
    from ..models import open_dossier
    from .copies import make_partner_copy

    name, org = _me()
    if Path(args.out).exists():
        raise _error(f"Le fichier « {args.out} » existe déjà : choisissez un autre nom.")
    with open_dossier(args.file, author=name, organisation=org) as df:
        made = make_partner_copy(df, args.out, for_partner=args.partner, sections=tuple(args.sections))
        titles = {s.id: s.title for s in df.template.sections}
    echo(f"Copie écrite : {made.path}")
    if made.partner:
        shown = ", ".join(titles.get(s, s) for s in made.sections) or "aucune pour l'instant"
        echo(f"Destinataire : {one_line(made.partner)} — sections confiées : {one_line(shown)}")
    echo(f"Renvoyée complétée, elle s'intègre avec : spie-desktop merge {args.file} {made.path.name}")
    return EXIT_OK


def _show(value) -> str:
    from .history import show_value

    return one_line(show_value(value, 70))


def _who(contributions) -> str:
    from ..formatting import format_datetime

    return (
        ", ".join(
            f"{one_line(c.author or c.organisation or 'auteur inconnu')} ({one_line(format_datetime(c.at))})"
            for c in contributions
        )
        or "?"
    )


def cmd_merge(args: argparse.Namespace) -> int:
    from ..models import open_dossier
    from .merge import MergeOutcome, merge

    name, org = _me()
    with open_dossier(args.mine, author=name, organisation=org) as df:
        result = merge(df, args.theirs, prefer=args.prefer)
    for line in result.refused:  # a partner or a reviewer on a server: what their role could not write
        echo(one_line(line))
    if result.outcome is MergeOutcome.UP_TO_DATE:
        echo(f"Rien de nouveau : « {args.theirs} » est déjà intégrée dans « {args.mine} ».")
        return EXIT_OK
    if result.outcome is MergeOutcome.CONFLICTS:
        echo(
            f"{len(result.conflicts)} conflit(s) : une même réponse a été modifiée des deux côtés. "
            "Rien n'a été modifié."
        )
        for c in result.conflicts:
            echo(f"\n  {one_line(c.label)}  [{one_line(c.path or 'titre')}]")
            echo(f"    la mienne : {_show(c.mine)} — {_who(c.mine_by)}")
            echo(f"    la leur   : {_show(c.theirs)} — {_who(c.theirs_by)}")
        echo(
            "\nRelancez avec --prefer mine ou --prefer theirs, ou intégrez la copie depuis la fenêtre "
            "(Dossier › Intégrer une copie reçue…) pour choisir conflit par conflit."
        )
        return EXIT_CONFLICTS
    n = result.counts
    if not (
        n.values
        or n.rows_added
        or n.rows_removed
        or n.attachments_added
        or n.attachments_removed
        or n.comments
        or result.conflicts
    ):
        echo(f"Aucune réponse nouvelle ; l'historique a été complété ({n.changes} entrée(s)).")
        return EXIT_OK
    echo(
        f"Copie intégrée : {n.changes} modification(s) reçue(s) — {n.values} réponse(s), "
        f"{n.rows_added} ligne(s) ajoutée(s), {n.rows_removed} supprimée(s), {n.attachments_added} pièce(s) "
        f"jointe(s), {n.comments} commentaire(s)."
    )
    if n.combined:
        echo(
            f"{n.combined} texte(s) modifié(s) des deux côtés, dans des paragraphes différents : "
            "ils ont été réunis en un seul texte qui garde les deux apports."
        )
    if result.conflicts:
        side = "la mienne" if args.prefer == "mine" else "la leur"
        echo(f"{len(result.conflicts)} conflit(s) résolu(s) en gardant {side} :")
        for c in result.conflicts:
            echo(f"  {one_line(c.label)} : {_show(c.mine if args.prefer == 'mine' else c.theirs)}")
    return EXIT_OK


def parse_when(text: str) -> datetime:
    """ "AAAA-MM-JJ HH:MM" (or with seconds, or a date alone = end of day), in local time."""
    text = text.strip()
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"):
        try:
            return datetime.strptime(text, fmt).astimezone()
        except ValueError:
            pass
    try:
        return datetime.strptime(text, "%Y-%m-%d").replace(hour=23, minute=59, second=59).astimezone()
    except ValueError:
        raise _error(f'Date et heure illisibles : « {text} » (attendu : "AAAA-MM-JJ HH:MM").') from None


_FIELD = re.compile(
    r"^(?P<field>[a-z][a-z0-9_]*)(?:\[(?P<row>[A-Za-z0-9_-]+)\](?:\.(?P<child>[a-z][a-z0-9_]*))?)?$"
)


def _stored_field(df, text: str) -> str:
    """Accept the stored path or the path people see (row position, 0-based), with or without a child."""
    m = _FIELD.match(text.strip())
    if not m:
        raise _error(f"Chemin de champ invalide : « {text} » (ex. perimetre, consortium[0].structure).")
    fid, row, child = m["field"], m["row"], m["child"]
    try:
        df.template.field(fid)
    except KeyError:
        raise _error(f"Le champ « {fid} » n'existe pas dans ce formulaire.") from None
    if row is not None and row.isdigit():
        ids = df.row_ids(fid)
        if int(row) >= len(ids):
            raise _error(f"« {fid} » n'a pas de ligne {row} ({len(ids)} ligne(s), numérotées à partir de 0).")
        row = ids[int(row)]
    if row is None:
        return fid
    return f"{fid}[{row}]" + (f".{child}" if child else "")


def cmd_history(args: argparse.Namespace) -> int:
    from ..atomic import atomic_write_text
    from ..formatting import format_datetime
    from ..interchange import document_from_snapshot, dumps
    from ..models import open_dossier
    from .history import attachments_missing_at, history, snapshot_at

    if args.output and not args.at:
        raise _error("-o s'utilise avec --at : le dossier tel qu'il était à cette date.")
    with open_dossier(args.file, read_only=True) as df:
        if args.at:
            when = parse_when(args.at)
            snap = snapshot_at(df, when)
            if not args.output:
                raise _error("Avec --at, indiquez le fichier à écrire : -o SORTIE.json")
            atomic_write_text(args.output, dumps(document_from_snapshot(snap)))
            echo(
                f"Le dossier tel qu'il était le {format_datetime(when)} ({snap.change_count} modification(s)) "
                f"est écrit dans {args.output}"
            )
            missing = attachments_missing_at(df, when)
            if missing:
                echo(
                    f"Pièces jointes de cette date qui ne sont plus dans le fichier (non exportées) : "
                    f"{one_line(', '.join(missing))}"
                )
            return EXIT_OK
        path = _stored_field(df, args.field) if args.field else None
        entries = history(df, path)
    if not entries:
        echo("Aucune modification enregistrée" + (f" pour « {args.field} »." if args.field else "."))
        return EXIT_OK
    for e in entries:
        echo(
            f"n°{e.change_id}  {one_line(format_datetime(e.at))}  {one_line(e.who)}  —  {one_line(e.label)} : "
            f"{one_line(e.text)}"
        )
    return EXIT_OK
