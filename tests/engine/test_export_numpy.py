"""The ejected NumPy file computes our scores and gradients, and runs without this project.

Its scores must equal ``Network.forward`` and its loss and gradients
``Network.loss``/``backward`` within 1e-5 of their scale, in training mode
(the same dropout masks, drawn from generators in the same state) and in
evaluation mode; its code is the reference module's own.
"""

from __future__ import annotations

import importlib.util
import inspect
import os
import subprocess
import sys
import uuid
from pathlib import Path

import numpy as np
import pytest
from export_cases import (
    assert_ruff_clean,
    cases,
    gradient_differences,
    inputs,
    reference_scores,
    relative_difference,
)

from playground.export import FORMATS, export
from playground.layers import reference

TOLERANCE = 1e-5
CASES = cases()
SEED = 5


def import_file(path: Path):
    spec = importlib.util.spec_from_file_location(f"ejected_{uuid.uuid4().hex}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def labels(project, n: int) -> np.ndarray:
    return np.random.default_rng(1).integers(0, project.spec.output_shape[0], n)


def has_dropout(project) -> bool:
    return any(layer["type"] == "dropout" for layer in project.spec.layers)


def our_loss_and_gradients(project, x, y, train: bool):
    """Our engine's loss and parameter gradients on a copy, dropout drawn from seed ``SEED``."""
    net = project.network.copy()
    net.rng.bit_generator.state = np.random.default_rng(SEED).bit_generator.state
    normalised = project.normalization.apply(x) if project.normalization else x
    loss = net.loss_fn.forward(net.forward(normalised, train=train), y)
    net.backward()
    return loss, net.grads, net.state


@pytest.mark.parametrize("name", CASES)
def test_the_ejected_file_computes_our_scores_and_gradients(name, tmp_path):
    project = CASES[name]
    files = export(project, "numpy", tmp_path)
    assert [f.name for f in files] == ["model.py", "weights.npz"]
    model = import_file(files[0])
    x = inputs(project, 6)
    y = labels(project, 6)
    assert relative_difference(reference_scores(project, x), model.forward(x)) < TOLERANCE
    rng = {"rng": np.random.default_rng(SEED)} if has_dropout(project) else {}
    for train in (False, True):  # training moves the running statistics: last
        loss, grads = model.loss_and_gradients(x, y, train=train, **rng)
        our_loss, our_grads, our_state = our_loss_and_gradients(project, x, y, train)
        assert abs(loss - our_loss) <= TOLERANCE * abs(our_loss)
        assert set(grads) == set(our_grads) == set(project.network.params)
        assert max(gradient_differences(our_grads, grads).values()) < TOLERANCE
        if train:  # batchnorm's running statistics moved alike
            for key, value in our_state.items():
                assert relative_difference(value, model.weights[key]) < TOLERANCE, key


def test_the_ejected_file_holds_the_reference_functions_of_the_layers_used_only(tmp_path):
    text = export(CASES["mse_mlp"], "numpy", tmp_path)[0].read_text()
    for function in (reference.dense_forward, reference.tanh_backward, reference.mse_backward):
        assert inspect.getsource(function) in text
    for absent in ("conv2d_forward", "_windows", "sliding_window_view", "batchnorm", "softmax"):
        assert absent not in text
    convnet = export(CASES["all_layers"], "numpy", tmp_path / "all")[0].read_text()
    for helper in (reference._windows, reference._add_windows, reference._channel_axes):
        assert inspect.getsource(helper) in convnet


def test_the_export_dialogs_note_names_every_file_written(tmp_path):
    """The note said 'one plain Python file' of an export that writes a folder of two."""
    written = export(CASES["mse_mlp"], "numpy", tmp_path)
    assert len(written) > 1
    for path in written:
        assert path.name in FORMATS["numpy"].note


@pytest.mark.parametrize("name", CASES)
def test_the_ejected_file_is_ruff_clean(name, tmp_path):
    pytest.importorskip("ruff", reason="ruff is in the test extra")
    model_py = export(CASES[name], "numpy", tmp_path)[0]
    assert_ruff_clean(model_py)


# Runs in a Python that sees the exported folder and NumPy, and nothing of this project.
ALONE = """
import importlib.util, sys
sys.path[:0] = sys.argv[1:]
for name in ("playground", "ui", "nn_playground"):
    assert importlib.util.find_spec(name) is None, name + " is importable"
import numpy as np
import model

given = np.load("given.npz")
x, y = given["x"], given["y"]
rng = {"rng": np.random.default_rng(int(given["seed"]))} if given["dropout"] else {}
scores = model.forward(x)
loss, grads = model.loss_and_gradients(x, y, **rng)
losses = model.train(x, y, epochs=2, lr=0.01)
np.savez("result.npz", scores=scores, loss=loss, losses=losses, **grads)
"""


def numpy_alone(tmp_path: Path) -> Path:
    """A folder holding only NumPy (and the libraries its wheel ships), linked."""
    site = Path(np.__file__).resolve().parent.parent
    folder = tmp_path / "numpy_only"
    folder.mkdir()
    for name in ("numpy", "numpy.libs"):
        if (site / name).exists():
            (folder / name).symlink_to(site / name)
    return folder


@pytest.mark.parametrize("name", CASES)
def test_the_ejected_file_runs_alone_in_a_clean_python(name, tmp_path):
    project = CASES[name]
    folder = tmp_path / "ejected"
    export(project, "numpy", folder)
    x, y = inputs(project, 10), labels(project, 10)
    dropout = has_dropout(project)
    np.savez(folder / "given.npz", x=x, y=y, seed=SEED, dropout=dropout)
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "OPENBLAS_NUM_THREADS")}
    run = subprocess.run(
        # -I: no user site, no environment variables, no script folder; -S: no site-packages.
        [sys.executable, "-I", "-S", "-c", ALONE, str(folder), str(numpy_alone(tmp_path))],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    result = np.load(folder / "result.npz")
    assert relative_difference(reference_scores(project, x), result["scores"]) < TOLERANCE
    our_loss, our_grads, _ = our_loss_and_gradients(project, x, y, train=True)
    assert abs(float(result["loss"]) - our_loss) <= TOLERANCE * abs(our_loss)
    theirs = {key: result[key] for key in our_grads}
    assert max(gradient_differences(our_grads, theirs).values()) < TOLERANCE
    assert len(result["losses"]) == 2 * -(-10 // project.config.batch_size)
    assert np.isfinite(result["losses"]).all()
