"""The user's own data: IDX, CSV, .npz and image folders, and every way such a file can be bad."""

import gzip
import io
import zipfile

import numpy as np
import pytest
from PIL import Image

from playground.datasets import load_dataset
from playground.datasets.csv_table import load_csv
from playground.errors import DataError

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + bytes(range(64))
IDX_CODES = {np.dtype(np.uint8): 0x08, np.dtype(np.int8): 0x09, np.dtype(np.int32): 0x0C}


def idx_bytes(array: np.ndarray) -> bytes:
    """The real IDX layout: 0, 0, type code, ndim, big-endian uint32 dims, big-endian data."""
    header = bytes([0, 0, IDX_CODES[array.dtype], array.ndim])
    dims = np.array(array.shape, dtype=">u4").tobytes()
    return header + dims + array.astype(array.dtype.newbyteorder(">")).tobytes()


def write_idx(path, array, gz=False):
    data = idx_bytes(array)
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def digits_like(n, seed=0, h=4, w=3):
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, (n, h, w), dtype=np.uint8), (np.arange(n) % 3).astype(np.uint8)


def write_idx_pair(folder, prefix="train", n=6, gz=False, seed=0):
    images, labels = digits_like(n, seed)
    suffix = ".gz" if gz else ""
    write_idx(folder / f"{prefix}-images-idx3-ubyte{suffix}", images, gz)
    write_idx(folder / f"{prefix}-labels-idx1-ubyte{suffix}", labels, gz)
    return images, labels


def message(path, **options):
    with pytest.raises(DataError) as caught:
        load_dataset(path, **options)
    return str(caught.value)


# IDX -------------------------------------------------------------------------------------


@pytest.mark.parametrize("gz", [False, True])
def test_idx_folder_loads_the_training_pair_as_nchw_in_unit_range(tmp_path, gz):
    images, labels = write_idx_pair(tmp_path, "train", n=6, gz=gz)
    write_idx_pair(tmp_path, "t10k", n=4, gz=gz, seed=1)
    data = load_dataset(tmp_path)
    assert data.x.shape == (6, 1, 4, 3) and data.x.dtype == np.float32
    np.testing.assert_array_equal(data.x[:, 0], images / np.float32(255))
    np.testing.assert_array_equal(data.y, labels)
    assert data.y.dtype == np.int64
    assert data.class_names == ("0", "1", "2")
    assert data.name == tmp_path.name


@pytest.mark.parametrize("gz", [False, True])
def test_idx_folder_gives_the_test_pair_when_asked(tmp_path, gz):
    write_idx_pair(tmp_path, "train", n=6, gz=gz)
    images, _ = write_idx_pair(tmp_path, "t10k", n=4, gz=gz, seed=1)
    data = load_dataset(tmp_path, part="test")
    assert len(data) == 4
    np.testing.assert_array_equal(data.x[:, 0], images / np.float32(255))
    assert data.name.endswith("test")


def test_idx_images_file_finds_its_labels_beside_it_and_vice_versa(tmp_path):
    images, labels = write_idx_pair(tmp_path, "t10k", n=5, gz=True)
    for chosen in ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"):
        data = load_dataset(tmp_path / chosen)
        np.testing.assert_array_equal(data.y, labels)
        assert data.x.shape == (5, 1, 4, 3)


def test_idx_plain_and_gzipped_copies_of_one_file_are_one_set(tmp_path):
    write_idx_pair(tmp_path, "train", n=6, gz=True)
    write_idx_pair(tmp_path, "train", n=6, gz=False)
    assert len(load_dataset(tmp_path)) == 6


def test_idx_wider_types_are_read_big_endian(tmp_path):
    images, _ = digits_like(4)
    write_idx(tmp_path / "train-images-idx3-ubyte", images)
    labels = np.array([0, 1, 258, 1], dtype=np.int32)
    write_idx(tmp_path / "train-labels-idx1-ubyte", labels)
    data = load_dataset(tmp_path)
    np.testing.assert_array_equal(data.y, [0, 1, 258, 1])
    assert data.num_classes == 259


def test_gzip_is_recognised_by_content_not_by_name(tmp_path):
    images, labels = digits_like(4)
    write_idx(tmp_path / "train-images-idx3-ubyte", images, gz=True)
    write_idx(tmp_path / "train-labels-idx1-ubyte.gz", labels, gz=False)
    np.testing.assert_array_equal(load_dataset(tmp_path).y, labels)


def test_truncated_idx_is_refused_with_the_sizes(tmp_path):
    write_idx_pair(tmp_path, n=6)
    path = tmp_path / "train-images-idx3-ubyte"
    path.write_bytes(path.read_bytes()[:-5])
    text = message(tmp_path)
    assert "train-images-idx3-ubyte" in text and "truncated" in text
    assert "6x4x3" in text and "72 bytes" in text and "67" in text


def test_idx_with_bytes_past_its_header_size_is_refused(tmp_path):
    write_idx_pair(tmp_path, n=6)
    path = tmp_path / "train-labels-idx1-ubyte"
    path.write_bytes(path.read_bytes() + b"\0\0")
    assert "train-labels-idx1-ubyte: 2 bytes too long" in message(tmp_path)


def test_idx_header_cut_short_is_refused(tmp_path):
    write_idx_pair(tmp_path, n=6)
    (tmp_path / "train-images-idx3-ubyte").write_bytes(b"\0\0\x08\x03\0\0")
    assert "train-images-idx3-ubyte: truncated in the IDX header" in message(tmp_path)


def test_png_named_as_idx_is_refused_naming_what_it_is(tmp_path):
    write_idx_pair(tmp_path, n=6)
    (tmp_path / "train-images-idx3-ubyte").write_bytes(PNG_BYTES)
    assert "train-images-idx3-ubyte: not an IDX file (it is a PNG image)" in message(tmp_path)


def test_unknown_idx_type_code_is_refused(tmp_path):
    write_idx_pair(tmp_path, n=6)
    path = tmp_path / "train-labels-idx1-ubyte"
    data = bytearray(path.read_bytes())
    data[2] = 0x0A
    path.write_bytes(bytes(data))
    assert "train-labels-idx1-ubyte: unknown IDX data type code 0x0A" in message(tmp_path)


def test_corrupt_gzip_is_refused(tmp_path):
    write_idx_pair(tmp_path, n=6, gz=True)
    path = tmp_path / "train-images-idx3-ubyte.gz"
    path.write_bytes(path.read_bytes()[:20])
    assert "train-images-idx3-ubyte.gz: corrupt gzip data" in message(tmp_path)


def test_idx_counts_must_agree(tmp_path):
    images, labels = digits_like(6)
    write_idx(tmp_path / "train-images-idx3-ubyte", images)
    write_idx(tmp_path / "train-labels-idx1-ubyte", labels[:5])
    text = message(tmp_path)
    assert "train-images-idx3-ubyte holds 6 images" in text
    assert "train-labels-idx1-ubyte holds 5 labels" in text


def test_idx_images_must_be_three_dimensional_bytes(tmp_path):
    _, labels = digits_like(6)
    write_idx(tmp_path / "train-images-idx3-ubyte", labels)
    write_idx(tmp_path / "train-labels-idx1-ubyte", labels)
    assert "train-images-idx3-ubyte: expected images of unsigned bytes" in message(tmp_path)


def test_idx_images_without_labels_are_refused(tmp_path):
    images, _ = digits_like(6)
    path = write_idx(tmp_path / "train-images-idx3-ubyte.gz", images, gz=True)
    text = message(path)
    assert "train-images-idx3-ubyte.gz: no labels file beside it" in text
    assert "train-labels-idx1-ubyte[.gz]" in text


def test_idx_folder_without_the_asked_part_says_so(tmp_path):
    write_idx_pair(tmp_path, "t10k", n=4)
    assert "no train images" in message(tmp_path)
    write_idx_pair(tmp_path, "train", n=4)
    assert "part 'validation' must be one of train, test" in message(tmp_path, part="validation")


def test_idx_folder_with_two_training_sets_asks_to_choose(tmp_path):
    write_idx_pair(tmp_path, "emnist-digits-train", n=4)
    write_idx_pair(tmp_path, "emnist-letters-train", n=4)
    text = message(tmp_path)
    assert "several sets of train images" in text and "emnist-letters-train" in text
    data = load_dataset(tmp_path / "emnist-digits-train-images-idx3-ubyte")
    assert len(data) == 4


def test_idx_labels_of_one_class_are_refused(tmp_path):
    images, _ = digits_like(4)
    write_idx(tmp_path / "train-images-idx3-ubyte", images)
    write_idx(tmp_path / "train-labels-idx1-ubyte", np.full(4, 7, np.uint8))
    assert "every label is '7'" in message(tmp_path)


def test_part_is_refused_for_anything_but_an_idx_folder(tmp_path):
    write_idx_pair(tmp_path, n=6)
    assert "train-images-idx3-ubyte: part='test' applies only to a folder of IDX" in message(
        tmp_path / "train-images-idx3-ubyte", part="test"
    )
    assert "apply only to your own files" in message("digits", part="test")


# CSV -------------------------------------------------------------------------------------


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_with_header_takes_the_label_column_by_name(tmp_path):
    path = write(tmp_path / "mnist.csv", "label,p1,p2\n3,0,255\n0,1.5,-2\n3,7,8\n")
    data = load_dataset(path)
    assert data.x.dtype == np.float32 and data.x.shape == (3, 2)
    np.testing.assert_array_equal(data.x, [[0, 255], [1.5, -2], [7, 8]])
    np.testing.assert_array_equal(data.y, [3, 0, 3])
    assert data.class_names == ("0", "1", "2", "3")
    assert data.name == "mnist"


def test_csv_without_header_takes_the_last_column_and_maps_string_labels(tmp_path):
    path = write(tmp_path / "iris.csv", "5.1,3.5,setosa\n6.2,2.9,virginica\n5.9,3.0,setosa\n")
    data = load_dataset(path)
    np.testing.assert_array_equal(data.x, np.array([[5.1, 3.5], [6.2, 2.9], [5.9, 3.0]], "f4"))
    np.testing.assert_array_equal(data.y, [0, 1, 0])
    assert data.class_names == ("setosa", "virginica")


def test_csv_header_of_words_above_string_labels(tmp_path):
    path = write(tmp_path / "d.csv", "width,height,kind\n1,2,cat\n3,4,dog\n5,6,ant\n")
    data = load_dataset(path)
    assert len(data) == 3
    assert data.class_names == ("ant", "cat", "dog")
    np.testing.assert_array_equal(data.y, [1, 2, 0])


def test_csv_semicolons_blank_lines_quotes_bom_and_spaces(tmp_path):
    text = '\ufeff\na;b;class\n\n "1" ; 2 ;x\n3;4; y \n;;\n'
    data = load_dataset(write(tmp_path / "d.csv", text))
    np.testing.assert_array_equal(data.x, [[1, 2], [3, 4]])
    assert data.class_names == ("x", "y")


def test_csv_label_column_can_be_chosen(tmp_path):
    path = write(tmp_path / "d.csv", "a,b,c\n0,5,6\n1,7,8\n")
    data = load_csv(path, label_column="A")
    np.testing.assert_array_equal(data.x, [[5, 6], [7, 8]])
    np.testing.assert_array_equal(load_csv(path, label_column=0).y, [0, 1])
    with pytest.raises(DataError, match="d.csv: no column named 'z' \\(its columns are a, b, c\\)"):
        load_csv(path, label_column="z")
    with pytest.raises(DataError, match="d.csv: label column 3 is out of range"):
        load_csv(path, label_column=3)


def test_csv_negative_whole_labels_become_names(tmp_path):
    data = load_dataset(write(tmp_path / "d.csv", "1,2,-1\n3,4,1\n5,6,-1.0\n"))
    assert data.class_names == ("-1", "1")
    np.testing.assert_array_equal(data.y, [0, 1, 0])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a,b,label\n1,2,0\n\n4,abc,1\n", "d.csv line 4: 'abc' in column 2 (b) is not a number"),
        ("1,2,0\n3,x,1\n", "d.csv line 2: 'x' in column 2 is not a number"),
        ("1,2,0\n3,4,1\n5,6\n", "d.csv line 3: 2 values, but line 1 has 3"),
        ("1,2,0\n3,4,1,9\n", "d.csv line 2: 4 values, but line 1 has 3"),
        ("1,2,0\n\n3,nan,1\n", "d.csv line 3: 'nan' in column 2 is not a finite number"),
        ("1,2,0\n3,inf,a\n", "d.csv line 2: 'inf' in column 2 is not a finite number"),
        ("1,2,0\n3,,1\n", "d.csv line 2: column 2 is empty"),
        ("1,2,0\n\n\n3,4,0.5\n", "d.csv line 4: label '0.5' is not a whole number"),
        ("1,2,cat\n3,4, \n", "d.csv line 2: empty label"),
        ("1,2,cat\n3,4,cat\n", "d.csv: every label is 'cat'; a classifier needs at least 2"),
        ("1,2,1\n", "d.csv: every label is '1'"),
        ("", "d.csv: empty file"),
        ("\n  \n", "d.csv: empty file"),
        ("a,b,label\n", "d.csv: no data rows"),
        ("1\n2\n", "d.csv line 1: one column"),
        ('1,2,0\n3,"4\n', "d.csv line 2: 2 values, but line 1 has 3"),
        ("1," + "9" * 200_000 + ",0\n", "d.csv line 1: field larger than field limit"),
    ],
)
def test_malformed_csv_is_refused_naming_the_line_and_cause(tmp_path, text, expected):
    path = write(tmp_path / "d.csv", text)
    assert expected in message(path)


def test_csv_that_is_not_text_is_refused(tmp_path):
    (tmp_path / "d.csv").write_bytes(PNG_BYTES)
    assert "d.csv: not a CSV text file (it is a PNG image)" in message(tmp_path / "d.csv")
    (tmp_path / "e.csv").write_bytes(b"1,2,0\n3,4,\xff\xfe\n")
    assert "e.csv" in (text := message(tmp_path / "e.csv")) and "not UTF-8 text" in text


def test_numeric_csv_reads_the_same_by_loadtxt_and_by_the_row_scan(tmp_path):
    rng = np.random.default_rng(0)
    table = np.column_stack([rng.normal(size=(300, 5)), rng.integers(0, 4, 300)])
    path = tmp_path / "big.csv"
    np.savetxt(path, table, delimiter=",", fmt="%.6g", header="a,b,c,d,e,label", comments="")
    fast = load_dataset(path)
    # A row of empty fields is blank to the row scan but makes np.loadtxt give up.
    lines = path.read_text().splitlines(keepends=True)
    slow = load_dataset(
        write(tmp_path / "slow.csv", "".join(lines[:100] + [",,,,,\n"] + lines[100:]))
    )
    expected = np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.float32)
    for data in (fast, slow):
        np.testing.assert_array_equal(data.x, expected[:, :5])
        np.testing.assert_array_equal(data.y, table[:, 5])
        assert data.class_names == ("0", "1", "2", "3")


# .npz ------------------------------------------------------------------------------------


def write_npz(path, **arrays):
    np.savez_compressed(path, **arrays)
    return path


def test_npz_features_and_integer_labels(tmp_path):
    x = np.arange(12, dtype=np.float64).reshape(4, 3)
    path = write_npz(tmp_path / "d.npz", x=x, y=np.array([0, 2, 1, 2]))
    data = load_dataset(path)
    assert data.x.dtype == np.float32 and data.x.shape == (4, 3)
    np.testing.assert_array_equal(data.x, x)
    assert data.class_names == ("0", "1", "2")
    assert data.name == "d"


def test_npz_uint8_images_get_a_channel_and_unit_range(tmp_path):
    x = np.arange(2 * 3 * 2, dtype=np.uint8).reshape(2, 3, 2) * 20
    data = load_dataset(write_npz(tmp_path / "d.npz", x=x, y=np.array([[0], [1]])))
    assert data.x.shape == (2, 1, 3, 2) and data.is_image
    np.testing.assert_allclose(data.x[:, 0], x / 255.0, rtol=1e-6)
    np.testing.assert_array_equal(data.y, [0, 1])


def test_npz_nchw_floats_and_string_labels(tmp_path):
    x = np.random.default_rng(0).uniform(0, 1, (3, 3, 4, 4)).astype(np.float32)
    y = np.array(["zebra", "ant", "zebra"])
    data = load_dataset(write_npz(tmp_path / "d.npz", x=x, y=y))
    np.testing.assert_array_equal(data.x, x)
    assert data.class_names == ("ant", "zebra")
    np.testing.assert_array_equal(data.y, [1, 0, 1])


@pytest.mark.parametrize(
    ("arrays", "expected"),
    [
        ({"x": np.zeros((2, 3))}, "d.npz: no array 'y' (it holds x)"),
        ({"images": np.zeros((2, 3))}, "no array 'x' or 'y' (it holds images)"),
        ({"x": np.zeros((3, 2)), "y": np.array([0, 1])}, "x has 3 samples but y has 2 labels"),
        ({"x": np.array([[0.0, 1], [np.nan, 2]]), "y": np.array([0, 1])}, "x[1] holds NaN or Inf"),
        ({"x": np.array([[0.0, np.inf]]), "y": np.array([0])}, "x[0] holds NaN or Inf"),
        ({"x": np.array([["a", "b"]]), "y": np.array([0])}, "x holds <U1; expected numbers"),
        ({"x": np.zeros(4), "y": np.arange(4)}, "x has shape (4,); expected (N, D)"),
        ({"x": np.zeros((0, 2)), "y": np.zeros(0, int)}, "x holds no samples"),
        ({"x": np.zeros((2, 8, 8, 3)), "y": np.array([0, 1])}, "looks like (N, H, W, C)"),
        ({"x": np.full((2, 1, 2, 2), 3.0), "y": np.array([0, 1])}, "x ranges from 3 to 3"),
        ({"x": np.zeros((2, 2)), "y": np.zeros((2, 2))}, "y must be one label per sample"),
        ({"x": np.zeros((2, 2)), "y": np.array([0.0, 1.5])}, "d.npz y[1]: label '1.5'"),
        ({"x": np.zeros((2, 2)), "y": np.array([4, 4])}, "every label is '4'"),
    ],
)
def test_malformed_npz_is_refused_naming_the_cause(tmp_path, arrays, expected):
    path = tmp_path / "d.npz"
    np.savez(path, **arrays)
    text = message(path)
    assert text.startswith("d.npz") and expected in text


def test_npz_with_python_objects_is_refused_without_unpickling(tmp_path):
    path = tmp_path / "d.npz"
    np.savez(path, x=np.zeros((2, 2)), y=np.array([0, "a", None], dtype=object))
    assert "d.npz: y holds Python objects, which are not loaded (no pickle)" in message(path)


def test_png_named_npz_is_refused(tmp_path):
    (tmp_path / "d.npz").write_bytes(PNG_BYTES)
    assert message(tmp_path / "d.npz") == "d.npz: not an .npz archive (it is a PNG image)"


def test_truncated_npz_is_refused(tmp_path):
    path = write_npz(tmp_path / "d.npz", x=np.zeros((50, 50)), y=np.arange(50) % 2)
    path.write_bytes(path.read_bytes()[:300])
    assert message(path).startswith("d.npz: corrupt .npz archive")


def test_npz_with_a_damaged_member_is_refused(tmp_path):
    path = tmp_path / "d.npz"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("x.npy", b"\x93NUMPY garbage")
        archive.writestr("y.npy", b"")
    assert message(path).startswith("d.npz: x is not a readable array")


# Image folders ---------------------------------------------------------------------------


def save_png(path, pixels):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.asarray(pixels, dtype=np.uint8)).save(path)


def grey(value, h=3, w=2):
    return np.full((h, w), value, dtype=np.uint8)


def test_image_folder_of_grey_pngs(tmp_path):
    root = tmp_path / "shapes"
    save_png(root / "square" / "a.png", grey(10))
    save_png(root / "circle" / "b.png", grey(200))
    save_png(root / "circle" / "a.png", grey(100))
    (root / "circle" / "notes.txt").write_text("not an image")
    (root / "circle" / ".hidden.png").write_bytes(b"junk")
    (root / ".cache").mkdir()
    data = load_dataset(root)
    assert data.class_names == ("circle", "square")
    assert data.x.shape == (3, 1, 3, 2) and data.x.dtype == np.float32
    np.testing.assert_array_equal(data.y, [0, 0, 1])
    np.testing.assert_allclose(data.x[:, 0, 0, 0], [100 / 255, 200 / 255, 10 / 255], rtol=1e-6)
    assert data.name == "shapes"


def test_image_folder_with_any_colour_image_is_rgb(tmp_path):
    save_png(tmp_path / "a" / "grey.png", grey(50))
    colour = np.zeros((3, 2, 3), np.uint8)
    colour[..., 0] = 255
    save_png(tmp_path / "b" / "red.png", colour)
    data = load_dataset(tmp_path)
    assert data.x.shape == (2, 3, 3, 2)
    np.testing.assert_allclose(data.x[0, :, 0, 0], [50 / 255] * 3, rtol=1e-6)
    np.testing.assert_array_equal(data.x[1, :, 0, 0], [1, 0, 0])


def test_image_folder_sizes_must_agree_unless_resized(tmp_path):
    save_png(tmp_path / "a" / "1.png", grey(0))
    save_png(tmp_path / "b" / "1.png", grey(0))
    save_png(tmp_path / "b" / "2.png", grey(255, h=5, w=4))
    text = message(tmp_path)
    assert f"{tmp_path.name}/b/2.png: 4x5 pixels, but {tmp_path.name}/a/1.png is 2x3" in text
    data = load_dataset(tmp_path, size=(6, 7))
    assert data.x.shape == (3, 1, 6, 7)
    np.testing.assert_allclose(data.x[2], 1.0)
    assert load_dataset(tmp_path, size=8).x.shape == (3, 1, 8, 8)


@pytest.mark.parametrize("content", [b"not an image at all", PNG_BYTES])
def test_unreadable_image_is_refused_naming_the_file(tmp_path, content):
    save_png(tmp_path / "a" / "1.png", grey(0))
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "broken.png").write_bytes(content)
    assert f"{tmp_path.name}/b/broken.png: cannot read the image" in message(tmp_path)


def test_truncated_png_is_refused_naming_the_file(tmp_path):
    save_png(tmp_path / "a" / "1.png", np.arange(64 * 64).reshape(64, 64) % 251)
    save_png(tmp_path / "b" / "1.png", grey(0, 64, 64))
    path = tmp_path / "a" / "1.png"
    path.write_bytes(path.read_bytes()[:-200])
    assert f"{tmp_path.name}/a/1.png: cannot read the image" in message(tmp_path)


def test_image_folder_needs_two_classes_with_images(tmp_path):
    save_png(tmp_path / "only" / "1.png", grey(0))
    assert "found 1 class folder(s); a classifier needs at least 2" in message(tmp_path)
    (tmp_path / "empty").mkdir()
    assert "class folder 'empty' holds no images" in message(tmp_path)


def test_size_is_refused_for_anything_but_an_image_folder(tmp_path):
    path = write(tmp_path / "d.csv", "1,2,0\n3,4,1\n")
    assert "d.csv: size=8 applies only to a folder of images" in message(path, size=8)


# Telling kinds apart ---------------------------------------------------------------------


def test_folder_with_nothing_recognisable_is_refused(tmp_path):
    (tmp_path / "readme.txt").write_text("hello")
    save_png(tmp_path / "loose.png", grey(0))
    assert f"{tmp_path.name}: nothing here to load; expected a .csv table" in message(tmp_path)


def test_unknown_file_kind_is_refused_naming_what_it_is(tmp_path):
    (tmp_path / "weights.bin").write_bytes(b"\x00\x01\x02\xff")
    assert "weights.bin: unknown kind of file (it is binary data)" in message(
        tmp_path / "weights.bin"
    )


def test_missing_path_is_refused():
    assert "no dataset 'no/such/file.csv'" in message("no/such/file.csv")


@pytest.mark.parametrize(
    "name", ["d.csv", "d.npz", "train-images-idx3-ubyte", "train-images-idx3-ubyte.gz"]
)
@pytest.mark.parametrize("seed", range(3))
def test_random_bytes_give_a_data_error_never_a_traceback(tmp_path, name, seed):
    rng = np.random.default_rng(seed)
    (tmp_path / name).write_bytes(rng.integers(0, 256, 200, dtype=np.uint8).tobytes())
    assert message(tmp_path / name).startswith(name)


def test_npz_declaring_an_absurd_array_is_refused_before_allocating(tmp_path):
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        header, {"descr": "<f8", "fortran_order": False, "shape": (10**6, 10**6)}
    )
    path = tmp_path / "d.npz"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("x.npy", header.getvalue())
        zf.writestr("y.npy", header.getvalue())
    assert message(path) == (
        "d.npz: x.npy declares 1000000x1000000 float64 (8.0 TB), more than the limit of 2.1 GB"
    )
