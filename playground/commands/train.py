"""``train SPEC_OR_PROJECT --out FILE``: train a preset, spec or project and save a project."""

from __future__ import annotations

import argparse
from typing import Any

from tqdm import tqdm

from playground.commands.projects import add_dataset_arguments, choose_dataset, open_project
from playground.errors import DataError
from playground.history import History
from playground.layers.parallel import policy_for, set_thread_policy
from playground.optimizers import OPTIMIZERS
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
        "(exactly, with the same settings) and runs until --epochs in total.",
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
    project = open_project(args.source)
    project.config = configure(project.config, args)
    choose_dataset(project, args)
    if project.dataset is None:
        raise DataError(f"{args.source} has no dataset: choose one with --dataset")
    set_thread_policy(policy_for([layer["type"] for layer in project.spec.layers]))
    trainer = project.trainer()
    if trainer.done:
        print(
            f"{args.source} has already trained {project.epochs_done:g} epochs; "
            "nothing to do (raise --epochs to train further)"
        )
        return 0
    print(
        f"training {project.spec.name} on {project.dataset}: {len(trainer.train_set)} samples, "
        f"{len(trainer.val_set)} for validation, {trainer.steps_per_epoch} steps per epoch"
    )
    try:
        # The bar closes (ends its line) before any error below is printed.
        with tqdm(
            total=trainer.total_steps, initial=trainer.step, unit="step", desc="train"
        ) as bar:
            for report in trainer.run():
                bar.update()
                postfix = {"loss": f"{report.loss:.4f}", "acc": f"{report.accuracy:.3f}"}
                bar.set_postfix(postfix, refresh=False)
                if report.step % trainer.steps_per_epoch == 0:
                    project.update(trainer)
                    project.save(args.out)
                    bar.write(_epoch_line(report, trainer.config.epochs, trainer.history))
    except KeyboardInterrupt:
        print(f"interrupted: {args.out} holds the last finished epoch; run again to resume")
        raise
    project.update(trainer)
    if args.weights_only:
        project.optimizer_state = None
    project.save(args.out)
    val = trainer.history.val_accuracy
    result = f"validation accuracy {val[-1]:.2%}" if val else "no validation split"
    print(f"trained to epoch {trainer.epoch} in {trainer.seconds:.1f} s, {result}")
    print(f"saved {args.out}")
    return 0


def _epoch_line(report: StepReport, epochs: int, history: History) -> str:
    steps = report.steps_per_epoch
    loss = sum(history.loss[-steps:]) / steps
    accuracy = sum(history.accuracy[-steps:]) / steps
    line = f"epoch {report.epoch}/{epochs}: loss {loss:.4f}, accuracy {accuracy:.2%}"
    if report.val_accuracy is not None:
        line += f", validation loss {report.val_loss:.4f}, accuracy {report.val_accuracy:.2%}"
    return line
