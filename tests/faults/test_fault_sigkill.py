"""Issue 8: SIGKILL during a storm of edits, 200 times — the durability test of tests/models, run longer.

The scenario is not copied: the module tests/models/test_durability.py is loaded by path and its
test is called with 200 kills instead of 50 (every reported edit present, integrity check ok).
"""

from __future__ import annotations

import importlib.util
import os

import pytest
from faultkit import ROOT

FAULT_KILLS = int(os.environ.get("SPIE_FAULT_KILLS", "200"))


def _durability_module():
    path = ROOT / "tests" / "models" / "test_durability.py"
    spec = importlib.util.spec_from_file_location("spie_fault_durability", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
def test_200_sigkills_during_an_edit_storm_lose_no_reported_edit(new_dossier, monkeypatch):
    durability = _durability_module()
    monkeypatch.setattr(durability, "KILLS", FAULT_KILLS)
    durability.test_sigkill_never_loses_a_committed_edit(new_dossier)
