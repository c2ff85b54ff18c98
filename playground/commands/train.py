"""``train SPEC_OR_PROJECT --out FILE``: train a preset, spec or project and save a project."""

from __future__ import annotations

import argparse
import os
import shlex
from pathlib import Path
from typing import Any

from tqdm import tqdm

from playground.commands.projects import add_dataset_arguments, choose_dataset, open_project
from playground.errors import DataError, ProjectError, TrainingError
from playground.history import History
from playground.layers.parallel import policy_for, set_thread_policy
from playground.optimizers import OPTIMIZERS
from playground.project import Project
from playground.spec import NetworkSpec
from playground.trainer import SCHEDULES, StepReport, TrainConfig

# command-line option -> TrainConfig field
CONFIG_OPTIONS = {
    "epochs": "epochs",
    "batch_size": "batch_size",
    "optimizer": "optimizer",
    "lr": "lr",
    "schedule": "schedule",
    "lr_decay": "lr_decay",
    "lr_step_epochs": "lr_step_epochs",
    "weight_decay": "weight_decay",
    "val_fraction": "validation_fraction",
    "seed": "seed",
    "shift": "shift",
}


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "train",
        help="train a preset, spec or project and save the result as a project",
        description="Trains SPEC_OR_PROJECT and writes a project file (.nnp) to --out after "
        "every epoch and at the end. A preset brings its default dataset and settings; the "
        "options below override them. Given a project, training resumes where it stopped "
        "(exactly, with the same settings) and runs until --epochs in total. If --out already "
        "holds the same network trained, training resumes from it; a trained file is never "
        "replaced without --overwrite.",
    )
    p.add_argument(
        "source",
        metavar="SPEC_OR_PROJECT",
        help="a preset name (e.g. simple_convnet), a spec .json or a project .nnp",
    )
    p.add_argument("--out", required=True, metavar="FILE", help="the project file to write")
    add_dataset_arguments(p)
    p.add_argument("--epochs", type=int, help="total epochs to train to")
    p.add_argument("--batch-size", type=int)
    p.add_argument("--optimizer", choices=list(OPTIMIZERS))
    p.add_argument("--lr", type=float, help="learning rate")
    p.add_argument(
        "--optimizer-option",
        action="append",
        default=[],
        type=optimizer_option,
        metavar="KEY=VALUE",
        help="an optimizer setting, e.g. momentum=0.95 (repeatable)",
    )
    p.add_argument("--schedule", choices=SCHEDULES, help="learning-rate schedule")
    p.add_argument("--lr-decay", type=float, help="factor for the step/exponential schedules")
    p.add_argument("--lr-step-epochs", type=int, help="epochs between steps of 'step'")
    p.add_argument("--weight-decay", type=float, help="L2 penalty on weights")
    p.add_argument("--val-fraction", type=float, help="fraction held out for validation")
    p.add_argument("--seed", type=int, help="seed of initialisation, split, order and shifts")
    p.add_argument("--shift", type=int, help="shift training images by up to N pixels")
    p.add_argument(
        "--overwrite",
        action="store_true",
        help="start over even if --out already holds a trained project (it is replaced)",
    )
    p.add_argument(
        "--weights-only",
        action="store_true",
        help="leave the optimizer state out of the final file (smaller; further training "
        "restarts the optimizer)",
    )
    p.set_defaults(run=run)


def optimizer_option(text: str) -> tuple[str, float]:
    key, _, value = text.partition("=")
    try:
        return key, float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} must look like momentum=0.9") from None


def configure(config: TrainConfig, args: argparse.Namespace) -> TrainConfig:
    """``config`` with the settings given on the command line."""
    changes: dict[str, Any] = {
        name: getattr(args, option)
        for option, name in CONFIG_OPTIONS.items()
        if getattr(args, option) is not None
    }
    # Another optimizer's settings (say momentum for adam) do not carry over.
    same = changes.get("optimizer", config.optimizer) == config.optimizer
    settings = dict(config.optimizer_settings) if same else {}
    settings.update(args.optimizer_option)
    return config.replace(**changes, optimizer_settings=settings)


def run(args: argparse.Namespace) -> int:
    out = writable_out(args.out)
    source = open_project(args.source)
    project, resuming = _starting_point(source, out, args)
    project.config = configure(project.config, args)
    choose_dataset(project, args)
    if project.dataset is None:
        raise DataError(f"{args.source} has no dataset: choose one with --dataset")
    set_thread_policy(policy_for([layer["type"] for layer in project.spec.layers]))
    trainer = project.trainer()
    from_out = resuming or _same_file(args.source, out)
    if trainer.done:
        restart = ", or add --overwrite to start over" if resuming else ""
        print(
            f"{out if from_out else args.source} has already trained "
            f"{project.epochs_done:g} epochs; nothing to do (raise --epochs to train further"
            f"{restart})"
        )
        return 0
    if resuming:
        print(
            f"resuming {out} at epoch {trainer.epoch} of {trainer.config.epochs}: it holds "
            f"{project.spec.name} trained on {project.dataset} (add --overwrite to start over)"
        )
    print(
        f"training {project.spec.name} on {project.dataset}: {len(trainer.train_set)} samples, "
        f"{len(trainer.val_set)} for validation, {trainer.steps_per_epoch} steps per epoch"
    )
    # What --out holds, for the messages when training stops early.
    on_disk = _saved_state(project) if from_out and project.weights is not None else None
    first_epoch_end = (trainer.epoch + 1) * trainer.steps_per_epoch
    try:
        # The bar closes (ends its line) before any error below is printed.
        with tqdm(
            total=trainer.total_steps, initial=trainer.step, unit="step", desc="train"
        ) as bar:
            for report in trainer.run():
                bar.update()
                if report.step % trainer.steps_per_epoch == 0:
                    project.update(trainer)
                    project.save(out)
                    on_disk = _saved_state(project)
                    metrics = _epoch_line(report, trainer.config.epochs, trainer.history)
                    bar.set_postfix_str(metrics, refresh=False)
                elif report.step < first_epoch_end:  # no epoch's metrics to show yet
                    bar.set_postfix_str(f"loss {report.loss:.4f}", refresh=False)
    except KeyboardInterrupt:
        if on_disk is None:
            print(f"interrupted before the first epoch finished: nothing was saved to {out}")
        else:
            print(f"interrupted: {out} holds {on_disk}; run the same command again to resume")
        raise
    except TrainingError as exc:
        kept = f"{out} holds {on_disk}." if on_disk else f"Nothing was saved to {out}."
        raise TrainingError(f"{exc} {kept}") from exc
    project.update(trainer)
    if args.weights_only:
        project.optimizer_state = None
    project.save(out)
    print(_epoch_line(report, trainer.config.epochs, trainer.history))
    val = trainer.history.val_accuracy
    result = f"validation accuracy {val[-1]:.2%}" if val else "no validation split"
    print(f"trained to epoch {trainer.epoch} in {trainer.seconds:.1f} s, {result}")
    print(f"saved {out}")
    return 0


def writable_out(value: str) -> Path:
    """``--out`` as a path, once it is known that a file can be written there.

    Checked before anything is trained: a run must not end in a file that cannot be saved.
    """
    if not value.strip():
        raise ProjectError("--out is empty: give the project file to write, e.g. --out run.nnp")
    out = Path(value).expanduser()
    if out.is_dir():
        raise ProjectError(f"--out {value} is a folder: give a file name, e.g. {out / 'run.nnp'}")
    folder = out.parent
    if not folder.is_dir():
        raise ProjectError(f"cannot write --out {value}: there is no folder {folder}")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ProjectError(f"cannot write --out {value}: the folder {folder} is not writable")
    return out


def _starting_point(source: Project, out: Path, args: argparse.Namespace) -> tuple[Project, bool]:
    """The project to train, and whether it is the one already in ``out`` (resumed).

    A file in ``out`` that holds trained weights is never silently replaced: it is resumed
    when it is the same network as an untrained ``source``, otherwise refused (unless
    ``--overwrite``).
    """
    if args.overwrite or not out.exists() or _same_file(args.source, out):
        return source, False
    again = f"python -m playground train {shlex.quote(str(out))} --out {shlex.quote(str(out))}"
    try:
        existing = Project.load(out)
    except ProjectError as exc:
        raise ProjectError(
            f"--out {out} exists and is not a project to resume ({exc}); "
            "choose another --out, or add --overwrite to replace it"
        ) from exc
    if existing.weights is None:
        return source, False  # nothing trained to lose
    same = _same_network(source.spec, existing.spec)
    if source.weights is None and same:
        return existing, True
    why = f"and {args.source} is trained too" if same else f"not the network of {args.source}"
    raise ProjectError(
        f"--out {out} already holds {existing.spec.name} trained for {_saved_state(existing)}, "
        f"{why}; to train it further: {again}; to replace it, add --overwrite"
    )


def _same_file(source: str, out: Path) -> bool:
    return (
        Path(source).expanduser().exists() and Path(source).expanduser().resolve() == out.resolve()
    )


def _same_network(a: NetworkSpec, b: NetworkSpec) -> bool:
    """Whether weights trained for one fit the other (names may differ)."""
    return (a.input_shape, a.layers, a.loss) == (b.input_shape, b.layers, b.loss)


def _saved_state(project: Project) -> str:
    epochs = f"{project.epochs_done:g} epoch" + ("" if project.epochs_done == 1 else "s")
    return f"{epochs} (step {project.step})"


def _epoch_line(report: StepReport, epochs: int, history: History) -> str:
    steps = report.steps_per_epoch
    loss = sum(history.loss[-steps:]) / steps
    accuracy = sum(history.accuracy[-steps:]) / steps
    line = f"epoch {report.epoch}/{epochs}: loss {loss:.4f}, accuracy {accuracy:.2%}"
    if report.val_accuracy is not None:
        line += f", validation loss {report.val_loss:.4f}, accuracy {report.val_accuracy:.2%}"
    return line
