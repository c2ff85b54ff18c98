"""``gradcheck SPEC``: numerical vs analytic gradients of every parameter of a network."""

from __future__ import annotations

import argparse

import numpy as np
from tqdm import tqdm

from playground.commands.projects import open_project
from playground.gradcheck import check_gradients
from playground.network import Network

THRESHOLD = 1e-6


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "gradcheck",
        help="check every parameter's gradient against central differences (float64)",
        description="Builds the network, feeds it a small random batch, and prints the relative "
        "error of the analytic gradient of every parameter (and of the input) against central "
        f"differences in float64. Errors above {THRESHOLD:g} are marked FAIL.",
    )
    p.add_argument(
        "spec", help="a spec .json, a project file, or a preset name (e.g. simple_convnet)"
    )
    p.add_argument("--batch", type=int, default=4, help="random samples in the batch (default 4)")
    p.add_argument(
        "--entries", type=int, default=20, help="entries checked per parameter (default 20)"
    )
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    spec = open_project(args.spec).spec
    net = Network.from_spec(spec, seed=args.seed)
    rng = np.random.default_rng(args.seed)
    x = rng.random((args.batch, *spec.input_shape))
    classes = spec.output_shape[0]
    y = rng.integers(0, classes, args.batch)
    keys = [*net.params, "input"]
    with tqdm(total=len(keys), desc="gradcheck", unit="array", leave=False) as bar:
        errors = check_gradients(
            net, x, y, max_entries=args.entries, seed=args.seed, progress=lambda key: bar.update()
        )
    shapes = {**{k: v.shape for k, v in net.params.items()}, "input": x.shape}
    width = max(len(k) for k in keys)
    print(f"{'array':<{width}}  {'shape':<16}  relative error")
    for key in keys:
        verdict = "ok" if errors[key] < THRESHOLD else "FAIL"
        shape = "x".join(map(str, shapes[key]))
        print(f"{key:<{width}}  {shape:<16}  {errors[key]:.2e}  {verdict}")
    worst = max(errors.values())
    print(f"worst {worst:.2e} ({'pass' if worst < THRESHOLD else 'FAIL'}, threshold {THRESHOLD:g})")
    return 0 if worst < THRESHOLD else 1
