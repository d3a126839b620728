"""Tools of the fault suite: a real tiny disk, an immutable file, fingerprints of a file and its neighbours.

Mounting and ``chattr`` need root (CI runs as root); where the system refuses, the test is
skipped with the reason, never passed silently.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_JSON = ROOT / "resources" / "examples" / "exemple-dossier.json"


def digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def integrity(path: Path) -> str:
    """SQLite's own verdict on a closed file, read-only so the check changes nothing."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()


def leftovers(path: Path) -> list[str]:
    """Files an opening or a failed write could leave beside a dossier."""
    path = Path(path)
    return sorted(
        p.name
        for p in path.parent.iterdir()
        if (p.name != path.name and p.name.startswith(path.name)) or p.name.startswith(f".{path.name}.")
    )


def _run(*cmd: str) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True)


@contextmanager
def tmpfs(where: Path, size: str) -> Iterator[Path]:
    """A real filesystem of ``size`` mounted on ``where`` for the block; skip when mounting is refused."""
    where.mkdir(parents=True, exist_ok=True)
    if os.name != "posix" or not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("monter un petit système de fichiers demande les droits root (c'est le cas en CI)")
    done = _run("mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(where))
    if done.returncode != 0:
        pytest.skip(f"mount -t tmpfs refusé ici : {done.stderr.strip() or done.returncode}")
    try:
        yield where
    finally:
        if _run("umount", str(where)).returncode != 0:
            _run("umount", "-l", str(where))


def fill_disk(folder: Path) -> Path:
    """Take every free byte of the filesystem holding ``folder``; delete the returned file to free them."""
    filler = folder / "remplissage.bin"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        chunk = b"\0" * 65536
        while True:
            try:
                os.write(fd, chunk)
            except OSError:
                if len(chunk) == 1:
                    break
                chunk = chunk[: len(chunk) // 2]
    finally:
        os.close(fd)
    st = os.statvfs(folder)
    assert st.f_bavail == 0, "le disque de test n'est pas plein"
    return filler


@contextmanager
def immutable(*paths: Path) -> Iterator[None]:
    """Make files or folders unwritable even for root (``chattr +i``); skip when unsupported."""
    if os.name != "posix":
        pytest.skip("chattr est propre à Linux")
    done = _run("chattr", "+i", *map(str, paths))
    if done.returncode != 0:
        _run("chattr", "-i", *map(str, paths))
        pytest.skip(f"chattr +i refusé ici : {done.stderr.strip() or done.returncode}")
    try:
        yield
    finally:
        _run("chattr", "-i", *map(str, paths))


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


@contextmanager
def read_only_now(*paths: Path) -> Iterator[None]:
    """Make already-open files and their folders unwritable: ``chattr +i`` as root (root ignores
    permission bits), ``chmod a-w`` otherwise."""
    if is_root():
        with immutable(*paths):
            yield
        return
    modes = {p: Path(p).stat().st_mode for p in paths}
    try:
        for p in paths:
            os.chmod(p, modes[p] & ~0o222)
        yield
    finally:
        for p in reversed(paths):
            os.chmod(p, modes[p])
