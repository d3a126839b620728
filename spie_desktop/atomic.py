"""Write a user's file without ever leaving it half-written: beside it, fsync, replace.

The file gets the permissions a plain ``open()`` would give (0666 less the umask, usually 0644),
or keeps those of the file it replaces: ``tempfile.mkstemp`` makes 0600 files, which colleagues
on a shared drive could not open.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


@contextmanager
def atomic_writer(path: str | Path) -> Iterator[BinaryIO]:
    """Yield a binary file; on success it replaces ``path`` in one step, on error nothing changes."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        give_file_mode(tmp, like=target)
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        _fsync_dir(target.parent)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def current_umask() -> int:
    """The process umask, read without changing it where the system tells it (Linux), else by the
    classic set-and-restore (export jobs run in threads: avoid when possible)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def default_file_mode() -> int:
    """What ``open(path, "w")`` would create: 0666 less the umask."""
    return 0o666 & ~current_umask()


def give_file_mode(path: str | Path, like: str | Path | None = None) -> None:
    """Permissions of ``like`` when it exists (a file being replaced), else the umask's."""
    if os.name != "posix":
        return
    try:
        mode = (
            os.stat(like).st_mode & 0o7777
            if like is not None and os.path.exists(like)
            else default_file_mode()
        )
        os.chmod(path, mode)
    except OSError:
        pass


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    with atomic_writer(path) as fh:
        fh.write(data)


def atomic_write_text(path: str | Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
