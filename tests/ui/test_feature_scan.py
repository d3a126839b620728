"""PySide6's first-import scan skips this package's modules and still reads the others'."""

from __future__ import annotations

import inspect
import sys
import types

import pytest

import spie_desktop
from spie_desktop.ui import feature_scan

feature = pytest.importorskip("shibokensupport.feature")


@pytest.fixture
def reads(monkeypatch):
    """The modules whose source PySide's scan reads from now on."""
    seen: list[str] = []
    real = inspect.getsource

    def getsource(obj):
        seen.append(getattr(obj, "__name__", "?"))
        return real(obj)

    monkeypatch.setattr(inspect, "getsource", getsource)
    return seen


def test_an_own_module_is_entered_without_reading_its_source(tmp_path, monkeypatch, reads):
    assert feature_scan.install()
    (tmp_path / "_essai_scan.py").write_text(
        "from PySide6.QtCore import QObject\nVALUE = 1\n", encoding="utf-8"
    )
    monkeypatch.setattr(spie_desktop, "__path__", [*spie_desktop.__path__, str(tmp_path)])
    name = "spie_desktop._essai_scan"
    try:
        __import__(name, fromlist=["VALUE"])  # "from … import VALUE": the hook sees this module
        assert sys.modules[name].VALUE == 1
        assert feature.pyside_feature_dict[name] == 0  # what the scan says of a module that uses PySide
        assert name not in reads
    finally:
        sys.modules.pop(name, None)
        feature.pyside_feature_dict.pop(name, None)


def test_another_module_still_gets_pyside_s_own_scan(reads):
    assert feature_scan.install()
    foreign = types.ModuleType("module_etranger_essai")
    try:
        feature.feature_imported(foreign)
        assert "module_etranger_essai" in reads
        assert feature.pyside_feature_dict["module_etranger_essai"] == -1  # no source: ignored
    finally:
        feature.pyside_feature_dict.pop("module_etranger_essai", None)


def test_installing_twice_wraps_once():
    assert feature_scan.install()
    hook = feature.feature_imported
    assert feature_scan.install()
    assert feature.feature_imported is hook


def test_a_standard_module_is_entered_as_ignored_without_reading_it(reads):
    import textwrap

    assert feature_scan.install()
    feature.pyside_feature_dict.pop("textwrap", None)
    try:
        __import__("textwrap", fromlist=["dedent"])
        assert feature.pyside_feature_dict["textwrap"] == -1  # what PySide's scan finds in it
        assert "textwrap" not in reads
    finally:
        feature.pyside_feature_dict.setdefault("textwrap", -1)
    assert textwrap.dedent


def test_a_package_installed_beside_the_standard_library_is_not_taken_for_it():
    installed = types.ModuleType("paquet_installe_essai")
    installed.__file__ = feature_scan.STDLIB + "site-packages/paquet_installe_essai/__init__.py"
    assert not feature_scan._standard(installed)  # PySide's own scan reads it
    assert not feature_scan._standard(types.ModuleType("sans_fichier"))
    assert feature_scan._standard(sys.modules["textwrap"])
