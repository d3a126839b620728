"""A throw-away PostgreSQL cluster for the tests: initdb in a temporary directory, a unix socket there
and a free loopback port, stopped and removed at the end.

Run as root (CI), the server runs as the ``postgres`` user (or ``nobody``) in a directory it owns.
No PostgreSQL on the machine is a failure that says what to install, never a skip.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

SUPERUSER = "spie_admin"
MISSING = (
    "PostgreSQL est introuvable (initdb) : installez-le, par exemple « apt-get install postgresql » "
    "— PostgreSQL (initdb) not found: install it, e.g. apt-get install postgresql."
)


def find_bindir() -> Path:
    on_path = shutil.which("initdb")
    if on_path:
        return Path(os.path.realpath(on_path)).parent
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if not found:
        raise RuntimeError(MISSING)
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    bindir: Path
    root: Path
    port: int
    run_as: str | None
    fsync: bool = False  # the tests need no durability; the benchmark asks for it

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def socket_dir(self) -> Path:
        return self.root / "sock"

    def _cmd(self, *args: str) -> list[str]:
        return ["runuser", "-u", self.run_as, "--", *args] if self.run_as else list(args)

    def run(self, *args: str) -> None:
        subprocess.run(
            self._cmd(*args),
            check=True,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            timeout=120,
        )

    def start(self) -> None:
        opts = f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1 -c fsync={'on' if self.fsync else 'off'}"
        self.run(
            str(self.bindir / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.root / "log"),
            "-w",
            "-t",
            "60",
            "-o",
            opts,
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        self.run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-w", "-m", mode, "stop")

    def restart(self) -> None:
        self.stop()
        self.start()

    def url(
        self,
        base: str = "spie",
        *,
        user: str = SUPERUSER,
        dossier: str | None = None,
        password: str | None = None,
    ) -> str:
        from urllib.parse import quote

        user = quote(user, safe="")
        secret = f":{password}" if password else ""
        q = f"&dossier={dossier}" if dossier else ""
        return f"postgresql://{user}{secret}@127.0.0.1:{self.port}/{base}?sslmode=disable{q}"


def start_cluster(*, fsync: bool = False) -> Cluster:
    bindir = find_bindir()
    run_as = None
    if os.geteuid() == 0:
        run_as = "postgres"
        try:
            pwd.getpwnam(run_as)
        except KeyError:
            run_as = "nobody"
    root = Path(tempfile.mkdtemp(prefix="spie-pg-"))
    (root / "sock").mkdir()
    if run_as:
        pw = pwd.getpwnam(run_as)
        for p in (root, root / "sock"):
            os.chown(p, pw.pw_uid, pw.pw_gid)
    c = Cluster(bindir, root, _free_port(), run_as, fsync)
    pwfile = root / "pw"
    pwfile.write_text("admin-secret\n")
    if run_as:
        os.chown(pwfile, pwd.getpwnam(run_as).pw_uid, -1)
    # password authentication on TCP (the tests of a wrong password need it), trust on the socket
    c.run(
        str(bindir / "initdb"),
        "-D",
        str(c.data),
        "-U",
        SUPERUSER,
        "--pwfile",
        str(pwfile),
        "-E",
        "UTF8",
        "--locale=C",
        "--auth-local=trust",
        "--auth-host=scram-sha-256",
    )
    c.start()
    subprocess.run(
        c._cmd(str(bindir / "createdb"), "-h", str(c.socket_dir), "-p", str(c.port), "-U", SUPERUSER, "spie"),
        check=True,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=60,
    )
    return c


def remove_cluster(c: Cluster) -> None:
    try:
        c.stop("immediate")
    except (subprocess.SubprocessError, OSError):
        pass
    shutil.rmtree(c.root, ignore_errors=True)
