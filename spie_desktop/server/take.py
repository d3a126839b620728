"""« Emporter une copie » : a local .spie made from a dossier on the server, one more replica.

Its tables are the server's rows as they are (answers, rows, attachments, comments, entrusted
sections, the whole change log), written atomically beside the destination; a new replica id and
counter 0 make it a copy like one made from a file, so ``spie-desktop merge ADRESSE COPIE.spie``
brings its work back with the existing merge.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from ..models.errors import DossierError, SaveFailed

if TYPE_CHECKING:
    from ..models.store import DossierStore

#: The tables copied, parents first; the server-only ``field_section`` stays on the server.
TABLES = ("dossier", "answer", "row", "change", "attachment", "comment", "entrusted_section")


def take_copy(store: DossierStore, dest: Path, *, new_replica: bool = True) -> Path:
    import sqlite3

    from sqlalchemy import delete, insert, select, update
    from sqlalchemy.exc import DBAPIError

    from ..models.creation import create_file
    from ..models.schema import Base, DossierRow
    from .connect import write_error

    dest = Path(dest)
    if dest.suffix.lower() != ".spie":
        raise DossierError("La copie doit avoir l'extension .spie.")
    if dest.exists():
        raise DossierError(f"Le fichier « {dest} » existe déjà : choisissez un autre nom.")
    tmp = dest.with_name(f".{dest.name}.{uuid.uuid4().hex[:8]}.tmp")
    h = store.header
    tables = {t.name: t for t in Base.metadata.sorted_tables}
    server = store.connection
    try:
        rows = {name: [dict(r._mapping) for r in server.execute(select(tables[name]))] for name in TABLES}
        if server.in_transaction() and not store.batch_depth:
            server.commit()
    except DBAPIError as exc:
        raise write_error(exc) from None
    raw, engine, lock = create_file(
        tmp, store.template, h.title, lock_owner=store.author, now=h.created_at, dossier_id=h.id
    )
    try:
        with engine.begin() as c:
            c.execute(delete(DossierRow))
            for name in TABLES:
                if rows[name]:
                    c.execute(insert(tables[name]), rows[name])
            if new_replica:
                c.execute(update(DossierRow).values(replica_id=str(uuid.uuid4()), counter=0))
        engine.dispose()
        raw.close()
        lock.release()
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, dest)
    except (DBAPIError, sqlite3.Error, OSError) as exc:
        engine.dispose()
        raw.close()
        lock.release()
        tmp.unlink(missing_ok=True)
        raise SaveFailed(f"la copie n'a pas pu être écrite ({exc.__class__.__name__})") from None
    return dest
