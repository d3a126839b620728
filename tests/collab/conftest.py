"""Fixtures of the collaboration tests: a controlled clock and a consortium of three partners."""

from __future__ import annotations

import pytest

from collabkit import Clock, Consortium


@pytest.fixture
def clock(monkeypatch):
    c = Clock()
    monkeypatch.setattr("spie_desktop.models.dossier_file.utcnow", c)
    return c


@pytest.fixture
def consortium(tmp_path, template_2021, clock):
    return Consortium(tmp_path, template_2021)
