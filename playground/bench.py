"""The speed benchmark: our engine against PyTorch on the CPU, timed alternately in one run.

For each network it times a full training step (forward, backward, SGD update;
float32) at the network's batch size and, for the image networks, batch-1
inference (``predict``, what the draw pad calls). Where PyTorch is installed the
same network (same shapes and weights) is built in PyTorch with 2 threads and
timed in alternation with ours, so both see the same machine load; the ratio
ours/PyTorch is what the targets are about. Qt-free and importable.
"""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from playground.layers.parallel import default_policy, policy_for, set_thread_policy
from playground.network import Network
from playground.optimizers import make_optimizer
from playground.spec import NetworkSpec

TORCH_THREADS = 2
LEARNING_RATE = 0.01


@dataclass(frozen=True)
class BenchNetwork:
    """One network of the benchmark and what is measured on it."""

    key: str
    title: str
    spec: dict[str, Any]
    batch: int
    max_train_ratio: float | None = None  # target: ours/PyTorch per training step
    max_infer_ratio: float | None = None  # target: ours/PyTorch per batch-1 inference
    min_steps_per_s: float | None = None  # target: our training steps per second


def _spec(name: str, input_shape: list[int], layers: list[dict[str, Any]]) -> dict[str, Any]:
    return {"format_version": 1, "name": name, "input_shape": input_shape, "layers": layers}


def _conv(filters: int, kernel_size: int, padding: int = 0) -> dict[str, Any]:
    return {"type": "conv2d", "filters": filters, "kernel_size": kernel_size, "padding": padding}


RELU = {"type": "relu"}
TANH = {"type": "tanh"}
POOL = {"type": "maxpool2d", "pool_size": 2, "stride": 2}
FLATTEN = {"type": "flatten"}


def _dense(units: int) -> dict[str, Any]:
    return {"type": "dense", "units": units}


# The networks are fixed by issue 5, not by the user-facing presets.
NETWORKS = (
    BenchNetwork(
        "mlp",
        "MLP 784-256-256-10",
        _spec("MLP", [1, 28, 28], [FLATTEN, _dense(256), RELU, _dense(256), RELU, _dense(10)]),
        batch=128,
        max_train_ratio=0.8,
        max_infer_ratio=0.5,
    ),
    BenchNetwork(
        "simple_convnet",
        "SimpleConvNet",
        _spec(
            "SimpleConvNet",
            [1, 28, 28],
            [_conv(30, 5), RELU, POOL, FLATTEN, _dense(100), RELU, _dense(10)],
        ),
        batch=100,
        max_train_ratio=1.0,
        max_infer_ratio=0.6,
    ),
    BenchNetwork(
        "deep_cnn",
        "deeper CNN",
        _spec(
            "DeeperCNN",
            [1, 28, 28],
            [
                *(_conv(16, 3, 1), RELU, _conv(16, 3, 1), RELU, POOL),
                *(_conv(32, 3, 1), RELU, _conv(32, 3, 1), RELU, POOL),
                *(FLATTEN, _dense(128), RELU, _dense(10)),
            ],
        ),
        batch=64,
        max_train_ratio=2.0,
        max_infer_ratio=1.0,
    ),
    BenchNetwork(
        "toy",
        "toy 2-8-8-2 tanh",
        _spec("Toy", [2], [_dense(8), TANH, _dense(8), TANH, _dense(2)]),
        batch=32,
        min_steps_per_s=10_000,
    ),
)


@dataclass(frozen=True)
class Result:
    """One row of the benchmark: a network and what was timed on it."""

    network: str
    title: str
    measure: str  # "train" (one SGD step) or "infer" (batch-1 predict)
    batch: int
    ms: float  # milliseconds per call, ours: the median over rounds of each turn's median
    torch_ms: float | None  # the same in PyTorch; None without PyTorch
    ratio: float | None  # ours/PyTorch: the median over rounds of the two turns' ratio
    steps_per_s: float  # 1000 / ms
    target: str | None  # e.g. "ratio <= 0.8" or "steps/s >= 10000"
    met: bool | None  # None when the target needs PyTorch and it is missing


@dataclass(frozen=True)
class Timing:
    """How to sample each measurement: ``rounds`` turns of ``turn_s`` per contender.

    Each contender (ours, PyTorch) runs for ``turn_s`` seconds (and at least
    ``calls_per_turn`` calls) at a time, timing every call, then hands over to
    the next. Switching costs (caches, the other library's idle threads) land on
    the first calls of a turn, which the turn's median ignores; the ratio is taken
    turn against turn, so a slow spell of the machine slows both sides of it.
    """

    mode: str  # "full" or "quick" (a smoke run: timings meaningless)
    rounds: int
    turn_s: float
    calls_per_turn: int
    warmup: int

    @classmethod
    def full(cls, seconds: float = 6.0) -> Timing:
        """About ``seconds`` per measurement, split between the contenders.

        Turns stay long (0.3 s by default): a BLAS library's threads spin for up to
        a tenth of a second after its last call, taking a core from the next turn.
        """
        rounds = 10
        return cls("full", rounds, turn_s=seconds / (2 * rounds), calls_per_turn=5, warmup=5)

    @classmethod
    def quick(cls) -> Timing:
        return cls("quick", rounds=1, turn_s=0.0, calls_per_turn=2, warmup=1)


def import_torch() -> Any | None:
    """PyTorch, set to ``TORCH_THREADS`` threads, or None where it is not installed."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(TORCH_THREADS)
    return torch


def time_alternately(
    calls: dict[str, Callable[[], object]], timing: Timing
) -> dict[str, list[float]]:
    """Median seconds per call of each function in each round, timed in alternating turns."""
    for call in calls.values():
        for _ in range(timing.warmup):
            call()
    rounds: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(timing.rounds):
        for name, call in calls.items():
            times = []
            turn_end = time.perf_counter() + timing.turn_s
            while True:
                t0 = time.perf_counter()
                call()
                t1 = time.perf_counter()
                times.append(t1 - t0)
                if t1 >= turn_end and len(times) >= timing.calls_per_turn:
                    break
            rounds[name].append(statistics.median(times))
    return rounds


# -- our side -------------------------------------------------------------------------


def batch_data(case: BenchNetwork, batch: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A random float32 batch ``(batch, *input_shape)`` and integer labels ``(batch,)``."""
    spec = NetworkSpec.from_dict(case.spec)
    rng = np.random.default_rng(seed)
    x = rng.random((batch, *spec.input_shape), dtype=np.float32)
    y = rng.integers(0, spec.output_shape[0], batch)
    return x, y


def our_train_step(net: Network, x: np.ndarray, y: np.ndarray) -> Callable[[], None]:
    """One SGD step on (x, y): forward, loss, backward (no input gradient), update."""
    optimizer = make_optimizer("sgd", lr=LEARNING_RATE)

    def step() -> None:
        net.loss(x, y)
        net.backward(input_grad=False)
        optimizer.step(net.params, net.grads)

    return step


# -- PyTorch's side -----------------------------------------------------------------------


def torch_network(torch: Any, net: Network) -> Any:
    """``net`` as a ``torch.nn.Sequential`` with the same shapes and weights (float32)."""
    nn = torch.nn
    modules = []
    for layer in net.layers:
        kind = layer.type_name
        if kind == "dense":
            module = nn.Linear(layer.input_shape[0], layer.units)
            weight = layer.params["W"].T
        elif kind == "conv2d":
            module = nn.Conv2d(
                layer.input_shape[0], layer.filters, layer.kernel_size, layer.stride, layer.padding
            )
            weight = layer.params["W"]
        elif kind in ("relu", "tanh", "flatten"):
            modules.append({"relu": nn.ReLU, "tanh": nn.Tanh, "flatten": nn.Flatten}[kind]())
            continue
        elif kind == "maxpool2d":
            modules.append(nn.MaxPool2d(layer.pool_size, layer.stride))
            continue
        else:
            raise ValueError(f"the benchmark has no PyTorch version of layer type {kind!r}")
        with torch.no_grad():
            module.weight.copy_(torch.from_numpy(np.ascontiguousarray(weight)))
            module.bias.copy_(torch.from_numpy(layer.params["b"]))
        modules.append(module)
    return nn.Sequential(*modules)


def torch_train_step(torch: Any, model: Any, x: np.ndarray, y: np.ndarray) -> Callable[[], None]:
    """One SGD step of ``model`` on (x, y), the PyTorch way."""
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)
    loss_fn = torch.nn.CrossEntropyLoss()

    def step() -> None:
        optimizer.zero_grad(set_to_none=True)
        loss_fn(model(xt), yt).backward()
        optimizer.step()

    return step


def torch_predict(torch: Any, model: Any, x: np.ndarray) -> Callable[[], object]:
    """Softmax probabilities of ``model`` on ``x`` in evaluation mode, without autograd."""
    xt = torch.from_numpy(x)

    def predict() -> object:
        with torch.inference_mode():
            return torch.softmax(model(xt), dim=1)

    return predict


# -- the run ------------------------------------------------------------------------------


def cases(case: BenchNetwork, torch: Any | None) -> Iterator[tuple[str, int, dict]]:
    """(measure, batch, {"ours": call, "torch": call}) for each thing timed on ``case``."""
    net = Network.from_spec(NetworkSpec.from_dict(case.spec))
    model = torch_network(torch, net) if torch is not None else None
    x, y = batch_data(case, case.batch)
    calls = {"ours": our_train_step(net, x, y)}
    if model is not None:
        calls["torch"] = torch_train_step(torch, model.train(), x, y)
    yield "train", case.batch, calls
    if case.max_infer_ratio is not None:
        x1, _ = batch_data(case, 1, seed=1)
        calls = {"ours": lambda: net.predict(x1)}
        if model is not None:
            calls["torch"] = torch_predict(torch, model.eval(), x1)
        yield "infer", 1, calls


def _result(case: BenchNetwork, measure: str, batch: int, rounds: dict[str, list[float]]) -> Result:
    ms = statistics.median(rounds["ours"]) * 1e3
    torch_ms = statistics.median(rounds["torch"]) * 1e3 if "torch" in rounds else None
    ratio = None
    if torch_ms is not None:
        # Turn against turn (the two ran back to back), then the median over rounds.
        pairs = zip(rounds["ours"], rounds["torch"], strict=True)
        ratio = statistics.median(ours / theirs for ours, theirs in pairs)
    steps_per_s = 1e3 / ms
    target, met = None, None
    max_ratio = case.max_train_ratio if measure == "train" else case.max_infer_ratio
    if max_ratio is not None:
        target = f"ratio <= {max_ratio:g}"
        met = None if ratio is None else ratio <= max_ratio
    elif measure == "train" and case.min_steps_per_s is not None:
        target = f"steps/s >= {case.min_steps_per_s:g}"
        met = steps_per_s >= case.min_steps_per_s
    return Result(
        case.key, case.title, measure, batch, ms, torch_ms, ratio, steps_per_s, target, met
    )


def run_benchmark(
    timing: Timing,
    *,
    use_torch: bool = True,
    networks: tuple[BenchNetwork, ...] = NETWORKS,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Time every network; a JSON-ready report with the versions, thread counts and rows."""
    torch = import_torch() if use_torch else None
    load_before = os.getloadavg()[0]
    rows = []
    for case in networks:
        # Each network with the policy the command line would train it with.
        set_thread_policy(policy_for([layer["type"] for layer in case.spec["layers"]]))
        for measure, batch, calls in cases(case, torch):
            rows.append(_result(case, measure, batch, time_alternately(calls, timing)))
            if progress is not None:
                progress(f"{case.key} {measure}")
    return {
        "timing": asdict(timing),
        "versions": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "torch": torch.__version__ if torch is not None else None,
        },
        "threads": {
            # Unset means OpenBLAS's default: one thread per core.
            "OPENBLAS_NUM_THREADS": os.environ.get("OPENBLAS_NUM_THREADS"),
            # Convnets split batches over this many threads of ours with OpenBLAS at 1;
            # dense-only networks leave the cores to OpenBLAS (layers/parallel.py).
            "engine": default_policy().batch_threads,
            "cpu_count": os.cpu_count(),
            "torch": torch.get_num_threads() if torch is not None else None,
        },
        # Other processes on the machine skew the timings, a 2-thread PyTorch most of all.
        "load_average_1min": {"before": load_before, "after": os.getloadavg()[0]},
        "results": [asdict(r) for r in rows],
    }


def case_count(networks: tuple[BenchNetwork, ...] = NETWORKS) -> int:
    """How many rows ``run_benchmark`` produces (for a progress bar)."""
    return sum(1 + (c.max_infer_ratio is not None) for c in networks)
