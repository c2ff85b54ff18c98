"""NetworkSpec: shape inference without data, SpecError messages, JSON round trip, edits."""

import json

import pytest

from playground import LAYER_TYPES, Network, NetworkSpec, SpecError
from playground.paths import preset_names, preset_path


def spec(input_shape, *layers, loss="softmax_cross_entropy"):
    return NetworkSpec.from_dict(
        {"input_shape": list(input_shape), "layers": list(layers), "loss": loss}
    )


# (input shape, layer config, expected output shape) for every registered layer type
SHAPE_CASES = {
    "dense": ((12,), {"type": "dense", "units": 7}, (7,)),
    "conv2d": (
        (3, 9, 8),
        {"type": "conv2d", "filters": 5, "kernel_size": 3, "stride": 2, "padding": 1},
        (5, 5, 4),
    ),
    "maxpool2d": ((4, 7, 6), {"type": "maxpool2d", "pool_size": 3, "stride": 2}, (4, 3, 2)),
    "avgpool2d": ((4, 8, 8), {"type": "avgpool2d", "pool_size": 2, "stride": 2}, (4, 4, 4)),
    "flatten": ((3, 4, 5), {"type": "flatten"}, (60,)),
    "relu": ((3, 4, 5), {"type": "relu"}, (3, 4, 5)),
    "leaky_relu": ((6,), {"type": "leaky_relu", "alpha": 0.2}, (6,)),
    "sigmoid": ((6,), {"type": "sigmoid"}, (6,)),
    "tanh": ((6,), {"type": "tanh"}, (6,)),
    "dropout": ((2, 3, 3), {"type": "dropout", "rate": 0.25}, (2, 3, 3)),
    "batchnorm": ((2, 3, 3), {"type": "batchnorm"}, (2, 3, 3)),
}


def test_every_layer_type_has_a_shape_case():
    assert set(SHAPE_CASES) == set(LAYER_TYPES)


@pytest.mark.parametrize("layer_type", sorted(LAYER_TYPES))
def test_shape_inference(layer_type):
    input_shape, config, expected = SHAPE_CASES[layer_type]
    s = spec(input_shape, config, loss="mse")
    assert s.infer_shapes() == [expected]


def test_simple_convnet_shapes_and_parameter_count():
    s = NetworkSpec.load(preset_path("simple_convnet"))
    assert s.infer_shapes() == [
        (30, 24, 24),
        (30, 24, 24),
        (30, 12, 12),
        (4320,),
        (100,),
        (100,),
        (10,),
    ]
    assert s.param_count == 30 * 25 + 30 + 4320 * 100 + 100 + 100 * 10 + 10


@pytest.mark.parametrize(
    "input_shape, layers, loss, expected",
    [
        (
            (1, 4, 4),
            [{"type": "conv2d", "filters": 2, "kernel_size": 7}],
            "mse",
            "layer 0 (conv2d): kernel_size 7 does not fit input 4x4 (padding 0)",
        ),
        (
            (1, 8, 8),
            [{"type": "relu"}, {"type": "dense", "units": 10}],
            "mse",
            "layer 1 (dense): input 1x8x8 is not flat: add a flatten layer before it",
        ),
        ((4,), [{"type": "dense", "units": 0}], "mse", "layer 0 (dense): units 0 must be >= 1"),
        ((4,), [{"type": "dense"}], "mse", "layer 0 (dense): missing field 'units'"),
        (
            (1, 8, 8),
            [{"type": "maxpool2d", "pool_size": 2, "stride": -1}],
            "mse",
            "layer 0 (maxpool2d): stride -1 must be >= 1",
        ),
        (
            (1, 8, 8),
            [{"type": "conv2d", "filters": 2, "kernel_size": 2.5}],
            "mse",
            "layer 0 (conv2d): kernel_size 2.5 must be a whole number",
        ),
        (
            (4,),
            [{"type": "dense", "units": 3, "activation": "relu"}],
            "mse",
            "layer 0 (dense): unknown field 'activation' (allowed: units)",
        ),
        (
            (4,),
            [{"type": "dropout", "rate": 1.0}],
            "mse",
            "layer 0 (dropout): rate 1.0 must be < 1",
        ),
        (
            (1, 2, 2),
            [{"type": "avgpool2d", "pool_size": 3}],
            "mse",
            "layer 0 (avgpool2d): pool_size 3 does not fit input 2x2",
        ),
        (
            (4,),
            [{"type": "conv2d", "filters": 1, "kernel_size": 1}],
            "mse",
            "layer 0 (conv2d): needs an image",
        ),
        (
            (1, 4, 4),
            [{"type": "relu"}],
            "softmax_cross_entropy",
            "loss softmax_cross_entropy needs at least 2 flat class scores",
        ),
    ],
)
def test_spec_errors_name_the_layer_and_value(input_shape, layers, loss, expected):
    with pytest.raises(SpecError) as caught:
        spec(input_shape, *layers, loss=loss).infer_shapes()
    assert expected in str(caught.value)


def test_spec_error_carries_location_fields():
    s = spec(
        (1, 4, 4), {"type": "relu"}, {"type": "conv2d", "filters": 2, "kernel_size": 7}, loss="mse"
    )
    with pytest.raises(SpecError) as caught:
        s.infer_shapes()
    err = caught.value
    assert (err.layer_index, err.layer_type, err.field, err.value) == (
        1,
        "conv2d",
        "kernel_size",
        7,
    )
    assert isinstance(err, ValueError)


@pytest.mark.parametrize(
    "d, expected",
    [
        ({"input_shape": [4], "layers": [{"type": "magic"}]}, "layer 0: unknown type 'magic'"),
        ({"input_shape": [4], "layers": ["dense"]}, "layer 0: must be an object with a 'type'"),
        ({"input_shape": [0, 3]}, "input_shape [0, 3] must be"),
        ({"layers": []}, "missing field 'input_shape'"),
        ({"input_shape": [4], "loss": "hinge"}, "unknown loss 'hinge'"),
        ({"input_shape": [4], "format_version": 2}, "format_version 2 is not supported"),
        ({"input_shape": [4], "layers": {}}, "layers must be a list"),
    ],
)
def test_malformed_specs_are_refused(d, expected):
    with pytest.raises(SpecError, match=expected.replace("[", r"\[").replace("]", r"\]")):
        NetworkSpec.from_dict(d)


def test_check_reports_every_layer_without_raising():
    s = spec(
        (1, 8, 8),
        {"type": "conv2d", "filters": 2, "kernel_size": 3},
        {"type": "dense", "units": 0},
        {"type": "relu"},
    )
    checks = s.check()
    assert checks[0].output_shape == (2, 6, 6) and checks[0].error is None
    assert checks[0].param_count == 2 * 9 + 2
    assert "units 0" in str(checks[1].error)
    assert checks[2].output_shape is None and checks[2].error is None
    assert not s.is_valid


@pytest.mark.parametrize("name", preset_names())
def test_presets_are_valid_and_round_trip(name, tmp_path):
    s = NetworkSpec.load(preset_path(name))
    assert s.is_valid
    s.save(tmp_path / "copy.json")
    again = NetworkSpec.load(tmp_path / "copy.json")
    assert again == s
    assert again.to_dict() == s.to_dict()
    assert NetworkSpec.from_dict(json.loads(json.dumps(s.to_dict()))) == s


def test_presets_include_the_design_names():
    assert {"mlp", "simple_convnet", "deep_cnn", "two_layer_sigmoid", "toy_spiral"} <= set(
        preset_names()
    )


def test_load_refuses_invalid_json(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"input_shape": [4], "layers": [')
    with pytest.raises(SpecError, match="broken.json is not valid JSON"):
        NetworkSpec.load(path)


def test_edits_return_new_specs():
    s = spec((4,), {"type": "dense", "units": 3})
    grown = s.insert_layer(0, {"type": "dense", "units": 5}).insert_layer(1, {"type": "relu"})
    assert [c["type"] for c in grown.layers] == ["dense", "relu", "dense"]
    assert [c["type"] for c in grown.move_layer(2, 0).layers] == ["dense", "dense", "relu"]
    assert grown.remove_layer(1).layers == (
        {"type": "dense", "units": 5},
        {"type": "dense", "units": 3},
    )
    assert grown.replace_layer(0, {"type": "dense", "units": 9}).infer_shapes()[0] == (9,)
    assert len(s.layers) == 1  # the original is unchanged


@pytest.mark.parametrize(
    "d, expected",
    [
        ({"input_shape": [4], "loss": ["mse"]}, "unknown loss ['mse']"),
        ({"input_shape": [4], "layers": [{"type": ["dense"]}]}, "layer 0: unknown type ['dense']"),
        ({"input_shape": [4], "layers": [{"type": {"a": 1}}]}, "layer 0: unknown type {'a': 1}"),
        ({"input_shape": [4], "name": ["x"]}, "name ['x'] must be a string"),
    ],
)
def test_values_of_the_wrong_json_type_are_spec_errors(d, expected):
    with pytest.raises(SpecError) as caught:
        NetworkSpec.from_dict(d)
    assert str(caught.value).startswith(expected)


def test_a_whole_spec_error_has_no_prefix():
    s = spec((1, 4, 4), {"type": "relu"}, loss="softmax_cross_entropy")
    assert str(s.errors()[0]).startswith("loss softmax_cross_entropy needs at least 2")


@pytest.mark.parametrize(
    "input_shape, layers, expected",
    [
        (
            (784,),
            [{"type": "dense", "units": 10**12}],
            "layer 0 (dense): output 1000000000000 holds 1,000,000,000,000 values per sample, "
            "more than the limit of 20,000,000",
        ),
        (
            (784,),
            [{"type": "dense", "units": 10**400}],
            "layer 0 (dense): output holds about 1e400 values per sample",
        ),
        (
            (784,),
            [{"type": "dense", "units": 40_000}, {"type": "dense", "units": 10_000}],
            "layer 1 (dense): 400,010,000 parameters bring the network to 431,410,000, "
            "more than the limit of 50,000,000",
        ),
        (
            (3, 2000, 2000),
            [{"type": "conv2d", "filters": 64, "kernel_size": 3, "padding": 1}],
            "layer 0 (conv2d): output 64x2000x2000 holds 256,000,000 values per sample",
        ),
    ],
)
def test_absurd_sizes_are_refused_before_anything_is_allocated(input_shape, layers, expected):
    s = spec(input_shape, *layers, loss="mse")
    with pytest.raises(SpecError) as caught:
        Network.from_spec(s)
    assert str(caught.value).startswith(expected)


def test_an_absurd_input_shape_is_refused():
    with pytest.raises(SpecError) as caught:
        NetworkSpec.from_dict({"input_shape": [1, 100_000, 100_000]})
    assert str(caught.value) == (
        "input_shape 1x100000x100000 holds 10,000,000,000 values per sample, "
        "more than the limit of 20,000,000"
    )
    assert caught.value.field == "input_shape"


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"", "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "is not a text file (it is a PNG image)"),
        ('{"name": "caf\u00e9"}'.encode("latin-1"), "is not a text file (it is binary data)"),
        (b"[1, 2]", "holds a JSON list, not an object"),
        (b'{"hello": 1}', "has no input_shape or layers"),
    ],
)
def test_files_that_are_not_specs_say_what_they_are(tmp_path, content, expected):
    path = tmp_path / "net.json"
    path.write_bytes(content)
    with pytest.raises(SpecError) as caught:
        NetworkSpec.load(path)
    assert str(caught.value) == f"{path} {expected}"
