"""The user's own digits: saved one by one, atomically, and loaded as a dataset."""

from __future__ import annotations

import numpy as np
import pytest

from playground import DataError, load_dataset
from playground.datasets.handwriting import save_handwriting
from playground.paths import HANDWRITING_ENV, handwriting_dir


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """Never the user's real folder."""
    target = tmp_path / "handwriting"
    monkeypatch.setenv(HANDWRITING_ENV, str(target))
    return target


def _drawing(seed: int) -> np.ndarray:
    return np.random.default_rng(seed).random((1, 28, 28)).astype(np.float32)


def test_folder_is_under_the_user_data_folder(monkeypatch):
    monkeypatch.delenv(HANDWRITING_ENV, raising=False)
    path = handwriting_dir()
    assert path.name == "handwriting" and "nn-playground" in str(path)


def test_save_and_load(folder):
    drawings = {7: _drawing(0), 3: _drawing(1)}
    for label, image in drawings.items():
        path = save_handwriting(image, label)
        assert path.parent == folder / str(label) and path.suffix == ".png"
    save_handwriting(_drawing(2)[0], 7)  # (28, 28) works too
    assert not list(folder.rglob(".*"))  # no temporary files left
    data = load_dataset("handwriting")
    assert data.x.shape == (3, 1, 28, 28) and data.x.dtype == np.float32
    assert sorted(data.y.tolist()) == [3, 7, 7]  # labels are the digits, not folder positions
    assert data.class_names == tuple(str(d) for d in range(10))
    threes = data.x[data.y == 3][0]
    np.testing.assert_allclose(threes, drawings[3], atol=1 / 255)  # 8-bit PNG


def test_digits_plus_handwriting(folder):
    save_handwriting(_drawing(0), 4)
    both = load_dataset("digits+handwriting")
    digits = load_dataset("digits")
    assert len(both) == len(digits) + 1 and both.y[-1] == 4
    assert both.class_names == digits.class_names


def test_nothing_saved_yet_says_so(folder):
    with pytest.raises(DataError, match="no handwriting saved yet"):
        load_dataset("handwriting")


def test_bad_drawings_are_refused(folder):
    with pytest.raises(DataError, match="not a digit"):
        save_handwriting(_drawing(0), 10)
    with pytest.raises(DataError, match="28x28"):
        save_handwriting(np.zeros((14, 14), np.float32), 1)
    assert not folder.exists()


def test_unwritable_folder_gives_a_clear_message(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(HANDWRITING_ENV, str(blocker))
    with pytest.raises(DataError, match="cannot save the drawing"):
        save_handwriting(_drawing(0), 2)
