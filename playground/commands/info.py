"""``info FILE``: a spec's layers, shapes and parameters; for a project also its training."""

from __future__ import annotations

import argparse

from playground.commands.projects import open_project
from playground.layers import shape_text
from playground.project import Project


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "info",
        help="layers, shapes and parameters of a spec or project, and a project's training",
        description="Prints every layer's output shape and parameter count (or its error), "
        "and for a project also the dataset, the training settings, epochs done and accuracy. "
        "Exits with 1 if the network is invalid.",
    )
    p.add_argument("file", metavar="FILE", help="a preset name, a spec .json or a project .nnp")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    project = open_project(args.file)
    print(describe_spec(project))
    print(describe_training(project))
    return 1 if project.spec.errors() else 0  # an invalid spec is a problem reported


def describe_spec(project: Project) -> str:
    spec = project.spec
    rows = [("", "input", shape_text(spec.input_shape), "")]
    for check in spec.check():
        shape = shape_text(check.output_shape) if check.output_shape else "-"
        rows.append((str(check.index), check.type, shape, f"{check.param_count:,}"))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = [f"{spec.name}: {len(spec.layers)} layers, loss {spec.loss}"]
    for row in rows:
        lines.append(
            f"  {row[0]:>{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]:<{widths[2]}}  "
            f"{row[3]:>{widths[3]}}".rstrip()
        )
    lines.append(f"  {spec.param_count:,} parameters")
    lines += [f"  error: {e}" for e in spec.errors()]
    return "\n".join(lines)


def describe_training(project: Project) -> str:
    c = project.config
    dataset = project.dataset or "none chosen"
    options = ", ".join(f"{k}={v}" for k, v in project.dataset_options.items())
    settings = ", ".join(f"{k}={v:g}" for k, v in c.optimizer_settings.items())
    schedule = "" if c.schedule == "none" else f", {c.schedule} schedule"
    lines = [
        f"dataset: {dataset}" + (f" ({options})" if options else ""),
        f"training: {c.optimizer}"
        + (f" ({settings})" if settings else "")
        + f", lr {c.lr:g}{schedule}, batch {c.batch_size}, {c.epochs} epochs, "
        f"weight decay {c.weight_decay:g}, validation {c.validation_fraction:g}, "
        f"shift {c.shift}, seed {c.seed}",
    ]
    if project.weights is None:
        lines.append("not trained")
        return "\n".join(lines)
    h = project.history
    lines.append(
        f"trained: {project.epochs_done:g} epochs ({project.step} steps) "
        f"in {project.train_seconds:.1f} s"
    )
    if h.loss:
        lines.append(f"last step: loss {h.loss[-1]:.4f}, batch accuracy {h.accuracy[-1]:.2%}")
    if h.val_accuracy:
        lines.append(f"validation: loss {h.val_loss[-1]:.4f}, accuracy {h.val_accuracy[-1]:.2%}")
    return "\n".join(lines)
