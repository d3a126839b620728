"""The log file a user can send when something goes wrong: ``journal/spie-desktop.log`` in the data folder.

Modules log through ``logging.getLogger(__name__)``; this module only decides where the lines go. The
file rotates (a few hundred kilobytes, two old copies), so it never grows on a user's disk. Info lines
say what happened, never what a person wrote: no file names, titles, answers or authors (those appear at
debug level only, which ``--debug`` turns on).
"""

from __future__ import annotations

import logging
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

LOG_FILE = "spie-desktop.log"
MAX_BYTES = 512 * 1024
BACKUPS = 2
FORMAT = "%(asctime)s %(levelname)s %(name)s : %(message)s"
ROOT = "spie_desktop"

_installed: list[logging.Handler] = []


class _Stderr(logging.StreamHandler):
    """The stderr of the moment (a test's capture, a redirected console), not the one at start-up."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr
        super().emit(record)


def log_path() -> Path:
    from .settings import data_dir

    return data_dir() / "journal" / LOG_FILE


def setup_logging(debug: bool = False) -> Path | None:
    """Send the package's log lines to the log file (and, with ``debug``, to stderr too).

    Returns the log file's path, or None when it cannot be written (a read-only data folder): the
    application then runs without a log rather than refusing to start. Calling it again replaces
    the handlers it installed (tests, or a second start in the same process).
    """
    close_logging()
    logger = logging.getLogger(ROOT)
    logger.setLevel(logging.DEBUG if debug else logging.INFO)
    formatter = logging.Formatter(FORMAT)
    path: Path | None = log_path()
    file_handler: logging.Handler
    try:
        log_path().parent.mkdir(parents=True, exist_ok=True)
        file_handler = RotatingFileHandler(log_path(), maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
    except OSError:
        path, file_handler = None, logging.NullHandler()
    file_handler.setFormatter(formatter)
    _installed.append(file_handler)
    if debug:
        console = _Stderr()
        console.setFormatter(formatter)
        _installed.append(console)
    for handler in _installed:
        logger.addHandler(handler)
    return path


def close_logging() -> None:
    """Remove the handlers ``setup_logging`` installed and close the log file (at exit, in tests)."""
    logger = logging.getLogger(ROOT)
    for handler in _installed:
        logger.removeHandler(handler)
        handler.close()
    _installed.clear()
    logger.setLevel(logging.NOTSET)
