"""Who uses the CPU cores: OpenBLAS's threads, or ours over parts of a batch.

A convolution's per-image GEMMs are too small for OpenBLAS to spread over the
cores itself. NumPy's copies and GEMMs release the GIL, so threads that each
take one part of the batch through every step (im2col copy, GEMM, bias) keep all
cores busy: conv layers ran 1.5-2x faster on the 2-core bench machine. OpenBLAS
must then run one thread per call; worse, its threads busy-wait for about 0.1 s
after each multi-threaded call, taking a core from ours. So it is one or the
other, process-wide (OpenBLAS's thread count is): networks with convolutions
split batches themselves, others (an MLP's GEMMs are big enough) leave the cores
to OpenBLAS. Where NumPy's BLAS is not OpenBLAS, BLAS keeps the cores.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from typing import TypeVar

import numpy as np  # loaded before threadpoolctl looks for OpenBLAS
from threadpoolctl import ThreadpoolController

from playground.layers.chunks import image_chunks

T = TypeVar("T")

PARTS = os.cpu_count() or 1
# Less work than this (multiply-adds, about 0.1 ms on one core) gains less from a
# second thread than handing it over costs.
MIN_PARALLEL_WORK = 4_000_000
# An element-wise operation on one value, counted in multiply-adds (it waits on memory).
ELEMENT_WORK = 10

_openblas = ThreadpoolController().select(internal_api="openblas")
_openblas_threads = [lib.num_threads for lib in _openblas.lib_controllers]
_splitting = False
_executor: ThreadPoolExecutor | None = None


def own_threads() -> int:
    """How many threads the batches of networks with convolutions are split over."""
    return PARTS if _openblas_threads else 1


def split_batches(on: bool) -> None:
    """Give the cores to our threads over batch parts (on) or to OpenBLAS (off).

    A no-op when nothing changes, and where NumPy's BLAS is not OpenBLAS.
    """
    global _splitting
    if on == _splitting or not _openblas_threads or PARTS < 2:
        return
    for lib, threads in zip(_openblas.lib_controllers, _openblas_threads, strict=True):
        lib.set_num_threads(1 if on else threads)
    _splitting = on


def worth_splitting(n: int, work_per_item: int) -> bool:
    """Whether ``n`` items of ``work_per_item`` multiply-adds each run split over our threads."""
    return _splitting and n > 1 and n * work_per_item >= MIN_PARALLEL_WORK


def batch_parts(n: int, work_per_item: int, work: Callable[[slice], T]) -> list[T]:
    """``work`` on consecutive slices of ``n`` items (images, rows), at the same time.

    ``work_per_item`` is in multiply-adds. Returns the results in order.
    """
    if not worth_splitting(n, work_per_item):
        return [work(slice(0, n))]
    global _executor
    if _executor is None:
        _executor = ThreadPoolExecutor(PARTS - 1, thread_name_prefix="batch-part")
    parts = min(PARTS, n)
    slices = [slice(n * i // parts, n * (i + 1) // parts) for i in range(parts)]
    futures = [_executor.submit(work, part) for part in slices[1:]]
    try:
        first = work(slices[0])
    finally:
        wait(futures)
    return [first, *(f.result() for f in futures)]


def worth_chunking(x: np.ndarray) -> bool:
    """Whether an element-wise pass over ``x`` ``(N, ...)`` runs split over our threads."""
    n = len(x)
    return n > 0 and worth_splitting(n, x.size // n * ELEMENT_WORK)


def in_chunks(work: Callable[..., None], *arrays: np.ndarray) -> None:
    """Element-wise ``work(*arrays)`` on cache-sized chunks of the arrays' first axis.

    The chunks are spread over our threads when that is worth it; small arrays go
    to ``work`` whole, at the cost of one call.
    """
    if not worth_chunking(arrays[0]):
        work(*arrays)
        return
    n = len(arrays[0])
    values_per_item = arrays[0].size // n
    bytes_per_item = values_per_item * arrays[0].itemsize

    def run(part: slice) -> None:
        for chunk in image_chunks(part, bytes_per_item):
            work(*(a[chunk] for a in arrays))

    batch_parts(n, values_per_item * ELEMENT_WORK, run)
