"""The step-through view: one forward and one backward pass, layer by layer."""

from ui.stepthrough.view import StepThroughView

__all__ = ["StepThroughView"]
