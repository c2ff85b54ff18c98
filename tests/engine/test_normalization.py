"""Normalisation: per-channel for images, per-feature for vectors, saved as plain JSON."""

import json

import numpy as np
import pytest

from playground.errors import DataError
from playground.normalization import Normalization


def test_images_are_standardised_per_channel():
    rng = np.random.default_rng(0)
    x = (rng.random((50, 3, 6, 6)) * [[[1]], [[4]], [[9]]] + [[[0]], [[2]], [[-5]]]).astype(
        np.float32
    )
    norm = Normalization.fit(x)
    assert norm.mean.shape == norm.std.shape == (3,)
    out = norm.apply(x)
    assert out.dtype == np.float32 and out.shape == x.shape
    np.testing.assert_allclose(out.mean(axis=(0, 2, 3)), 0, atol=1e-5)
    np.testing.assert_allclose(out.std(axis=(0, 2, 3)), 1, atol=1e-4)


def test_vectors_are_standardised_per_feature_and_constant_features_only_centred():
    x = np.array([[1, 10, 7], [3, 30, 7], [5, 50, 7]], np.float32)
    norm = Normalization.fit(x)
    out = norm.apply(x)
    np.testing.assert_allclose(out.mean(axis=0), 0, atol=1e-6)
    np.testing.assert_allclose(out.std(axis=0), [1, 1, 0], atol=1e-6)
    assert norm.std[2] == 1


def test_apply_leaves_its_input_alone():
    x = np.ones((4, 2), np.float32)
    Normalization(np.array([1, 1]), np.array([2, 2])).apply(x)
    assert (x == 1).all()


def test_round_trip_through_json_is_exact():
    rng = np.random.default_rng(1)
    norm = Normalization.fit(rng.random((20, 1, 5, 5), dtype=np.float32))
    again = Normalization.from_dict(json.loads(json.dumps(norm.to_dict())))
    assert again == norm
    assert again.mean.dtype == np.float32


def test_mismatched_samples_and_bad_statistics_are_refused():
    norm = Normalization(np.zeros(3), np.ones(3))
    with pytest.raises(DataError, match="3 channels"):
        norm.apply(np.zeros((2, 1, 4, 4), np.float32))
    with pytest.raises(DataError, match="std > 0"):
        Normalization(np.zeros(2), np.array([1.0, 0.0]))
    with pytest.raises(DataError, match="shape"):
        Normalization.fit(np.zeros((0, 2), np.float32))
