"""``History``: the curves of a run, kept by the trainer and saved with the project."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from playground.errors import DataError


@dataclass
class History:
    """Training loss and accuracy for steps 1, 2, … (``loss[i]`` is step ``i + 1``) and
    validation loss and accuracy at the steps in ``val_step``."""

    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    val_step: list[int] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)

    @property
    def steps(self) -> int:
        return len(self.loss)

    def copy(self) -> History:
        return History(
            list(self.loss),
            list(self.accuracy),
            list(self.val_step),
            list(self.val_loss),
            list(self.val_accuracy),
        )

    def to_arrays(self) -> dict[str, np.ndarray]:
        """Steps as int64; losses and accuracies as float32 (they come from float32 maths)."""
        return {
            "loss": np.asarray(self.loss, np.float32),
            "accuracy": np.asarray(self.accuracy, np.float32),
            "val_step": np.asarray(self.val_step, np.int64),
            "val_loss": np.asarray(self.val_loss, np.float32),
            "val_accuracy": np.asarray(self.val_accuracy, np.float32),
        }

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> History:
        names = ("loss", "accuracy", "val_step", "val_loss", "val_accuracy")
        missing = [n for n in names if n not in arrays]
        if missing:
            raise DataError(f"history is missing {missing[0]!r}")
        loss, accuracy, val_step, val_loss, val_accuracy = (
            np.asarray(arrays[n]).reshape(-1).tolist() for n in names
        )
        if len(loss) != len(accuracy) or not len(val_step) == len(val_loss) == len(val_accuracy):
            raise DataError("history curves have different lengths")
        return cls(loss, accuracy, val_step, val_loss, val_accuracy)
