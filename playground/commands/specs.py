"""Turning a command-line argument into a spec: a preset name or a spec JSON path."""

from __future__ import annotations

from pathlib import Path

from playground.errors import SpecError
from playground.paths import preset_names, preset_path
from playground.spec import NetworkSpec


def load_spec_argument(value: str) -> NetworkSpec:
    """A preset name (``mlp``) or a path to a spec ``.json``."""
    if value in preset_names():
        return NetworkSpec.load(preset_path(value))
    path = Path(value)
    if not path.exists():
        raise SpecError(
            f"no file {value!r} and no preset of that name ({', '.join(preset_names())})"
        )
    return NetworkSpec.load(path)
