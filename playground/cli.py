"""The headless command line: one sub-command per module in ``playground.commands``.

Each command module has ``add_parser(subparsers)`` (which registers its ``run``)
and ``run(args) -> int``. Errors the user can fix print one line, never a traceback.
"""

from __future__ import annotations

import argparse
import sys

from playground.commands import COMMANDS
from playground.errors import DataError, ExportError, ProjectError, SpecError, TrainingError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m playground",
        description="NN Playground's engine, headless: train, evaluate, benchmark, "
        "check gradients, trace one pass.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.add_parser(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except (SpecError, DataError, ProjectError, TrainingError, ExportError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
