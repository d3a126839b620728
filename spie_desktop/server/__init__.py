"""The team server: a dossier on PostgreSQL behind the same DossierFile API as a .spie file.

- address.py — ``postgresql://[user@]host[:port]/base?dossier=ID``, the password never shown;
- connect.py — psycopg 3 connections and the server's refusals in French;
- dossiers.py — opening, creating, ``server init`` (roles, upgrades), listing;
- backend.py — what the store does differently on a server (reconnection, edit conflicts);
- rights.py — group roles, grants, row-level security, the triggers of the change log;
- take.py — « Emporter une copie » : a local .spie replica;
- notify.py — LISTEN/NOTIFY watcher and presence;
- command.py — ``server init``, ``server list``, ``take``.

Nothing here imports Qt; psycopg is imported only when a server address is used.
"""

from __future__ import annotations

import sys

SCHEMES = ("postgresql", "postgres")


def names_server(target: object) -> bool:
    """Whether ``target`` names a dossier on a server: a ``postgresql://`` (or ``postgres://``) address,
    or a parsed one (``address.ServerAddress``, ``address.ServerPath``). Cheap: ``address.py`` is not
    imported for it (a file on disk opens without it), only looked at when already loaded, as any
    parsed address comes from it."""
    address = sys.modules.get(__name__ + ".address")
    if address is not None and isinstance(target, address.ServerAddress | address.ServerPath):
        return True
    return isinstance(target, str) and "://" in target and target.split("://", 1)[0].lower() in SCHEMES
