"""Every layer type and loss has its rule: words, formulas with the event's shapes, the code."""

from __future__ import annotations

import numpy as np

from playground import LAYER_TYPES, LOSSES, Network, NetworkSpec
from playground.trace import LossStep
from ui.stepthrough.rules import LAYER_FORMULAS, LOSS_FORMULAS, rule

EVERY_LAYER = {
    "input_shape": [2, 8, 8],
    "layers": [
        {"type": "conv2d", "filters": 3, "kernel_size": 3, "stride": 2, "padding": 1},
        {"type": "batchnorm"},
        {"type": "leaky_relu", "alpha": 0.2},
        {"type": "avgpool2d", "pool_size": 2, "stride": 1},
        {"type": "relu"},
        {"type": "maxpool2d", "pool_size": 2, "stride": 1},
        {"type": "flatten"},
        {"type": "dense", "units": 5},
        {"type": "sigmoid"},
        {"type": "dropout", "rate": 0.25},
        {"type": "tanh"},
        {"type": "dense", "units": 3},
    ],
}


def test_every_layer_type_and_loss_has_formulas():
    assert set(LAYER_FORMULAS) == set(LAYER_TYPES)
    assert set(LOSS_FORMULAS) == set(LOSSES)


def test_every_event_of_a_pass_has_its_rule_with_its_shapes():
    for loss in LOSSES:
        spec = NetworkSpec.from_dict({**EVERY_LAYER, "loss": loss})
        net = Network.from_spec(spec)
        assert {c["type"] for c in spec.layers} == set(LAYER_TYPES)
        steps = net.trace(np.random.default_rng(0).standard_normal((2, 2, 8, 8)), np.array([0, 2]))
        for step in steps:
            layer = None if isinstance(step, LossStep) else net.layers[step.index]
            found = rule(step, layer)
            assert found.words and found.formulas and found.code.startswith("def "), step.title
        conv_backward = rule(steps[-1], net.layers[0])
        assert "→ 3×2×3×3" in conv_backward.formulas[0]  # dW's shape
        assert "2i+u,2j+v" in conv_backward.formulas[0]  # stride 2
        assert "def conv2d_backward" in conv_backward.code
        dense_forward = rule(steps[7], net.layers[7])
        assert dense_forward.formulas == ("out = x · W + b:  (2×12)·(12×5) + (5) → 2×5",)
        loss_rule = rule(steps[len(spec.layers)])
        assert loss_rule.code.count("def ") == 2  # the loss's forward and backward
