"""The train, evaluate and info commands, end to end on tiny runs."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from playground import TrainingError, __version__
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


def interrupt_at(monkeypatch, step: int, error: BaseException) -> None:
    """Make the next training run raise ``error`` instead of yielding ``step``."""
    run = Trainer.run

    def interrupted(self):
        for report in run(self):
            if report.step == step:
                monkeypatch.setattr(Trainer, "run", run)
                raise error
            yield report

    monkeypatch.setattr(Trainer, "run", interrupted)


def test_an_interrupted_run_resumes_when_the_same_command_runs_again(tmp_path, monkeypatch, capsys):
    whole, out = tmp_path / "whole.nnp", tmp_path / "run.nnp"
    assert main(["train", "toy_spiral", "--epochs", "3", "--out", str(whole)]) == 0
    command = ["train", "toy_spiral", "--epochs", "3", "--out", str(out)]
    interrupt_at(monkeypatch, 30, KeyboardInterrupt())
    assert main(command) == 130
    assert capsys.readouterr().out.splitlines()[-1] == (
        f"interrupted: {out} holds 2 epochs (step 24); run the same command again to resume"
    )
    assert Project.load(out).step == 24  # the end of epoch 2
    assert main(command) == 0
    printed = capsys.readouterr().out
    assert printed.startswith(
        f"resuming {out} at epoch 2 of 3: it holds ToySpiral trained on spiral "
        "(add --overwrite to start over)\n"
    )
    assert_same_weights(whole, out)
    assert main(command) == 0
    assert capsys.readouterr().out == (
        f"{out} has already trained 3 epochs; nothing to do "
        "(raise --epochs to train further, or add --overwrite to start over)\n"
    )


def test_ctrl_c_before_the_first_epoch_claims_nothing(tmp_path, monkeypatch, capsys):
    out = tmp_path / "run.nnp"
    interrupt_at(monkeypatch, 5, KeyboardInterrupt())
    assert main(["train", "toy_spiral", "--out", str(out)]) == 130
    assert capsys.readouterr().out.splitlines()[-1] == (
        f"interrupted before the first epoch finished: nothing was saved to {out}"
    )
    assert not out.exists()


@pytest.mark.parametrize(
    "step, kept", [(5, "Nothing was saved to {out}."), (30, "{out} holds 2 epochs (step 24).")]
)
def test_a_training_failure_says_what_the_file_holds(tmp_path, monkeypatch, capsys, step, kept):
    out = tmp_path / "run.nnp"
    interrupt_at(monkeypatch, step, TrainingError("the loss became nan at step 6."))
    assert main(["train", "toy_spiral", "--out", str(out)]) == 1
    err = capsys.readouterr().err.strip().splitlines()[-1]  # after the progress bar
    assert err == f"error: the loss became nan at step 6. {kept.format(out=out)}"
    assert out.exists() == (step == 30)


def test_a_trained_file_of_another_network_is_never_replaced_silently(tmp_path, capsys):
    out = tmp_path / "run.nnp"
    assert main(["train", "toy_spiral", "--epochs", "1", "--out", str(out)]) == 0
    before = out.read_bytes()
    capsys.readouterr()
    spec_path = tmp_path / "wide.json"
    spiral = NetworkSpec.load(preset_path("toy_spiral"))
    spiral.replace_layer(0, {"type": "dense", "units": 64}).save(spec_path)
    argv = ["train", str(spec_path), "--dataset", "spiral", "--epochs", "1", "--out", str(out)]
    assert main(argv) == 1
    err = capsys.readouterr().err.strip()
    assert err == (
        f"error: --out {out} already holds ToySpiral trained for 1 epoch (step 12), "
        f"not the network of {spec_path}; to train it further: "
        f"python -m playground train {out} --out {out}; to replace it, add --overwrite"
    )
    assert out.read_bytes() == before
    assert main([*argv, "--overwrite"]) == 0
    assert Project.load(out).spec.layers[0]["units"] == 64


def test_another_trained_project_does_not_replace_a_trained_out(tmp_path, capsys):
    first, second = tmp_path / "first.nnp", tmp_path / "second.nnp"
    for path in (first, second):
        assert main(["train", "toy_spiral", "--epochs", "1", "--out", str(path)]) == 0
    capsys.readouterr()
    assert main(["train", str(first), "--epochs", "2", "--out", str(second)]) == 1
    assert f"already holds ToySpiral trained for 1 epoch (step 12), and {first} is trained " in (
        capsys.readouterr().err
    )


def test_a_file_that_is_not_a_project_is_not_replaced(tmp_path, capsys):
    out = tmp_path / "notes.nnp"
    out.write_text("my notes")
    assert main(["train", "toy_spiral", "--out", str(out)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"error: --out {out} exists and is not a project to resume (")
    assert err.endswith("choose another --out, or add --overwrite to replace it")
    assert out.read_text() == "my notes"


@pytest.mark.parametrize(
    "options, message",
    [
        (["--noise", "-1"], "--noise -1.0 must be >= 0"),
        (["--samples", "-5"], "--samples -5 must be >= 2"),
        (["--samples", "10000000000"], "--samples 10000000000 must be <= 1e+06"),
    ],
)
@pytest.mark.parametrize("command", ["train", "evaluate"])
def test_dataset_options_are_checked_before_anything_runs(
    tmp_path, capsys, monkeypatch, command, options, message
):
    monkeypatch.setattr(Trainer, "run", None)  # training must not even start
    source = "toy_spiral" if command == "train" else str(ROOT / "resources/default_model.nnp")
    argv = [command, source, "--dataset", "moons", *options]
    if command == "train":
        argv += ["--out", str(tmp_path / "out.nnp")]
    assert main(argv) == 1
    assert capsys.readouterr().err == f"error: {message}\n"


@pytest.mark.parametrize(
    "out, message",
    [
        ("", "--out is empty: give the project file to write, e.g. --out run.nnp"),
        ("{tmp}", "--out {tmp} is a folder: give a file name, e.g. {tmp}/run.nnp"),
        ("{tmp}/no/run.nnp", "cannot write --out {tmp}/no/run.nnp: there is no folder {tmp}/no"),
    ],
)
def test_out_is_checked_before_training_starts(tmp_path, capsys, monkeypatch, out, message):
    monkeypatch.setattr(Trainer, "run", None)
    assert main(["train", "toy_spiral", "--out", out.format(tmp=tmp_path)]) == 1
    assert capsys.readouterr().err == f"error: {message.format(tmp=tmp_path)}\n"


def test_a_read_only_folder_for_out_is_refused_up_front(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(Trainer, "run", None)
    monkeypatch.setattr(os, "access", lambda path, mode: False)  # as on a read-only mount
    assert main(["train", "toy_spiral", "--out", str(tmp_path / "a.nnp")]) == 1
    assert capsys.readouterr().err == (
        f"error: cannot write --out {tmp_path}/a.nnp: the folder {tmp_path} is not writable\n"
    )


def test_a_long_run_is_one_progress_bar_not_a_line_per_epoch(tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "playground",
            "train",
            "toy_spiral",
            "--out",
            str(tmp_path / "s.nnp"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 4, lines  # what it trains, the last epoch, the result, the file
    assert lines[1].startswith("epoch 100/100: loss ")
    bar = done.stderr.replace("\r", "\n").splitlines()
    assert "epoch 100/100: loss" in [line for line in bar if line.strip()][-1]


def test_info_on_an_invalid_spec_exits_1(tmp_path, capsys):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"input_shape": [4], "layers": [{"type": "dense", "units": -5}]}))
    assert main(["info", str(path)]) == 1
    assert "error: layer 0 (dense): units -5 must be >= 1" in capsys.readouterr().out


def test_version():
    done = subprocess.run(
        [sys.executable, "-m", "playground", "--version"], capture_output=True, text=True, cwd=ROOT
    )
    assert done.returncode == 0 and done.stdout == f"python -m playground {__version__}\n"


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
