"""Optimizer updates against values computed by hand, weight decay, and saved state."""

import numpy as np
import pytest

from playground import OPTIMIZERS, make_optimizer


def run(name, steps, grads, p0=1.0, **settings):
    params = {"0.W": np.array([p0], np.float32)}
    opt = make_optimizer(name, **settings)
    for g in grads[:steps]:
        opt.step(params, {"0.W": np.array([g], np.float32)})
    return float(params["0.W"][0]), opt


def test_sgd():
    assert run("sgd", 2, [0.5, -1.0], lr=0.1)[0] == pytest.approx(1.0 - 0.05 + 0.1)


def test_momentum():
    # v1 = -0.1*0.5 = -0.05 ; p = 0.95 ; v2 = 0.9*-0.05 - 0.1*1.0 = -0.145 ; p = 0.805
    assert run("momentum", 2, [0.5, 1.0], lr=0.1, momentum=0.9)[0] == pytest.approx(0.805)


def test_nesterov():
    # v1 = -0.05 ; p1 = 1 + 1.9*-0.05 = 0.905
    # v2 = 0.9*-0.05 - 0.1 = -0.145 ; p2 = 0.905 - 0.9*-0.05 + 1.9*-0.145 = 0.6745
    assert run("nesterov", 2, [0.5, 1.0], lr=0.1, momentum=0.9)[0] == pytest.approx(0.6745)


def test_adagrad():
    # h = 0.25 -> p = 1 - 0.1*0.5/0.5 = 0.9 ; h = 1.25 -> p = 0.9 - 0.1*1/sqrt(1.25)
    expected = 0.9 - 0.1 / np.sqrt(1.25)
    assert run("adagrad", 2, [0.5, 1.0], lr=0.1, eps=1e-12)[0] == pytest.approx(expected, rel=1e-6)


def test_rmsprop():
    # h1 = 0.1*0.25 = 0.025 -> p1 = 1 - 0.1*0.5/sqrt(0.025)
    h1 = 0.025
    p1 = 1 - 0.1 * 0.5 / np.sqrt(h1)
    h2 = 0.9 * h1 + 0.1 * 1.0
    p2 = p1 - 0.1 * 1.0 / np.sqrt(h2)
    assert run("rmsprop", 2, [0.5, 1.0], lr=0.1, decay=0.9, eps=1e-12)[0] == pytest.approx(
        p2, rel=1e-6
    )


def test_adam():
    b1, b2, lr = 0.9, 0.999, 0.01
    m = v = 0.0
    p = 1.0
    for t, g in enumerate([0.5, -0.2, 0.3], start=1):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        p -= lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + 1e-8)
    assert run("adam", 3, [0.5, -0.2, 0.3], lr=lr)[0] == pytest.approx(p, rel=1e-5)


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_weight_decay_applies_to_weights_not_biases(name):
    params = {"0.W": np.ones(3, np.float32), "0.b": np.ones(3, np.float32)}
    zero = {k: np.zeros(3, np.float32) for k in params}
    make_optimizer(name, lr=0.1, weight_decay=0.5).step(params, zero)
    assert (params["0.W"] < 1).all()
    np.testing.assert_array_equal(params["0.b"], 1)


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_updates_are_in_place_and_float32(name):
    w = np.ones((2, 2), np.float32)
    params = {"0.W": w}
    make_optimizer(name, lr=0.1).step(params, {"0.W": np.full((2, 2), 0.3, np.float32)})
    assert params["0.W"] is w and w.dtype == np.float32 and (w < 1).all()


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_state_round_trip_resumes_exactly(name):
    grads = [0.5, -0.2, 0.3, 0.1]
    straight, _ = run(name, 4, grads, lr=0.05)
    params = {"0.W": np.array([1.0], np.float32)}
    first = make_optimizer(name, lr=0.05)
    for g in grads[:2]:
        first.step(params, {"0.W": np.array([g], np.float32)})
    second = make_optimizer(name, lr=0.05)
    second.load_state_dict(first.state_dict())
    for g in grads[2:]:
        second.step(params, {"0.W": np.array([g], np.float32)})
    assert float(params["0.W"][0]) == straight


@pytest.mark.parametrize("name", ["momentum", "adam"])
def test_state_loaded_row_major_takes_the_column_major_layout_of_dense_weights(name):
    rng = np.random.default_rng(0)
    w = np.asfortranarray(rng.standard_normal((3, 4)).astype(np.float32))
    grad = np.asfortranarray(rng.standard_normal((3, 4)).astype(np.float32))
    first = make_optimizer(name, lr=0.1)
    first.step({"0.W": w.copy(order="F")}, {"0.W": grad})
    saved = first.state_dict()
    row_major = {k: np.ascontiguousarray(v) for k, v in saved["arrays"].items()}
    second = make_optimizer(name, lr=0.1)
    second.load_state_dict({**saved, "arrays": row_major})
    resumed, straight = w.copy(order="F"), w.copy(order="F")
    second.step({"0.W": resumed}, {"0.W": grad})
    first.step({"0.W": straight}, {"0.W": grad})
    np.testing.assert_array_equal(resumed, straight)
    for store in second.slots.values():
        assert store["0.W"].flags.f_contiguous and not store["0.W"].flags.c_contiguous


def test_bad_settings_are_refused():
    with pytest.raises(ValueError, match="unknown optimizer 'adamw'"):
        make_optimizer("adamw")
    with pytest.raises(ValueError, match="learning rate -1"):
        make_optimizer("sgd", lr=-1)
    with pytest.raises(ValueError, match="unknown setting 'momentum'"):
        make_optimizer("adam", momentum=0.9)
