"""Pooling: tied maxima send the gradient to one position; shapes for odd strides."""

import numpy as np

from playground.layers import AvgPool2D, MaxPool2D


def _pool(cls, x, **config):
    layer = cls(**config)
    layer.build(x.shape[1:], np.random.default_rng(0), he_init=False)
    return layer, layer.forward(x, train=True)


def test_maxpool_sends_each_windows_gradient_to_exactly_one_position_on_ties():
    x = np.zeros((2, 3, 4, 4), np.float32)  # a blank area: every value ties
    layer, out = _pool(MaxPool2D, x, pool_size=2, stride=2)
    dout = np.ones_like(out)
    dx = layer.backward(dout)
    # the total gradient is conserved, not multiplied by the number of tied positions
    assert dx.sum() == dout.sum()
    windows = dx.reshape(2, 3, 2, 2, 2, 2).transpose(0, 1, 2, 4, 3, 5).reshape(2, 3, 2, 2, 4)
    assert ((windows != 0).sum(axis=-1) == 1).all()


def test_maxpool_ties_with_overlapping_windows():
    x = np.ones((1, 1, 5, 5), np.float32)
    layer, out = _pool(MaxPool2D, x, pool_size=3, stride=2)
    dx = layer.backward(np.ones_like(out))
    assert out.shape == (1, 1, 2, 2)
    assert dx.sum() == 4  # one unit of gradient per window


def test_maxpool_routes_to_the_maximum():
    x = np.arange(16, dtype=np.float32).reshape(1, 1, 4, 4)
    layer, out = _pool(MaxPool2D, x, pool_size=2, stride=2)
    np.testing.assert_array_equal(out[0, 0], [[5, 7], [13, 15]])
    dx = layer.backward(np.full_like(out, 2.0))
    expected = np.zeros((4, 4), np.float32)
    expected[[1, 1, 3, 3], [1, 3, 1, 3]] = 2
    np.testing.assert_array_equal(dx[0, 0], expected)


def test_stride_larger_than_pool_skips_inputs():
    x = np.arange(49, dtype=np.float32).reshape(1, 1, 7, 7)
    layer, out = _pool(AvgPool2D, x, pool_size=2, stride=3)
    assert out.shape == (1, 1, 2, 2)
    np.testing.assert_allclose(out[0, 0, 0, 0], (0 + 1 + 7 + 8) / 4)
    dx = layer.backward(np.ones_like(out))
    assert dx[0, 0, 2, :].sum() == 0  # row 2 is in no window
