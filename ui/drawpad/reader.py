"""Which network the pad reads with: a snapshot of the current one, or the bundled model.

The pad never runs the document's network: it reads with its own copy, taken when the project
changes (about once a second while training), so training goes on undisturbed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from playground.layers import shape_text
from playground.network import Network
from playground.normalization import Normalization
from playground.project import Project

DIGIT_INPUT = (1, 28, 28)


@dataclass(frozen=True)
class Reader:
    """A network to read drawings with, its normalisation, and what to tell the user."""

    net: Network
    normalization: Normalization | None
    description: str


def unreadable_reason(project: Project) -> str | None:
    """Why the pad cannot read with ``project``'s network, or None if it can."""
    spec = project.spec
    if tuple(spec.input_shape) != DIGIT_INPUT:
        return (
            f"Your network takes {shape_text(spec.input_shape)} inputs, not a 28×28 image, "
            "so it cannot read a drawing."
        )
    errors = spec.errors()
    if errors:  # the canvas marks the layer
        return f"Your network is not valid yet ({errors[0]})."
    outputs = spec.output_shape
    if tuple(outputs) != (10,):
        return f"Your network has {shape_text(outputs)} outputs, not one per digit."
    if project.weights is None:
        return "Your network has no trained weights yet."
    return None


def snapshot(project: Project, default: Project) -> Reader:
    """A reader with its own copy of ``project``'s network, saying when it was taken (or
    that it is the bundled default model, which the app opens with)."""
    if _same_weights(project, default):
        description = (
            "Reading with the bundled default model "
            "(SimpleConvNet trained on MNIST and pen-drawn digits)."
        )
    else:
        taken = time.strftime("%H:%M:%S")
        description = (
            f"Reading with your network “{project.spec.name}”: a snapshot of its weights "
            f"taken at {taken}, after {project.step:,} training steps."
        )
    return Reader(project.network.copy(), project.normalization, description)


def default_reader(default: Project, reason: str | None) -> Reader:
    """The bundled model: chosen by the user (``reason`` None) or because the current
    network cannot read a drawing (``reason`` says why)."""
    if reason is None:
        description = "Reading with the bundled default model, as chosen above."
    else:
        description = f"{reason} Reading with the bundled default model instead."
    return Reader(default.network.copy(), default.normalization, description)


def _same_weights(project: Project, default: Project) -> bool:
    a, b = project.weights, default.weights
    if a is None or b is None or a.keys() != b.keys() or project.spec != default.spec:
        return False
    return all(np.array_equal(a[k], b[k]) for k in a)
