"""NN Playground's engine: a from-scratch NumPy backprop library. Never imports Qt."""

from playground.errors import DataError, ProjectError, SpecError, TrainingError
from playground.gradcheck import check_gradients
from playground.layers import LAYER_TYPES
from playground.losses import LOSSES
from playground.network import Network
from playground.optimizers import OPTIMIZERS, make_optimizer
from playground.spec import NetworkSpec

__all__ = [
    "LAYER_TYPES",
    "LOSSES",
    "OPTIMIZERS",
    "DataError",
    "Network",
    "NetworkSpec",
    "ProjectError",
    "SpecError",
    "TrainingError",
    "check_gradients",
    "make_optimizer",
]
