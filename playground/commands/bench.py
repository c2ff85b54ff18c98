"""``bench``: ms per training step and batch-1 inference of fixed networks, against PyTorch."""

from __future__ import annotations

import argparse
import json
import math
from typing import Any

from tqdm import tqdm

from playground.bench import NETWORKS, Timing, case_count, run_benchmark


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "bench",
        help="time training steps and inference, against PyTorch where installed",
        description="Times a full float32 training step (forward, backward, SGD update) of an "
        "MLP, SimpleConvNet, a deeper CNN and a toy net, and batch-1 inference, as the median "
        "over many warm steps. Where PyTorch is installed, the same networks in PyTorch "
        "(2 threads) are timed alternately in the same run and the ratio ours/PyTorch is shown.",
    )
    p.add_argument(
        "--quick", action="store_true", help="a smoke run: a few steps each, timings meaningless"
    )
    p.add_argument(
        "--seconds",
        type=positive_seconds,
        default=6.0,
        help="sampling time per measurement, split between ours and PyTorch (default 6)",
    )
    p.add_argument(
        "--network",
        action="append",
        choices=[case.key for case in NETWORKS],
        help="time only this network (may be given more than once; default: all)",
    )
    p.add_argument("--no-torch", action="store_true", help="time our engine only")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(run=run)


def positive_seconds(text: str) -> float:
    """``--seconds``: a finite number above 0 (a turn of 0 s or less would time nothing)."""
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and seconds > 0):
        raise argparse.ArgumentTypeError(f"{text!r} must be a number of seconds above 0")
    return seconds


def run(args: argparse.Namespace) -> int:
    timing = Timing.quick() if args.quick else Timing.full(args.seconds)
    networks = tuple(c for c in NETWORKS if not args.network or c.key in args.network)
    with tqdm(total=case_count(networks), desc="bench", unit="case", leave=False) as bar:
        report = run_benchmark(
            timing,
            use_torch=not args.no_torch,
            networks=networks,
            progress=lambda name: bar.update(),
        )
    print(json.dumps(report, indent=2) if args.json else format_table(report))
    return 0


def _number(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def format_table(report: dict[str, Any]) -> str:
    """The report's rows as a plain-text table, with versions and thread counts below."""
    verdicts = {True: "ok", False: "MISSED", None: "-"}
    header = ("network", "measure", "batch", "ours ms", "torch ms", "ratio", "steps/s", "target")
    rows = [
        (
            r["title"],
            "train step" if r["measure"] == "train" else "inference",
            str(r["batch"]),
            _number(r["ms"]),
            _number(r["torch_ms"]),
            _number(r["ratio"], 2),
            f"{r['steps_per_s']:,.0f}",
            f"{r['target']} {verdicts[r['met']]}" if r["target"] else "",
        )
        for r in report["results"]
    ]
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]
    lines = [
        "  ".join(
            cell.ljust(w) if i in (0, 1, 7) else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in (header, *rows)
    ]
    versions = ", ".join(f"{k} {v}" for k, v in report["versions"].items() if v)
    threads = ", ".join(f"{k}={v}" for k, v in report["threads"].items())
    load = report["load_average_1min"]
    lines.append(f"{versions}; threads: {threads}")
    lines.append(f"load average (1 min): {load['before']:.2f} before, {load['after']:.2f} after")
    if report["timing"]["mode"] == "quick":
        lines.append("quick run: too few samples for the timings to mean anything")
    return "\n".join(line.rstrip() for line in lines)
