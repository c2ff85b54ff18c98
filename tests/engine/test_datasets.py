"""The built-in datasets: the bundled digits, the 2-D toy sets, and the train/validation split."""

import socket

import numpy as np
import pytest

from playground.datasets import BUILTIN_NAMES, Dataset, load_dataset
from playground.datasets.toy import TOY_SETS
from playground.errors import DataError


def test_builtin_names():
    assert BUILTIN_NAMES == (
        "digits",
        "handwriting",
        "digits+handwriting",
        "spiral",
        "circles",
        "xor",
        "gaussians",
        "moons",
    )


def test_digits_are_5000_mnist_images_in_unit_range_offline(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the bundled digits must load without the network")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    data = load_dataset("digits")
    assert data.x.shape == (5000, 1, 28, 28) and data.x.dtype == np.float32
    assert data.y.shape == (5000,) and data.y.dtype == np.int64
    assert 0 <= data.x.min() and data.x.max() <= 1 and data.x.max() > 0.99
    np.testing.assert_array_equal(np.bincount(data.y), np.full(10, 500))
    assert data.class_names == tuple("0123456789") and data.is_image


@pytest.mark.parametrize("name", sorted(TOY_SETS))
def test_toy_set_shapes_and_both_classes(name):
    data = load_dataset(name, n=200)
    assert data.x.shape == (200, 2) and data.x.dtype == np.float32
    assert data.y.dtype == np.int64 and set(np.unique(data.y)) == {0, 1}
    assert np.abs(data.x).max() < 2


@pytest.mark.parametrize("name", sorted(TOY_SETS))
def test_toy_set_is_deterministic_per_seed_and_noise(name):
    first = load_dataset(name, seed=3, noise=0.1)
    again = load_dataset(name, seed=3, noise=0.1)
    np.testing.assert_array_equal(first.x, again.x)
    np.testing.assert_array_equal(first.y, again.y)
    assert not np.array_equal(first.x, load_dataset(name, seed=4, noise=0.1).x)
    assert not np.array_equal(first.x, load_dataset(name, seed=3, noise=0.3).x)


def test_more_noise_spreads_the_points_further():
    quiet = load_dataset("circles", seed=0, noise=0.0)
    loud = load_dataset("circles", seed=0, noise=0.3)
    radius = [np.linalg.norm(d.x[d.y == 0], axis=1).max() for d in (quiet, loud)]
    assert radius[0] <= 0.45 + 1e-6 < radius[1]


def test_split_is_deterministic_disjoint_and_stratified():
    data = load_dataset("digits")
    train, val = data.split(0.2, seed=7)
    train_again, val_again = data.split(0.2, seed=7)
    np.testing.assert_array_equal(val.x, val_again.x)
    np.testing.assert_array_equal(train.y, train_again.y)
    assert len(train) == 4000 and len(val) == 1000
    np.testing.assert_array_equal(np.bincount(val.y), np.full(10, 100))
    assert train.class_names == val.class_names == data.class_names
    _, other_val = data.split(0.2, seed=8)
    assert not np.array_equal(val.x, other_val.x)


def test_split_covers_every_sample_once():
    y = np.arange(101) % 3
    data = Dataset("t", np.arange(101, dtype=np.float32)[:, None], y.astype(np.int64))
    train, val = data.split(0.3, seed=1)
    together = np.sort(np.concatenate([train.x[:, 0], val.x[:, 0]]))
    np.testing.assert_array_equal(together, np.arange(101))
    assert np.array_equal(np.bincount(val.y), [10, 10, 10])


@pytest.mark.parametrize("fraction", [-0.1, 1.0])
def test_split_refuses_a_fraction_out_of_range(fraction):
    with pytest.raises(DataError, match="validation fraction"):
        load_dataset("xor").split(fraction)
