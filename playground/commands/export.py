"""``export SPEC_OR_PROJECT --to FORMAT --out PATH``: the network for PyTorch, ONNX or NumPy."""

from __future__ import annotations

import argparse

from playground.commands.projects import open_project
from playground.export import FORMATS, export


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "export",
        help="export a network with its weights to " + ", ".join(FORMATS),
        description="Writes the network of SPEC_OR_PROJECT, with its trained weights (a spec "
        "or preset: its seeded initial weights) and its input normalisation, in another "
        "form. " + " ".join(f"{f.title}: {f.note}" for f in FORMATS.values()),
    )
    p.add_argument(
        "source",
        metavar="SPEC_OR_PROJECT",
        help="a preset name (e.g. simple_convnet), a spec .json or a project .nnp",
    )
    p.add_argument(
        "--to", required=True, metavar="{" + ",".join(FORMATS) + "}", help="the format to write"
    )
    p.add_argument(
        "--out",
        required=True,
        metavar="PATH",
        help="a folder for "
        + ", ".join(f.name for f in FORMATS.values() if f.writes_folder)
        + "; a file for "
        + ", ".join(f"{f.name} ({f.suffix})" for f in FORMATS.values() if not f.writes_folder),
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    project = open_project(args.source)
    files = export(project, args.to, args.out)
    weights = "trained weights" if project.weights is not None else "seeded initial weights"
    print(f"exported {project.spec.name} ({weights}) as {FORMATS[args.to].title}:")
    for path in files:
        print(f"  {path}")
    return 0
