"""Unexpected errors go to a log file the user can send, never as a traceback on screen."""

from __future__ import annotations

import logging
import traceback
from datetime import datetime


def write_crash_log(exc: BaseException) -> str:
    """Write the traceback under the data folder's ``journal``; returns the path (or a French note)."""
    from .settings import data_dir

    logging.getLogger(__name__).error("erreur inattendue", exc_info=exc)
    try:
        folder = data_dir() / "journal"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"erreur-{datetime.now():%Y%m%d-%H%M%S-%f}.txt"
        path.write_text("".join(traceback.format_exception(exc)), encoding="utf-8")
        return str(path)
    except OSError:
        return "(journal impossible à écrire)"
