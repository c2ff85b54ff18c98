"""``Network.trace``: the events of one pass, in order, as copies, leaving the network as it was."""

import numpy as np
import pytest

from playground import NetworkSpec, default_project, load_dataset
from playground.cli import main
from playground.gradcheck import all_passed, check_traced
from playground.network import Network
from playground.trace import BackwardStep, ForwardStep, LossStep

# Every kind of layer that keeps state or draws at random, and kinks.
MIXED = {
    "input_shape": [2, 8, 8],
    "layers": [
        {"type": "conv2d", "filters": 3, "kernel_size": 3, "padding": 1},
        {"type": "batchnorm"},
        {"type": "relu"},
        {"type": "maxpool2d"},
        {"type": "flatten"},
        {"type": "dense", "units": 6},
        {"type": "leaky_relu"},
        {"type": "dropout", "rate": 0.5},
        {"type": "dense", "units": 3},
    ],
}


@pytest.fixture
def mixed():
    net = Network.from_spec(NetworkSpec.from_dict(MIXED), seed=1)
    rng = np.random.default_rng(1)
    x = rng.standard_normal((4, 2, 8, 8)).astype(np.float32)
    return net, x, rng.integers(0, 3, 4)


def test_simple_convnet_on_one_digit_has_every_event_in_order_with_its_shapes():
    project = default_project()
    digits = load_dataset("digits")
    x = project.normalization.apply(digits.x[:1])
    steps = project.network.trace(x, digits.y[:1])
    spec = project.spec
    shapes = [spec.input_shape, *spec.infer_shapes()]
    layers = len(spec.layers)
    assert [type(s) for s in steps] == [ForwardStep] * layers + [LossStep] + [BackwardStep] * layers
    assert [s.title for s in steps[:2]] == [
        "forward · layer 0 (conv2d)",
        "forward · layer 1 (relu)",
    ]
    assert steps[layers].title == "loss · softmax_cross_entropy"
    assert steps[layers + 3].title == "backward · layer 4 (dense)"
    for step in steps[:layers]:
        assert step.input.shape == (1, *shapes[step.index])
        assert step.output.shape == (1, *shapes[step.index + 1])
    for step in steps[layers + 1 :]:
        assert step.upstream.shape == (1, *shapes[step.index + 1])
        assert step.dx.shape == (1, *shapes[step.index])
        layer = project.network.layers[step.index]
        assert {k: g.shape for k, g in step.param_grads.items()} == {
            k: p.shape for k, p in layer.params.items()
        }
    assert [s.index for s in steps[layers + 1 :]] == list(range(layers - 1, -1, -1))


def test_tracing_leaves_the_network_exactly_as_it_was(mixed):
    net, x, y = mixed
    net.loss(x, y)
    net.backward()
    before = {
        "arrays": {k: v.copy() for k, v in {**net.params, **net.state}.items()},
        "grads": {k: v.copy() for k, v in net.grads.items()},
        "scores": net.scores.copy(),
        "rng": net.rng.bit_generator.state,
    }
    steps = net.trace(x, y)
    assert isinstance(steps[7], ForwardStep) and steps[7].train
    for key, value in {**net.params, **net.state}.items():
        np.testing.assert_array_equal(value, before["arrays"][key])
    for key, value in net.grads.items():
        np.testing.assert_array_equal(value, before["grads"][key])
    np.testing.assert_array_equal(net.scores, before["scores"])
    assert net.rng.bit_generator.state == before["rng"]


def test_backward_events_carry_what_network_backward_produces(mixed):
    net, x, y = mixed
    steps = net.trace(x, y)
    twin = net.copy()  # the same generator state: the same dropout mask
    loss = twin.loss(x, y)
    dx = twin.backward()
    loss_step = next(s for s in steps if isinstance(s, LossStep))
    assert loss_step.value == pytest.approx(loss, rel=1e-6)
    for step in steps:
        if isinstance(step, BackwardStep):
            for name, grad in step.param_grads.items():
                np.testing.assert_allclose(grad, twin.grads[f"{step.index}.{name}"], rtol=1e-6)
    np.testing.assert_allclose(steps[-1].dx, dx, rtol=1e-6)


def test_the_loss_event_carries_labels_and_probabilities(mixed):
    net, x, y = mixed
    loss_step = next(s for s in net.trace(x, y, train=False) if isinstance(s, LossStep))
    np.testing.assert_array_equal(loss_step.labels, y)
    np.testing.assert_allclose(loss_step.probabilities, net.predict(x), rtol=1e-6)
    np.testing.assert_allclose(loss_step.probabilities.sum(axis=1), 1, rtol=1e-6)
    expected = loss_step.probabilities.copy()
    expected[np.arange(4), y] -= 1
    np.testing.assert_allclose(loss_step.dscores, expected / 4, rtol=1e-5, atol=1e-7)


def test_every_traced_layer_passes_its_local_check(mixed):
    """Including dropout, checked with the very mask the trace drew."""
    net, x, y = mixed
    steps = net.trace(x, y)
    forward = {s.index: s for s in steps if isinstance(s, ForwardStep)}
    for step in steps:
        if isinstance(step, BackwardStep):
            checks = check_traced(net, forward[step.index], step, max_entries=15)
            assert all_passed(checks), (step.title, {k: c.error for k, c in checks.items()})
            np.testing.assert_allclose(
                checks["input"].analytic, step.dx[checks["input"].entries], rtol=1e-4, atol=1e-6
            )


def test_trace_command_prints_the_event_table(capsys):
    assert main(["trace", "simple_convnet", "--example", "3", "--entries", "3"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("digits example 3, label ")
    assert lines[1].split() == ["event", "layer", "shapes", "norms", "local", "check"]
    events = [line.split()[0] for line in lines[2:]]
    assert events == ["forward"] * 7 + ["loss"] + ["backward"] * 7
    assert "dW 4320x100" in out and "FAIL" not in out
    assert lines[-1].split()[:2] == ["backward", "0"] and " ok " in lines[-1]


def test_trace_command_refuses_an_example_outside_the_data(capsys):
    assert main(["trace", "simple_convnet", "--example", "5000"]) == 1
    assert "example 5000 is outside digits's 5000 examples (0..4999)" in capsys.readouterr().err


def test_trace_command_fails_a_wrong_backward(monkeypatch, capsys):
    from playground.layers.activations import ReLU

    monkeypatch.setattr(ReLU, "_local_backward", lambda self, dout: dout)
    assert main(["trace", "toy_spiral", "--entries", "5"]) == 1
    assert "FAIL" in capsys.readouterr().out
