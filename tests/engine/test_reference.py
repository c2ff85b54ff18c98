"""The engine's fast layers and losses compute what their textbook pairs compute.

Parametrised over the layer registry: a layer type without a reference pair or a
case here fails. Every fast path is taken: batch-1 (dense's gemv), batches split
over threads, ReLU and max-pool in chunks, conv's wide-row im2col with stride
and padding, training and evaluation.
"""

import numpy as np
import pytest
from layer_cases import CASES, built_layer

from playground import LAYER_TYPES, LOSSES
from playground.layers import parallel, reference
from playground.layers.reference import Reference, forward_args

TOLERANCE = {np.float32: 2e-5, np.float64: 1e-12}


def test_every_layer_type_has_a_reference_pair_and_a_case():
    assert set(CASES) == set(LAYER_TYPES)
    for cls in LAYER_TYPES.values():
        assert isinstance(cls.reference, Reference), cls.type_name
    for cls in LOSSES.values():
        assert isinstance(cls.reference, Reference), cls.name


def force_splitting(monkeypatch):
    """Make every batch split over three threads, as tests/engine/test_parallel.py does."""
    monkeypatch.setattr(parallel, "PARTS", 3)
    monkeypatch.setattr(parallel, "MIN_PARALLEL_WORK", 0)
    monkeypatch.setattr(parallel, "_policy", parallel.ThreadPolicy(batch_threads=3))
    assert parallel.worth_splitting(2, 1)


def assert_close(actual, expected, dtype):
    tol = TOLERANCE[dtype]
    assert actual.dtype == dtype
    np.testing.assert_allclose(actual, expected, rtol=tol, atol=tol)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("train", [False, True], ids=["eval", "train"])
@pytest.mark.parametrize("split", [False, True], ids=["whole", "split"])
@pytest.mark.parametrize("n", [1, 5])
@pytest.mark.parametrize("layer_type", sorted(LAYER_TYPES))
def test_fast_layer_matches_its_textbook_pair(monkeypatch, layer_type, n, split, train, dtype):
    if split:
        force_splitting(monkeypatch)
    rng = np.random.default_rng(0)
    for config, input_shape in CASES[layer_type]:
        layer = built_layer(layer_type, config, input_shape, dtype, rng)
        x = rng.standard_normal((n, *input_shape)).astype(dtype)
        # Copies: the fast forward updates batchnorm's running statistics in place.
        args = {
            k: v.copy() if isinstance(v, np.ndarray) else v
            for k, v in forward_args(layer.reference.forward, layer, train).items()
        }
        out = layer.forward(x, train)
        if "mask" in args:  # dropout: the mask the fast layer drew
            args["mask"] = layer.mask
        expected, cache = layer.reference.forward(x, **args)
        assert_close(out, expected, dtype)

        dout = rng.standard_normal(out.shape).astype(dtype)
        dx = layer.backward(dout)
        expected_dx, expected_grads = layer.reference.backward(dout, cache)
        assert_close(dx, expected_dx, dtype)
        assert set(layer.grads) == set(expected_grads) == set(layer.params)
        for key, grad in expected_grads.items():
            assert_close(layer.grads[key], grad, dtype)


@pytest.mark.parametrize("shape", [(6,), (3, 4, 5)])
def test_batchnorm_running_statistics_follow_the_textbook_update(shape):
    rng = np.random.default_rng(1)
    layer = built_layer("batchnorm", {"momentum": 0.7}, shape, np.float64, rng)
    before = {k: v.copy() for k, v in layer.state.items()}
    x = rng.standard_normal((4, *shape))
    layer.forward(x, train=True)
    mean, var = reference.batchnorm_running_stats(
        x, before["running_mean"], before["running_var"], 0.7
    )
    np.testing.assert_allclose(layer.state["running_mean"], mean, rtol=1e-12)
    np.testing.assert_allclose(layer.state["running_var"], var, rtol=1e-12)


@pytest.mark.parametrize("n", [1, 5])
@pytest.mark.parametrize("loss_name", sorted(LOSSES))
def test_losses_match_their_textbook_pairs(loss_name, n):
    rng = np.random.default_rng(2)
    scores = rng.standard_normal((n, 4)) * 3
    y = rng.integers(0, 4, n)
    loss = LOSSES[loss_name]()
    value = loss.forward(scores, y)
    expected, cache = loss.reference.forward(scores, y)
    assert value == pytest.approx(expected, rel=1e-12)
    np.testing.assert_allclose(loss.backward(), loss.reference.backward(cache), rtol=1e-12)


def test_mse_reference_takes_real_valued_targets():
    rng = np.random.default_rng(3)
    scores, targets = rng.standard_normal((3, 2)), rng.standard_normal((3, 2))
    loss = LOSSES["mse"]()
    expected, cache = reference.mse_forward(scores, targets)
    assert loss.forward(scores, targets) == pytest.approx(expected, rel=1e-12)
    np.testing.assert_allclose(loss.backward(), reference.mse_backward(cache), rtol=1e-12)
