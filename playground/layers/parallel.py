"""Who uses the CPU cores: OpenBLAS's threads, or ours over parts of a batch.

A convolution's per-image GEMMs are too small for OpenBLAS to spread over the
cores itself. NumPy's copies and GEMMs release the GIL, so threads that each
take one part of the batch through every step (im2col copy, GEMM, bias) keep all
cores busy: conv layers ran 1.5-2x faster on the 2-core bench machine. OpenBLAS
must then run one thread per call; worse, its threads busy-wait for about 0.1 s
after each multi-threaded call, taking a core from ours. So it is one or the
other, and OpenBLAS's thread count is process-wide: a ``ThreadPolicy`` is set
once per process (by the app, the command line, or a script with
``set_thread_policy``), never switched by a forward or backward pass, so one
thread can train while another predicts. Until someone sets one, the first use
applies ``default_policy()``. Where NumPy's BLAS is not OpenBLAS, BLAS keeps
the cores and batches are not split.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
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


@dataclass(frozen=True)
class ThreadPolicy:
    """``batch_threads`` of ours share each large batch; OpenBLAS runs ``blas_threads`` per
    call (None: as many as it was started with)."""

    batch_threads: int = 1
    blas_threads: int | None = None


_lock = threading.Lock()  # guards the policy and the pool's creation
_policy: ThreadPolicy | None = None
_executor: ThreadPoolExecutor | None = None


def default_policy() -> ThreadPolicy:
    """Our threads over batch parts, one OpenBLAS thread: the fastest for convnets, and
    as fast for an MLP's large GEMMs (split by rows). No splitting without OpenBLAS."""
    if not _openblas_threads or PARTS < 2:
        return ThreadPolicy()
    return ThreadPolicy(batch_threads=PARTS, blas_threads=1)


def policy_for(layer_types: list[str] | tuple[str, ...]) -> ThreadPolicy:
    """The fastest policy for training one network alone in a process (the command
    line's): split batches for convnets, OpenBLAS's own threads for dense-only networks."""
    from playground.layers import LAYER_TYPES  # the registry imports this module

    if any(LAYER_TYPES[t].splits_batches for t in layer_types if t in LAYER_TYPES):
        return default_policy()
    return ThreadPolicy()


def set_thread_policy(policy: ThreadPolicy) -> None:
    """Decide, for the whole process, who uses the cores (see the module's docstring)."""
    with _lock:
        _apply(policy)


def thread_policy() -> ThreadPolicy:
    """The policy in force; the first call applies ``default_policy()`` if none was set."""
    if _policy is None:
        with _lock:
            if _policy is None:
                _apply(default_policy())
    return _policy


def _apply(policy: ThreadPolicy) -> None:
    global _policy
    for lib, started in zip(_openblas.lib_controllers, _openblas_threads, strict=True):
        lib.set_num_threads(policy.blas_threads or started)
    _policy = policy


def own_threads() -> int:
    """How many threads large batches are split over."""
    return thread_policy().batch_threads


def worth_splitting(n: int, work_per_item: int) -> bool:
    """Whether ``n`` items of ``work_per_item`` multiply-adds each run split over our threads."""
    return n > 1 and n * work_per_item >= MIN_PARALLEL_WORK and own_threads() > 1


def _pool() -> ThreadPoolExecutor:
    global _executor
    with _lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(PARTS - 1, thread_name_prefix="batch-part")
        return _executor


def batch_parts(n: int, work_per_item: int, work: Callable[[slice], T]) -> list[T]:
    """``work`` on consecutive slices of ``n`` items (images, rows), at the same time.

    ``work_per_item`` is in multiply-adds. Returns the results in order. Safe to
    call from several threads at once: each caller waits only for its own parts.
    """
    if not worth_splitting(n, work_per_item):
        return [work(slice(0, n))]
    parts = min(own_threads(), n)
    slices = [slice(n * i // parts, n * (i + 1) // parts) for i in range(parts)]
    executor = _pool()
    futures = [executor.submit(work, part) for part in slices[1:]]
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
