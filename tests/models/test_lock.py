from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import pytest

from spie_desktop.models import DossierLocked, open_dossier
from spie_desktop.models.lock import lock_path


def test_second_open_names_the_holder(new_dossier):
    with pytest.raises(DossierLocked) as info:
        open_dossier(new_dossier.path, author="Quelqu'un d'autre")
    err = info.value
    assert err.holder.pid == os.getpid() and err.holder.host == socket.gethostname()
    assert "déjà ouvert par Claire Martin" in str(err) and not err.stale


def test_read_only_open_while_locked(new_dossier):
    new_dossier.set_value("porteur_nom", "Visible")
    with open_dossier(new_dossier.path, read_only=True) as ro:
        assert ro.read_only and ro.get("porteur_nom") == "Visible"


def _dead_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def test_stale_lock_of_a_dead_process_can_be_broken(new_dossier):
    path = new_dossier.path
    new_dossier.close()
    lock_path(path).write_text(
        json.dumps(
            {
                "host": socket.gethostname(),
                "user": "x",
                "pid": _dead_pid(),
                "since": "2021-10-01T08:00:00+00:00",
                "author": "Ancien poste",
            }
        )
    )
    with pytest.raises(DossierLocked) as info:
        open_dossier(path)
    assert info.value.stale and "abandonné" in str(info.value)
    with open_dossier(path, break_stale_lock=True) as df:
        df.set_value("porteur_nom", "Repris")
        assert json.loads(lock_path(path).read_text())["pid"] == os.getpid()
    assert not lock_path(path).exists()


def test_live_lock_is_not_broken_as_stale(new_dossier):
    with pytest.raises(DossierLocked):
        open_dossier(new_dossier.path, break_stale_lock=True)


def test_old_lock_from_another_host_is_stale(new_dossier):
    path = new_dossier.path
    new_dossier.close()
    lp = lock_path(path)
    lp.write_text(
        json.dumps({"host": "autre-poste", "user": "y", "pid": 1, "since": "2021-10-01T08:00:00+00:00"})
    )
    os.utime(lp, (0, 0))
    with pytest.raises(DossierLocked) as info:
        open_dossier(path)
    assert info.value.stale


def test_corrupt_lock_file_is_breakable(new_dossier):
    path = new_dossier.path
    new_dossier.close()
    lock_path(path).write_bytes(b"\x00garbage")
    with pytest.raises(DossierLocked) as info:
        open_dossier(path)
    assert info.value.stale
    open_dossier(path, break_stale_lock=True).close()


def test_a_journal_removed_while_the_header_is_read_is_no_error(new_dossier, monkeypatch):
    """Another writer's commit removes its -journal between the moment we see it and the moment we
    measure it (seen with 20 processes sharing one file): the opening goes on, no traceback."""
    import pathlib

    path = new_dossier.path
    new_dossier.close()
    journal = path.with_name(path.name + "-journal")
    real_stat = pathlib.Path.stat

    def stat(self, *a, **k):
        if self == journal:
            raise FileNotFoundError(2, "No such file or directory", str(self))
        return real_stat(self, *a, **k)

    monkeypatch.setattr(pathlib.Path, "exists", lambda self, *a, **k: self == journal or os.path.exists(self))
    monkeypatch.setattr(pathlib.Path, "stat", stat)
    from spie_desktop.models.sniff import read_header

    assert read_header(path).page_count > 0
