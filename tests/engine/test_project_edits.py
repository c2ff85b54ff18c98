"""``Project.with_spec``: what training made survives an edit of the spec wherever it fits."""

import numpy as np
import pytest

from playground import NetworkSpec, Project, TrainConfig, load_dataset

LAYERS = [
    {"type": "dense", "units": 8},
    {"type": "tanh"},
    {"type": "dense", "units": 8},
    {"type": "tanh"},
    {"type": "dense", "units": 2},
]


@pytest.fixture(scope="module")
def trained() -> Project:
    spec = NetworkSpec.from_dict({"input_shape": [2], "layers": LAYERS, "name": "toy"})
    project = Project(spec, config=TrainConfig(epochs=1, batch_size=32, seed=3), dataset="xor")
    trainer = project.trainer(load_dataset("xor", n=200))
    for _ in trainer.run():
        pass
    return project.with_training(trainer)


def test_inserting_a_layer_keeps_every_trained_layer_at_its_new_index(trained):
    spec = trained.spec.insert_layer(0, {"type": "tanh"})
    edited = trained.with_spec(spec, [None, 0, 1, 2, 3, 4])
    for old, new in [(0, 1), (2, 3), (4, 5)]:
        for name in ("W", "b"):
            assert edited.weights[f"{new}.{name}"] is trained.weights[f"{old}.{name}"]
            for slot in ("m", "v"):
                key = f"{slot}/{new}.{name}"
                assert (
                    edited.optimizer_state["arrays"][key]
                    is (trained.optimizer_state["arrays"][f"{slot}/{old}.{name}"])
                )
    assert edited.step == trained.step and edited.history.loss == trained.history.loss
    np.testing.assert_allclose(edited.network.forward(np.zeros((1, 2), np.float32)).shape, (1, 2))


def test_a_layer_whose_shapes_change_is_initialised_from_the_seed_and_loses_its_state(trained):
    wider = dict(LAYERS[2], units=5)
    spec = trained.spec.replace_layer(2, wider)
    edited = trained.with_spec(spec)
    assert edited.weights["0.W"] is trained.weights["0.W"]  # untouched layer below
    fresh = Project(spec, config=trained.config).network.params
    # The edited layer and the one it feeds: a layer is kept whole or not at all.
    for key in ("2.W", "2.b", "4.W", "4.b"):
        np.testing.assert_array_equal(edited.weights[key], fresh[key])
        assert f"m/{key}" not in edited.optimizer_state["arrays"]


def test_removing_and_moving_layers_follow_the_sources(trained):
    removed = trained.with_spec(trained.spec.remove_layer(1), [0, 2, 3, 4])
    assert removed.weights["1.W"] is trained.weights["2.W"]
    moved = trained.with_spec(trained.spec.move_layer(3, 1), [0, 3, 1, 2, 4])
    assert moved.weights["3.W"] is trained.weights["2.W"]


def test_an_invalid_spec_carries_the_weights_until_it_is_valid_again(trained):
    broken = trained.spec.replace_layer(1, {"type": "conv2d", "filters": 2, "kernel_size": 3})
    assert not broken.is_valid
    carried = trained.with_spec(broken)
    back = carried.with_spec(trained.spec)
    for key, value in trained.weights.items():
        if not key.startswith("1."):
            np.testing.assert_array_equal(back.weights[key], value)


def test_untrained_keeps_the_setup_and_drops_what_training_made(trained):
    fresh = trained.untrained()
    assert fresh.weights is None and fresh.step == 0 and not fresh.history.loss
    assert fresh.config == trained.config and fresh.dataset == trained.dataset
