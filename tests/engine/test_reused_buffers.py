"""Layers that keep scratch buffers between steps give the same results as fresh ones.

A network that just ran one batch size must compute the next batch (a last
partial batch, predict's larger chunks, a float64 copy) exactly as a freshly
built network does.
"""

import numpy as np
import pytest

from playground import Network, NetworkSpec
from playground.layers import Conv2D

LAYERS = {
    "padded_conv": [
        {"type": "conv2d", "filters": 4, "kernel_size": 3, "padding": 1},
        {"type": "relu"},
        {"type": "maxpool2d", "pool_size": 2, "stride": 2},
        {"type": "flatten"},
        {"type": "dense", "units": 3},
    ],
    "strided_conv_overlapping_pool": [
        {"type": "conv2d", "filters": 3, "kernel_size": 3, "stride": 2, "padding": 2},
        {"type": "maxpool2d", "pool_size": 3, "stride": 1},
        {"type": "conv2d", "filters": 2, "kernel_size": 2},
        {"type": "flatten"},
        {"type": "dense", "units": 3},
    ],
}


def _net(layers):
    return Network.from_spec(NetworkSpec.from_dict({"input_shape": [2, 9, 8], "layers": layers}))


def _pass(net, x, y):
    loss = net.loss(x, y)
    dx = net.backward(input_grad=True)
    return loss, dx.copy(), {k: g.copy() for k, g in net.grads.items()}


def _assert_same(a, b):
    loss_a, dx_a, grads_a = a
    loss_b, dx_b, grads_b = b
    assert loss_a == pytest.approx(loss_b, rel=1e-6)
    np.testing.assert_allclose(dx_a, dx_b, rtol=1e-5, atol=1e-7)
    assert grads_a.keys() == grads_b.keys()
    for key in grads_a:
        np.testing.assert_allclose(grads_a[key], grads_b[key], rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("layers", LAYERS.values(), ids=LAYERS.keys())
def test_a_different_batch_size_after_another_matches_a_fresh_network(layers):
    rng = np.random.default_rng(1)
    used = _net(layers)
    for n in (5, 3, 7, 5):
        x = rng.standard_normal((n, 2, 9, 8)).astype(np.float32)
        y = rng.integers(0, 3, n)
        _assert_same(_pass(used, x, y), _pass(_net(layers), x, y))


@pytest.mark.parametrize("layers", LAYERS.values(), ids=LAYERS.keys())
def test_predict_in_chunks_between_training_steps_matches_a_fresh_network(layers):
    rng = np.random.default_rng(2)
    used = _net(layers)
    x = rng.standard_normal((4, 2, 9, 8)).astype(np.float32)
    y = rng.integers(0, 3, 4)
    _pass(used, x, y)
    many = rng.standard_normal((11, 2, 9, 8)).astype(np.float32)
    np.testing.assert_allclose(
        used.predict(many, batch_size=4), _net(layers).predict(many), rtol=1e-5, atol=1e-7
    )
    _assert_same(_pass(used, x, y), _pass(_net(layers), x, y))


def test_a_float64_copy_of_a_used_network_matches_a_fresh_one():
    layers = LAYERS["padded_conv"]
    rng = np.random.default_rng(3)
    x = rng.standard_normal((3, 2, 9, 8))
    y = rng.integers(0, 3, 3)
    used = _net(layers)
    _pass(used, x, y)
    _assert_same(_pass(used.copy(np.float64), x, y), _pass(_net(layers).copy(np.float64), x, y))
    assert used.copy(np.float64).forward(x).dtype == np.float64


def test_training_backward_skips_the_input_gradient_but_not_the_parameter_gradients():
    net = Network.from_spec(
        NetworkSpec.from_dict(
            {
                "input_shape": [1, 6, 6],
                "layers": [
                    {"type": "flatten"},
                    {"type": "dense", "units": 4},
                    {"type": "relu"},
                    {"type": "dense", "units": 3},
                ],
            }
        )
    )
    rng = np.random.default_rng(4)
    x, y = rng.random((5, 1, 6, 6), dtype=np.float32), rng.integers(0, 3, 5)
    _, dx, full = _pass(net, x, y)
    assert dx.shape == x.shape
    net.loss(x, y)
    assert net.backward(input_grad=False) is None
    for key, grad in net.grads.items():
        np.testing.assert_array_equal(grad, full[key])


def test_a_conv_layer_turned_float64_after_float32_steps_matches_a_fresh_one():
    def layer():
        conv = Conv2D(filters=3, kernel_size=3, padding=1)
        conv.build((2, 5, 5), np.random.default_rng(0), he_init=True)
        return conv

    x = np.random.default_rng(5).standard_normal((2, 2, 5, 5)) * (1 + 1e-9)
    used = layer()
    used.forward(x.astype(np.float32))
    used.astype(np.float64)
    fresh = layer()
    fresh.astype(np.float64)
    out = used.forward(x)
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, fresh.forward(x))
    np.testing.assert_array_equal(used.backward(out), fresh.backward(out))
