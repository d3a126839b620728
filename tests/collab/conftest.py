"""Fixtures of the collaboration tests: a controlled clock and a consortium of three partners."""

from __future__ import annotations

import pytest
from collabkit import Clock, Consortium


@pytest.fixture
def clock(monkeypatch):
    c = Clock()
    monkeypatch.setattr("spie_desktop.models.dossier_file.utcnow", c)
    return c


@pytest.fixture(params=("sqlite", "postgresql"))
def consortium(request, tmp_path, template_2021, clock):
    """The partners' copies are files; the coordinator's dossier is a file, then a dossier on a server."""
    cd_at = None
    if request.param == "postgresql":
        server = request.getfixturevalue("pg_server")
        # the coordinator connects as their own role: the server writes that name in the change log
        cd_at = server.url(
            server.new_id(), user=server.role("Claire Martin", "spie_coordinator"), password="pw"
        )
    return Consortium(tmp_path, template_2021, cd_at)
