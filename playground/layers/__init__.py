"""The layer registry: one name -> class map read by specs, the palette and the inspector.

Adding a layer type is one class and one line in ``LAYER_TYPES``.
"""

from __future__ import annotations

from playground.layers.activations import LeakyReLU, ReLU, Sigmoid, Tanh
from playground.layers.base import Field, Layer, Shape, shape_text
from playground.layers.batchnorm import BatchNorm
from playground.layers.conv import Conv2D
from playground.layers.dense import Dense
from playground.layers.dropout import Dropout
from playground.layers.flatten import Flatten
from playground.layers.pooling import AvgPool2D, MaxPool2D

LAYER_TYPES: dict[str, type[Layer]] = {
    cls.type_name: cls
    for cls in (
        Dense,
        Conv2D,
        MaxPool2D,
        AvgPool2D,
        Flatten,
        ReLU,
        LeakyReLU,
        Sigmoid,
        Tanh,
        Dropout,
        BatchNorm,
    )
}

__all__ = [
    "LAYER_TYPES",
    "AvgPool2D",
    "BatchNorm",
    "Conv2D",
    "Dense",
    "Dropout",
    "Field",
    "Flatten",
    "Layer",
    "LeakyReLU",
    "MaxPool2D",
    "ReLU",
    "Shape",
    "Sigmoid",
    "Tanh",
    "shape_text",
]
