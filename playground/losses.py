"""Losses on the network's scores; each caches what its backward needs.

Shapes: scores ``(N, C)``; labels ``(N,)`` integers; targets for mse ``(N, C)``.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from playground.errors import DataError, SpecError
from playground.layers import reference
from playground.layers.base import Shape, shape_text
from playground.layers.reference import Reference


class Loss:
    name: ClassVar[str]
    reference: ClassVar[Reference]  # the textbook pair (playground/layers/reference.py)
    forward_doc: ClassVar[str] = ""
    backward_doc: ClassVar[str] = ""

    def check_output(self, output_shape: Shape) -> None:
        """Raise SpecError if the network's output cannot feed this loss."""

    def forward(self, scores: np.ndarray, y: np.ndarray) -> float:
        raise NotImplementedError

    def backward(self) -> np.ndarray:
        """dL/dscores ``(N, C)`` for the last ``forward``."""
        raise NotImplementedError

    def probabilities(self, scores: np.ndarray) -> np.ndarray:
        """What ``Network.predict`` returns for ``scores``."""
        return scores


def _check_labels(y: np.ndarray, n: int, classes: int) -> np.ndarray:
    y = np.asarray(y)
    if y.shape != (n,):
        raise DataError(f"labels have shape {y.shape}, expected ({n},) for {n} samples")
    if y.dtype.kind not in "iu":
        raise DataError(f"labels must be integers, got {y.dtype}")
    # One pass over the labels: read as unsigned, a negative label is a huge one.
    if n and y.view(f"u{y.itemsize}").max() >= classes:
        bad = y.min() if y.min() < 0 else y.max()
        raise DataError(
            f"label {bad} is outside the network's {classes} outputs (0..{classes - 1})"
        )
    return y


def softmax(scores: np.ndarray) -> np.ndarray:
    """Row-wise softmax of ``(N, C)``, stable for any finite scores."""
    if len(scores) == 1:
        # The draw pad's one row, where each NumPy call costs more than its arithmetic:
        # exp(s - log Σ e^s) with np.logaddexp's own stable reduction is 3 calls, not 5.
        return np.exp(scores - np.logaddexp.reduce(scores, None))
    # The ufuncs' own reductions: the array methods' Python wrappers cost as much again.
    e = np.exp(scores - np.maximum.reduce(scores, axis=1, keepdims=True))
    e /= np.add.reduce(e, axis=1, keepdims=True)
    return e


class SoftmaxCrossEntropy(Loss):
    name = "softmax_cross_entropy"
    reference = reference.SOFTMAX_CROSS_ENTROPY
    forward_doc = "L = −mean log softmax(scores)[label]."
    backward_doc = "dscores = (softmax(scores) − one_hot(label)) / N."

    def check_output(self, output_shape: Shape) -> None:
        if len(output_shape) != 1 or output_shape[0] < 2:
            raise SpecError(
                f"loss {self.name} needs at least 2 flat class scores, "
                f"but the network outputs {shape_text(output_shape)}",
                field="loss",
                value=self.name,
            )

    def forward(self, scores: np.ndarray, y: np.ndarray) -> float:
        n, classes = scores.shape
        y = _check_labels(y, n, classes)
        shifted = scores - scores.max(axis=1, keepdims=True)
        e = np.exp(shifted)
        total = e.sum(axis=1)
        e /= total[:, None]
        rows = np.arange(n)
        self._probs, self._y, self._rows = e, y, rows
        # −log softmax[y] = log Σ e^shifted − shifted[y]: exact even where a probability underflows.
        return float((np.log(total) - shifted[rows, y]).sum() / n)

    def backward(self) -> np.ndarray:
        d = self._probs.copy()
        d[self._rows, self._y] -= 1
        d /= len(self._y)
        return d

    def probabilities(self, scores: np.ndarray) -> np.ndarray:
        return softmax(scores)


class MeanSquaredError(Loss):
    name = "mse"
    reference = reference.MSE
    forward_doc = "L = mean (scores − target)²; integer labels become one-hot targets."
    backward_doc = "dscores = 2 (scores − target) / (N·C)."

    def forward(self, scores: np.ndarray, y: np.ndarray) -> float:
        y = np.asarray(y)
        if scores.ndim == 2 and y.ndim == 1 and np.issubdtype(y.dtype, np.integer):
            y = _check_labels(y, scores.shape[0], scores.shape[1])
            target = np.zeros_like(scores)
            target[np.arange(len(y)), y] = 1
        elif y.size == scores.size:
            target = y.reshape(scores.shape).astype(scores.dtype)
        else:
            raise DataError(f"targets of shape {y.shape} do not match outputs {scores.shape}")
        self._diff = scores - target
        return float(np.mean(self._diff * self._diff))

    def backward(self) -> np.ndarray:
        return self._diff * np.asarray(2.0 / self._diff.size, self._diff.dtype)


LOSSES: dict[str, type[Loss]] = {cls.name: cls for cls in (SoftmaxCrossEntropy, MeanSquaredError)}
