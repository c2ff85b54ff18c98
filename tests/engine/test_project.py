"""Project files: round trips, specs and presets, atomic saves, refusing damaged files."""

import io
import json
import os
import zipfile

import numpy as np
import pytest

from playground import DataError, NetworkSpec, ProjectError
from playground.datasets import load_dataset
from playground.paths import preset_names, preset_path, resources_dir
from playground.project import Project, default_project


@pytest.fixture(scope="module")
def trained():
    project = Project.from_preset("toy_spiral")
    project.config = project.config.replace(epochs=5)
    trainer = project.trainer()
    for _ in trainer.run():
        pass
    project.update(trainer)
    return project


@pytest.fixture
def saved(trained, tmp_path):
    path = tmp_path / "spiral.nnp"
    trained.save(path)
    return path


def test_save_then_load_gives_identical_weights_and_predictions(trained, saved):
    again = Project.load(saved)
    assert again.spec == trained.spec and again.config == trained.config
    assert again.dataset == "spiral" and again.normalization == trained.normalization
    assert again.step == trained.step == 5 * trained.steps_per_epoch
    assert again.rng_state == trained.rng_state
    assert set(again.weights) == set(trained.weights)
    for key, value in trained.weights.items():
        assert again.weights[key].dtype == np.float32
        np.testing.assert_array_equal(again.weights[key], value)
    for key, value in trained.optimizer_state["arrays"].items():
        np.testing.assert_array_equal(again.optimizer_state["arrays"][key], value)
    assert again.optimizer_state["steps"] == trained.optimizer_state["steps"]
    np.testing.assert_allclose(again.history.loss, trained.history.loss, rtol=1e-6)
    assert again.history.val_step == trained.history.val_step
    x = load_dataset("spiral").x
    np.testing.assert_array_equal(again.predict(x), trained.predict(x))


def test_predict_applies_the_projects_own_normalisation(trained):
    x = load_dataset("spiral").x
    probabilities = trained.predict(x)
    assert probabilities.shape == (len(x), 2)
    expected = trained.network.predict(trained.normalization.apply(x))
    np.testing.assert_array_equal(probabilities, expected)


def test_an_untrained_project_round_trips_with_its_seeded_network(tmp_path):
    spec = NetworkSpec.load(preset_path("mlp"))
    Project(spec).save(tmp_path / "new.nnp")
    again = Project.load(tmp_path / "new.nnp")
    assert again.weights is None and again.step == 0 and again.dataset is None
    for key, value in Project(spec).network.params.items():
        np.testing.assert_array_equal(again.network.params[key], value)


def test_a_spec_json_and_a_preset_open_as_untrained_projects(tmp_path):
    spec = NetworkSpec.load(preset_path("two_layer_sigmoid"))
    spec.save(tmp_path / "mine.json")
    mine = Project.load(tmp_path / "mine.json")
    assert mine.spec == spec and mine.weights is None and mine.dataset is None
    preset = Project.load(preset_path("simple_convnet"))
    assert preset.spec.name == "SimpleConvNet" and preset.dataset == "digits"
    assert preset.config.shift > 0


def test_every_preset_has_default_training_that_fits_its_data():
    defaults = json.loads((resources_dir() / "preset_training.json").read_text())
    assert set(defaults) == set(preset_names())
    for name in preset_names():
        project = Project.from_preset(name)
        sample = load_dataset(project.dataset, **project.dataset_options)
        assert sample.sample_shape == project.spec.input_shape, name
        assert sample.num_classes == project.spec.output_shape[0], name


def test_the_network_is_rebuilt_when_the_weights_change(trained):
    project = Project(trained.spec)
    untrained = project.network
    assert project.network is untrained
    project.weights = trained.weights
    np.testing.assert_array_equal(project.network.params["0.W"], trained.weights["0.W"])


def test_saving_leaves_no_temporary_files_and_equal_projects_give_equal_files(trained, tmp_path):
    trained.save(tmp_path / "a.nnp")
    trained.save(tmp_path / "a.nnp")
    assert os.listdir(tmp_path) == ["a.nnp"]
    Project.load(tmp_path / "a.nnp").save(tmp_path / "b.nnp")
    assert (tmp_path / "a.nnp").read_bytes() == (tmp_path / "b.nnp").read_bytes()


@pytest.mark.parametrize("failure", [OSError(28, "No space left on device"), KeyboardInterrupt])
def test_a_failed_save_leaves_the_original_whole(saved, monkeypatch, failure):
    before = saved.read_bytes()

    def half_written(self, f):
        f.write(before[: len(before) // 2])
        raise failure

    monkeypatch.setattr(Project, "_write", half_written)
    expected = ProjectError if isinstance(failure, OSError) else KeyboardInterrupt
    with pytest.raises(expected):
        Project.load(saved).save(saved)
    assert saved.read_bytes() == before
    assert os.listdir(saved.parent) == [saved.name]


def rewrite_meta(data: bytes, **changes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            content = src.read(item)
            if item.filename == "project.json":
                content = json.dumps({**json.loads(content), **changes}).encode()
            dst.writestr(item, content)
    return out.getvalue()


def add_pickled_member(data: bytes) -> bytes:
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a") as zf, zf.open("weights/9.W.npy", "w") as member:
        np.lib.format.write_array(member, np.array([{"x": 1}], dtype=object), allow_pickle=True)
    return out.getvalue()


def foreign_zip(_: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


DAMAGE = {
    "empty": (lambda data: b"", "neither an NN Playground project"),
    "garbage": (lambda data: os.urandom(300), "neither an NN Playground project"),
    "truncated": (lambda data: data[: len(data) // 2], "cannot read project"),
    "bit flip": (lambda data: data[:200] + bytes([data[200] ^ 0xFF]) + data[201:], "cannot read"),
    "foreign zip": (foreign_zip, "not an NN Playground project"),
    "foreign json": (lambda data: b'{"hello": "world"}', "neither an NN Playground project"),
    "newer version": (
        lambda data: rewrite_meta(data, format_version=99),
        "format version 99; this version reads 1",
    ),
    "wrong format id": (lambda data: rewrite_meta(data, format="x"), "wrong format id"),
    "bad config": (lambda data: rewrite_meta(data, config={"lr": -1}), "lr -1.0 must be > 0"),
    "pickled array": (add_pickled_member, "Object arrays cannot be loaded"),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_damaged_or_foreign_files_are_refused_and_left_alone(saved, damage):
    make, message = DAMAGE[damage]
    data = make(saved.read_bytes())
    saved.write_bytes(data)
    with pytest.raises(ProjectError) as caught:
        Project.load(saved)
    text = str(caught.value)
    assert str(saved) in text
    assert message in text
    assert saved.read_bytes() == data


def test_a_missing_file_is_a_project_error(tmp_path):
    with pytest.raises(ProjectError, match="cannot open .*nothing.nnp"):
        Project.load(tmp_path / "nothing.nnp")


def test_the_default_model_recognises_the_validation_digits():
    project = default_project()
    assert project.spec.name == "SimpleConvNet" and project.dataset == "digits"
    _, validation = load_dataset("digits").split(
        project.config.validation_fraction, project.config.seed
    )
    assert project.evaluate(validation).accuracy >= 0.98


def replace_member(data: bytes, member: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, content if item.filename == member else src.read(item))
    return out.getvalue()


def npy_header(shape, dtype="<f4") -> bytes:
    out = io.BytesIO()
    header = {"descr": dtype, "fortran_order": False, "shape": shape}
    np.lib.format.write_array_header_1_0(out, header)
    return out.getvalue()


@pytest.mark.parametrize(
    "content, expected",
    [
        (
            npy_header((1_000_000, 1_000_000)),
            "weights/0.W.npy declares 1000000x1000000 float32 (4.0 TB), "
            "more than the limit of 2.1 GB",
        ),
        (
            npy_header((10**30,), "<f8"),
            "weights/0.W.npy declares 1000000000000000000000000000000 float64 "
            "(about 1e30 bytes), more than the limit of 2.1 GB",
        ),
        (
            npy_header((2, 32)) + bytes(100),
            "weights/0.W.npy declares 2x32 float32 (256 bytes) but holds 100 bytes",
        ),
    ],
)
def test_a_member_declaring_an_absurd_size_is_refused_before_allocating(saved, content, expected):
    saved.write_bytes(replace_member(saved.read_bytes(), "weights/0.W.npy", content))
    with pytest.raises(ProjectError) as caught:
        Project.load(saved)
    assert str(caught.value) == f"cannot read project {saved}: {expected}"


@pytest.mark.parametrize("bad, what", [(np.nan, "NaN"), (np.inf, "infinite values")])
def test_weights_that_are_not_finite_are_named_on_load(trained, tmp_path, bad, what):
    weights = {k: v.copy() for k, v in trained.weights.items()}
    weights["2.W"][0, 0] = bad
    path = tmp_path / "broken.nnp"
    Project(trained.spec, config=trained.config, weights=weights).save(path)
    with pytest.raises(ProjectError) as caught:
        Project.load(path)
    assert str(caught.value) == (
        f"{path}: the weights of layer 2 (dense) are not finite (2.W holds {what}); "
        "the file holds no usable trained model"
    )


@pytest.mark.parametrize(
    "changes, expected",
    [
        ({"step": "abc"}, "project.json: step 'abc' must be a whole number >= 0"),
        ({"step": 2.5}, "project.json: step 2.5 must be a whole number >= 0"),
        ({"steps_per_epoch": True}, "project.json: steps_per_epoch True must be a whole number"),
        ({"dataset_options": [1]}, "project.json: dataset_options [1] must be an object"),
        ({"train_seconds": "1"}, "project.json: train_seconds '1' must be a number"),
        ({"spec": None}, "project.json: spec None must be an object"),
        ({"optimizer": {"name": "adam", "steps": "x"}}, "optimizer.steps 'x' must be a whole"),
    ],
)
def test_a_wrong_value_in_project_json_names_its_field(saved, changes, expected):
    saved.write_bytes(rewrite_meta(saved.read_bytes(), **changes))
    with pytest.raises(ProjectError) as caught:
        Project.load(saved)
    assert str(caught.value).startswith(f"cannot read project {saved}: ")
    assert expected in str(caught.value)


def test_a_spec_file_with_one_bad_layer_names_that_layer(tmp_path):
    path = tmp_path / "net.json"
    path.write_text(json.dumps({"input_shape": [4], "layers": [{"type": "conv3d"}]}))
    with pytest.raises(ProjectError) as caught:
        Project.load(path)
    assert str(caught.value).startswith(f"{path}: layer 0: unknown type 'conv3d' (choose from")


def test_a_binary_file_is_not_text_not_a_codec_error(tmp_path):
    path = tmp_path / "net.json"
    path.write_bytes(bytes(range(128, 256)))
    with pytest.raises(ProjectError) as caught:
        Project.load(path)
    assert str(caught.value) == (
        f"{path} is not a text file (it is binary data): "
        "it is neither an NN Playground project nor a network spec"
    )


def test_evaluating_data_of_another_shape_says_what_does_not_match(trained):
    with pytest.raises(DataError) as caught:
        default_project().evaluate(load_dataset("spiral"))
    assert str(caught.value) == (
        "the samples of dataset 'spiral' have shape 2, the network expects 1x28x28"
    )


def test_an_unknown_dataset_option_is_named(saved):
    saved.write_bytes(rewrite_meta(saved.read_bytes(), dataset_options={"colour": 1}))
    with pytest.raises(DataError) as caught:
        Project.load(saved).load_data()
    assert str(caught.value) == (
        "unknown dataset option 'colour' (the options are n, noise, seed, part, size)"
    )


def test_every_corrupted_copy_loads_or_is_a_project_error(saved, tmp_path):
    """Seeded byte damage: zip flags, compression methods, .npy headers, JSON — one error type."""
    data = saved.read_bytes()
    rng = np.random.default_rng(14)
    copy = tmp_path / "copy.nnp"
    for _ in range(400):
        damaged = bytearray(data)
        for at in rng.integers(0, len(data), rng.integers(1, 4)):
            damaged[at] = rng.integers(256)
        copy.write_bytes(damaged)
        try:
            Project.load(copy)
        except ProjectError:
            pass
