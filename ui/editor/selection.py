"""What can be selected on the canvas: a layer (its index), the input block or the loss block."""

from __future__ import annotations

INPUT_BLOCK = "input"
LOSS_BLOCK = "loss"

# A layer index, INPUT_BLOCK, LOSS_BLOCK, or None for nothing selected.
BlockKey = int | str | None
