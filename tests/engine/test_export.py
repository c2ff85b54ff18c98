"""The PyTorch and ONNX exports compute what our engine computes; bad requests get one line.

Each export takes the input as ``load_dataset`` gives it and returns the scores;
they must equal the network's scores on the normalised input, and their softmax
``Project.predict``, within 1e-5 of the scores' scale.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import re
import subprocess
import sys
import uuid
from pathlib import Path

import numpy as np
import pytest
from export_cases import (
    ALL_LAYERS,
    assert_ruff_clean,
    cases,
    inputs,
    reference_scores,
    relative_difference,
)

from playground import LAYER_TYPES, default_project, load_dataset
from playground.cli import main
from playground.errors import ExportError, SpecError
from playground.export import FORMATS, export
from playground.export import onnx as onnx_export
from playground.export import pytorch as pytorch_export
from playground.export.shared import ExportSource
from playground.losses import softmax
from playground.optimizers import OPTIMIZERS
from playground.trainer import TrainConfig

TOLERANCE = 1e-5
CASES = cases()
NO_TORCH = "the PyTorch export is run where torch is installed (pip install torch)"
NO_ONNX = "writing ONNX needs the onnx package (pip install onnx)"
NO_RUNTIME = "the ONNX export is run where onnxruntime is installed (pip install onnxruntime)"


def test_the_cases_use_every_layer_type_and_every_export_knows_them():
    assert {layer["type"] for layer in ALL_LAYERS["layers"]} == set(LAYER_TYPES)
    assert set(pytorch_export.MODULES) == set(LAYER_TYPES)
    assert set(onnx_export.NODES) == set(LAYER_TYPES)


def import_file(path: Path):
    """Import a generated ``model.py`` under a name of its own."""
    spec = importlib.util.spec_from_file_location(f"exported_{uuid.uuid4().hex}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def assert_same_as_ours(project, x: np.ndarray, scores: np.ndarray) -> None:
    assert relative_difference(reference_scores(project, x), scores) < TOLERANCE
    if project.spec.loss == "softmax_cross_entropy":
        assert relative_difference(project.predict(x), softmax(scores)) < TOLERANCE
    else:
        assert relative_difference(project.predict(x), scores) < TOLERANCE


@pytest.mark.parametrize("name", CASES)
def test_the_pytorch_export_computes_our_scores(name, tmp_path):
    torch = pytest.importorskip("torch", reason=NO_TORCH)
    project = CASES[name]
    files = export(project, "pytorch", tmp_path / "out")
    assert [f.name for f in files] == ["model.py", "weights.npz", "README.md"]
    model = import_file(files[0]).load_model()
    assert not model.training
    for n in (1, 7):
        x = inputs(project, n)
        with torch.no_grad():
            scores = model(torch.from_numpy(x)).numpy()
        assert_same_as_ours(project, x, scores)


def test_the_generated_pytorch_code_is_ruff_clean_and_names_its_source(tmp_path):
    pytest.importorskip("ruff", reason="ruff is in the test extra")
    project = default_project()
    model_py = export(project, "pytorch", tmp_path)[0]
    assert_ruff_clean(model_py)
    text = " ".join(model_py.read_text().split())
    accuracy = f"validation accuracy {project.history.val_accuracy[-1]:.2%}"
    assert "exported from NN Playground" in text and accuracy in text
    assert "class SimpleConvNet(nn.Module):" in text and "nn.Sequential(" in text


def test_the_pytorch_export_trains_on_for_an_epoch_from_its_readme(tmp_path):
    torch = pytest.importorskip("torch", reason=NO_TORCH)
    folder = tmp_path / "simple_convnet"
    export(default_project(), "pytorch", folder)
    readme = (folder / "README.md").read_text()
    load_and_run, train_on = re.findall(r"```python\n(.*?)```", readme, re.DOTALL)
    assert len(load_and_run.strip().splitlines()) == 3
    digits = load_dataset("digits")
    picked = np.random.default_rng(0).choice(len(digits), 320, replace=False)
    np.save(folder / "x.npy", digits.x[picked])
    np.save(folder / "y.npy", digits.y[picked])
    script = "\n".join(
        [
            "import numpy as np",
            'x, y = np.load("x.npy"), np.load("y.npy")',
            load_and_run,
            'print(f"accuracy {(scores.argmax(1).numpy() == y).mean():.3f}")',
            train_on,
        ]
    )
    (folder / "readme_run.py").write_text(script)
    run = subprocess.run(
        [sys.executable, "readme_run.py"], cwd=folder, capture_output=True, text=True, timeout=600
    )
    assert run.returncode == 0, run.stderr
    accuracy = float(re.search(r"accuracy (\S+)", run.stdout).group(1))
    assert accuracy > 0.95  # the trained weights, loaded by the README's three lines
    loss = float(re.search(r"epoch 1: last batch loss (\S+)", run.stdout).group(1))
    assert np.isfinite(loss)
    trained = torch.load(folder / "trained.pt")
    with np.load(folder / "weights.npz") as before:
        assert set(trained) == set(before.files)
        changed = [k for k in before.files if not np.array_equal(before[k], trained[k].numpy())]
    assert "layers.0.weight" in changed and "layers.6.bias" in changed
    assert "mean" not in changed  # the normalisation is a buffer, not trained


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_the_readme_trains_on_with_the_projects_own_optimizer(optimizer):
    torch = pytest.importorskip("torch", reason=NO_TORCH)
    project = dataclasses.replace(
        CASES["mse_mlp"], config=TrainConfig(optimizer=optimizer, lr=0.05, weight_decay=0.01)
    )
    code = pytorch_export.optimizer_code(project)
    built = eval(code, {"torch": torch, "model": torch.nn.Linear(2, 2)})
    assert built.defaults["lr"] == 0.05 and built.defaults["weight_decay"] == 0.01
    assert set(pytorch_export.OPTIMIZER_CODE) == set(OPTIMIZERS)


@pytest.mark.parametrize("name", CASES)
def test_the_onnx_export_computes_our_scores_at_any_batch_size(name, tmp_path):
    onnx = pytest.importorskip("onnx", reason=NO_ONNX)
    ort = pytest.importorskip("onnxruntime", reason=NO_RUNTIME)
    project = CASES[name]
    (path,) = export(project, "onnx", tmp_path / "model.onnx")
    onnx.checker.check_model(str(path), full_check=True)
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    (given,) = session.get_inputs()
    assert given.name == "x" and given.shape == ["N", *project.spec.input_shape]
    assert [o.name for o in session.get_outputs()] == ["scores"]
    for n in (1, 7):
        x = inputs(project, n)
        (scores,) = session.run(["scores"], {"x": x})
        assert_same_as_ours(project, x, scores)


# -- bad requests ---------------------------------------------------------------------------
def run_cli(capsys, *args: str) -> tuple[int, str]:
    code = main(["export", *args])
    return code, capsys.readouterr().err


def test_the_command_line_exports_a_project(tmp_path, capsys):
    project_file = tmp_path / "digits.nnp"
    default_project().save(project_file)
    code = main(["export", str(project_file), "--to", "pytorch", "--out", str(tmp_path / "pt")])
    printed = capsys.readouterr().out
    assert code == 0
    assert "exported SimpleConvNet (trained weights) as PyTorch" in printed
    assert str(tmp_path / "pt" / "model.py") in printed
    assert (tmp_path / "pt" / "weights.npz").is_file()


def test_a_preset_exports_with_its_seeded_weights(tmp_path, capsys):
    assert main(["export", "mlp", "--to", "pytorch", "--out", str(tmp_path)]) == 0
    assert "(seeded initial weights)" in capsys.readouterr().out
    assert "Not trained" in (tmp_path / "model.py").read_text()


def test_an_unknown_format_is_named_with_the_choices(tmp_path, capsys):
    code, err = run_cli(capsys, "mlp", "--to", "keras", "--out", str(tmp_path))
    assert code == 1
    assert err == f"error: unknown format 'keras' (choose from {', '.join(FORMATS)})\n"


def test_an_invalid_spec_is_named_by_layer(tmp_path, capsys):
    spec = tmp_path / "bad.json"
    layer = '{"type": "conv2d", "filters": 2, "kernel_size": 7}'
    spec.write_text(f'{{"input_shape": [1, 4, 4], "layers": [{layer}]}}')
    code, err = run_cli(capsys, str(spec), "--to", "pytorch", "--out", str(tmp_path / "out"))
    assert (code, err) == (1, "error: layer 0 (conv2d): kernel_size 7 does not fit input 4x4 "
                              "(padding 0)\n")  # fmt: skip
    assert not (tmp_path / "out").exists()


def test_an_output_that_cannot_be_written_is_refused_in_one_line(tmp_path, capsys):
    a_file = tmp_path / "notes.txt"
    a_file.write_text("keep me")
    code, err = run_cli(capsys, "mlp", "--to", "pytorch", "--out", str(a_file))
    assert code == 1 and "it is a file" in err and err.count("\n") == 1
    code, err = run_cli(capsys, "mlp", "--to", "pytorch", "--out", str(a_file / "sub"))
    assert code == 1 and f"cannot create the folder {a_file / 'sub'}" in err
    code, err = run_cli(capsys, "mlp", "--to", "onnx", "--out", str(tmp_path))
    assert code == 1 and "it is a folder" in err
    code, err = run_cli(capsys, "mlp", "--to", "onnx", "--out", str(tmp_path / "no" / "m.onnx"))
    assert code == 1 and "does not exist" in err and err.count("\n") == 1
    assert a_file.read_text() == "keep me"


def test_a_write_that_fails_names_the_file(tmp_path, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "write_text", refuse)
    with pytest.raises(ExportError, match=r"cannot write .*model\.py: Permission denied"):
        export(CASES["mse_mlp"], "pytorch", tmp_path)


def test_a_missing_onnx_package_says_how_to_install_it(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "onnx", None)  # import onnx now raises ImportError
    code, err = run_cli(capsys, "mlp", "--to", "onnx", "--out", str(tmp_path / "m.onnx"))
    assert code == 1
    assert err == (
        "error: The ONNX export needs the onnx package: pip install onnx "
        '(or pip install "nn-playground[export]")\n'
    )


def test_an_invalid_spec_raises_spec_error_from_python(tmp_path):
    project = CASES["all_layers"]
    broken = type(project)(project.spec.replace_layer(0, {"type": "dense", "units": 3}))
    with pytest.raises(SpecError, match="layer 0 \\(dense\\)"):
        export(broken, "onnx", tmp_path / "m.onnx")


def test_the_provenance_gives_a_part_epoch_to_a_tenth():
    project = CASES["mse_mlp"]
    trained = dataclasses.replace(project, step=203, steps_per_epoch=6)  # 33.83 epochs
    assert "Trained 33.8 epochs (203 steps)" in ExportSource.of(trained).provenance()[1]


def test_writing_the_pytorch_export_needs_no_torch(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)  # import torch now raises ImportError
    files = export(CASES["all_layers"], "pytorch", tmp_path)
    assert "nn.BatchNorm2d(4, eps=0.001, momentum=0.2)" in files[0].read_text()
