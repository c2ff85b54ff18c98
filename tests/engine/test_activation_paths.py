"""The activations' fast NumPy formulations compute exactly the textbook functions."""

import numpy as np
import pytest

from playground.layers import activations, parallel
from playground.layers.activations import ZERO_ROW_MIN_SIZE, LeakyReLU, ReLU


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(
    "shape",
    [(1, 10), (3, 7), (2, ZERO_ROW_MIN_SIZE), (64, 16, 12, 12)],
    ids=["one sample", "small", "at the threshold", "conv batch"],
)
def test_relu_forward_and_backward_on_every_path(dtype, shape):
    rng = np.random.default_rng(0)
    x = rng.standard_normal(shape).astype(dtype)
    x.flat[0] = np.nan  # propagated, as np.maximum does
    layer = ReLU()
    out = layer.forward(x, train=True)
    np.testing.assert_array_equal(out, np.maximum(x, 0))
    assert out.dtype == dtype
    dout = rng.standard_normal(shape).astype(dtype)
    np.testing.assert_array_equal(layer.backward(dout), dout * (np.maximum(x, 0) > 0))


def test_relu_of_a_non_contiguous_array_split_over_threads(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_PARALLEL_WORK", 0)
    monkeypatch.setattr(parallel, "_policy", parallel.ThreadPolicy(batch_threads=2))
    x = np.random.default_rng(1).standard_normal((12, 8, 40, 40)).astype(np.float32)
    view = x.transpose(0, 1, 3, 2)
    np.testing.assert_array_equal(ReLU().forward(view), np.maximum(view, 0))


def test_the_shared_row_of_zeros_cannot_be_overwritten():
    row = activations._zero_row(ZERO_ROW_MIN_SIZE, np.dtype(np.float32))
    with pytest.raises(ValueError, match="read-only"):
        row[0] = 1


@pytest.mark.parametrize("alpha", [0.0, 0.01, 0.3, 1.0])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_leaky_relu_is_x_or_alpha_x(alpha, dtype):
    rng = np.random.default_rng(2)
    x = rng.standard_normal((4, 3, 5, 5)).astype(dtype)
    x[0, 0, 0, :3] = (0, -0.0, np.nan)
    layer = LeakyReLU(alpha=alpha)
    out = layer.forward(x, train=True)
    np.testing.assert_array_equal(out, np.where(x > 0, x, alpha * x).astype(dtype))
    assert out.dtype == dtype
    dout = rng.standard_normal(x.shape).astype(dtype)
    expected = dout * np.where(x > 0, 1, alpha).astype(dtype)
    np.testing.assert_allclose(layer.backward(dout), expected, rtol=1e-6)
