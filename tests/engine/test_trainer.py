"""Trainer: learning the toy sets, reports, the NaN trap, exact resume, config validation."""

import numpy as np
import pytest

from playground import DataError, NetworkSpec, TrainingError
from playground.datasets import Dataset, load_dataset
from playground.project import Project
from playground.trainer import ConfigError, TrainConfig, Trainer

TINY_CNN = NetworkSpec.from_dict(
    {
        "name": "TinyCNN",
        "input_shape": [1, 8, 8],
        "layers": [
            {"type": "conv2d", "filters": 4, "kernel_size": 3, "padding": 1},
            {"type": "batchnorm"},
            {"type": "relu"},
            {"type": "maxpool2d", "pool_size": 2, "stride": 2},
            {"type": "flatten"},
            {"type": "dropout", "rate": 0.3},
            {"type": "dense", "units": 3},
        ],
    }
)

TINY_BN_MLP = NetworkSpec.from_dict(
    {
        "input_shape": [2],
        "layers": [
            {"type": "dense", "units": 8},
            {"type": "batchnorm"},
            {"type": "relu"},
            {"type": "dense", "units": 2},
        ],
    }
)


def bars(n=120, seed=0):
    """8x8 noisy images of three classes: a bright horizontal bar at row 2, 4 or 6."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 3
    x = rng.random((n, 1, 8, 8), dtype=np.float32) * 0.3
    for k in range(3):
        x[y == k, 0, 2 + 2 * k, :] += 0.7
    return Dataset("bars", x, y.astype(np.int64))


def train(trainer, stop_after=None):
    """Drive the generator like the GUI does; return the reports."""
    reports = []
    for report in trainer.run():
        reports.append(report)
        if report.step == stop_after:
            break
    return reports


@pytest.mark.parametrize("name", ["spiral", "circles", "xor", "gaussians", "moons"])
def test_toy_sets_are_learned(name):
    project = Project.from_preset("toy_spiral")
    if name != "spiral":
        project.config = project.config.replace(epochs=30)
    trainer = project.trainer(load_dataset(name))
    reports = train(trainer)
    assert reports[-1].val_accuracy >= 0.95
    project.update(trainer)
    assert project.evaluate(load_dataset(name)).accuracy >= 0.95


def test_reports_count_steps_and_carry_details_on_the_slow_cadence():
    data = bars()
    trainer = Trainer(
        Project(TINY_CNN).network.copy(),
        data,
        TrainConfig(epochs=2, batch_size=16, lr=0.01),
        detail_every=4,
    )
    reports = train(trainer)
    per_epoch = trainer.steps_per_epoch
    assert per_epoch == 7  # 108 training samples in batches of 16
    assert [r.step for r in reports] == list(range(1, 2 * per_epoch + 1))
    assert [r.epoch for r in reports] == [1] * per_epoch + [2] * per_epoch
    first = reports[0]
    assert set(first.grad_norms) == {0, 1, 6}
    assert all(np.isfinite(v) and v > 0 for v in first.grad_norms.values())
    assert not first.has_details and first.val_loss is None and first.filters is None
    detailed = [r.step for r in reports if r.has_details]
    assert detailed == [4, 7, 8, 12, 14]
    end = reports[per_epoch - 1]
    assert end.confusion.shape == (3, 3) and end.confusion.sum() == len(trainer.val_set)
    assert np.trace(end.confusion) / len(trainer.val_set) == pytest.approx(end.val_accuracy)
    counts, edges = end.weight_histograms["6.W"]
    assert counts.sum() == 64 * 3 and len(edges) == len(counts) + 1
    assert set(end.filters) == {0} and end.filters[0].shape == (4, 1, 3, 3)
    assert not np.array_equal(end.filters[0], trainer.net.params["0.W"])  # a snapshot
    assert trainer.history.val_step == detailed
    assert len(trainer.history.loss) == 2 * per_epoch
    assert reports[-1].val_accuracy > 0.9


def test_learning_rate_schedules():
    per_epoch = 10
    constant = TrainConfig(lr=0.1, epochs=4)
    assert constant.lr_at(35, per_epoch) == 0.1
    step = TrainConfig(lr=0.1, schedule="step", lr_decay=0.5, lr_step_epochs=2, epochs=6)
    assert [step.lr_at(s, per_epoch) for s in (0, 19, 20, 40)] == [0.1, 0.1, 0.05, 0.025]
    exponential = TrainConfig(lr=0.1, schedule="exponential", lr_decay=0.5, epochs=4)
    assert exponential.lr_at(15, per_epoch) == pytest.approx(0.1 * 0.5**1.5)
    cosine = TrainConfig(lr=0.1, schedule="cosine", epochs=4)
    assert cosine.lr_at(0, per_epoch) == 0.1
    assert cosine.lr_at(20, per_epoch) == pytest.approx(0.05)
    trainer = Trainer(Project(TINY_CNN).network.copy(), bars(), cosine.replace(batch_size=16))
    lrs = [r.lr for r in train(trainer)]
    assert lrs[0] == 0.1 and all(a > b for a, b in zip(lrs, lrs[1:], strict=False))


def test_shifted_images_are_crops_of_the_edge_padded_originals():
    trainer = Trainer(Project(TINY_CNN).network.copy(), bars(), TrainConfig(shift=2))
    index = np.arange(12)
    batch = trainer._batch(index)
    assert batch.shape == (12, 1, 8, 8)
    np.testing.assert_array_equal(batch, trainer._batch(index))  # seeded by (seed, step)
    originals = trainer._x[index]
    padded = np.pad(originals, ((0, 0), (0, 0), (2, 2), (2, 2)), mode="edge")
    for i in range(12):
        assert any(
            np.array_equal(batch[i], padded[i, :, dy : dy + 8, dx : dx + 8])
            for dy in range(5)
            for dx in range(5)
        )
    assert not np.array_equal(batch, originals)


def test_an_absurd_learning_rate_stops_training_and_keeps_the_last_good_weights():
    project = Project.from_preset("toy_spiral")
    project.config = project.config.replace(optimizer="sgd", lr=1e8)
    trainer = project.trainer()
    good = None
    with pytest.raises(TrainingError, match=r"layer \d+ \((dense|relu)\)") as caught:
        for report in trainer.run():
            good = {k: v.copy() for k, v in trainer.net.params.items()}
            good_step = report.step
    assert good is not None and trainer.step == good_step
    assert f"step {good_step + 1}" in str(caught.value)
    for key, value in trainer.net.params.items():
        np.testing.assert_array_equal(value, good[key])
    assert len(trainer.history.loss) == good_step


def test_a_non_finite_gradient_is_traced_to_its_layer(monkeypatch):
    trainer = moons_trainer()
    dense = trainer.net.layers[0]
    original = dense.backward
    calls = []

    def poisoned(dout, input_grad=True):
        dx = original(dout, input_grad)
        calls.append(1)
        if len(calls) >= 3:
            dense.grads["W"] = dense.grads["W"] * np.float32(np.nan)
        return dx

    monkeypatch.setattr(dense, "backward", poisoned)
    assert_stops_at_step_2_unchanged(
        trainer,
        r"gradient in layer 0 \(dense\) became not finite",
        lambda: {**trainer.net.params, **trainer.net.state},
    )


def test_a_non_finite_forward_pass_names_the_layer_and_restores_running_statistics(monkeypatch):
    trainer = moons_trainer()
    relu = trainer.net.layers[2]
    original = relu.forward
    calls = []

    def poisoned(x, train=False):
        out = original(x, train)
        calls.append(1)
        return out * np.float32(np.inf) if len(calls) >= 3 else out

    monkeypatch.setattr(relu, "forward", poisoned)
    assert_stops_at_step_2_unchanged(
        trainer, r"output of layer 2 \(relu\) is not finite", lambda: trainer.net.state
    )


def moons_trainer():
    return Trainer(
        Project(TINY_BN_MLP).network.copy(), load_dataset("moons"), TrainConfig(batch_size=32)
    )


def assert_stops_at_step_2_unchanged(trainer, error, arrays):
    """Train until TrainingError ``error``: it must come at step 2 and leave ``arrays()``
    as they were after the last good step."""
    snapshots = []
    with pytest.raises(TrainingError, match=error):
        for _ in trainer.run():
            snapshots.append({k: v.copy() for k, v in arrays().items()})
    assert trainer.step == 2
    for key, value in arrays().items():
        np.testing.assert_array_equal(value, snapshots[-1][key])


def uninterrupted(config, data):
    trainer = Project(TINY_CNN, config=config).trainer(data)
    train(trainer)
    return trainer


def assert_same_run(a, b):
    assert a.step == b.step
    for key, value in {**a.net.params, **a.net.state}.items():
        np.testing.assert_array_equal(value, {**b.net.params, **b.net.state}[key], err_msg=key)
    assert a.net.rng.bit_generator.state == b.net.rng.bit_generator.state
    np.testing.assert_allclose(a.history.loss, b.history.loss, rtol=1e-6)
    np.testing.assert_allclose(a.history.accuracy, b.history.accuracy, rtol=1e-6)
    np.testing.assert_allclose(a.history.val_accuracy, b.history.val_accuracy, rtol=1e-6)


RESUME_CONFIG = TrainConfig(
    optimizer="adam", lr=0.01, schedule="cosine", epochs=3, batch_size=16, shift=1, seed=5
)


def test_resuming_a_saved_project_continues_exactly(tmp_path):
    data = bars()
    whole = uninterrupted(RESUME_CONFIG, data)

    project = Project(TINY_CNN, config=RESUME_CONFIG)
    first = project.trainer(data)
    train(first, stop_after=10)  # mid-epoch: 7 steps per epoch
    project.update(first)
    project.save(tmp_path / "half.nnp")

    resumed = Project.load(tmp_path / "half.nnp").trainer(data)
    assert resumed.step == 10
    train(resumed)
    assert_same_run(whole, resumed)


def test_pausing_the_generator_and_running_again_continues_exactly():
    data = bars()
    whole = uninterrupted(RESUME_CONFIG, data)
    trainer = Project(TINY_CNN, config=RESUME_CONFIG).trainer(data)
    train(trainer, stop_after=4)
    train(trainer, stop_after=5)  # single step
    train(trainer)
    assert_same_run(whole, trainer)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"batch_size": 0}, "batch_size 0 must be >= 1"),
        ({"lr": -1}, "lr -1.0 must be > 0"),
        ({"lr": float("nan")}, "lr nan must be finite"),
        ({"epochs": True}, "epochs True must be a number, not bool"),
        ({"epochs": 2.5}, "epochs 2.5 must be a whole number"),
        ({"validation_fraction": 1}, "validation_fraction 1.0 must be < 1"),
        ({"schedule": "linear"}, "schedule 'linear' is not one of"),
        ({"optimizer": "lbfgs"}, "optimizer 'lbfgs' is not one of"),
        ({"optimizer_settings": {"momentum": 0.9}}, "adam has no setting 'momentum'"),
        ({"optimizer_settings": {"beta1": 5}}, "beta1 5.0 must be < 1"),
        ({"optimizer_settings": {"eps": 0}}, "eps 0.0 must be > 0"),
        ({"optimizer": "momentum", "optimizer_settings": {"momentum": -0.5}}, "must be >= 0"),
        ({"optimizer": "rmsprop", "optimizer_settings": {"decay": 1}}, "decay 1.0 must be < 1"),
    ],
)
def test_invalid_settings_are_refused_by_name(changes, message):
    with pytest.raises(ConfigError, match=message) as caught:
        TrainConfig(**changes)
    assert isinstance(caught.value, ValueError) and isinstance(caught.value, TrainingError)


def test_config_round_trips_through_a_dict():
    config = TrainConfig(optimizer="momentum", optimizer_settings={"momentum": 0.8}, shift=2)
    assert TrainConfig.from_dict(config.to_dict()) == config
    assert config.make_optimizer().hyper["momentum"] == 0.8
    with pytest.raises(ConfigError, match="unknown setting 'momentum'"):
        TrainConfig.from_dict({"momentum": 0.9})


def test_data_that_does_not_fit_the_network_is_refused():
    net = Project.from_preset("toy_spiral").network.copy()
    with pytest.raises(DataError, match="shape 1x8x8, the network expects 2"):
        Trainer(net, bars(), TrainConfig())
    five_classes = Dataset("five", np.zeros((10, 2), np.float32), np.arange(10) % 5)
    with pytest.raises(DataError, match="5 classes, the network has 2 outputs"):
        Trainer(net, five_classes, TrainConfig())


def test_a_failure_names_its_layer_as_data():
    project = Project.from_preset("toy_spiral")
    project.config = project.config.replace(optimizer="sgd", lr=1e8)
    with pytest.raises(TrainingError) as caught:
        for _ in project.trainer().run():
            pass
    error = caught.value
    assert error.layer_index is not None and error.step >= 2
    assert f"layer {error.layer_index} (" in str(error)
    assert f"weights of step {error.step - 1}" in str(error)


def test_details_carry_health_figures_on_fixed_histogram_edges():
    project = Project.from_preset("toy_spiral")
    project.config = project.config.replace(epochs=3)
    details = [r for r in project.trainer(detail_every=5).run() if r.has_details]
    first, last = details[0], details[-1]
    layers = project.network.layers
    weighted = [i for i, layer in enumerate(layers) if layer.params]
    activations = [i for i, layer in enumerate(layers) if layer.is_activation]
    assert sorted(last.update_ratios) == weighted
    assert all(0 < r < 1 for r in last.update_ratios.values())
    assert sorted(last.inactive) == activations
    assert all(0 <= f <= 1 for f in last.inactive.values())
    for key, (counts, edges) in last.weight_histograms.items():
        np.testing.assert_array_equal(edges, first.weight_histograms[key][1])
        assert counts.sum() == project.network.params[key].size


def test_min_detail_seconds_thins_the_details_but_not_the_weights():
    project = Project.from_preset("toy_spiral")
    project.config = project.config.replace(epochs=2)
    every = project.trainer(detail_every=1)
    thinned = project.trainer(detail_every=1, min_detail_seconds=3600)
    all_reports = list(every.run())
    few = list(thinned.run())
    assert sum(r.has_details for r in all_reports) == len(all_reports)
    assert [r.step for r in few if r.has_details] == [1, len(few)]  # the first and the last
    for key, value in every.net.params.items():
        np.testing.assert_array_equal(thinned.net.params[key], value)


def test_report_details_next_details_one_step_off_the_cadence():
    project = Project.from_preset("toy_spiral")
    trainer = project.trainer(detail_every=1000, min_detail_seconds=3600)
    detailed = []
    for report in trainer.run():
        if report.has_details:
            detailed.append(report.step)
        if report.step == 5:
            trainer.report_details_next()
        if report.step == 9:
            break
    assert detailed == [6]  # only the asked-for step: the cadence gives none so soon


def test_a_network_with_non_finite_weights_is_refused_naming_the_layer():
    project = Project.from_preset("toy_spiral")
    net = project.network.copy()
    net.params["2.W"][0, 0] = np.nan
    with pytest.raises(TrainingError, match=r"layer 2 \(dense\) are not finite \(2.W holds NaN\)"):
        Trainer(net, load_dataset("spiral"), project.config)
