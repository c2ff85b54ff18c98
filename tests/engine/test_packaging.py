"""The wheel carries every package and every resources/ folder (pyproject lists them by hand)."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_pyproject_lists_every_package_and_resource_folder():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    code = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for top in ("playground", "ui")
        for init in (ROOT / top).rglob("__init__.py")
    }
    resources = {
        ".".join(("playground", *folder.relative_to(ROOT).parts))
        for folder in [ROOT / "resources", *(ROOT / "resources").rglob("*")]
        if folder.is_dir() and folder.name != "__pycache__"
    }
    assert code | resources <= listed
    assert config["package-dir"]["playground.resources"] == "resources"
