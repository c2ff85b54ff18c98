"""TensorBoard's scalar smoothing: an exponential moving average with debiasing, vectorised.

``smoothed[t] = ema[t] / (1 - w**(t+1))`` with ``ema[t] = w*ema[t-1] + (1-w)*x[t]`` and
``ema[-1] = 0``: the debiasing undoes the pull towards the zero it starts from, so the
curve starts at the first value instead of rising from zero.
"""

from __future__ import annotations

import math

import numpy as np

from ui.training.record import Series

# Within a block, x[k] * w**-k grows to w**-block: keep it far from float64's 1e308.
_MAX_BLOCK_GROWTH = 1e100
_MAX_BLOCK = 4096

EmaState = tuple[float, int]  # (the undebiased average so far, how many values it has seen)


def smooth(
    values: np.ndarray, weight: float, state: EmaState = (0.0, 0)
) -> tuple[np.ndarray, EmaState]:
    """values ``(n,)`` -> (smoothed ``(n,)`` float64, the state to continue from).

    ``weight`` in [0, 1): 0 leaves the values as they are. Block by block, the recurrence
    is a cumulative sum: ``ema[j] = w**(j+1)*ema[-1] + (1-w) * w**j * cumsum(x[k] * w**-k)``.
    """
    values = np.asarray(values, np.float64)
    last, count = state
    if weight <= 0:
        return values.copy(), (float(values[-1]) if len(values) else last, count + len(values))
    block = min(_MAX_BLOCK, max(1, int(math.log(_MAX_BLOCK_GROWTH) / -math.log(weight))))
    out = np.empty_like(values)
    j = np.arange(block, dtype=np.float64)
    powers = weight**j  # w**j
    inverse = weight**-j  # w**-j
    for start in range(0, len(values), block):
        x = values[start : start + block]
        n = len(x)
        ema = weight * powers[:n] * last + (1 - weight) * powers[:n] * np.cumsum(x * inverse[:n])
        out[start : start + n] = ema
        last = float(ema[-1])
    debias = 1 - weight ** (count + 1 + np.arange(len(values), dtype=np.float64))
    return out / debias, (last, count + len(values))


class SmoothedSeries:
    """The smoothed copy of a growing ``Series``: each call smooths only the new points;
    another series (a new record) or another weight starts it over."""

    def __init__(self) -> None:
        self._source: Series | None = None
        self._weight = 0.0
        self._smoothed = Series()
        self._state: EmaState = (0.0, 0)

    def of(self, source: Series, weight: float) -> Series:
        """``source`` smoothed with ``weight``: a series that grows with it, replaced by
        another when the source or the weight changes."""
        if (
            source is not self._source
            or weight != self._weight
            or len(source) < len(self._smoothed)
        ):
            self._source, self._weight = source, weight
            self._smoothed, self._state = Series(), (0.0, 0)
        new = source.values[len(self._smoothed) :]
        if len(new):
            smoothed, self._state = smooth(new, weight, self._state)
            self._smoothed.extend(smoothed)
        return self._smoothed
