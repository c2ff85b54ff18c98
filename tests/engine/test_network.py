"""Network: building from a spec, parameter layout, forward/backward/predict, trace, copies."""

import numpy as np
import pytest

from playground import DataError, Network, NetworkSpec
from playground.paths import preset_path
from playground.trace import BackwardStep, ForwardStep, LossStep


@pytest.fixture
def convnet():
    return Network.from_spec(NetworkSpec.load(preset_path("simple_convnet")), seed=0)


def batch(n=8, seed=0):
    rng = np.random.default_rng(seed)
    return rng.random((n, 1, 28, 28), dtype=np.float32), rng.integers(0, 10, n)


def test_parameter_layout_and_dtype(convnet):
    shapes = {k: v.shape for k, v in convnet.params.items()}
    assert shapes == {
        "0.W": (30, 1, 5, 5),
        "0.b": (30,),
        "4.W": (4320, 100),
        "4.b": (100,),
        "6.W": (100, 10),
        "6.b": (10,),
    }
    assert all(v.dtype == np.float32 for v in convnet.params.values())


def test_dense_weights_stay_column_major_through_loading_and_training(convnet):
    # Column-major W makes one sample's x @ W BLAS's faster gemv (the draw pad's pass).
    x, y = batch()
    convnet.load_arrays({k: np.ascontiguousarray(v) for k, v in convnet.params.items()})
    convnet.loss(x, y)
    convnet.backward(input_grad=False)
    for key in ("4.W", "6.W"):
        assert convnet.params[key].flags.f_contiguous and convnet.grads[key].flags.f_contiguous
        assert not convnet.params[key].flags.c_contiguous


def test_same_seed_same_weights_other_seed_other_weights():
    spec = NetworkSpec.load(preset_path("mlp"))
    a, b, c = (Network.from_spec(spec, seed=s) for s in (3, 3, 4))
    np.testing.assert_array_equal(a.params["1.W"], b.params["1.W"])
    assert not np.array_equal(a.params["1.W"], c.params["1.W"])


def test_he_init_before_relu_glorot_otherwise():
    spec = NetworkSpec.from_dict(
        {
            "input_shape": [400],
            "layers": [
                {"type": "dense", "units": 400},
                {"type": "batchnorm"},
                {"type": "relu"},
                {"type": "dense", "units": 400},
                {"type": "tanh"},
                {"type": "dense", "units": 10},
            ],
        }
    )
    params = Network.from_spec(spec, seed=0).params
    assert params["0.W"].std() == pytest.approx(np.sqrt(2 / 400), rel=0.02)  # He, through batchnorm
    assert params["3.W"].std() == pytest.approx(np.sqrt(2 / 800), rel=0.02)  # Glorot before tanh
    assert params["5.W"].std() == pytest.approx(np.sqrt(2 / 410), rel=0.05)  # Glorot, last layer


def test_forward_backward_shapes_and_float32(convnet):
    x, y = batch()
    loss = convnet.loss(x, y)
    assert np.isfinite(loss) and loss == pytest.approx(np.log(10), rel=0.3)
    dx = convnet.backward()
    assert dx.shape == x.shape and dx.dtype == np.float32
    assert {k: g.shape for k, g in convnet.grads.items()} == {
        k: p.shape for k, p in convnet.params.items()
    }
    assert all(g.dtype == np.float32 for g in convnet.grads.values())


def test_training_backward_can_skip_the_input_gradient(convnet):
    x, y = batch()
    convnet.loss(x, y)
    assert convnet.backward() is not None
    full = {k: g.copy() for k, g in convnet.grads.items()}
    convnet.loss(x, y)
    assert convnet.backward(input_grad=False) is None
    for key, g in convnet.grads.items():
        np.testing.assert_allclose(g, full[key], rtol=1e-5, atol=1e-7)


def test_backward_from_a_given_upstream_gradient_is_the_saliency(convnet):
    net = convnet.copy(dtype=np.float64)  # float64 so a tiny finite difference is exact enough
    x = batch(2)[0].astype(np.float64)
    scores = net.forward(x)
    dscores = np.zeros_like(scores)
    dscores[:, 3] = 1
    saliency = net.backward(dscores)
    # d(score_3)/dx agrees with a finite difference along a random direction
    direction = np.random.default_rng(1).standard_normal(x.shape)
    h = 1e-6
    numeric = (net.forward(x + h * direction)[:, 3] - net.forward(x - h * direction)[:, 3]) / (
        2 * h
    )
    analytic = (saliency * direction).reshape(2, -1).sum(axis=1)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-5)


def test_predict_returns_probabilities(convnet):
    x, _ = batch(1203)
    p = convnet.predict(x)
    assert p.shape == (1203, 10)
    np.testing.assert_allclose(p.sum(axis=1), 1, rtol=1e-5)
    np.testing.assert_allclose(p[:5], convnet.predict(x[:5]), rtol=1e-5)
    # The draw pad's one sample takes its own path (a gemv, a one-row softmax).
    np.testing.assert_allclose(p[7:8], convnet.predict(x[7:8]), rtol=1e-5, atol=1e-7)
    huge = convnet.forward(x[:1]) * 1e4  # far past exp's float32 range: no overflow
    np.testing.assert_allclose(convnet.loss_fn.probabilities(huge).sum(), 1, rtol=1e-6)


def test_wrong_input_shape_is_refused_with_a_clear_message(convnet):
    with pytest.raises(
        DataError, match="input samples have shape 784, the network expects 1x28x28"
    ):
        convnet.forward(np.zeros((2, 784), np.float32))


def test_label_outside_the_outputs_is_refused(convnet):
    x, _ = batch(2)
    with pytest.raises(DataError, match="label 10 is outside the network's 10 outputs"):
        convnet.loss(x, np.array([1, 10]))


def test_dropout_only_in_training_and_batchnorm_running_statistics():
    spec = NetworkSpec.from_dict(
        {
            "input_shape": [6],
            "layers": [
                {"type": "batchnorm"},
                {"type": "dropout", "rate": 0.5},
                {"type": "dense", "units": 2},
            ],
        }
    )
    net = Network.from_spec(spec, seed=0)
    x = np.random.default_rng(0).normal(3.0, 2.0, (256, 6)).astype(np.float32)
    np.testing.assert_array_equal(net.forward(x), net.forward(x))  # evaluation: deterministic
    assert not np.array_equal(net.forward(x, train=True), net.forward(x, train=True))  # fresh masks
    for _ in range(100):
        net.forward(x, train=True)
    np.testing.assert_allclose(net.state["0.running_mean"], x.mean(axis=0), rtol=1e-3)
    np.testing.assert_allclose(net.state["0.running_var"], x.var(axis=0), rtol=1e-3)


def test_copy_is_independent_and_identical(convnet):
    x, y = batch()
    twin = convnet.copy()
    np.testing.assert_array_equal(twin.forward(x), convnet.forward(x))
    twin.params["0.W"][...] = 0
    assert convnet.params["0.W"].any()


def test_load_arrays_checks_names_and_shapes(convnet):
    saved = {k: v.copy() for k, v in convnet.params.items()}
    with pytest.raises(DataError, match="has shape 10, the network needs 100"):
        convnet.load_arrays({**saved, "4.b": np.zeros(10, np.float32)})
    with pytest.raises(DataError, match="missing '6.b'"):
        convnet.load_arrays({k: v for k, v in saved.items() if k != "6.b"})


def test_trace_records_every_step_as_copies(convnet):
    x, y = batch(3)
    steps = convnet.trace(x, y)
    layers = len(convnet.layers)
    assert len(steps) == 2 * layers + 1
    forward, loss, backward = steps[:layers], steps[layers], steps[layers + 1 :]
    assert all(isinstance(s, ForwardStep) for s in forward)
    assert isinstance(loss, LossStep) and loss.value == pytest.approx(
        convnet.loss_fn.forward(loss.scores, y)
    )
    assert all(isinstance(s, BackwardStep) for s in backward)
    assert [s.index for s in backward] == list(range(layers - 1, -1, -1))
    assert forward[0].input.shape == x.shape and forward[-1].output.shape == (3, 10)
    for before, after in zip(forward, forward[1:], strict=False):
        np.testing.assert_array_equal(before.output, after.input)
    assert backward[0].upstream is not loss.dscores
    np.testing.assert_array_equal(backward[0].upstream, loss.dscores)
    assert set(backward[-1].param_grads) == {"W", "b"}
    # copies: another pass does not change what was recorded
    recorded = backward[-1].param_grads["W"].copy()
    convnet.loss(x[::-1].copy(), y[::-1].copy())
    convnet.backward()
    np.testing.assert_array_equal(backward[-1].param_grads["W"], recorded)


def test_an_empty_batch_gives_empty_scores(convnet):
    assert convnet.forward(np.zeros((0, 1, 28, 28), np.float32)).shape == (0, 10)
    assert convnet.predict(np.zeros((0, 1, 28, 28), np.float32)).shape == (0, 10)


def test_a_copy_holds_the_same_arrays_and_generator_without_drawing_an_init():
    from playground.paths import preset_path

    net = Network.from_spec(NetworkSpec.load(preset_path("deep_cnn")), seed=5)
    net.rng.random(3)  # a generator part-way through its stream
    twin = net.copy()
    for key, value in {**net.params, **net.state}.items():
        np.testing.assert_array_equal(twin.params.get(key, twin.state.get(key)), value)
        assert twin.params.get(key, twin.state.get(key)) is not value
    assert twin.rng.random() == net.rng.random()
    assert twin.params["0.W"].dtype == np.float32
