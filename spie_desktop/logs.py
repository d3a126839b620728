"""The log file a user can send when something goes wrong: ``journal/spie-desktop.log`` in the data folder.

Modules log through ``logging.getLogger(__name__)``; this module only decides where the lines go. The
file rotates (half a megabyte, two old copies), so it never grows on a user's disk. Info lines
say what happened, never what a person wrote: no file names, titles, answers or authors (those appear at
debug level only, which ``--debug`` turns on).
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

LOG_FILE = "spie-desktop.log"
MAX_BYTES = 512 * 1024
BACKUPS = 2
FORMAT = "%(asctime)s %(levelname)s %(name)s : %(message)s"
ROOT = "spie_desktop"

_installed: list[logging.Handler] = []


class SmallLogFile(logging.FileHandler):
    """A log file kept under ``max_bytes``, with ``backups`` older copies (``.1`` the most recent).

    The standard library's RotatingFileHandler does the same but imports logging.handlers (socket,
    pickle, queue: about 10 ms before the window's first paint); this is the few lines it needs.
    """

    def __init__(self, path: Path, max_bytes: int = MAX_BYTES, backups: int = BACKUPS) -> None:
        super().__init__(path, encoding="utf-8")  # opened now: an unwritable file is found at start-up
        self.max_bytes = max_bytes
        self.backups = backups

    def emit(self, record: logging.LogRecord) -> None:
        try:
            size = self.stream.tell() if self.stream is not None else os.path.getsize(self.baseFilename)
        except OSError:
            size = 0
        if size and size + len((self.format(record) + self.terminator).encode("utf-8")) > self.max_bytes:
            self._rotate()
        super().emit(record)

    def _rotate(self) -> None:
        if self.stream is not None:
            self.stream.close()
            self.stream = None  # FileHandler.emit reopens it
        base = self.baseFilename
        try:
            for i in range(self.backups - 1, 0, -1):
                if os.path.exists(f"{base}.{i}"):
                    os.replace(f"{base}.{i}", f"{base}.{i + 1}")
            os.replace(base, f"{base}.1")
        except OSError:
            pass  # another process holds the file (Windows): keep writing to it rather than lose lines


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
        file_handler = SmallLogFile(log_path())
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
