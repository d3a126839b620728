"""A lock file beside the dossier says who has it open, so a second opening is detected.

``dossier.spie.lock`` holds host, user, pid, time; it is refreshed while the file is open and
removed at close. A lock is stale when its process is gone (same host) or when it has not been
refreshed for STALE_AFTER (another host, e.g. a shared drive).

The lock file sits in a folder anyone may write to (a shared drive, a partner's zip): it is read
only when it is a small regular file (never a FIFO, a device, a symlink, a directory, a huge
file), and what it says is reduced to short plain text before anyone shows it. Anything else is
"not a valid lock": held by « inconnu », abandoned, so the window asks before replacing it.
"""

from __future__ import annotations

import getpass
import json
import logging
import os
import stat
import time
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

from .errors import DossierError, DossierLocked, LockHolder

log = logging.getLogger(__name__)
STALE_AFTER = 30 * 60  # seconds without a refresh; the window refreshes every few minutes
MAX_LOCK_BYTES = 4096  # ours take ~200 bytes; anything bigger is not a lock of ours
MAX_HOLDER_CHARS = 80  # a name and a host, not a message
UNKNOWN = LockHolder(user="inconnu", host="", pid=0, since="")
_OPEN_FLAGS = (
    os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
)


def _host() -> str:
    """This computer's name, what ``socket.gethostname()`` answers (on POSIX both read ``uname``):
    ``socket``, and the modules it loads, would be imported before the window's first paint."""
    uname = getattr(os, "uname", None)
    if uname is not None:
        return uname().nodename
    import socket

    return socket.gethostname()


class InvalidLock(Exception):
    """The lock path holds something that is not a small regular file (or not our JSON)."""


def plain(text: object, limit: int = MAX_HOLDER_CHARS) -> str:
    """Short plain text from a lock file: no control, bidi or format characters, no markup brackets."""
    out = []
    for ch in str(text):
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            ch = " "
        elif ch in "<>":
            ch = {"<": "‹", ">": "›"}[ch]
        out.append(ch)
    words = " ".join("".join(out).split())
    return words if len(words) <= limit else words[: limit - 1].rstrip() + "…"


def _current_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some sandboxes
        return ""


def lock_path(dossier: Path) -> Path:
    return dossier.with_name(dossier.name + ".lock")


def _me(author: str) -> dict:
    return {
        "host": _host(),
        "user": _current_user(),
        "pid": os.getpid(),
        "since": datetime.now(UTC).isoformat(timespec="seconds"),
        "author": author,
        "app": "spie-desktop",
    }


def _read_small_regular(path: Path) -> bytes | None:
    """The bytes of ``path`` if it is a small regular file; None if absent. Never blocks, never follows a link."""
    try:
        before = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise InvalidLock(str(exc)) from None
    if not stat.S_ISREG(before.st_mode) or before.st_size > MAX_LOCK_BYTES:
        raise InvalidLock("pas un petit fichier ordinaire")
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        return None  # released meanwhile
    except OSError as exc:  # a symlink swapped in (ELOOP), no permission…
        raise InvalidLock(str(exc)) from None
    try:
        now = os.fstat(fd)
        if not stat.S_ISREG(now.st_mode) or (now.st_dev, now.st_ino) != (before.st_dev, before.st_ino):
            raise InvalidLock("remplacé pendant la lecture")
        data = os.read(fd, MAX_LOCK_BYTES + 1)
    finally:
        os.close(fd)
    if len(data) > MAX_LOCK_BYTES:
        raise InvalidLock("trop gros")
    return data


def read_holder(dossier: Path) -> LockHolder | None:
    """Who holds the lock (as short plain text), None when nobody; « inconnu » when it is not a valid lock."""
    try:
        data = _read_small_regular(lock_path(dossier))
        if data is None:
            return None
        doc = json.loads(data.decode("utf-8"))
        if not isinstance(doc, dict):
            raise InvalidLock("pas un objet JSON")
        pid = doc.get("pid", 0)
        if not isinstance(pid, int) or isinstance(pid, bool) or not 0 <= pid < 2**31:
            raise InvalidLock("numéro de processus")
        return LockHolder(
            user=plain(doc.get("user", "")),
            host=plain(doc.get("host", "")),
            pid=pid,
            since=plain(doc.get("since", ""), 40),
            author=plain(doc.get("author", "")),
        )
    except (InvalidLock, ValueError, TypeError, RecursionError):
        # not a valid lock: held by someone unknown, abandoned, breakable after asking
        return UNKNOWN


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
    if holder.host == plain(_host()):  # the holder's text was made plain: compare alike
        return not _pid_alive(holder.pid)
    try:
        age = time.time() - os.lstat(lock_path(dossier)).st_mtime
    except OSError:
        return True
    return age > STALE_AFTER or not holder.host


def left_by_my_dead_process(holder: LockHolder) -> bool:
    """The lock is this user's own, on this host, from a process that is gone: the application crashed.

    Such a lock is taken over without asking anyone; any other lock keeps asking.
    """
    me = _current_user()
    return (
        bool(me)
        and holder.user == plain(me)
        and holder.host == plain(_host())
        and holder.pid > 0
        and not _pid_alive(holder.pid)
    )


def _remove(path: Path, dossier: Path) -> None:
    """Remove an old lock (only the link if it is one); a directory in its place is a French refusal."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except OSError:
        raise DossierError(
            f"« {path.name} », à côté du dossier « {dossier.name} », n'est pas un verrou valable et ne peut pas "
            "être remplacé (c'est peut-être un dossier). Supprimez-le, puis ouvrez de nouveau le dossier."
        ) from None


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
                    log.warning("verrou %s repris", "périmé" if stale else "actif")
                    _remove(self.path, self.dossier)
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
        holder = read_holder(self.dossier) or UNKNOWN
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
        if holder is not None and holder.pid == os.getpid() and holder.host == plain(_host()):
            try:
                os.unlink(self.path)
            except OSError:
                pass
