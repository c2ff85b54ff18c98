"""The textbook forward/backward pair of every layer and loss, written to be read.

Each ``*_forward`` takes the input and the layer's parameters and settings and
returns ``(out, cache)``; each ``*_backward`` takes the upstream gradient and
that cache and returns ``(dx, grads)``, ``grads`` being the parameter gradients
keyed like the layer's ``params`` (empty for a layer without parameters). The
losses return ``(loss, cache)`` and ``dscores``. Nothing is mutated, nothing is
sped up: these are the plain forms the engine's fast layers are tested against,
the code the step-through view shows, and the base of the NumPy export.

Shapes: N samples; D inputs and M outputs of a dense layer; images NCHW with F
filters of size k x k and outputs OH x OW; C classes for the losses. The
argument names are the names of the layers' parameters, state and settings, so
``forward_args`` can call any pair from a layer:
``layer.reference.forward(x, **forward_args(layer.reference.forward, layer, train))``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

Grads = dict[str, np.ndarray]


class Reference(NamedTuple):
    """A layer's textbook pair; a layer class points at its own as ``reference``."""

    forward: Callable[..., tuple[np.ndarray, Any]]
    backward: Callable[[np.ndarray, Any], tuple[np.ndarray, Grads]]


# -- dense ----------------------------------------------------------------------------------


def dense_forward(x: np.ndarray, W: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, tuple]:
    """Affine layer.

    x ``(N, D)``, W ``(D, M)``, b ``(M,)`` -> out ``(N, M)``; cache ``(x, W)``.
    """
    out = x @ W + b
    return out, (x, W)


def dense_backward(dout: np.ndarray, cache: tuple) -> tuple[np.ndarray, Grads]:
    """dout ``(N, M)`` -> dx ``(N, D)``, dW ``(D, M)``, db ``(M,)``.

    Each weight W[d, m] multiplied x[:, d] into out[:, m], so the gradients swap
    the factors: dW = xᵀ·dout, dx = dout·Wᵀ; the bias was added to every row, so
    db sums dout over the batch.
    """
    x, W = cache
    dx = dout @ W.T
    dW = x.T @ dout
    db = dout.sum(axis=0)
    return dx, {"W": dW, "b": db}


# -- convolution and pooling --------------------------------------------------------------


def _windows(x: np.ndarray, size: int, stride: int) -> np.ndarray:
    """x ``(N, C, H, W)`` -> a read-only view ``(N, C, OH, OW, size, size)`` of every window."""
    return sliding_window_view(x, (size, size), axis=(2, 3))[:, :, ::stride, ::stride]


def _add_windows(dx: np.ndarray, dwindows: np.ndarray, stride: int) -> None:
    """Add each window's gradient ``(N, C, OH, OW, k, k)`` back onto ``dx`` ``(N, C, H, W)``.

    One strided slice per kernel offset (i, j): the inverse of ``_windows``
    (col2im). Windows that overlap add their contributions up.
    """
    _, _, oh, ow, k, _ = dwindows.shape
    for i in range(k):
        for j in range(k):
            rows = slice(i, i + stride * (oh - 1) + 1, stride)
            cols = slice(j, j + stride * (ow - 1) + 1, stride)
            dx[:, :, rows, cols] += dwindows[:, :, :, :, i, j]


def conv2d_forward(
    x: np.ndarray, W: np.ndarray, b: np.ndarray, stride: int, padding: int
) -> tuple[np.ndarray, tuple]:
    """Convolution (cross-correlation) by windows: each output is Σ filter · window + bias.

    x ``(N, C, H, W)``, W ``(F, C, k, k)``, b ``(F,)`` -> out ``(N, F, OH, OW)``
    with OH = (H + 2·padding − k) // stride + 1 (OW alike).
    cache ``(x_shape, windows, W, stride, padding)``; windows ``(N, C, OH, OW, k, k)``.
    """
    k = W.shape[2]
    padded = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    windows = _windows(padded, k, stride)
    out = np.einsum("ncyxij,fcij->nfyx", windows, W) + b[None, :, None, None]
    return out, (x.shape, windows, W, stride, padding)


def conv2d_backward(dout: np.ndarray, cache: tuple) -> tuple[np.ndarray, Grads]:
    """dout ``(N, F, OH, OW)`` -> dx ``(N, C, H, W)``, dW ``(F, C, k, k)``, db ``(F,)``.

    Every output position is a small dense layer on its window: dW sums
    dout · window over all positions and samples, db sums dout, and each
    window's gradient dout · W goes back to the pixels it was read from.
    """
    x_shape, windows, W, stride, padding = cache
    _, _, h, w = x_shape
    dW = np.einsum("nfyx,ncyxij->fcij", dout, windows)
    db = dout.sum(axis=(0, 2, 3))
    dwindows = np.einsum("nfyx,fcij->ncyxij", dout, W)
    dpadded = np.zeros((x_shape[0], x_shape[1], h + 2 * padding, w + 2 * padding), dout.dtype)
    _add_windows(dpadded, dwindows, stride)
    dx = dpadded[:, :, padding : padding + h, padding : padding + w]
    return dx, {"W": dW, "b": db}


def maxpool2d_forward(x: np.ndarray, pool_size: int, stride: int) -> tuple[np.ndarray, tuple]:
    """The largest value of each pool_size x pool_size window.

    x ``(N, C, H, W)`` -> out ``(N, C, OH, OW)``, OH = (H − pool_size) // stride + 1.
    cache ``(x_shape, winner, pool_size, stride)``; winner ``(N, C, OH, OW)``: the flat
    index in its window of each maximum (the first, where values tie).
    """
    windows = _windows(x, pool_size, stride)
    flat = windows.reshape(*windows.shape[:4], pool_size * pool_size)
    winner = flat.argmax(axis=-1)
    out = np.take_along_axis(flat, winner[..., None], axis=-1)[..., 0]
    return out, (x.shape, winner, pool_size, stride)


def maxpool2d_backward(dout: np.ndarray, cache: tuple) -> tuple[np.ndarray, Grads]:
    """dout ``(N, C, OH, OW)`` -> dx ``(N, C, H, W)``: max routes the gradient to its winner."""
    x_shape, winner, pool_size, stride = cache
    k = pool_size
    # One-hot of the winner in each window, times that window's gradient.
    dwindows = (np.arange(k * k) == winner[..., None]) * dout[..., None]
    dx = np.zeros(x_shape, dout.dtype)
    _add_windows(dx, dwindows.reshape(*winner.shape, k, k), stride)
    return dx, {}


def avgpool2d_forward(x: np.ndarray, pool_size: int, stride: int) -> tuple[np.ndarray, tuple]:
    """The mean of each window. x ``(N, C, H, W)`` -> out ``(N, C, OH, OW)``.

    cache ``(x_shape, pool_size, stride)``.
    """
    out = _windows(x, pool_size, stride).mean(axis=(-2, -1))
    return out, (x.shape, pool_size, stride)


def avgpool2d_backward(dout: np.ndarray, cache: tuple) -> tuple[np.ndarray, Grads]:
    """dout ``(N, C, OH, OW)`` -> dx ``(N, C, H, W)``: each input gets dout / pool_size²."""
    x_shape, k, stride = cache
    share = dout / (k * k)
    dwindows = np.broadcast_to(share[..., None, None], (*dout.shape, k, k))
    dx = np.zeros(x_shape, dout.dtype)
    _add_windows(dx, dwindows, stride)
    return dx, {}


def flatten_forward(x: np.ndarray) -> tuple[np.ndarray, tuple]:
    """x ``(N, C, H, W)`` (or any ``(N, ...)``) -> out ``(N, C·H·W)``; cache the input shape."""
    return x.reshape(len(x), -1), x.shape


def flatten_backward(dout: np.ndarray, cache: tuple) -> tuple[np.ndarray, Grads]:
    """dout ``(N, C·H·W)`` -> dx in the input's shape."""
    return dout.reshape(cache), {}


# -- activations ----------------------------------------------------------------------------


def relu_forward(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """out = max(0, x), any shape; cache x."""
    return np.maximum(0, x), x


def relu_backward(dout: np.ndarray, cache: np.ndarray) -> tuple[np.ndarray, Grads]:
    """dx = dout where x > 0, else 0: ReLU's gate is open or shut."""
    x = cache
    return dout * (x > 0), {}


def leaky_relu_forward(x: np.ndarray, alpha: float) -> tuple[np.ndarray, tuple]:
    """out = x where x > 0, alpha·x elsewhere, any shape; cache ``(x, alpha)``."""
    return np.where(x > 0, x, alpha * x), (x, alpha)


def leaky_relu_backward(dout: np.ndarray, cache: tuple) -> tuple[np.ndarray, Grads]:
    """dx = dout where x > 0, alpha·dout elsewhere."""
    x, alpha = cache
    return np.where(x > 0, dout, alpha * dout), {}


def sigmoid_forward(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """out = 1 / (1 + e^(−x)), any shape; cache out."""
    out = 1 / (1 + np.exp(-x))
    return out, out


def sigmoid_backward(dout: np.ndarray, cache: np.ndarray) -> tuple[np.ndarray, Grads]:
    """dx = dout · out · (1 − out): the sigmoid's slope, read from its own output."""
    out = cache
    return dout * out * (1 - out), {}


def tanh_forward(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """out = tanh(x), any shape; cache out."""
    out = np.tanh(x)
    return out, out


def tanh_backward(dout: np.ndarray, cache: np.ndarray) -> tuple[np.ndarray, Grads]:
    """dx = dout · (1 − out²)."""
    out = cache
    return dout * (1 - out**2), {}


# -- regularisation -------------------------------------------------------------------------


def dropout_forward(x: np.ndarray, mask: np.ndarray | None) -> tuple[np.ndarray, Any]:
    """Inverted dropout with a given mask; x and mask any shape, alike.

    mask: 1/(1 − rate) where an input is kept, 0 where it is dropped (drawn
    afresh for every training batch), or None in evaluation, where x passes
    through. cache: the mask.
    """
    if mask is None:
        return x, None
    return x * mask, mask


def dropout_backward(dout: np.ndarray, cache: Any) -> tuple[np.ndarray, Grads]:
    """dx = dout through the same mask and scale."""
    mask = cache
    return (dout if mask is None else dout * mask), {}


def _channel_axes(x: np.ndarray) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Batchnorm's reduction axes and the shape a per-channel vector broadcasts in.

    Features ``(N, D)``: per feature, over the batch. Images ``(N, C, H, W)``:
    per channel, over the batch and every pixel.
    """
    if x.ndim == 2:
        return (0,), (1, -1)
    return (0, 2, 3), (1, -1, 1, 1)


def batchnorm_forward(
    x: np.ndarray,
    gamma: np.ndarray,
    beta: np.ndarray,
    running_mean: np.ndarray,
    running_var: np.ndarray,
    eps: float,
    train: bool,
) -> tuple[np.ndarray, tuple]:
    """Batch normalisation: out = gamma · (x − mean) / sqrt(var + eps) + beta.

    x ``(N, D)`` or ``(N, C, H, W)``; gamma, beta, running_mean, running_var
    ``(D,)`` or ``(C,)``. Training uses the batch's own mean and variance;
    evaluation the running statistics (``batchnorm_running_stats`` gives their
    update). cache ``(x_hat, gamma, inv_std, train)``, x_hat shaped like x.
    """
    axes, view = _channel_axes(x)
    if train:
        mean, var = x.mean(axis=axes), x.var(axis=axes)
    else:
        mean, var = running_mean, running_var
    inv_std = 1 / np.sqrt(var + eps)
    x_hat = (x - mean.reshape(view)) * inv_std.reshape(view)
    out = gamma.reshape(view) * x_hat + beta.reshape(view)
    return out, (x_hat, gamma, inv_std, train)


def batchnorm_backward(dout: np.ndarray, cache: tuple) -> tuple[np.ndarray, Grads]:
    """dout like x -> dx like x, dgamma and dbeta ``(D,)`` or ``(C,)``.

    In training every output depends on every input of its channel through the
    batch mean and variance, which gives the three-term formula:
    dx = inv_std · (dx̂ − mean(dx̂) − x̂ · mean(dx̂ · x̂)). In evaluation the
    statistics are constants: dx = dx̂ · inv_std.
    """
    x_hat, gamma, inv_std, train = cache
    axes, view = _channel_axes(dout)
    dbeta = dout.sum(axis=axes)
    dgamma = (dout * x_hat).sum(axis=axes)
    dx_hat = dout * gamma.reshape(view)
    if train:
        dx_hat = (
            dx_hat
            - dx_hat.mean(axis=axes).reshape(view)
            - x_hat * (dx_hat * x_hat).mean(axis=axes).reshape(view)
        )
    dx = dx_hat * inv_std.reshape(view)
    return dx, {"gamma": dgamma, "beta": dbeta}


def batchnorm_running_stats(
    x: np.ndarray, running_mean: np.ndarray, running_var: np.ndarray, momentum: float
) -> tuple[np.ndarray, np.ndarray]:
    """Running statistics after a training batch x: momentum · old + (1 − momentum) · batch's."""
    axes, _ = _channel_axes(x)
    mean = momentum * running_mean + (1 - momentum) * x.mean(axis=axes)
    var = momentum * running_var + (1 - momentum) * x.var(axis=axes)
    return mean, var


# -- losses ---------------------------------------------------------------------------------


def softmax_cross_entropy_forward(scores: np.ndarray, y: np.ndarray) -> tuple[float, tuple]:
    """L = −mean over the batch of log softmax(scores)[label].

    scores ``(N, C)``, y ``(N,)`` integer labels; cache ``(probs, y)``, probs ``(N, C)``.
    """
    shifted = scores - scores.max(axis=1, keepdims=True)  # same softmax, no overflow
    probs = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    n = len(y)
    loss = -np.log(probs[np.arange(n), y]).sum() / n
    return float(loss), (probs, y)


def softmax_cross_entropy_backward(cache: tuple) -> np.ndarray:
    """dscores ``(N, C)`` = (probs − one_hot(y)) / N."""
    probs, y = cache
    n = len(y)
    dscores = probs.copy()
    dscores[np.arange(n), y] -= 1
    return dscores / n


def mse_forward(scores: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """L = mean of (scores − target)² over every entry.

    scores ``(N, C)``; y ``(N,)`` integer labels (the target is their one-hot
    row) or targets ``(N, C)``. cache: diff = scores − target ``(N, C)``.
    """
    if y.ndim == 1 and np.issubdtype(y.dtype, np.integer):
        target = np.eye(scores.shape[1], dtype=scores.dtype)[y]
    else:
        target = y.reshape(scores.shape)
    diff = scores - target
    return float(np.mean(diff**2)), diff


def mse_backward(cache: np.ndarray) -> np.ndarray:
    """dscores ``(N, C)`` = 2 · (scores − target) / (N·C)."""
    diff = cache
    return 2 * diff / diff.size


# -- the pairs the layer classes and losses point at ----------------------------------------

DENSE = Reference(dense_forward, dense_backward)
CONV2D = Reference(conv2d_forward, conv2d_backward)
MAXPOOL2D = Reference(maxpool2d_forward, maxpool2d_backward)
AVGPOOL2D = Reference(avgpool2d_forward, avgpool2d_backward)
FLATTEN = Reference(flatten_forward, flatten_backward)
RELU = Reference(relu_forward, relu_backward)
LEAKY_RELU = Reference(leaky_relu_forward, leaky_relu_backward)
SIGMOID = Reference(sigmoid_forward, sigmoid_backward)
TANH = Reference(tanh_forward, tanh_backward)
DROPOUT = Reference(dropout_forward, dropout_backward)
BATCHNORM = Reference(batchnorm_forward, batchnorm_backward)
SOFTMAX_CROSS_ENTROPY = Reference(softmax_cross_entropy_forward, softmax_cross_entropy_backward)
MSE = Reference(mse_forward, mse_backward)


def forward_args(
    forward: Callable[..., Any], layer: Any, train: bool, mask: np.ndarray | None = None
) -> dict[str, Any]:
    """The keyword arguments after x that ``forward`` takes, read from ``layer``.

    Taken by name from the layer's params, state and config, plus ``train``
    and (for dropout) ``mask``.
    """
    available = {**layer.config, **layer.params, **layer.state, "train": train, "mask": mask}
    names = list(inspect.signature(forward).parameters)[1:]
    return {name: available[name] for name in names}
