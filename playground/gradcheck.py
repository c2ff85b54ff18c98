"""Numerical gradient checking: analytic backprop vs central differences, in float64."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from playground.network import Network

INPUT_KEY = "input"
# Central differences carry ~1e-11 of round-off per entry, so an exactly-zero gradient
# (a bias just before batchnorm) would read as noise/noise = 1. Below this gradient norm
# the denominator is held here, which turns the test into an absolute one at 1e-9 scale.
SCALE_FLOOR = 1e-3


def check_gradients(
    net: Network,
    x: np.ndarray,
    y: np.ndarray,
    *,
    eps: float = 1e-5,
    max_entries: int | None = 40,
    seed: int = 0,
    progress: Callable[[str], None] | None = None,
) -> dict[str, float]:
    """Relative error ``‖a − n‖ / max(‖a‖ + ‖n‖, 1e-3)`` per parameter and for the input.

    Runs on a float64 copy of ``net`` (``net`` itself is untouched) with the
    random state rewound before every evaluation, so dropout draws the same
    mask each time. Up to ``max_entries`` entries per array are checked, chosen
    with ``seed`` (None checks them all). The input gradient is keyed ``"input"``;
    ``progress(key)`` is called after each array.
    """
    work = net.copy(dtype=np.float64)
    x64 = np.array(x, dtype=np.float64)
    rng_state = work.rng.bit_generator.state

    def loss() -> float:
        work.rng.bit_generator.state = rng_state
        return work.loss(x64, y)

    loss()
    dx = work.backward(input_grad=True)
    analytic = {k: g.copy() for k, g in work.grads.items()}
    analytic[INPUT_KEY] = dx.copy()
    targets = {**work.params, INPUT_KEY: x64}

    picker = np.random.default_rng(seed)
    errors = {}
    for key, array in targets.items():
        # Entries by index, not through a flat view: dense weights are column-major.
        count = array.size if max_entries is None else min(max_entries, array.size)
        picked = picker.choice(array.size, size=count, replace=False)
        entries = np.unravel_index(picked, array.shape)
        numeric = np.empty(count)
        for slot, index in enumerate(zip(*entries, strict=True)):
            original = array[index]
            array[index] = original + eps
            plus = loss()
            array[index] = original - eps
            minus = loss()
            array[index] = original
            numeric[slot] = (plus - minus) / (2 * eps)
        exact = analytic[key][entries]
        scale = max(np.linalg.norm(exact) + np.linalg.norm(numeric), SCALE_FLOOR)
        errors[key] = float(np.linalg.norm(exact - numeric) / scale)
        if progress is not None:
            progress(key)
    return errors
