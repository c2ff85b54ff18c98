"""One input read layer by layer, and the saliency map in the units of the drawn pixels."""

from __future__ import annotations

import numpy as np
import pytest

from playground import default_project, load_dataset
from playground.reading import read, saliency


@pytest.fixture(scope="module")
def project():
    return default_project()


@pytest.fixture(scope="module")
def digit():
    return load_dataset("digits").x[1234]


def test_read_matches_predict_and_keeps_every_layer(project, digit):
    net = project.network.copy()
    reading = read(net, digit, project.normalization)
    np.testing.assert_allclose(reading.probabilities, project.predict(digit[None])[0], atol=1e-6)
    assert [o.index for o in reading.layers] == list(range(len(net.layers)))
    assert reading.layers[0].values.shape == (30, 24, 24)  # conv: one map per filter
    assert reading.layers[-1].values.shape == (10,)
    assert reading.top == int(np.argmax(reading.probabilities))


def _numeric(net, x, cls, pixel, normalization, h):
    """Central difference of class ``cls``'s score w.r.t. one raw input pixel."""
    up, down = x.astype(np.float64), x.astype(np.float64)
    up[pixel] += h
    down[pixel] -= h
    scores = [read(net, v, normalization).layers[-1].values[cls] for v in (up, down)]
    return (scores[0] - scores[1]) / (2 * h)


def test_saliency_is_the_score_gradient(project, digit):
    """Against central differences (float64 copy, no normalisation: exact enough)."""
    net = project.network.copy(dtype=np.float64)
    read(net, digit, None)
    grad = saliency(net, 3, None)
    assert grad.shape == digit.shape
    for pixel in [(0, 14, 14), (0, 10, 17), (0, 20, 8), (0, 5, 5)]:
        numeric = _numeric(net, digit, 3, pixel, None, 1e-4)
        assert grad[pixel] == pytest.approx(numeric, rel=1e-4, abs=1e-7)


def test_saliency_undoes_the_normalisation(project, digit):
    """In units of the drawn pixels: the gradient w.r.t. the normalised input over std."""
    norm = project.normalization
    net = project.network.copy(dtype=np.float64)
    read(net, norm.apply(digit[None])[0], None)
    per_normalised = saliency(net, 7, None)
    read(net, digit, norm)
    per_drawn = saliency(net, 7, norm)
    np.testing.assert_allclose(per_drawn, per_normalised / norm.std[0], rtol=1e-6)
    # and numerically, at a pixel inside the stroke (the normalisation is float32: larger h)
    numeric = _numeric(net, digit, 7, (0, 14, 14), norm, 1e-3)
    assert per_drawn[0, 14, 14] == pytest.approx(numeric, rel=1e-2)


def test_saliency_needs_a_forward_pass(project):
    net = project.network.copy()
    with pytest.raises(ValueError, match="forward pass"):
        saliency(net, 0, project.normalization)
