"""Where the bundled resources (presets, digits, default model) are, checkout or wheel."""

from __future__ import annotations

import os
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


# Tests and portable setups point this at another folder instead of the user's own.
HANDWRITING_ENV = "NN_PLAYGROUND_HANDWRITING"


def handwriting_dir() -> Path:
    """The user's own digits, one sub-folder per class (``0/`` ... ``9/``) of 28x28 PNGs.

    Under the platform's user-data folder (platformdirs), or ``$NN_PLAYGROUND_HANDWRITING``.
    The folder may not exist yet: it is made when the first digit is saved.
    """
    override = os.environ.get(HANDWRITING_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path("nn-playground", appauthor=False) / "handwriting"
