"""A fresh copy of the bundled example without rebuilding it: the example is imported once into a
hidden master beside the copies, and each copy is that master copied with SQLite's backup API
under a new dossier id and replica id (each copy is its own dossier, as an import would make it).

Importing the example costs the SQL layer's import and ~600 statements, most of the start-up of
``spie-desktop --example``; a backup copy costs a few milliseconds. Anything unexpected returns
None and the caller imports as before.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

MASTER_PREFIX = ".modele-exemple-"


def master_path(folder: Path, example: Path) -> Path:
    """The master for this example and this version of the application (a new one after an update)."""
    from . import __version__

    digest = hashlib.sha256(example.read_bytes() + __version__.encode()).hexdigest()[:16]
    return folder / f"{MASTER_PREFIX}{digest}.spie"


def copy_from_master(folder: Path, example: Path, out: Path, build: Callable[[Path], Any]) -> Path | None:
    """``out`` as a copy of the master (built with ``build(path)`` the first time), or None."""
    try:
        master = master_path(folder, example)
        if not master.exists():
            for old in folder.glob(f"{MASTER_PREFIX}*.spie"):  # masters of earlier versions
                old.unlink(missing_ok=True)
            try:
                build(master)
            except Exception:  # noqa: BLE001 - another window built it meanwhile, or it failed: see below
                if not master.exists():
                    return None
        try:
            return _backup_copy(master, out)
        except sqlite3.DatabaseError:
            master.unlink(missing_ok=True)  # damaged: the next copy builds it again
            return None
    except (OSError, sqlite3.Error):
        return None


def _backup_copy(master: Path, out: Path) -> Path | None:
    tmp = out.with_name(f".{out.name}.{uuid.uuid4().hex[:8]}.tmp")
    src = sqlite3.connect(f"{master.resolve().as_uri()}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)
            with dst:
                changed = dst.execute(
                    "UPDATE dossier SET id = ?, replica_id = ?", (str(uuid.uuid4()), str(uuid.uuid4()))
                ).rowcount
            if changed != 1:
                raise sqlite3.DatabaseError("master without its dossier row")
        finally:
            dst.close()
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, out)
        return out
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        src.close()
