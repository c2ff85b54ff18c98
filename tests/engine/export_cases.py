"""Networks for the export tests: every layer type, random weights and non-trivial statistics."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np

from playground import NetworkSpec, Project, default_project
from playground.normalization import Normalization

# Every layer type: conv with stride and padding, overlapping max pooling, average
# pooling, batchnorm per channel and per feature, dropout, every activation.
ALL_LAYERS = {
    "name": "all layers",
    "input_shape": [2, 10, 10],
    "layers": [
        {"type": "conv2d", "filters": 4, "kernel_size": 3, "stride": 2, "padding": 1},
        {"type": "batchnorm", "momentum": 0.8, "eps": 1e-3},
        {"type": "leaky_relu", "alpha": 0.1},
        {"type": "maxpool2d", "pool_size": 2, "stride": 1},
        {"type": "conv2d", "filters": 3, "kernel_size": 2, "stride": 1, "padding": 1},
        {"type": "tanh"},
        {"type": "avgpool2d", "pool_size": 2, "stride": 2},
        {"type": "dropout", "rate": 0.3},
        {"type": "flatten"},
        {"type": "dense", "units": 8},
        {"type": "batchnorm"},
        {"type": "sigmoid"},
        {"type": "dense", "units": 6},
        {"type": "relu"},
        {"type": "dense", "units": 3},
    ],
    "loss": "softmax_cross_entropy",
}

# Vectors in, mean squared error out.
MLP_MSE = {
    "name": "mse_mlp",
    "input_shape": [5],
    "layers": [
        {"type": "dense", "units": 7},
        {"type": "tanh"},
        {"type": "dropout", "rate": 0.5},
        {"type": "dense", "units": 3},
    ],
    "loss": "mse",
}


def random_project(spec: dict, seed: int = 0) -> Project:
    """The spec with random biases, batchnorm parameters and running statistics, and a
    random normalisation, so that no part of an export can be wrong unnoticed."""
    project = Project(NetworkSpec.from_dict(spec))
    rng = np.random.default_rng(seed)
    net = project.network
    weights = {}
    for key, value in {**net.params, **net.state}.items():
        name = key.partition(".")[2]
        if name == "W":
            new = value * rng.uniform(0.8, 1.2, value.shape)
        elif name in ("gamma", "running_var"):
            new = rng.uniform(0.5, 2.0, value.shape)
        else:  # b, beta, running_mean
            new = rng.normal(0, 0.3, value.shape)
        weights[key] = new.astype(np.float32)
    project.weights = weights
    channels = project.spec.input_shape[0]
    project.normalization = Normalization(
        rng.uniform(0.2, 0.6, channels), rng.uniform(0.2, 0.5, channels)
    )
    return project


def cases() -> dict[str, Project]:
    """Every network the export tests run, by name."""
    return {
        "all_layers": random_project(ALL_LAYERS, seed=1),
        "mse_mlp": random_project(MLP_MSE, seed=2),
        "trained_simple_convnet": default_project(),
        "untrained_toy_spiral": Project.from_preset("toy_spiral"),
    }


def inputs(project: Project, n: int = 7, seed: int = 0) -> np.ndarray:
    """A batch as ``load_dataset`` gives it: float32 in [0, 1]."""
    rng = np.random.default_rng(seed)
    return rng.random((n, *project.spec.input_shape), dtype=np.float32)


def reference_scores(project: Project, x: np.ndarray) -> np.ndarray:
    """The network's own scores ``(N, C)`` on the normalised input."""
    normalised = project.normalization.apply(x) if project.normalization else x
    return project.network.forward(normalised)


def relative_difference(ours: np.ndarray, theirs: np.ndarray, floor: float = 1e-30) -> float:
    """max |ours - theirs| over max |ours| (at least ``floor``): the difference relative to
    the outputs' scale."""
    ours, theirs = np.asarray(ours, np.float64), np.asarray(theirs, np.float64)
    assert ours.shape == theirs.shape
    return float(np.abs(ours - theirs).max() / max(np.abs(ours).max(), floor))


def gradient_differences(ours: dict, theirs: dict) -> dict[str, float]:
    """``relative_difference`` of every gradient, against the scale of its layer's gradients.

    Per layer, not per array: a bias followed by batchnorm in training has a gradient
    that is zero in exact arithmetic, only float32 rounding on either side.
    """
    layer_scale: dict[str, float] = {}
    for key, g in ours.items():
        layer = key.partition(".")[0]
        layer_scale[layer] = max(layer_scale.get(layer, 0.0), float(np.abs(g).max()))
    return {
        key: relative_difference(g, theirs[key], floor=layer_scale[key.partition(".")[0]])
        for key, g in ours.items()
    }


def assert_ruff_clean(path: Path) -> None:
    """Generated code reads as hand-written: ``ruff check`` and ``ruff format --check`` pass."""
    for command in (["check"], ["format", "--check"]):
        run = subprocess.run(
            [sys.executable, "-m", "ruff", *command, "--isolated", "--line-length", "100"]
            + [str(path)],
            capture_output=True,
            text=True,
        )
        assert run.returncode == 0, run.stdout + run.stderr
