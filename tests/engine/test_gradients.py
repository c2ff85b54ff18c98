"""Numerical gradient checks for every registered layer and loss, parametrised over the registries.

A new layer type or loss without a case here fails ``test_every_*_has_a_case``.
"""

import numpy as np
import pytest

from playground import LAYER_TYPES, LOSSES, Network, NetworkSpec, check_gradients

TOLERANCE = 1e-6

# Each case surrounds the layer under test with what it needs, and ends in class scores.
LAYER_CASES = {
    "dense": ([5], [{"type": "dense", "units": 4}, {"type": "dense", "units": 3}]),
    "conv2d": (
        # stride 2 and padding 1 on a non-square, multi-channel input
        [3, 7, 6],
        [
            {"type": "conv2d", "filters": 4, "kernel_size": 3, "stride": 2, "padding": 1},
            {"type": "flatten"},
            {"type": "dense", "units": 3},
        ],
    ),
    "maxpool2d": (
        # overlapping windows (stride < pool_size)
        [2, 7, 6],
        [
            {"type": "maxpool2d", "pool_size": 3, "stride": 2},
            {"type": "flatten"},
            {"type": "dense", "units": 3},
        ],
    ),
    "avgpool2d": (
        [2, 7, 6],
        [
            {"type": "avgpool2d", "pool_size": 3, "stride": 2},
            {"type": "flatten"},
            {"type": "dense", "units": 3},
        ],
    ),
    "flatten": ([2, 3, 4], [{"type": "flatten"}, {"type": "dense", "units": 3}]),
    "relu": ([5], [{"type": "dense", "units": 6}, {"type": "relu"}, {"type": "dense", "units": 3}]),
    "leaky_relu": (
        [5],
        [
            {"type": "dense", "units": 6},
            {"type": "leaky_relu", "alpha": 0.1},
            {"type": "dense", "units": 3},
        ],
    ),
    "sigmoid": (
        [5],
        [{"type": "dense", "units": 6}, {"type": "sigmoid"}, {"type": "dense", "units": 3}],
    ),
    "tanh": ([5], [{"type": "dense", "units": 6}, {"type": "tanh"}, {"type": "dense", "units": 3}]),
    "dropout": (
        # check_gradients rewinds the network's generator, so every evaluation uses one mask
        [5],
        [
            {"type": "dense", "units": 8},
            {"type": "dropout", "rate": 0.4},
            {"type": "dense", "units": 3},
        ],
    ),
    "batchnorm": (
        # training mode (check_gradients uses net.loss), after a conv layer
        [2, 4, 5],
        [
            {"type": "conv2d", "filters": 3, "kernel_size": 3, "padding": 1},
            {"type": "batchnorm"},
            {"type": "flatten"},
            {"type": "dense", "units": 3},
        ],
    ),
}

LOSS_CASES = {
    "softmax_cross_entropy": (
        [5],
        [{"type": "dense", "units": 4}, {"type": "tanh"}, {"type": "dense", "units": 3}],
    ),
    "mse": ([5], [{"type": "dense", "units": 4}, {"type": "tanh"}, {"type": "dense", "units": 3}]),
}


def test_every_layer_type_has_a_case():
    assert set(LAYER_CASES) == set(LAYER_TYPES)


def test_every_loss_has_a_case():
    assert set(LOSS_CASES) == set(LOSSES)


def _errors(input_shape, layers, loss="softmax_cross_entropy", seed=0):
    spec = NetworkSpec.from_dict({"input_shape": input_shape, "layers": layers, "loss": loss})
    net = Network.from_spec(spec, seed=seed)
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((6, *spec.input_shape))
    y = rng.integers(0, 3, 6)
    return check_gradients(net, x, y, max_entries=None)


@pytest.mark.parametrize("layer_type", sorted(LAYER_TYPES))
def test_layer_gradients(layer_type):
    errors = _errors(*LAYER_CASES[layer_type])
    assert "input" in errors
    assert max(errors.values()) < TOLERANCE, errors


@pytest.mark.parametrize("loss", sorted(LOSSES))
def test_loss_gradients(loss):
    errors = _errors(*LOSS_CASES[loss], loss=loss)
    assert max(errors.values()) < TOLERANCE, errors


def test_batchnorm_after_dense_gradients():
    layers = [
        {"type": "dense", "units": 4},
        {"type": "batchnorm"},
        {"type": "relu"},
        {"type": "dense", "units": 3},
    ]
    errors = _errors([5], layers)
    assert max(errors.values()) < TOLERANCE, errors


def test_mse_with_real_valued_targets():
    spec = NetworkSpec.from_dict(
        {"input_shape": [4], "layers": [{"type": "dense", "units": 2}], "loss": "mse"}
    )
    net = Network.from_spec(spec, seed=1)
    rng = np.random.default_rng(1)
    x, targets = rng.standard_normal((5, 4)), rng.standard_normal((5, 2))
    errors = check_gradients(net, x, targets, max_entries=None)
    assert max(errors.values()) < TOLERANCE, errors


def test_gradient_check_detects_a_wrong_backward(monkeypatch):
    """The check itself can fail: a tanh whose backward forgets the derivative is caught."""
    from playground.layers.activations import Tanh

    monkeypatch.setattr(Tanh, "_local_backward", lambda self, dout: dout)
    errors = _errors(*LAYER_CASES["tanh"])
    assert max(errors.values()) > 1e-3


def test_gradient_check_leaves_the_network_untouched():
    spec = NetworkSpec.from_dict({"input_shape": [2, 4, 4], "layers": LAYER_CASES["batchnorm"][1]})
    net = Network.from_spec(spec, seed=0)
    before = {k: v.copy() for k, v in {**net.params, **net.state}.items()}
    x = np.random.default_rng(0).standard_normal((4, 2, 4, 4))
    check_gradients(net, x, np.array([0, 1, 2, 0]), max_entries=5)
    for key, value in {**net.params, **net.state}.items():
        assert value.dtype == np.float32
        np.testing.assert_array_equal(value, before[key])
