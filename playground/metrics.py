"""Evaluating a network on labelled samples: loss, accuracy and a confusion matrix."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from playground.errors import DataError
from playground.network import Network


@dataclass(frozen=True)
class Evaluation:
    """Mean loss, accuracy in [0, 1], and counts ``(C, C)``: rows true label, columns predicted."""

    loss: float
    accuracy: float
    confusion: np.ndarray

    @property
    def count(self) -> int:
        return int(self.confusion.sum())


def confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, classes: int) -> np.ndarray:
    """Labels ``(N,)`` and predictions ``(N,)`` -> counts ``(classes, classes)`` int64."""
    flat = np.bincount(y_true * classes + y_pred, minlength=classes * classes)
    return flat.reshape(classes, classes)


def evaluate(net: Network, x: np.ndarray, y: np.ndarray, batch_size: int = 500) -> Evaluation:
    """Evaluation-mode metrics of normalised x ``(N, *input_shape)`` against labels y ``(N,)``."""
    if not len(x):
        raise DataError("there are no samples to evaluate")
    classes = net.spec.output_shape[0]
    total_loss = 0.0
    predicted = np.empty(len(x), np.int64)
    for start in range(0, len(x), batch_size):
        stop = start + batch_size
        scores = net.forward(x[start:stop])
        total_loss += net.loss_fn.forward(scores, y[start:stop]) * len(scores)
        predicted[start:stop] = scores.argmax(axis=1)
    confusion = confusion_matrix(y, predicted, classes)
    accuracy = float(np.trace(confusion)) / len(x)
    return Evaluation(total_loss / len(x), accuracy, confusion)
