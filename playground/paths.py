"""Where the bundled resources (presets, digits, default model) are, checkout or wheel."""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent


def resources_dir() -> Path:
    """``resources/``: beside the package in a checkout, inside it in an installed wheel."""
    for candidate in (_HERE / "resources", _HERE.parent / "resources"):
        if (candidate / "presets").is_dir():
            return candidate
    raise FileNotFoundError("the bundled resources folder is missing from this installation")


def preset_path(name: str) -> Path:
    """``preset_path("mlp")`` -> the file ``resources/presets/mlp.json``."""
    return resources_dir() / "presets" / f"{name}.json"


def preset_names() -> list[str]:
    return sorted(p.stem for p in (resources_dir() / "presets").glob("*.json"))
