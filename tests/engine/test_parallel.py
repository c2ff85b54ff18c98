"""Batches split over our threads give the results of one piece."""

import numpy as np
import pytest

from playground import Network, NetworkSpec
from playground.layers import parallel

LAYERS = [
    {"type": "conv2d", "filters": 4, "kernel_size": 3, "padding": 1},
    {"type": "relu"},
    {"type": "conv2d", "filters": 3, "kernel_size": 3, "stride": 2, "padding": 2},
    {"type": "maxpool2d", "pool_size": 2, "stride": 2},
    {"type": "flatten"},
    {"type": "dense", "units": 5},
    {"type": "relu"},
    {"type": "dense", "units": 3},
]


def _pass(x, y, dtype):
    spec = NetworkSpec.from_dict({"input_shape": [2, 9, 8], "layers": LAYERS})
    net = Network.from_spec(spec, seed=3).copy(dtype)
    loss = net.loss(x, y)
    dx = net.backward(input_grad=True)
    return loss, dx, net.grads


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("n", [1, 2, 7])
def test_split_batches_match_one_piece(monkeypatch, dtype, n):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((n, 2, 9, 8))
    y = rng.integers(0, 3, n)
    whole = _pass(x, y, dtype)
    monkeypatch.setattr(parallel, "PARTS", 3)
    monkeypatch.setattr(parallel, "MIN_PARALLEL_WORK", 0)
    monkeypatch.setattr(parallel, "_policy", parallel.ThreadPolicy(batch_threads=3))
    split = _pass(x, y, dtype)
    assert split[0] == pytest.approx(whole[0], rel=1e-6)
    np.testing.assert_allclose(split[1], whole[1], rtol=1e-5, atol=1e-6)
    for key, grad in whole[2].items():
        assert split[2][key].dtype == dtype
        np.testing.assert_allclose(split[2][key], grad, rtol=1e-5, atol=1e-6)


def test_batch_parts_returns_results_in_order(monkeypatch):
    monkeypatch.setattr(parallel, "PARTS", 3)
    monkeypatch.setattr(parallel, "MIN_PARALLEL_WORK", 0)
    monkeypatch.setattr(parallel, "_policy", parallel.ThreadPolicy(batch_threads=3))
    parts = parallel.batch_parts(7, 1, lambda part: (part.start, part.stop))
    assert parts == [(0, 2), (2, 4), (4, 7)]


def test_a_pass_never_changes_the_policy():
    before = parallel.thread_policy()
    spec = NetworkSpec.from_dict({"input_shape": [2, 9, 8], "layers": LAYERS})
    net = Network.from_spec(spec)
    net.loss(np.zeros((4, 2, 9, 8), np.float32), np.zeros(4, np.int64))
    net.backward()
    net.predict(np.zeros((1, 2, 9, 8), np.float32))
    assert parallel.thread_policy() is before


def test_policy_for_splits_convnets_only():
    conv = parallel.policy_for(["conv2d", "relu", "flatten", "dense"])
    assert conv == parallel.default_policy()
    assert parallel.policy_for(["flatten", "dense", "relu", "dense"]) == parallel.ThreadPolicy()


def test_one_thread_trains_while_another_predicts(monkeypatch):
    """Splitting on, two threads in the engine at once: each gets what it gets alone."""
    import threading

    monkeypatch.setattr(parallel, "MIN_PARALLEL_WORK", 0)
    monkeypatch.setattr(parallel, "_policy", parallel.ThreadPolicy(batch_threads=2))
    spec = NetworkSpec.from_dict({"input_shape": [2, 9, 8], "layers": LAYERS})
    rng = np.random.default_rng(0)
    x = rng.standard_normal((16, 2, 9, 8)).astype(np.float32)
    y = rng.integers(0, 3, 16)
    trained, reader = Network.from_spec(spec, seed=1), Network.from_spec(spec, seed=2)
    expected_loss = trained.copy().loss(x, y)
    expected_probs = reader.copy().predict(x)
    losses, probs = [], []

    def train():
        for _ in range(30):
            losses.append(trained.copy().loss(x, y))

    worker = threading.Thread(target=train)
    worker.start()
    for _ in range(30):
        probs.append(reader.predict(x))
    worker.join()
    assert all(loss == pytest.approx(expected_loss, rel=1e-6) for loss in losses)
    for p in probs:
        np.testing.assert_allclose(p, expected_probs, rtol=1e-5, atol=1e-7)
