"""Layers to test, one or more configurations per registered type (shared by the engine tests).

A registered layer type without a case here fails the tests that use it.
"""

from __future__ import annotations

import numpy as np

from playground import LAYER_TYPES

# (config, input shape) per layer type; several where the layer has several paths.
CASES = {
    "dense": [({"units": 7}, (6,))],
    "conv2d": [
        ({"filters": 4, "kernel_size": 3, "stride": 2, "padding": 1}, (3, 7, 6)),
        ({"filters": 2, "kernel_size": 3}, (2, 5, 5)),
        ({"filters": 3, "kernel_size": 2, "stride": 3, "padding": 2}, (2, 8, 7)),
    ],
    "maxpool2d": [
        ({"pool_size": 2, "stride": 2}, (2, 6, 6)),
        ({"pool_size": 3, "stride": 2}, (2, 7, 6)),  # overlapping windows
        ({"pool_size": 2, "stride": 3}, (1, 8, 7)),  # skipped pixels
        ({"pool_size": 2, "stride": 2}, (8, 24, 24)),  # large enough to go in chunks
    ],
    "avgpool2d": [
        ({"pool_size": 2, "stride": 2}, (2, 6, 6)),
        ({"pool_size": 3, "stride": 2}, (2, 7, 6)),
        ({"pool_size": 2, "stride": 3}, (1, 8, 7)),
    ],
    "flatten": [({}, (2, 3, 4))],
    "relu": [({}, (6,)), ({}, (8, 24, 24))],  # the second takes the zero-row, chunked path
    "leaky_relu": [({"alpha": 0.1}, (6,)), ({"alpha": 0.01}, (3, 5, 5))],
    "sigmoid": [({}, (6,)), ({}, (2, 3, 3))],
    "tanh": [({}, (6,)), ({}, (2, 3, 3))],
    "dropout": [({"rate": 0.4}, (10,)), ({"rate": 0.5}, (2, 4, 4))],
    "batchnorm": [({"momentum": 0.8}, (6,)), ({}, (3, 4, 5))],
}


def built_layer(layer_type, config, input_shape, dtype, rng):
    """A layer with random parameters and state (not the initial zeros and ones)."""
    layer = LAYER_TYPES[layer_type].from_config(config)
    layer.build(input_shape, np.random.default_rng(7), he_init=False)
    layer.astype(dtype)
    for store in (layer.params, layer.state):
        for value in store.values():
            value[...] = rng.uniform(0.5, 1.5, value.shape)  # positive: running_var too
    return layer
