"""Recognise a .spie file from its first bytes, before SQLite touches it.

Reading the 100-byte SQLite header tells empty, foreign, truncated and too-new files apart
without opening a connection, so a refused file is never modified (SQLite would roll back a hot
journal or create a missing file).
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass
from pathlib import Path

from .constants import APPLICATION_ID, SCHEMA_VERSION
from .errors import DossierCorrupt, DossierNotFound, DossierTampered, DossierTooNew, NotADossier

SQLITE_MAGIC = b"SQLite format 3\x00"


@dataclass(frozen=True)
class Header:
    """The few fields of an SQLite file's header read before opening it."""

    page_size: int
    page_count: int
    user_version: int
    application_id: int
    file_size: int


def read_header(path: Path) -> Header:
    """Raise a DossierError unless ``path`` looks like a complete .spie file."""
    name = str(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(100)
            size = os.fstat(fh.fileno()).st_size
    except FileNotFoundError:
        raise DossierNotFound(name) from None
    except IsADirectoryError:
        raise NotADossier(name, "c'est un dossier du disque, pas un fichier") from None
    except PermissionError:
        raise NotADossier(name, "vous n'avez pas le droit de le lire") from None
    except OSError as exc:
        raise NotADossier(name, f"il ne peut pas être lu ({exc.strerror or exc})") from None
    if size == 0:
        raise NotADossier(name, "le fichier est vide")
    if not head.startswith(SQLITE_MAGIC):
        if head.startswith(b"PK\x03\x04"):
            raise NotADossier(name, "c'est une archive ZIP (un document Word ou LibreOffice ?)")
        if head.startswith(b"%PDF"):
            raise NotADossier(name, "c'est un document PDF")
        if head.lstrip()[:1] in (b"{", b"["):
            raise NotADossier(name, "c'est un fichier JSON ; utilisez « Importer » pour un fichier d'échange")
        raise NotADossier(name, "son contenu n'est pas reconnu")
    if len(head) < 100:
        raise DossierCorrupt(name, "le fichier est tronqué")
    page_size = struct.unpack(">H", head[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    page_count = struct.unpack(">I", head[28:32])[0]
    user_version = struct.unpack(">I", head[60:64])[0]
    app_id = struct.unpack(">I", head[68:72])[0]
    if app_id != APPLICATION_ID:
        raise NotADossier(name, "c'est une base de données d'une autre application")
    if user_version > SCHEMA_VERSION:
        raise DossierTooNew(name, user_version, SCHEMA_VERSION)
    if head[18] == 2 or head[19] == 2:
        # SPIE never writes WAL files; reading one makes SQLite create -wal/-shm files beside it
        raise DossierTampered(
            name,
            "il a été passé en mode WAL (journal à part), ce que l'application ne fait "
            "jamais, et le lire laisserait des fichiers -wal et -shm à côté de lui",
        )
    journal = path.with_name(path.name + "-journal")
    try:  # another process's commit may remove the journal between two looks: one stat only
        hot_journal = journal.stat().st_size > 0  # SQLite will roll it back
    except FileNotFoundError:
        hot_journal = False
    if page_count and size < page_size * page_count and not hot_journal:
        raise DossierCorrupt(name, "le fichier est tronqué")
    return Header(page_size, page_count, user_version, app_id, size)
