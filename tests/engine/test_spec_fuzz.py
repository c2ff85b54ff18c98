"""A seeded fuzz of specs: every mutated spec either builds or raises a located SpecError."""

import copy
import json
import math
import random

from playground import Network, NetworkSpec, SpecError
from playground.layers import LAYER_TYPES
from playground.paths import preset_names, preset_path

JUNK = [
    None,
    -1,
    0,
    0.5,
    -2.5,
    1e300,
    10**40,
    10**400,
    "",
    "dense",
    [],
    [1, 2],
    {},
    {"type": "relu"},
    math.nan,
    math.inf,
    True,
    False,
]
MUTATIONS = 3000


# Every layer type with every field set, so that each field gets mutated too.
EVERY_LAYER = {
    "input_shape": [1, 12, 12],
    "layers": [
        {"type": "conv2d", "filters": 2, "kernel_size": 3, "stride": 1, "padding": 1},
        {"type": "batchnorm", "momentum": 0.9, "eps": 1e-5},
        {"type": "leaky_relu", "alpha": 0.01},
        {"type": "maxpool2d", "pool_size": 2, "stride": 2},
        {"type": "avgpool2d", "pool_size": 2, "stride": 2},
        {"type": "tanh"},
        {"type": "flatten"},
        {"type": "dropout", "rate": 0.5},
        {"type": "dense", "units": 6},
        {"type": "sigmoid"},
        {"type": "relu"},
        {"type": "dense", "units": 3},
    ],
    "loss": "mse",
}


def test_the_catalogue_spec_covers_every_layer_type_and_field():
    layers = EVERY_LAYER["layers"]
    assert {layer["type"] for layer in layers} == set(LAYER_TYPES)
    for layer in layers:
        assert set(layer) - {"type"} == {f.name for f in LAYER_TYPES[layer["type"]].fields}
    NetworkSpec.from_dict(EVERY_LAYER).infer_shapes()


def presets() -> list[dict]:
    bases = [json.loads(preset_path(name).read_text()) for name in preset_names()]
    return [*bases, EVERY_LAYER]


def mutate(d: dict, rng: random.Random) -> dict:
    """One random change: a field of the spec or of a layer replaced by junk, a layer
    inserted, removed or replaced by junk, or a field added or removed."""
    d = copy.deepcopy(d)
    junk = copy.deepcopy(rng.choice(JUNK))
    layers = d.get("layers") if isinstance(d.get("layers"), list) else []
    objects = [layer for layer in layers if isinstance(layer, dict) and layer]
    shape = d.get("input_shape") if isinstance(d.get("input_shape"), list) else []
    kind = rng.randrange(6)
    if kind == 1 and objects:
        layer = rng.choice(objects)
        layer[rng.choice(sorted(layer))] = junk
    elif kind == 2:
        layers.insert(rng.randrange(len(layers) + 1), junk)
    elif kind == 3 and layers:
        del layers[rng.randrange(len(layers))]
    elif kind == 4 and layers:
        layers[rng.randrange(len(layers))] = copy.deepcopy(rng.choice(layers))  # a duplicate
    elif kind == 5 and shape:
        shape[rng.randrange(len(shape))] = junk
    else:
        d[rng.choice(["input_shape", "layers", "loss", "name", "format_version"])] = junk
    return d


def test_every_mutated_spec_builds_or_raises_a_spec_error_naming_layer_or_field():
    rng = random.Random(14)
    bases = presets()
    refused = 0
    for _ in range(MUTATIONS):
        d = mutate(rng.choice(bases), rng)
        for _ in range(rng.randrange(3)):  # sometimes two or three changes at once
            d = mutate(d, rng)
        try:
            spec = NetworkSpec.from_dict(d)
            spec.infer_shapes()
        except SpecError as exc:
            refused += 1
            located = exc.layer_index is not None or exc.field is not None
            assert located, f"{exc} (from {d!r})"
            if exc.layer_index is not None:
                assert str(exc).startswith(f"layer {exc.layer_index}")
            if exc.field is not None:
                assert exc.field in str(exc)
            continue
        Network.from_spec(spec)
    assert 0 < refused < MUTATIONS  # the fuzz exercises both outcomes
