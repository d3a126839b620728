"""No PostgreSQL on the machine: the server tests fail and say what to install (they never skip)."""

from __future__ import annotations

import cluster
import pytest


def test_missing_postgresql_says_what_to_install(monkeypatch):
    monkeypatch.setattr(cluster.shutil, "which", lambda name: None)
    monkeypatch.setattr(cluster.glob, "glob", lambda pattern: [])
    with pytest.raises(RuntimeError, match="apt-get install postgresql"):
        cluster.find_bindir()


def test_newest_installed_version_is_chosen(monkeypatch):
    monkeypatch.setattr(cluster.shutil, "which", lambda name: None)
    monkeypatch.setattr(
        cluster.glob,
        "glob",
        lambda pattern: ["/usr/lib/postgresql/9/bin/initdb", "/usr/lib/postgresql/15/bin/initdb"],
    )
    assert str(cluster.find_bindir()) == "/usr/lib/postgresql/15/bin"
