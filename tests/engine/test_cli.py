"""The train, evaluate and info commands, end to end on tiny runs."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from playground.cli import main
from playground.paths import preset_path
from playground.project import Project
from playground.spec import NetworkSpec
from playground.trainer import Trainer

ROOT = Path(__file__).resolve().parents[2]


def test_train_then_info_then_evaluate(tmp_path, capsys):
    out = tmp_path / "spiral.nnp"
    assert main(["train", "toy_spiral", "--epochs", "3", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "training ToySpiral on spiral" in printed and "validation accuracy" in printed
    assert Project.load(out).epochs_done == 3

    assert main(["info", str(out)]) == 0
    info = capsys.readouterr().out
    assert "ToySpiral" in info and "1,218 parameters" in info
    assert "dataset: spiral" in info and "trained: 3 epochs" in info and "validation:" in info

    assert main(["evaluate", str(out)]) == 0
    report = capsys.readouterr().out
    assert "spiral (validation): 40 samples, accuracy" in report
    assert "true \\ predicted" in report

    assert main(["evaluate", str(out), "--dataset", "spiral", "--samples", "100"]) == 0
    assert "spiral: 100 samples" in capsys.readouterr().out


def assert_same_weights(a: Path, b: Path) -> None:
    first, second = Project.load(a), Project.load(b)
    assert first.step == second.step
    for key, value in first.weights.items():
        np.testing.assert_array_equal(value, second.weights[key])


def test_training_a_saved_project_further_equals_training_it_in_one_go(tmp_path):
    whole, part = tmp_path / "whole.nnp", tmp_path / "part.nnp"
    constant = ["--schedule", "none"]  # a cosine schedule depends on the total epochs
    assert main(["train", "toy_spiral", "--epochs", "4", "--out", str(whole), *constant]) == 0
    assert main(["train", "toy_spiral", "--epochs", "2", "--out", str(part), *constant]) == 0
    assert main(["train", str(part), "--epochs", "4", "--out", str(part)]) == 0
    assert_same_weights(whole, part)


def test_an_interrupted_run_resumes_from_its_last_epoch(tmp_path, monkeypatch, capsys):
    whole, out = tmp_path / "whole.nnp", tmp_path / "run.nnp"
    assert main(["train", "toy_spiral", "--epochs", "3", "--out", str(whole)]) == 0
    run = Trainer.run

    def interrupted(self):
        for report in run(self):
            if report.step == 30:
                raise KeyboardInterrupt
            yield report

    monkeypatch.setattr(Trainer, "run", interrupted)
    assert main(["train", "toy_spiral", "--epochs", "3", "--out", str(out)]) == 130
    assert "run again to resume" in capsys.readouterr().out
    assert Project.load(out).step == 24  # the end of epoch 2
    monkeypatch.setattr(Trainer, "run", run)
    assert main(["train", str(out), "--out", str(out)]) == 0
    assert_same_weights(whole, out)


def test_a_spec_file_with_dataset_and_hyperparameters(tmp_path, capsys):
    spec_path = tmp_path / "net.json"
    NetworkSpec.load(preset_path("toy_spiral")).with_name("Mine").save(spec_path)
    out = tmp_path / "moons.nnp"
    argv = ["train", str(spec_path), "--dataset", "moons", "--samples", "200", "--noise", "0.1"]
    argv += ["--optimizer", "momentum", "--optimizer-option", "momentum=0.8", "--lr", "0.05"]
    argv += ["--schedule", "step", "--batch-size", "16", "--epochs", "2", "--out", str(out)]
    argv += ["--weights-only"]
    assert main(argv) == 0
    project = Project.load(out)
    assert project.dataset == "moons" and project.dataset_options == {"n": 200, "noise": 0.1}
    config = project.config
    assert (config.optimizer, config.optimizer_settings, config.lr) == (
        "momentum",
        {"momentum": 0.8},
        0.05,
    )
    assert (config.schedule, config.batch_size, config.epochs) == ("step", 16, 2)
    assert project.optimizer_state is None and project.weights is not None
    assert project.step == 2 * 12  # 180 training points in batches of 16


def test_nothing_to_do_when_the_project_has_reached_its_epochs(tmp_path, capsys):
    out = tmp_path / "done.nnp"
    main(["train", "toy_spiral", "--epochs", "1", "--out", str(out)])
    before = out.read_bytes()
    assert main(["train", str(out), "--out", str(out)]) == 0
    assert "nothing to do" in capsys.readouterr().out
    assert out.read_bytes() == before


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["train", "toy_spiral", "--dataset", "nope"], "no dataset 'nope'"),
        (["train", "mlp", "--dataset", "spiral"], "has samples of shape 2, the network expects"),
        (["train", "toy_spiral", "--batch-size", "0"], "batch_size 0 must be >= 1"),
        (["train", "no_such_thing.json"], "cannot open no_such_thing.json"),
        (["evaluate", "toy_spiral"], "has not been trained"),
    ],
)
def test_bad_input_is_one_line_and_exit_code_1(tmp_path, capsys, argv, message):
    if argv[0] == "train":
        argv += ["--out", str(tmp_path / "out.nnp")]
    assert main(argv) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and message in err and "\n" not in err
    assert not (tmp_path / "out.nnp").exists()


def test_a_damaged_project_is_one_line_too(tmp_path, capsys):
    corrupt = tmp_path / "broken.nnp"
    corrupt.write_bytes(b"PK\x03\x04 this is not really a zip")
    assert main(["info", str(corrupt)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"error: cannot read project {corrupt}") and "\n" not in err


def test_python_dash_m_playground_trains_with_a_progress_bar(tmp_path):
    out = tmp_path / "spiral.nnp"
    done = subprocess.run(
        [sys.executable, "-m", "playground", "train", "toy_spiral", "--epochs", "2"]
        + ["--out", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert "train: 100%" in done.stderr and "24/24" in done.stderr
    assert out.exists()
