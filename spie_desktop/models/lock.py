"""A lock file beside the dossier says who has it open, so a second opening is detected.

``dossier.spie.lock`` holds host, user, pid, time; it is refreshed while the file is open and
removed at close. A lock is stale when its process is gone (same host) or when it has not been
refreshed for STALE_AFTER (another host, e.g. a shared drive).
"""

from __future__ import annotations

import getpass
import json
import os
import socket
import time
from datetime import datetime, timezone
from pathlib import Path

from .errors import DossierLocked, LockHolder

STALE_AFTER = 30 * 60  # seconds without a refresh; the window refreshes every few minutes


def lock_path(dossier: Path) -> Path:
    return dossier.with_name(dossier.name + ".lock")


def _me(author: str) -> dict:
    try:
        user = getpass.getuser()
    except Exception:  # no login name in some sandboxes
        user = ""
    return {
        "host": socket.gethostname(),
        "user": user,
        "pid": os.getpid(),
        "since": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "author": author,
        "app": "spie-desktop",
    }


def read_holder(dossier: Path) -> LockHolder | None:
    try:
        data = json.loads(lock_path(dossier).read_text(encoding="utf-8"))
        return LockHolder(
            user=str(data.get("user", "")),
            host=str(data.get("host", "")),
            pid=int(data.get("pid", 0)),
            since=str(data.get("since", "")),
            author=str(data.get("author", "")),
        )
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError, AttributeError):
        # unreadable lock: treat as held by someone unknown, breakable
        return LockHolder(user="inconnu", host="", pid=0, since="")


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def is_stale(dossier: Path, holder: LockHolder) -> bool:
    if holder.host == socket.gethostname():
        return not _pid_alive(holder.pid)
    try:
        age = time.time() - lock_path(dossier).stat().st_mtime
    except OSError:
        return True
    return age > STALE_AFTER or not holder.host


class FileLock:
    def __init__(self, dossier: Path, author: str = "") -> None:
        self.dossier = dossier
        self.path = lock_path(dossier)
        self.author = author
        self.held = False

    def acquire(self, *, break_stale: bool = False, force: bool = False) -> None:
        """Take the lock, or raise DossierLocked naming the holder.

        ``break_stale`` takes over a stale lock only; ``force`` takes over any lock (the user
        confirmed they know the other copy is closed).
        """
        payload = json.dumps(_me(self.author), ensure_ascii=False).encode("utf-8")
        for _ in range(2):
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                fd = None
            except OSError as exc:  # read-only place, full disk: say which, in French
                from .connection import translate_write_error

                raise translate_write_error(exc, self.dossier) from None
            if fd is None:
                holder = read_holder(self.dossier)
                if holder is None:
                    continue  # released meanwhile
                stale = is_stale(self.dossier, holder)
                if force or (break_stale and stale):
                    try:
                        os.unlink(self.path)
                    except FileNotFoundError:
                        pass
                    continue
                raise DossierLocked(str(self.dossier), holder, stale) from None
            try:
                os.write(fd, payload)
            except OSError as exc:
                os.close(fd)
                try:
                    os.unlink(self.path)  # never leave a half-made lock that would name nobody
                except OSError:
                    pass
                from .connection import translate_write_error

                raise translate_write_error(exc, self.dossier) from None
            os.close(fd)
            self.held = True
            return
        holder = read_holder(self.dossier) or LockHolder("inconnu", "", 0, "")
        raise DossierLocked(str(self.dossier), holder, False)

    def refresh(self) -> None:
        if self.held:
            try:
                os.utime(self.path)
            except OSError:
                pass

    def release(self) -> None:
        if not self.held:
            return
        self.held = False
        holder = read_holder(self.dossier)
        if holder is not None and holder.pid == os.getpid() and holder.host == socket.gethostname():
            try:
                os.unlink(self.path)
            except OSError:
                pass
