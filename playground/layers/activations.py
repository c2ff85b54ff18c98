"""Element-wise activations; each keeps only what its backward needs."""

from __future__ import annotations

import functools

import numpy as np

from playground.layers import reference
from playground.layers.base import Field, Layer
from playground.layers.parallel import in_chunks

# A NumPy zero, not Python's 0: a Python scalar is converted on every call (0.2 us of a
# 0.8 us ufunc call on the draw pad's small arrays); float32 still yields float64 for float64 x.
_ZERO = np.float32(0)
# NumPy's maximum has no vectorised loop for a scalar operand: against a row of zeros,
# row by row, it runs 2.6x faster on a cache-sized chunk. Below this many values the
# call overhead dominates and the scalar is cheaper.
ZERO_ROW_MIN_SIZE = 4096


class _Activation(Layer):
    group = "activation"
    is_activation = True

    def backward(self, dout: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        return self._local_backward(dout) if input_grad else None


class ReLU(_Activation):
    type_name = "relu"
    reference = reference.RELU
    uses_he_init = True
    forward_doc = "out = max(0, x)."
    backward_doc = "Passes the gradient where x > 0, blocks it elsewhere."

    def forward(self, x: np.ndarray, train: bool = False) -> np.ndarray:
        if x.size < ZERO_ROW_MIN_SIZE:  # the draw pad's small arrays: the fewest calls
            out = np.maximum(x, _ZERO)
        else:
            out = np.empty(x.shape, x.dtype)
            in_chunks(_relu, x, out)
        self._out = out
        return out

    def pieces(self) -> np.ndarray:
        return self._out > _ZERO

    def _local_backward(self, dout: np.ndarray) -> np.ndarray:
        dx = np.empty(dout.shape, dout.dtype)
        in_chunks(_relu_gate, dout, self._out, dx)
        return dx


def _relu(x: np.ndarray, out: np.ndarray) -> None:
    """out = max(x, 0) for x, out ``(N, ...)`` (out contiguous), each sample's values as one row."""
    rows = x.reshape(len(x), -1)
    np.maximum(rows, _zero_row(rows.shape[1], x.dtype), out=out.reshape(rows.shape))


@functools.lru_cache(maxsize=16)
def _zero_row(width: int, dtype: np.dtype) -> np.ndarray:
    zeros = np.zeros(width, dtype)
    zeros.flags.writeable = False
    return zeros


def _relu_gate(dout: np.ndarray, out: np.ndarray, dx: np.ndarray) -> None:
    """dx = dout where the ReLU passed its input (out > 0), else 0."""
    np.multiply(dout, out > _ZERO, out=dx)


class LeakyReLU(_Activation):
    type_name = "leaky_relu"
    reference = reference.LEAKY_RELU
    uses_he_init = True
    fields = (Field("alpha", float, default=0.01, minimum=0, maximum=1, help="Slope for x < 0."),)
    forward_doc = "out = x for x > 0, alpha·x otherwise."
    backward_doc = "Multiplies the gradient by 1 where x > 0 and by alpha elsewhere."

    # Arithmetic, not np.where: where's scalar branches ran 10-20x slower on a conv batch.
    def forward(self, x: np.ndarray, train: bool = False) -> np.ndarray:
        self._x = x
        out = x * x.dtype.type(self.alpha)
        np.maximum(out, x, out=out)  # alpha <= 1: x wins where x > 0, alpha·x elsewhere
        return out

    def pieces(self) -> np.ndarray | None:
        return None if self.alpha == 1 else self._x > 0  # alpha 1: a straight line, no kink

    def _local_backward(self, dout: np.ndarray) -> np.ndarray:
        x = self._x
        slope = np.multiply(x > 0, x.dtype.type(1 - self.alpha), dtype=x.dtype)
        slope += x.dtype.type(self.alpha)
        slope *= dout
        return slope


class Sigmoid(_Activation):
    type_name = "sigmoid"
    reference = reference.SIGMOID
    forward_doc = "out = 1 / (1 + e^(−x)), squashing to (0, 1)."
    backward_doc = "dx = dout · out · (1 − out); at most a quarter of dout gets through."

    def forward(self, x: np.ndarray, train: bool = False) -> np.ndarray:
        # 0.5·(1 + tanh(x/2)) is the logistic function without overflow for large |x|.
        out = np.tanh(x * np.asarray(0.5, x.dtype))
        out += 1
        out *= 0.5
        self._out = out
        return out

    def _local_backward(self, dout: np.ndarray) -> np.ndarray:
        out = self._out
        return dout * out * (1 - out)


class Tanh(_Activation):
    type_name = "tanh"
    reference = reference.TANH
    forward_doc = "out = tanh(x), squashing to (−1, 1)."
    backward_doc = "dx = dout · (1 − out²)."

    def forward(self, x: np.ndarray, train: bool = False) -> np.ndarray:
        out = np.tanh(x)
        self._out = out
        return out

    def _local_backward(self, dout: np.ndarray) -> np.ndarray:
        out = self._out
        return dout * (1 - out * out)
