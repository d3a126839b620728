"""The command line of the team server: ``server init``, ``server list`` and ``take``.

Every other command takes a server address where it takes a FICHIER.spie (models/opening.py);
``import`` writes into a server when its output is an address (:func:`import_to_server`).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..terminal import echo, one_line

EXIT_OK = 0
ADDRESS_HELP = "postgresql://[utilisateur@]serveur[:port]/base?dossier=ID"


def add_parsers(sub) -> None:
    s = sub.add_parser("server", help="préparer un serveur PostgreSQL d'équipe (service informatique)")
    ssub = s.add_subparsers(dest="server_command", metavar="ACTION", required=True)
    i = ssub.add_parser("init", help="créer ou mettre à jour les rôles de groupe et les dossiers de la base")
    i.add_argument("url", metavar="ADRESSE", help="postgresql://[administrateur@]serveur[:port]/base")
    i.set_defaults(handler=cmd_server_init)
    ls = ssub.add_parser("list", help="lister les dossiers de la base que vous pouvez ouvrir")
    ls.add_argument("url", metavar="ADRESSE", help="postgresql://[utilisateur@]serveur[:port]/base")
    ls.set_defaults(handler=cmd_server_list)

    t = sub.add_parser("take", help="emporter une copie locale .spie d'un dossier du serveur (hors ligne)")
    t.add_argument("url", metavar="ADRESSE", help=ADDRESS_HELP)
    t.add_argument("out", metavar="COPIE.spie")
    t.set_defaults(handler=cmd_take)


def cmd_server_init(args: argparse.Namespace) -> int:
    from .dossiers import init_server

    for line in init_server(args.url):
        echo(one_line(line))
    return EXIT_OK


def cmd_server_list(args: argparse.Namespace) -> int:
    from .address import SCHEMA_PREFIX
    from .dossiers import list_server_dossiers

    found = list_server_dossiers(args.url)
    for schema, title in found:
        echo(f"{one_line(schema.removeprefix(SCHEMA_PREFIX))}\t{one_line(title)}")
    if not found:
        echo("Aucun dossier que vous puissiez ouvrir dans cette base.")
    return EXIT_OK


def cmd_take(args: argparse.Namespace) -> int:
    from ..models import open_dossier
    from ..settings import load_settings

    st = load_settings()
    with open_dossier(
        args.url, read_only=True, author=st.author_name, organisation=st.author_organisation
    ) as df:
        out = df.save_copy(Path(args.out), new_replica=True)
        shown = str(df.path)
    echo(f"Copie emportée : {out}")
    echo(f'Pour rapporter votre travail sur le serveur : spie-desktop merge "{shown}" {out}')
    return EXIT_OK


def import_to_server(data: dict, url: str, *, author: str, organisation: str, source: str) -> str:
    """Create the dossier at ``url`` from an interchange document (validated first), all in one batch."""
    from ..interchange import fill_from_snapshot, snapshot_from_document, validate_document
    from ..models import DossierFile

    template = validate_document(data, source=source)
    snap = snapshot_from_document(data, template)
    with DossierFile.create(
        url,
        template,
        snap.info.title,
        author=author,
        organisation=organisation,
        dossier_id=snap.info.id,
        created_at=snap.info.created_at or None,
    ) as df:
        try:
            with df.batch():
                fill_from_snapshot(df, snap)
                df.set_timestamps(updated_at=snap.info.updated_at or None)
        except BaseException:
            _drop_new_dossier(df)
            raise
        return str(df.path)


def _drop_new_dossier(df) -> None:
    """An import that failed half-way leaves no dossier behind on the server."""
    from .rights import q

    backend = df.store.backend
    try:
        conn = backend.raw.conn
        conn.rollback()
        conn.execute(f"DROP SCHEMA {q(backend.address.schema)} CASCADE")
        conn.commit()
    except Exception:  # noqa: BLE001 - the dossier stays, empty; the first error is the one to show
        pass
