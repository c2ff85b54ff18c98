"""The per-layer gradient check and kink detection, for every registered layer type.

A finite difference across a ReLU or max-pool kink is no derivative: such entries
must be reported apart, never as failures, while a wrong backward still fails.
"""

import numpy as np
import pytest
from layer_cases import CASES, built_layer

from playground import LAYER_TYPES, Network, NetworkSpec
from playground.gradcheck import INPUT_KEY, STEP, all_passed, check_layer, check_network
from playground.layers.activations import ReLU
from playground.layers.pooling import MaxPool2D

TOLERANCE = 1e-6


def _layer_and_data(layer_type, config, input_shape, n=3, seed=0):
    rng = np.random.default_rng(seed)
    layer = built_layer(layer_type, config, input_shape, np.float32, rng)
    x = rng.standard_normal((n, *input_shape))
    out_shape = layer.output_shape(input_shape)
    dout = rng.standard_normal((n, *out_shape))
    return layer, x, dout


@pytest.mark.parametrize("train", [False, True], ids=["eval", "train"])
@pytest.mark.parametrize("layer_type", sorted(LAYER_TYPES))
def test_every_layer_passes_its_local_check(layer_type, train):
    for config, input_shape in CASES[layer_type]:
        layer, x, dout = _layer_and_data(layer_type, config, input_shape)
        before = {k: v.copy() for k, v in {**layer.params, **layer.state}.items()}
        checks = check_layer(layer, x, dout, train=train, max_entries=30)
        assert set(checks) == {INPUT_KEY, *layer.params}
        for key, check in checks.items():
            assert check.checked > 0, (key, check.verdict())
            assert check.error < TOLERANCE, (layer_type, config, key, check.error)
        for key, value in {**layer.params, **layer.state}.items():  # the layer is untouched
            assert value.dtype == np.float32
            np.testing.assert_array_equal(value, before[key])


def _near_kinks(layer_type, x):
    """Put some inputs within a hundredth of the smallest step retried of a kink."""
    close = STEP / 1000
    if layer_type in ("relu", "leaky_relu"):
        x[0, :3] = (close, -close, 0.0)
    else:  # max-pool: window (0, 0) of channel 0 has two values almost tied for the maximum
        x[0, 0, 0, 0] = 5.0
        x[0, 0, 0, 1] = 5.0 + close
    return x


@pytest.mark.parametrize(
    "layer_type, config, input_shape",
    [
        ("relu", {}, (6,)),
        ("leaky_relu", {"alpha": 0.1}, (6,)),
        ("maxpool2d", {"pool_size": 2, "stride": 2}, (2, 4, 4)),
    ],
)
def test_entries_at_a_kink_are_reported_apart_not_failed(layer_type, config, input_shape):
    layer, x, dout = _layer_and_data(layer_type, config, input_shape)
    x = _near_kinks(layer_type, x)
    checks = check_layer(layer, x, dout, train=True)
    check = checks[INPUT_KEY]
    assert check.kinks >= 2
    assert check.error < TOLERANCE
    assert all_passed(checks)
    assert "at a kink, not checked" in check.verdict()
    # Those entries would have been false failures: their difference quotient is not dx.
    off = np.abs(check.numeric - check.analytic)[check.at_kink]
    assert off.max() > 1e-3


def test_a_wrong_relu_backward_fails_even_with_kinks_about(monkeypatch):
    layer, x, dout = _layer_and_data("relu", {}, (6,))
    x = _near_kinks("relu", x)
    monkeypatch.setattr(ReLU, "_local_backward", lambda self, dout: dout)  # forgets the mask
    check = check_layer(layer, x, dout)[INPUT_KEY]
    assert check.error > 1e-2
    assert check.passed() is False


def test_a_wrong_max_pool_routing_fails(monkeypatch):
    layer, x, dout = _layer_and_data("maxpool2d", {"pool_size": 2, "stride": 2}, (2, 4, 4))

    def spread(self, dout, input_grad=True):  # avgpool's rule instead of max's
        return np.repeat(np.repeat(dout, 2, axis=2), 2, axis=3) / 4

    monkeypatch.setattr(MaxPool2D, "backward", spread)
    assert check_layer(layer, x, dout)[INPUT_KEY].passed() is False


def test_dropout_checks_with_the_mask_its_forward_drew():
    layer = LAYER_TYPES["dropout"](rate=0.5)
    generator = np.random.default_rng(11)
    layer.build((8,), generator, he_init=False)
    state = generator.bit_generator.state
    rng = np.random.default_rng(0)
    x, dout = rng.standard_normal((4, 8)), rng.standard_normal((4, 8))
    layer.forward(x, train=True)
    dx = layer.backward(dout)
    check = check_layer(layer, x, dout, train=True, rng_state=state)[INPUT_KEY]
    np.testing.assert_allclose(check.analytic, dx[check.entries], rtol=1e-6)
    assert check.error < TOLERANCE


def _relu_net_with_a_pre_activation_at(value):
    spec = NetworkSpec.from_dict(
        {
            "input_shape": [4],
            "layers": [
                {"type": "dense", "units": 5},
                {"type": "relu"},
                {"type": "dense", "units": 3},
            ],
        }
    )
    net = Network.from_spec(spec, seed=2)
    x = np.random.default_rng(2).standard_normal((3, 4))
    first = net.layers[0].params
    pre = x[0] @ first["W"] + first["b"]
    first["b"][1] -= pre[1] - value  # sample 0, unit 1 sits this far from ReLU's kink
    return net, x, np.array([0, 1, 2])


def test_whole_network_check_reports_a_kink_apart():
    net, x, y = _relu_net_with_a_pre_activation_at(STEP / 1000)
    checks = check_network(net, x, y, max_entries=None)
    assert checks["0.b"].kinks == 1  # only unit 1's bias moves that pre-activation alone
    assert checks["0.W"].kinks >= 1
    assert all_passed(checks)
    assert max(c.error for c in checks.values()) < TOLERANCE


def test_whole_network_check_still_catches_a_wrong_backward(monkeypatch):
    net, x, y = _relu_net_with_a_pre_activation_at(STEP / 1000)
    monkeypatch.setattr(ReLU, "_local_backward", lambda self, dout: dout)
    assert not all_passed(check_network(net, x, y, max_entries=None))
