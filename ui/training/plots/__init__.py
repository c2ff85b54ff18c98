"""The live training plots: one module per plot, ``view.TrainingPlotsView`` lays them out."""

from ui.training.plots.view import TrainingPlotsView

__all__ = ["TrainingPlotsView"]
