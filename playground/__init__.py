"""NN Playground's engine: a from-scratch NumPy backprop library. Never imports Qt."""

__version__ = "0.1.0"  # the one place the version is written (pyproject.toml reads it)

from playground.datasets import Dataset, load_dataset
from playground.errors import DataError, ProjectError, SpecError, TrainingError
from playground.gradcheck import check_gradients
from playground.layers import LAYER_TYPES
from playground.losses import LOSSES
from playground.network import Network
from playground.optimizers import OPTIMIZERS, make_optimizer
from playground.project import Project, default_project
from playground.spec import NetworkSpec
from playground.trainer import StepReport, TrainConfig, Trainer

__all__ = [
    "__version__",
    "LAYER_TYPES",
    "LOSSES",
    "OPTIMIZERS",
    "DataError",
    "Dataset",
    "Network",
    "NetworkSpec",
    "Project",
    "ProjectError",
    "SpecError",
    "StepReport",
    "TrainConfig",
    "Trainer",
    "TrainingError",
    "check_gradients",
    "default_project",
    "load_dataset",
    "make_optimizer",
]
