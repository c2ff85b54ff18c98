"""``gradcheck SPEC``: numerical vs analytic gradients of every parameter of a network."""

from __future__ import annotations

import argparse

import numpy as np
from tqdm import tqdm

from playground.commands.projects import open_project
from playground.gradcheck import INPUT_KEY, STEP, THRESHOLD, all_passed, check_network, worst_error
from playground.network import Network


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "gradcheck",
        help="check every parameter's gradient against central differences (float64)",
        description="Builds the network, feeds it a small random batch, and prints the relative "
        "error of the analytic gradient of every parameter (and of the input) against central "
        f"differences in float64. Errors above {THRESHOLD:g} are marked FAIL. Entries whose "
        "perturbation crosses a ReLU or max-pool kink are counted apart, not checked.",
    )
    p.add_argument(
        "spec", help="a spec .json, a project file, or a preset name (e.g. simple_convnet)"
    )
    p.add_argument("--batch", type=int, default=4, help="random samples in the batch (default 4)")
    p.add_argument(
        "--entries", type=int, default=20, help="entries checked per parameter (default 20)"
    )
    p.add_argument(
        "--step", type=_step, default=STEP, help=f"central-difference step (default {STEP:g})"
    )
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(run=run)


def _step(text: str) -> float:
    """A central-difference step: a number in (0, 1)."""
    try:
        step = float(text)
    except ValueError:
        step = float("nan")
    if not 0 < step < 1:
        raise argparse.ArgumentTypeError(f"must be a number between 0 and 1, got {text!r}")
    return step


def run(args: argparse.Namespace) -> int:
    spec = open_project(args.spec).spec
    net = Network.from_spec(spec, seed=args.seed)
    rng = np.random.default_rng(args.seed)
    x = rng.random((args.batch, *spec.input_shape))
    classes = spec.output_shape[0]
    y = rng.integers(0, classes, args.batch)
    keys = [*net.params, INPUT_KEY]
    with tqdm(total=len(keys), desc="gradcheck", unit="array", leave=False) as bar:
        checks = check_network(
            net,
            x,
            y,
            step=args.step,
            max_entries=args.entries,
            seed=args.seed,
            progress=lambda key: bar.update(),
        )
    width = max(len(k) for k in keys)
    print(f"{'array':<{width}}  {'shape':<16}  relative error")
    for key, check in checks.items():
        shape = "x".join(map(str, check.shape))
        print(f"{key:<{width}}  {shape:<16}  {check.error:.2e}  {check.verdict()}")
    passed = all_passed(checks)
    kinks = sum(c.kinks for c in checks.values())
    skipped = f"; {kinks} entries at a kink, not checked" if kinks else ""
    print(
        f"worst {worst_error(checks):.2e} ({'pass' if passed else 'FAIL'}, "
        f"threshold {THRESHOLD:g}, step {args.step:g}{skipped})"
    )
    return 0 if passed else 1
