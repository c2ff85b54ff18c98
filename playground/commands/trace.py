"""``trace SPEC_OR_PROJECT --example N``: one forward and backward pass as a table of events."""

from __future__ import annotations

import argparse

import numpy as np

from playground.commands.projects import add_dataset_arguments, choose_dataset, open_project
from playground.errors import DataError
from playground.gradcheck import THRESHOLD, all_passed, check_traced, worst_error
from playground.layers import shape_text
from playground.trace import BackwardStep, ForwardStep, LossStep, TraceStep

HEADER = ("event", "layer", "shapes", "norms", "local check")


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "trace",
        help="one forward and backward pass on one example, event by event",
        description="Runs one example of the project's dataset (normalised as the project "
        "trains) through the network and back, and prints each event: every layer's forward, "
        "the loss, every layer's backward, with the shapes and norms of what arrived and what "
        "left, and the layer's own numerical gradient check (float64; FAIL above "
        f"{THRESHOLD:g}). An untrained spec or preset runs with its initial weights.",
    )
    p.add_argument(
        "project",
        metavar="SPEC_OR_PROJECT",
        help="a project .nnp, a spec .json, or a preset name (e.g. simple_convnet)",
    )
    p.add_argument("--example", type=int, default=0, help="which example (default 0)")
    add_dataset_arguments(p)
    p.add_argument(
        "--eval",
        action="store_true",
        help="run in evaluation mode (no dropout, batchnorm's running statistics)",
    )
    p.add_argument("--entries", type=int, default=10, help="entries checked per array (default 10)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    project = open_project(args.project)
    choose_dataset(project, args)
    if project.dataset is None:
        raise DataError(f"{args.project} has no dataset: choose one with --dataset")
    dataset = project.load_data()
    if not 0 <= args.example < len(dataset):
        raise DataError(
            f"example {args.example} is outside {dataset.name}'s {len(dataset)} examples "
            f"(0..{len(dataset) - 1})"
        )
    x = dataset.x[args.example : args.example + 1]
    if project.normalization is not None:
        x = project.normalization.apply(x)
    y = dataset.y[args.example : args.example + 1]
    net = project.network
    steps = net.trace(x, y, train=not args.eval)
    print(
        f"{dataset.name} example {args.example}, label {y[0]} ({'eval' if args.eval else 'train'})"
    )
    forward = {s.index: s for s in steps if isinstance(s, ForwardStep)}
    rows, passed = [], True
    for step in steps:
        check = ""
        if isinstance(step, BackwardStep) and args.entries > 0:
            checks = check_traced(net, forward[step.index], step, max_entries=args.entries)
            passed &= all_passed(checks)
            check = _check_text(checks)
        rows.append((*_describe(step), check))
    print(_table([HEADER, *rows]))
    return 0 if passed else 1


def _describe(step: TraceStep) -> tuple[str, str, str, str]:
    """The event, the layer, the shapes and the norms of one event."""
    arrays = step.arrays()
    shapes = ", ".join(f"{name} {shape_text(a.shape)}" for name, a in arrays.items())
    norms = ", ".join(f"‖{name}‖ {np.linalg.norm(a):.3g}" for name, a in arrays.items())
    if isinstance(step, LossStep):
        value = f"L {step.value:.4g}"
        if step.labels.ndim == 1:  # class labels, not mse's targets
            top = int(step.probabilities[0].argmax())
            value += f" (label {step.labels[0]}, predicted {top})"
        return "loss", step.loss, shapes, f"{value}, {norms}"
    kind = "forward" if isinstance(step, ForwardStep) else "backward"
    return kind, f"{step.index} {step.layer_type}", shapes, norms


def _check_text(checks: dict) -> str:
    kinks = sum(c.kinks for c in checks.values())
    verdict = "ok" if all_passed(checks) else "FAIL"
    text = f"{verdict} {worst_error(checks):.1e}"
    return f"{text} ({kinks} at a kink)" if kinks else text


def _table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )
