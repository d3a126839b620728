"""Shared fixtures: every test gets its own settings and data folders, never the user's."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Property tests are reproducible everywhere, always: the examples derive from each test's code (no
# random seed, no example database carried between runs), so a run that is green locally is green in
# CI, and a failure prints the blob that replays it. SPIE_HYPOTHESIS_PROFILE=explore draws at random
# (with the local database) to hunt for new cases; a case found that way is pinned with @example.
from hypothesis import settings as _hypothesis_settings

_hypothesis_settings.register_profile(
    "reproducible", derandomize=True, database=None, deadline=None, print_blob=True
)
_hypothesis_settings.register_profile("explore", deadline=None, print_blob=True)
_hypothesis_settings.load_profile(os.environ.get("SPIE_HYPOTHESIS_PROFILE", "reproducible"))

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_JSON = ROOT / "resources" / "examples" / "exemple-dossier.json"


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path_factory, monkeypatch):
    base = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("SPIE_DESKTOP_CONFIG_DIR", str(base / "config"))
    monkeypatch.setenv("SPIE_DESKTOP_DATA_DIR", str(base / "data"))
    return base


@pytest.fixture
def template_2021():
    from spie_desktop.forms import registry

    return registry.find("ami-spie-2021-vague2")


@pytest.fixture
def example_document():
    if not EXAMPLE_JSON.exists():
        pytest.skip("le dossier d'exemple n'est pas encore dans resources/examples")
    return json.loads(EXAMPLE_JSON.read_text(encoding="utf-8"))


@pytest.fixture
def example_spie(tmp_path, example_document):
    from spie_desktop.interchange import import_document

    return import_document(example_document, tmp_path / "exemple.spie")


@pytest.fixture
def new_dossier(tmp_path, template_2021):
    from spie_desktop.models import DossierFile

    df = DossierFile.create(
        tmp_path / "d.spie", template_2021, "Dossier de test", author="Claire Martin", organisation="CD"
    )
    yield df
    df.close()


# -- the PostgreSQL back-end (spie_desktop/server) ---------------------------------------------------
# A throw-away cluster started once per session (tests/server/cluster.py), only when a test asks for
# it. No PostgreSQL on the machine is a failure saying what to install, never a skip.

BACKENDS = ("sqlite", "postgresql")


class PgServer:
    """The session's cluster: addresses, LOGIN roles in the three groups, a restart."""

    password = "admin-secret"

    def __init__(self, cluster) -> None:
        self.cluster = cluster
        self._n = 0

    def url(self, dossier: str | None = None, *, user: str | None = None, password: str | None = None) -> str:
        from cluster import SUPERUSER

        if user is None:
            user, password = SUPERUSER, self.password
        return self.cluster.url(user=user, password=password, dossier=dossier)

    def new_id(self) -> str:
        self._n += 1
        return f"t{self._n}"

    def sql(self, statement: str, params: tuple = ()) -> list:
        import psycopg

        with psycopg.connect(self.cluster.url(password=self.password), autocommit=True) as c:
            cur = c.execute(statement, params)
            return cur.fetchall() if cur.description else []

    def role(self, name: str, group: str, password: str = "pw") -> str:
        """A person's LOGIN role, member of ``group`` (spie_coordinator, spie_partner, spie_reviewer)."""
        quoted = '"' + name.replace('"', '""') + '"'
        literal = name.replace("'", "''")
        self.sql(
            f"DO $$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{literal}') THEN "
            f"CREATE ROLE {quoted} LOGIN PASSWORD '{password}'; END IF; END$$"
        )
        self.sql(f"GRANT {group} TO {quoted}")
        return name

    def restart(self) -> None:
        self.cluster.restart()


@pytest.fixture(scope="session")
def pg_server():
    import sys

    sys.path.insert(0, str(ROOT / "tests" / "server"))
    import cluster

    c = cluster.start_cluster()
    try:
        server = PgServer(c)
        from spie_desktop.server.dossiers import init_server

        init_server(server.url())
        yield server
    finally:
        cluster.remove_cluster(c)


def make_dossier(backend: str, request, tmp_path, template, title: str, **kw):
    """A new dossier on ``backend``: a .spie file in tmp_path, or a new dossier on the session's server."""
    from spie_desktop.models import DossierFile

    if backend == "sqlite":
        return DossierFile.create(tmp_path / "d.spie", template, title, **kw)
    server = request.getfixturevalue("pg_server")
    return DossierFile.create(server.url(server.new_id()), template, title, **kw)


@pytest.fixture(params=BACKENDS)
def any_dossier(request, tmp_path, template_2021):
    """``new_dossier`` on each back-end: a .spie file, then a dossier on a PostgreSQL server."""
    df = make_dossier(
        request.param,
        request,
        tmp_path,
        template_2021,
        "Dossier de test",
        author="Claire Martin",
        organisation="CD",
    )
    yield df
    df.close()


@pytest.fixture(params=BACKENDS)
def place(request, tmp_path):
    """Where a test puts a dossier named NAME: ``tmp_path/NAME``, then a new dossier on the server."""
    if request.param == "sqlite":
        return lambda name: str(tmp_path / name)
    server = request.getfixturevalue("pg_server")
    return lambda name: server.url(server.new_id())
