"""Reading one ``.npy`` member of a zip (a project file, an ``.npz``) without trusting its header.

An ``.npy`` header declares the array's shape and type, and NumPy allocates that
much before reading a byte of data: a crafted header of a few bytes can ask for
terabytes. The declared size is checked first against what the member really
holds and against a stated limit, and the member is refused by name.
"""

from __future__ import annotations

import math
import tokenize
import zipfile
import zlib

import numpy as np

# What reading a damaged zip of .npy members raises, besides ValueError (bad headers):
# zipfile's errors for unknown compression or versions (NotImplementedError) and
# encrypted members (RuntimeError), and NumPy's header parser for a mangled header.
DAMAGED_ZIP_ERRORS = (
    OSError,
    EOFError,
    zipfile.BadZipFile,
    zlib.error,
    NotImplementedError,
    RuntimeError,
    tokenize.TokenError,
    SyntaxError,
)

# The largest single array read from a file: far above any network the spec limits
# allow (50M float32 parameters are 200 MB) and above full MNIST as float32 (188 MB).
MAX_ARRAY_BYTES = 2 * 1024**3


class OversizedArray(ValueError):
    """A member whose header declares more data than it holds or than the limit allows."""


def read_npy_member(zf: zipfile.ZipFile, name: str, limit: int = MAX_ARRAY_BYTES) -> np.ndarray:
    """The array in member ``name`` of ``zf``, read without pickle.

    Raises OversizedArray (naming the member, shape and size) before allocating if the
    header declares more than ``limit`` bytes or a size other than what the member holds;
    ValueError for a header or data NumPy cannot read.
    """
    info = zf.getinfo(name)
    with zf.open(info) as f:
        version = np.lib.format.read_magic(f)
        if version == (1, 0):
            shape, _, dtype = np.lib.format.read_array_header_1_0(f)
        elif version == (2, 0):
            shape, _, dtype = np.lib.format.read_array_header_2_0(f)
        else:
            raise ValueError(f"{name}: .npy format version {version} is not read")
        if not dtype.hasobject:  # object arrays are refused below, by read_array (no pickle)
            declared = math.prod(shape) * dtype.itemsize
            what = f"{name} declares {'x'.join(map(str, shape))} {dtype} ({_bytes_text(declared)})"
            if declared > limit:
                raise OversizedArray(f"{what}, more than the limit of {_bytes_text(limit)}")
            stored = info.file_size - f.tell()
            if declared != stored:
                raise OversizedArray(f"{what} but holds {_bytes_text(stored)}")
        f.seek(0)
        return np.lib.format.read_array(f, allow_pickle=False)


def _bytes_text(n: int) -> str:
    """``1536`` -> ``"1.5 kB"``, in decimal units as file managers show them."""
    if n >= 10**15:
        return f"about 1e{len(str(n)) - 1} bytes"  # a forged header: too big for a float
    for power, unit in ((12, "TB"), (9, "GB"), (6, "MB"), (3, "kB")):
        if n >= 10**power:
            return f"{n / 10**power:.1f} {unit}"
    return f"{n:,} bytes"
