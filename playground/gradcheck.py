"""Numerical gradient checks: analytic backprop vs central differences, in float64.

Two checks share one mechanism. ``check_network`` perturbs every parameter and
the input of a whole network and watches the loss. ``check_layer`` takes one
layer alone, the CS231n way: for an upstream gradient dout it perturbs the
layer's input and parameters and watches Σ out·dout, whose gradient is exactly
what the layer's backward returns for that dout.

ReLU, leaky ReLU and max-pool are piecewise: where a perturbation of ±step
moves a value across a kink (a ReLU input changes sign, another input wins a
max-pool window), the central difference averages two slopes and is no
derivative. Such crossings are found by comparing every layer's ``pieces()``
before and after the perturbation; the entry is retried at a tenth and a
hundredth of the step, and if it still crosses, reported apart ("at a kink,
not checked") instead of counting as a failure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from playground.layers import Layer
from playground.network import Network
from playground.trace import BackwardStep, ForwardStep

INPUT_KEY = "input"
# float64 central differences: round-off grows as ε/step (ε ≈ 2e-16) and truncation as
# step²; they balance near ε^(1/3) ≈ 6e-6. Smaller steps lose zero gradients (a bias
# before batchnorm) in round-off: 1e-6 gave 2e-6 on deep_cnn's, 1e-5 gives 2e-7.
STEP = 1e-5
THRESHOLD = 1e-6
# An exactly-zero gradient (a bias just before batchnorm) would read as noise/noise = 1.
# Below this gradient norm the denominator is held here, making the test absolute there.
SCALE_FLOOR = 1e-3

Evaluate = Callable[[], tuple[float, list[np.ndarray | None]]]


@dataclass(frozen=True)
class ArrayCheck:
    """The check of one array's gradient at a sample of its entries.

    ``entries`` are the indices of the checked entries (one integer array per
    axis); ``analytic``, ``numeric`` and ``at_kink`` are ``(count,)``, in that order.
    """

    shape: tuple[int, ...]
    entries: tuple[np.ndarray, ...]
    analytic: np.ndarray
    numeric: np.ndarray
    at_kink: np.ndarray  # bool: the perturbation crossed a kink, left out of the error

    @property
    def checked(self) -> int:
        return int((~self.at_kink).sum())

    @property
    def kinks(self) -> int:
        return int(self.at_kink.sum())

    @property
    def error(self) -> float:
        """‖a − n‖ / max(‖a‖ + ‖n‖, 1e-3) over the entries checked; NaN if none was."""
        if not self.checked:
            return float("nan")
        a, n = self.analytic[~self.at_kink], self.numeric[~self.at_kink]
        scale = max(np.linalg.norm(a) + np.linalg.norm(n), SCALE_FLOOR)
        return float(np.linalg.norm(a - n) / scale)

    def passed(self, threshold: float = THRESHOLD) -> bool | None:
        """True or False by ``threshold``; None when every entry sat at a kink."""
        return None if not self.checked else self.error < threshold

    def verdict(self, threshold: float = THRESHOLD) -> str:
        """``"ok"``, ``"FAIL"`` or ``"not checked"``, plus how many entries sat at a kink."""
        passed = self.passed(threshold)
        word = "not checked" if passed is None else ("ok" if passed else "FAIL")
        return f"{word} ({self.kinks} at a kink, not checked)" if self.kinks else word


def worst_error(checks: dict[str, ArrayCheck]) -> float:
    """The largest error among arrays with a checked entry (0.0 if none had one)."""
    return max((c.error for c in checks.values() if c.checked), default=0.0)


def all_passed(checks: dict[str, ArrayCheck], threshold: float = THRESHOLD) -> bool:
    return all(c.passed(threshold) is not False for c in checks.values())


def check_network(
    net: Network,
    x: np.ndarray,
    y: np.ndarray,
    *,
    step: float = STEP,
    max_entries: int | None = 40,
    seed: int = 0,
    progress: Callable[[str], None] | None = None,
) -> dict[str, ArrayCheck]:
    """Check the loss's gradient w.r.t. every parameter (``"0.W"`` …) and the input (``"input"``).

    Runs on a float64 copy of ``net`` (``net`` itself is untouched) with the
    random state rewound before every evaluation, so dropout draws the same
    mask each time. Up to ``max_entries`` entries per array are checked, chosen
    with ``seed`` (None checks them all); ``progress(key)`` is called after each array.
    """
    work = net.copy(dtype=np.float64)
    x64 = np.array(x, dtype=np.float64)
    rng_state = work.rng.bit_generator.state

    def evaluate() -> tuple[float, list[np.ndarray | None]]:
        work.rng.bit_generator.state = rng_state
        value = work.loss(x64, y)
        return value, [layer.pieces() for layer in work.layers]

    base = evaluate()[1]
    dx = work.backward(input_grad=True)
    analytic = {**{k: g.copy() for k, g in work.grads.items()}, INPUT_KEY: dx}
    targets = {**work.params, INPUT_KEY: x64}
    return _compare(targets, analytic, evaluate, base, step, max_entries, seed, progress)


def check_gradients(
    net: Network,
    x: np.ndarray,
    y: np.ndarray,
    *,
    step: float = STEP,
    max_entries: int | None = 40,
    seed: int = 0,
    progress: Callable[[str], None] | None = None,
) -> dict[str, float]:
    """The relative error per parameter and for the input (``check_network``'s, as floats).

    Entries whose perturbation crosses a kink are left out; an array with no
    other entry gets NaN.
    """
    checks = check_network(
        net, x, y, step=step, max_entries=max_entries, seed=seed, progress=progress
    )
    return {key: check.error for key, check in checks.items()}


def check_layer(
    layer: Layer,
    x: np.ndarray,
    dout: np.ndarray,
    *,
    train: bool = False,
    rng_state: dict[str, Any] | None = None,
    step: float = STEP,
    max_entries: int | None = None,
    seed: int = 0,
) -> dict[str, ArrayCheck]:
    """Check one layer's backward: dx (key ``"input"``) and each parameter gradient.

    x ``(N, *input shape)`` and dout ``(N, *output shape)`` as in a forward and
    backward pass of ``layer`` (in ``train`` mode or not). Runs on a float64
    twin of ``layer`` (``layer`` is untouched); the twin's random draws
    (dropout's mask) start from ``rng_state`` (a ``bit_generator.state``; by
    default a fixed one) at every evaluation, so the mask stays fixed. Up to
    ``max_entries`` entries per array are checked, chosen with ``seed``.
    """
    x64 = np.array(x, dtype=np.float64)
    dout64 = np.array(dout, dtype=np.float64)
    generator = np.random.default_rng(seed)
    if rng_state is not None:
        generator.bit_generator.state = rng_state
    start = generator.bit_generator.state
    twin = type(layer).from_config(layer.get_config())
    twin.build(x64.shape[1:], generator, he_init=False)
    twin.params = {k: np.array(v, dtype=np.float64) for k, v in layer.params.items()}
    twin.state = {k: np.array(v, dtype=np.float64) for k, v in layer.state.items()}

    def evaluate() -> tuple[float, list[np.ndarray | None]]:
        generator.bit_generator.state = start
        out = twin.forward(x64, train)
        return float(np.sum(out * dout64)), [twin.pieces()]

    base = evaluate()[1]
    dx = twin.backward(dout64)
    analytic = {INPUT_KEY: dx, **{k: g.copy() for k, g in twin.grads.items()}}
    targets = {INPUT_KEY: x64, **twin.params}
    return _compare(targets, analytic, evaluate, base, step, max_entries, seed, None)


def check_traced(
    net: Network,
    forward: ForwardStep,
    backward: BackwardStep,
    *,
    max_entries: int | None = 20,
    seed: int = 0,
) -> dict[str, ArrayCheck]:
    """``check_layer`` for one layer of a ``net.trace``: its recorded input, mode and random
    state (so dropout's mask is the one the trace drew), and its recorded upstream gradient."""
    return check_layer(
        net.layers[forward.index],
        forward.input,
        backward.upstream,
        train=forward.train,
        rng_state=forward.rng_state,
        max_entries=max_entries,
        seed=seed,
    )


def _compare(
    targets: dict[str, np.ndarray],
    analytic: dict[str, np.ndarray],
    evaluate: Evaluate,
    base: list[np.ndarray | None],
    step: float,
    max_entries: int | None,
    seed: int,
    progress: Callable[[str], None] | None,
) -> dict[str, ArrayCheck]:
    """Central differences of ``evaluate`` at sampled entries of each target, in place.

    ``base`` is every layer's ``pieces()`` at the unperturbed point.
    """
    picker = np.random.default_rng(seed)
    checks = {}
    for key, array in targets.items():
        # Entries by index, not through a flat view: dense weights are column-major.
        count = array.size if max_entries is None else min(max_entries, array.size)
        picked = picker.choice(array.size, size=count, replace=False)
        entries = np.unravel_index(picked, array.shape)
        numeric = np.empty(count)
        at_kink = np.zeros(count, bool)
        for slot, index in enumerate(zip(*entries, strict=True)):
            # A kink within the step: retry closer in, where the entry may be clear of it.
            for h in (step, step / 10, step / 100):
                numeric[slot], crossed = _central_difference(array, index, h, evaluate, base)
                if not crossed:
                    break
            at_kink[slot] = crossed
        checks[key] = ArrayCheck(array.shape, entries, analytic[key][entries], numeric, at_kink)
        if progress is not None:
            progress(key)
    return checks


def _central_difference(
    array: np.ndarray, index: tuple, h: float, evaluate: Evaluate, base: list[np.ndarray | None]
) -> tuple[float, bool]:
    """(f(a + h) − f(a − h)) / 2h at ``array[index]``, and whether a kink lies within ±h."""
    original = array[index]
    array[index] = original + h
    plus, plus_pieces = evaluate()
    array[index] = original - h
    minus, minus_pieces = evaluate()
    array[index] = original
    crossed = not (_same(plus_pieces, base) and _same(minus_pieces, base))
    return (plus - minus) / (2 * h), crossed


def _same(pieces: list[np.ndarray | None], base: list[np.ndarray | None]) -> bool:
    return all(a is None or np.array_equal(a, b) for a, b in zip(pieces, base, strict=True))
