"""Exports of a project's network to other engines: one ``ExportFormat`` per target.

``FORMATS`` drives the command line's ``--to`` and the window's Export dialog.
Every export takes the input exactly as ``load_dataset`` gives it (the project's
normalisation is part of it) and gives the network's scores ``(N, C)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from playground.errors import ExportError
from playground.export import numpy, onnx, pytorch
from playground.project import Project


@dataclass(frozen=True)
class ExportFormat:
    name: str
    title: str
    writes_folder: bool  # a folder of files, or one file
    suffix: str  # of the one file; "" for a folder
    note: str  # what it is for, in a sentence or two
    write: Callable[[Project, Path], list[Path]]


FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat(
            "pytorch",
            "PyTorch",
            True,
            "",
            "Readable PyTorch code (nn.Sequential) with the weights beside it: train on, "
            "on a GPU, in the ecosystem made for it. Running it needs torch.",
            pytorch.export,
        ),
        ExportFormat(
            "onnx",
            "ONNX",
            False,
            ".onnx",
            "One portable file for production runtimes (ONNX Runtime, TensorRT, OpenVINO, "
            "the browser). Writing it needs the onnx package.",
            onnx.export,
        ),
        ExportFormat(
            "numpy",
            "NumPy (ejected)",
            True,
            "",
            "One plain Python file, model.py, with the weights beside it in weights.npz; it "
            "needs NumPy alone: the textbook forward and backward of each layer, the loss and "
            "its gradients, and a ten-line training loop. Read it top to bottom, run it "
            "anywhere.",
            numpy.export,
        ),
    )
}


def export(project: Project, format_name: str, out: str | Path) -> list[Path]:
    """Write ``project``'s network in ``format_name`` to ``out``; return the files written.

    Raises ExportError (unknown format, an unwritable path, a missing package) or
    SpecError (a network that cannot be built), each with a one-line message.
    """
    chosen = FORMATS.get(format_name)
    if chosen is None:
        raise ExportError(f"unknown format {format_name!r} (choose from {', '.join(FORMATS)})")
    return chosen.write(project, Path(out))


__all__ = ["FORMATS", "ExportError", "ExportFormat", "export"]
