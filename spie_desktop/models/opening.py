"""Opening a .spie file: header check, lock, crash recovery, migration, template."""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import replace
from pathlib import Path

from ..forms.registry import UnknownTemplateError
from ..snapshot import DossierSnapshot
from .connection import connect, hot_journal, recover
from .constants import SCHEMA_VERSION
from .dossier_file import DossierFile
from .errors import DossierCorrupt, DossierError
from .lock import FileLock, is_stale, read_holder
from .schema_check import verify_schema
from .sniff import read_header

log = logging.getLogger(__name__)


def open_dossier(
    path: str | Path,
    *,
    read_only: bool = False,
    break_stale_lock: bool = False,
    force_lock: bool = False,
    author: str = "",
    organisation: str = "",
    migrate: bool = True,
) -> DossierFile:
    """Open a .spie file, or raise a DossierError whose message can be shown as is.

    The header is checked before SQLite opens the file, and the SQL schema (models/schema_check.py)
    before anything reads or writes its tables, so a refused file is left untouched.
    A ``postgresql://…?dossier=ID`` address opens that dossier on a server (spie_desktop/server).
    A file of an older schema is upgraded (after a backup copy) unless opened read-only. A file
    left with a crash's journal is brought back to its last committed state first, when nobody
    else has it open.
    """
    if _names_server(path):
        from ..server.address import address_of
        from ..server.dossiers import open_server_dossier

        return open_server_dossier(
            address_of(path), read_only=read_only, author=author, organisation=organisation
        )
    path = Path(path)
    header = read_header(path)
    lock = None
    if not read_only:
        lock = FileLock(path, author or organisation)
        lock.acquire(break_stale=break_stale_lock, force=force_lock)
    elif hot_journal(path):
        _recover_for_reading(path)
    try:
        if lock is not None and hot_journal(path):
            _recover(path)  # a read-only check cannot roll the crash's journal back
        verify_schema(path, header.user_version)
        if header.user_version < SCHEMA_VERSION:
            if read_only:
                raise DossierError(
                    f"Le dossier « {path} » a été créé par une version plus ancienne de l'application et doit "
                    "être mis à jour : ouvrez-le normalement (pas en lecture seule)."
                )
            from .migrate import upgrade_file

            upgrade_file(path, header.user_version)
            verify_schema(path, SCHEMA_VERSION)
        try:
            raw = connect(path, read_only)
        except sqlite3.Error as exc:
            raise DossierCorrupt(str(path), str(exc)[:80]) from None
        try:
            df = DossierFile(path, raw, lock, read_only)
        except BaseException:
            raw.close()
            raise
    except BaseException:
        if lock:
            lock.release()
        raise
    df.author, df.organisation = author, organisation
    try:
        df.template  # noqa: B018 - fail now, not at the first edit
    except (UnknownTemplateError, DossierError):
        df.close()
        raise
    log.info("dossier ouvert (format %d%s)", header.user_version, ", lecture seule" if read_only else "")
    log.debug("dossier ouvert : %s", path)
    return df


def _recover_for_reading(path: Path) -> None:
    """A read-only opening cannot roll a crash's journal back: do it under the lock when nobody holds it."""
    holder = read_holder(path)
    if holder is not None and not is_stale(path, holder):
        return  # its owner is writing right now; SQLite waits for the transaction to end
    lock = FileLock(path, "lecture")
    try:
        lock.acquire(break_stale=True)
    except DossierError:
        return
    try:
        _recover(path)
    finally:
        lock.release()


def _recover(path: Path) -> None:
    try:
        recover(path)
    except sqlite3.Error as exc:
        raise DossierCorrupt(str(path), str(exc)[:80]) from None


def _names_server(target: object) -> bool:
    from ..server import names_server  # cheap: server/address.py loads only for an address

    return names_server(target)


def open_snapshot(path: str | Path) -> DossierSnapshot:
    """Read a dossier without locking or changing it (for checks and exports from the command line).

    Attachments stay readable through ``snapshot.read_attachment`` until the process ends.
    """
    df = open_dossier(path, read_only=True)
    snap = df.snapshot()
    cache: dict[int, bytes] = {}

    def read(att_id: int) -> bytes:
        if att_id not in cache:
            cache[att_id] = df.attachment_data(att_id)
        return cache[att_id]

    return replace(snap, read_attachment=read)
