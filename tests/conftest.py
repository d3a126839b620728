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
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("reproducible", derandomize=True, database=None, deadline=None,
                                      print_blob=True)
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

    df = DossierFile.create(tmp_path / "d.spie", template_2021, "Dossier de test", author="Claire Martin",
                            organisation="CD")
    yield df
    df.close()
