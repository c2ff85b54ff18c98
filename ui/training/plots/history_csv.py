"""The whole run as one CSV: a row per step, a column per curve (no Qt).

Columns: step, loss, accuracy, val_loss, val_accuracy, lr, then per layer
``grad_norm layer 0 (dense)``, ``update_ratio …`` and ``inactive layer 1 (relu)``.
A cell is empty where that curve has no value at that step (validation and the
per-layer figures come on the detail cadence; steps loaded from a file carry only
loss and accuracy).
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np

from playground.spec import NetworkSpec
from ui.training.plots.common import layer_label
from ui.training.record import RunRecord, Series


def history_columns(record: RunRecord, spec: NetworkSpec | None) -> dict[str, np.ndarray]:
    """Column name -> values ``(steps,)`` float64, NaN where a curve has no value."""
    steps = record.steps

    def at(where: Series, values: Series) -> np.ndarray:
        column = np.full(steps, np.nan)
        index = where.values.astype(np.int64) - 1
        inside = (index >= 0) & (index < steps)
        column[index[inside]] = values.values[inside]
        return column

    columns = {
        "step": record.step.values.copy(),
        "loss": record.loss.values.copy(),
        "accuracy": record.accuracy.values.copy(),
        "val_loss": at(record.val_step, record.val_loss),
        "val_accuracy": at(record.val_step, record.val_accuracy),
        "lr": at(record.grad_norm_steps, record.lr),
    }
    for prefix, where, curves in (
        ("grad_norm", record.grad_norm_steps, record.grad_norms),
        ("update_ratio", record.detail_step, record.update_ratios),
        ("inactive", record.detail_step, record.inactive),
    ):
        for index in sorted(curves):
            columns[f"{prefix} {layer_label(spec, index)}"] = at(where, curves[index])
    return columns


def write_history_csv(record: RunRecord, path: str | Path, spec: NetworkSpec | None) -> None:
    """Write ``history_columns`` to ``path`` (raises OSError if it cannot be written)."""
    columns = history_columns(record, spec)
    rows = zip(*(column.tolist() for column in columns.values()), strict=True)
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(columns)
        writer.writerows(
            [_cell(value, name == "step") for name, value in zip(columns, row, strict=True)]
            for row in rows
        )


def _cell(value: float, whole: bool) -> str | int | float:
    if math.isnan(value):
        return ""
    return int(value) if whole else value
