"""What every export shares: the network it reads, where it came from, and where it writes.

An export takes the input exactly as ``load_dataset`` gives it (and as
``Project.predict`` takes it): the project's normalisation is its first step.
"""

from __future__ import annotations

import importlib
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import numpy as np

from playground.errors import ExportError
from playground.layers import Shape, shape_text
from playground.network import Network
from playground.project import Project
from playground.spec import NetworkSpec

# The extra (pyproject.toml) that brings each optional package an export needs to be written.
EXTRAS = {"onnx": "export"}


@dataclass(frozen=True)
class ExportSource:
    """A project's network, checked and ready to be written in another form.

    ``shapes[i]`` is layer i's output shape; ``mean``/``std`` are the normalisation's
    per-channel (or per-feature) vectors ``(C,)``, or None when the project has none.
    """

    project: Project
    network: Network
    shapes: tuple[Shape, ...]
    mean: np.ndarray | None
    std: np.ndarray | None

    @classmethod
    def of(cls, project: Project) -> ExportSource:
        """Raises SpecError (naming the layer) for a spec that cannot be built."""
        shapes = tuple(project.spec.infer_shapes())
        norm = project.normalization
        return cls(
            project,
            project.network,
            shapes,
            None if norm is None else norm.mean,
            None if norm is None else norm.std,
        )

    @property
    def spec(self) -> NetworkSpec:
        return self.project.spec

    @property
    def layers(self) -> list[tuple[int, dict, Shape, Shape]]:
        """``(index, config, input shape, output shape)`` of every layer, in order; each
        config has every field, defaults filled in."""
        ins = (self.spec.input_shape, *self.shapes[:-1])
        return [
            (i, layer.get_config(), ins[i], self.shapes[i])
            for i, layer in enumerate(self.network.layers)
        ]

    def arrays(self, index: int) -> dict[str, np.ndarray]:
        """Layer ``index``'s parameters and state by name (``W``, ``running_mean`` …)."""
        layer = self.network.layers[index]
        return {**layer.params, **layer.state}

    @property
    def stats_shape(self) -> tuple[int, ...]:
        """The shape of ``mean``/``std`` that broadcasts over a batch: (1, C, 1, 1) or (1, D)."""
        size = self.spec.input_shape[0]
        return (1, size, 1, 1) if len(self.spec.input_shape) == 3 else (1, size)

    @property
    def class_name(self) -> str:
        """The network's name as a Python class name: ``"toy spiral"`` -> ``ToySpiral``."""
        words = re.findall(r"[A-Za-z0-9]+", self.spec.name)
        name = "".join(w[:1].upper() + w[1:] for w in words)
        return name if name[:1].isalpha() else f"Network{name}"

    def provenance(self) -> list[str]:
        """Where this network came from, as lines of plain text."""
        project = self.project
        spec = self.spec
        lines = [
            f"{spec.name}, exported from NN Playground: {len(spec.layers)} layers, "
            f"{spec.param_count:,} parameters, loss {spec.loss}."
        ]
        if project.weights is None:
            lines.append("Not trained: the weights are its seeded initial ones.")
        else:
            trained = (
                f"Trained {round(project.epochs_done, 1):g} epochs ({project.step:,} steps) "
                f"on {project.dataset or 'its dataset'} with {project.config.optimizer}, "
                f"lr {project.config.lr:g}"
            )
            val = project.history.val_accuracy
            lines.append(trained + (f"; validation accuracy {val[-1]:.2%}." if val else "."))
        dims = ", ".join(map(str, spec.input_shape))
        lines.append(f"Input: float32 (N, {dims}), {self.input_note()}.")
        classes = spec.output_shape[0]
        lines.append(f"Output: class scores (N, {classes}), before {self.output_note()}.")
        return lines

    def header(self, width: int = 88) -> str:
        """``provenance()`` wrapped for a docstring or a comment block."""
        return "\n".join(textwrap.fill(line, width) for line in self.provenance())

    def input_note(self) -> str:
        if self.mean is None:
            return "as given to the network (the project has no input normalisation)"
        return (
            "exactly as NN Playground's load_dataset gives it; the project's normalisation "
            f"(x - mean) / std per {'channel' if len(self.spec.input_shape) == 3 else 'feature'} "
            "is part of the model"
        )

    def output_note(self) -> str:
        if self.spec.loss == "softmax_cross_entropy":
            return "softmax (softmax of the scores gives the probabilities)"
        return "any squashing (the network was trained with mean squared error on one-hot targets)"


def shape_comment(shape: Shape) -> str:
    """``(30, 12, 12)`` -> ``"-> 30x12x12"``, for a comment beside generated code."""
    return f"-> {shape_text(shape)}"


def optional_package(name: str, purpose: str) -> ModuleType:
    """Import an optional package, or say in one line how to install it."""
    try:
        return importlib.import_module(name)
    except ImportError:
        extra = EXTRAS[name]
        raise ExportError(
            f"{purpose} needs the {name} package: pip install {name} "
            f'(or pip install "nn-playground[{extra}]")'
        ) from None


def output_folder(path: str | Path) -> Path:
    """``path`` as a folder to write into, created if new; ExportError if it cannot be."""
    path = Path(path).expanduser()
    if path.exists() and not path.is_dir():
        raise ExportError(f"cannot export to {path}: it is a file, and this export writes a folder")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot create the folder {path}: {exc.strerror or exc}") from exc
    return path


def output_file(path: str | Path) -> Path:
    """``path`` as a file to write; ExportError if it is a folder or its folder is missing."""
    path = Path(path).expanduser()
    if path.is_dir():
        raise ExportError(f"cannot export to {path}: it is a folder; give a file name")
    if not path.parent.is_dir():
        raise ExportError(f"cannot export to {path}: the folder {path.parent} does not exist")
    return path


def write_text(path: Path, text: str) -> None:
    """Write one generated file; ExportError naming the file if it cannot be written."""
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from exc


def write_arrays(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Write arrays as an uncompressed ``.npz`` (readable by NumPy alone, no pickle)."""
    try:
        with path.open("wb") as f:
            np.savez(f, **{k: np.asarray(v, order="C") for k, v in arrays.items()})
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from exc
