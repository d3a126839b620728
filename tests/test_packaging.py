"""What `pip install .` ships: every module of the package and every resource the application reads."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_every_python_folder_of_the_package_is_declared():
    declared = set(_pyproject()["tool"]["setuptools"]["packages"])
    folders = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for p in (ROOT / "spie_desktop").rglob("*.py")
        if "__pycache__" not in p.parts
    }
    missing = folders - declared
    assert not missing, f"absent de [tool.setuptools] packages, donc de la roue : {sorted(missing)}"
    for name in folders:
        assert (ROOT / Path(*name.split(".")) / "__init__.py").exists(), f"{name} n'a pas de __init__.py"


def test_every_resource_kind_is_shipped():
    data = _pyproject()["tool"]["setuptools"]["package-data"]["spie_desktop.resources"]
    suffixes = {
        p.suffix
        for p in (ROOT / "resources").rglob("*")
        if p.is_file() and p.name != "__init__.py" and "__pycache__" not in p.parts
    }
    shipped = {pattern.rsplit("*", 1)[-1] for pattern in data}
    assert suffixes <= shipped, f"types de fichiers de resources/ non livrés : {sorted(suffixes - shipped)}"
