"""Command-line arguments shared by train, evaluate and info: a project source and a dataset."""

from __future__ import annotations

import argparse
from dataclasses import replace
from typing import Any

from playground.datasets.toy import TOY_OPTIONS
from playground.errors import DataError, SpecError
from playground.paths import preset_names
from playground.project import Project


def open_project(value: str) -> Project:
    """A preset name (``simple_convnet``), a project file or a spec ``.json``."""
    if value in preset_names():
        return Project.from_preset(value)
    return Project.load(value)


def add_dataset_arguments(p: argparse.ArgumentParser, required: bool = False) -> None:
    p.add_argument(
        "--dataset",
        required=required,
        metavar="NAME_OR_PATH",
        help="digits, spiral, circles, xor, gaussians, moons, or your own file or folder "
        "(IDX, CSV, .npz, a folder of class folders)",
    )
    p.add_argument("--samples", type=int, help="points in a toy set (default 400)")
    p.add_argument("--noise", type=float, help="noise of a toy set (default 0.05)")
    p.add_argument(
        "--part", choices=("train", "test"), help="which pair of files in an MNIST IDX folder"
    )


# command-line option -> the toy sets' option it sets
TOY_ARGUMENTS = {"samples": "n", "noise": "noise"}


def dataset_options(args: argparse.Namespace) -> dict[str, Any]:
    """The ``load_dataset`` keywords given on the command line, checked by the toy sets'
    own rules (named as the options are typed) before anything is loaded or trained."""
    for option, key in TOY_ARGUMENTS.items():
        value = getattr(args, option)
        if value is not None:
            try:
                replace(TOY_OPTIONS[key], name=f"--{option}").validate(value)
            except SpecError as exc:
                raise DataError(exc.detail) from None
    given = {"n": args.samples, "noise": args.noise, "part": args.part}
    return {k: v for k, v in given.items() if v is not None}


def choose_dataset(project: Project, args: argparse.Namespace) -> None:
    """Point ``project`` at the dataset named on the command line, if any."""
    if args.dataset is not None and args.dataset != project.dataset:
        project.dataset = args.dataset
        project.dataset_options = {}
    project.dataset_options = {**project.dataset_options, **dataset_options(args)}
