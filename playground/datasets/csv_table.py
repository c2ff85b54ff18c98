"""A CSV table of numeric features with one label column.

The delimiter (comma, semicolon or tab) is taken from the first row, which is a header when it
names the columns. The label column is the one named ``label``, ``class``, ``y`` or ``target``,
else the last. Large all-numeric files are read by ``np.loadtxt``; anything it refuses is read
again row by row, which either accepts it (string labels) or finds the line at fault.
"""

from __future__ import annotations

import csv
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import numpy as np

from playground.datasets.dataset import Dataset
from playground.datasets.labels import encode_labels
from playground.datasets.sniff import known_format, read_head
from playground.errors import DataError

LABEL_NAMES = ("label", "class", "y", "target")
_DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True)
class _Layout:
    delimiter: str
    width: int  # values per row
    first_line: int  # the line of the first row, header or data
    header: tuple[str, ...] | None
    label: int  # index of the label column

    @property
    def data_start(self) -> int:
        """How many lines come before the data: up to the header, or up to the first row."""
        return self.first_line if self.header else self.first_line - 1


def load_csv(path: Path, label_column: str | int | None = None) -> Dataset:
    """Features x ``(N, D)`` float32 and labels y ``(N,)`` int64 from a CSV file.

    ``label_column`` (a header name or a 0-based index) overrides the default label column.
    Labels may be whole numbers (used as class indices) or names (sorted into classes).
    """
    head = read_head(path)
    if what := known_format(head) or ("binary data" if b"\0" in head else None):
        raise DataError(f"{path.name}: not a CSV text file (it is {what})")
    layout = _layout(path, label_column)
    table = _fast_table(path, layout)
    if table is None:
        x, raw_labels, lines = _scan(path, layout)
    else:
        x = np.delete(table, layout.label, axis=1)
        raw_labels, lines = table[:, layout.label], None

    def where(i: int) -> str:
        found = lines if lines is not None else _scan(path, layout)[2]
        return f"{path.name} line {found[i]}"

    y, names = encode_labels(raw_labels, path.name, where)
    return Dataset(path.stem, x, y, names)


def _rows(path: Path, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) of each row that is not blank."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f, delimiter=delimiter, skipinitialspace=True)
        try:
            for row in reader:
                if any(field.strip() for field in row):
                    yield reader.line_num, row
        except csv.Error as exc:
            raise DataError(f"{path.name} line {reader.line_num}: {exc}") from exc
        except UnicodeDecodeError as exc:
            raise DataError(f"{path.name} near line {reader.line_num + 1}: not UTF-8 text") from exc


def _layout(path: Path, label_column: str | int | None) -> _Layout:
    delimiter = _sniff_delimiter(path)
    first_rows = list(islice(_rows(path, delimiter), 2))
    if not first_rows:
        raise DataError(f"{path.name}: empty file")
    first_line, first = first_rows[0]
    second = first_rows[1][1] if len(first_rows) > 1 else None
    if len(first) < 2:
        raise DataError(
            f"{path.name} line {first_line}: one column; expected features and a label "
            "separated by commas, semicolons or tabs"
        )
    header = tuple(f.strip() for f in first) if _is_header(first, second) else None
    label = _label_index(path, header, len(first), label_column)
    return _Layout(delimiter, len(first), first_line, header, label)


def _sniff_delimiter(path: Path) -> str:
    try:
        with path.open(encoding="utf-8-sig") as f:
            line = next((line for line in f if line.strip()), "")
    except UnicodeDecodeError as exc:
        raise DataError(f"{path.name}: not UTF-8 text") from exc
    return max(_DELIMITERS, key=line.count)


def _number(field: str) -> float | None:
    """The value of ``field`` as float32 parses it, or None if it is not a number."""
    try:
        with np.errstate(over="ignore"):
            return float(np.array(field, dtype=np.float32))
    except ValueError:
        return None


def _is_header(first: list[str], second: list[str] | None) -> bool:
    """A header names a label column, has words in several columns, or a word above a number.

    A data row with string labels has exactly one word, and so does the row below it.
    """
    if any(f.strip().lower() in LABEL_NAMES for f in first):
        return True
    words = [c for c, field in enumerate(first) if _number(field) is None]
    if len(words) != 1:
        return len(words) > 1
    column = words[0]
    return second is None or column >= len(second) or _number(second[column]) is not None


def _label_index(
    path: Path, header: tuple[str, ...] | None, width: int, label_column: str | int | None
) -> int:
    if isinstance(label_column, int):
        if not -width <= label_column < width:
            raise DataError(
                f"{path.name}: label column {label_column} is out of range "
                f"(the file has {width} columns)"
            )
        return label_column % width
    lowered = [name.lower() for name in header] if header else []
    if label_column is not None:
        if label_column.lower() not in lowered:
            have = f"its columns are {', '.join(header)}" if header else "it has no header"
            raise DataError(f"{path.name}: no column named {label_column!r} ({have})")
        return lowered.index(label_column.lower())
    for name in LABEL_NAMES:
        if name in lowered:
            return lowered.index(name)
    return width - 1


def _fast_table(path: Path, layout: _Layout) -> np.ndarray | None:
    """The whole file as float32 ``(N, width)`` if ``np.loadtxt`` reads it cleanly, else None."""
    try:
        with warnings.catch_warnings(action="ignore"), np.errstate(over="ignore"):
            table = np.loadtxt(
                path,
                dtype=np.float32,
                delimiter=layout.delimiter,
                skiprows=layout.data_start,
                comments=None,
                quotechar='"',
                ndmin=2,
                encoding="utf-8-sig",
            )
    except ValueError:
        return None
    if table.shape[0] == 0 or table.shape[1] != layout.width or not np.isfinite(table).all():
        return None
    return table


def _scan(path: Path, layout: _Layout) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """Features ``(N, D)`` float32, raw labels ``(N,)`` str and the line of every data row.

    Raises ``DataError`` naming the line of the first ragged row or value that is not a number.
    """
    features, labels, lines = [], [], []
    for line, row in _rows(path, layout.delimiter):
        if line <= layout.data_start:
            continue
        if len(row) != layout.width:
            raise DataError(
                f"{path.name} line {line}: {len(row)} value{'' if len(row) == 1 else 's'}, "
                f"but line {layout.first_line} has {layout.width}"
            )
        labels.append(row.pop(layout.label))
        try:
            with np.errstate(over="ignore"):
                values = np.array(row, dtype=np.float32)
        except ValueError:
            values = None
        if values is None or not np.isfinite(values).all():
            raise DataError(f"{path.name} line {line}: {_bad_value(row, layout)}")
        features.append(values)
        lines.append(line)
    if not features:
        raise DataError(f"{path.name}: no data rows")
    return np.stack(features), np.array(labels), lines


def _bad_value(features: list[str], layout: _Layout) -> str:
    """What is wrong with the first bad value among one row's ``features`` (label removed)."""
    columns = [c for c in range(layout.width) if c != layout.label]
    for column, field in zip(columns, features, strict=True):
        value = _number(field)
        if value is not None and np.isfinite(value):
            continue
        place = f"column {column + 1}"
        if layout.header:
            place += f" ({layout.header[column]})"
        if not field.strip():
            return f"{place} is empty"
        problem = "is not a number" if value is None else "is not a finite number"
        return f"{field.strip()!r} in {place} {problem}"
    return "a value is not a number"
