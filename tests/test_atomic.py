"""Files written atomically get the umask's permissions (or keep those of the file they replace),
never mkstemp's 0600: exported PDFs and partner copies are read by colleagues on a shared drive."""

from __future__ import annotations

import os
import stat

import pytest

from spie_desktop.atomic import atomic_write_bytes, current_umask, default_file_mode

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_file_gets_the_umask_permissions(tmp_path, umask_022):
    assert current_umask() == 0o022
    out = tmp_path / "dossier.pdf"
    atomic_write_bytes(out, b"%PDF")
    assert mode(out) == 0o644 == default_file_mode()


def test_a_stricter_umask_is_respected(tmp_path):
    old = os.umask(0o077)
    try:
        out = tmp_path / "prive.pdf"
        atomic_write_bytes(out, b"%PDF")
        assert mode(out) == 0o600
    finally:
        os.umask(old)


def test_a_replaced_file_keeps_its_permissions(tmp_path, umask_022):
    out = tmp_path / "partage.pdf"
    out.write_bytes(b"old")
    os.chmod(out, 0o664)
    atomic_write_bytes(out, b"new")
    assert mode(out) == 0o664 and out.read_bytes() == b"new"


def test_a_partner_copy_gets_the_umask_permissions(tmp_path, umask_022):
    from spie_desktop.forms import registry
    from spie_desktop.models import DossierFile

    src = tmp_path / "d.spie"
    with DossierFile.create(src, registry.find("ami-spie-2021-vague2"), "D") as d:
        d.save_copy(tmp_path / "copie.spie")
    assert mode(tmp_path / "copie.spie") == 0o644
