"""``evaluate PROJECT``: accuracy, loss and the confusion matrix on a dataset."""

from __future__ import annotations

import argparse

import numpy as np

from playground.commands.projects import add_dataset_arguments, choose_dataset, open_project
from playground.datasets import Dataset
from playground.errors import DataError
from playground.project import Project

SPLITS = ("auto", "all", "train", "validation")


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "evaluate",
        help="accuracy and confusion matrix of a trained project on a dataset",
        description="Runs PROJECT on a dataset (its own by default) and prints the accuracy, "
        "the mean loss and the confusion matrix (rows: true class, columns: predicted).",
    )
    p.add_argument("project", metavar="PROJECT", help="a project .nnp")
    add_dataset_arguments(p)
    p.add_argument(
        "--split",
        choices=SPLITS,
        default="auto",
        help="which samples: the project's validation split of its own dataset, or all of "
        "another dataset (auto, the default); all; or the project's train/validation split",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    project = open_project(args.project)
    if project.weights is None:
        raise DataError(f"{args.project} has not been trained: nothing to evaluate")
    own = project.dataset, dict(project.dataset_options)
    choose_dataset(project, args)
    if project.dataset is None:
        raise DataError(f"{args.project} has no dataset: choose one with --dataset")
    split = args.split
    if split == "auto":
        split = "validation" if (project.dataset, project.dataset_options) == own else "all"
    dataset = pick_split(project, project.load_data(), split)
    result = project.evaluate(dataset)
    print(
        f"{dataset.name}: {len(dataset)} samples, accuracy {result.accuracy:.2%}, "
        f"loss {result.loss:.4f}"
    )
    print(format_confusion(result.confusion, dataset.class_names))
    return 0


def pick_split(project: Project, dataset: Dataset, split: str) -> Dataset:
    if split == "all":
        return dataset
    train, validation = dataset.split(project.config.validation_fraction, project.config.seed)
    chosen = train if split == "train" else validation
    if not len(chosen):
        raise DataError(f"the {split} split of {dataset.name} is empty")
    return chosen


def format_confusion(confusion: np.ndarray, class_names: tuple[str, ...]) -> str:
    """A text table: one row per true class, one column per predicted class."""
    classes = len(confusion)
    names = list(class_names[:classes]) + [str(i) for i in range(len(class_names), classes)]
    head = "true \\ predicted"
    first = max(len(head), *(len(n) for n in names))
    width = max(*(len(n) for n in names), len(str(int(confusion.max(initial=0)))))
    lines = [head.ljust(first) + "".join(" " + n.rjust(width) for n in names)]
    for name, row in zip(names, confusion, strict=True):
        lines.append(name.ljust(first) + "".join(" " + str(int(c)).rjust(width) for c in row))
    return "\n".join(lines)
