"""NumPy export ("eject"): ``DIR/model.py`` that needs NumPy alone, and ``DIR/weights.npz``.

``model.py`` holds the textbook forward/backward pairs of exactly the layers
this network uses, taken as source from ``playground/layers/reference.py`` (one
copy of the maths: the one the engine's fast layers are tested against and the
step-through view shows), then this network's forward pass, its loss and
gradients (keyed like ``Network.params``) and a plain SGD ``train`` loop.
"""

from __future__ import annotations

import inspect
import re
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from types import CodeType

import numpy as np

from playground.export.shared import (
    ExportSource,
    output_folder,
    shape_comment,
    write_arrays,
    write_text,
)
from playground.layers import reference
from playground.losses import LOSSES
from playground.project import Project

LINE_LENGTH = 100
INDENT = "    "


def export(project: Project, out: str | Path) -> list[Path]:
    """Write ``model.py`` and ``weights.npz`` into the folder ``out``."""
    source = ExportSource.of(project)
    folder = output_folder(out)
    files = [folder / "model.py", folder / "weights.npz"]
    write_text(files[0], model_code(source))
    write_arrays(files[1], weights(source))
    return files


def weights(source: ExportSource) -> dict[str, np.ndarray]:
    """Parameters and running statistics keyed like ``Network.params`` and ``Network.state``,
    and the normalisation as ``input.mean``/``input.std``."""
    arrays = {**source.network.params, **source.network.state}
    if source.mean is not None:
        arrays["input.mean"] = source.mean.reshape(source.stats_shape)
        arrays["input.std"] = source.std.reshape(source.stats_shape)
    return arrays


# -- the textbook functions, as source ----------------------------------------------------------
def _pairs(source: ExportSource) -> list[Callable]:
    """The reference functions this network calls: its layers' pairs, its loss's pair, and
    the running-statistics update where it has batchnorm."""
    functions: list[Callable] = []
    for layer in source.network.layers:
        functions += [layer.reference.forward, layer.reference.backward]
        if layer.type_name == "batchnorm":
            functions.append(reference.batchnorm_running_stats)
    loss = LOSSES[source.spec.loss].reference
    return [*functions, loss.forward, loss.backward]


def _global_names(code: CodeType) -> Iterator[str]:
    """Every global name a function's code reads, nested comprehensions included."""
    yield from code.co_names
    for const in code.co_consts:
        if isinstance(const, CodeType):
            yield from _global_names(const)


def _with_helpers(functions: list[Callable]) -> list[Callable]:
    """``functions`` and the reference module's helpers they call, each once, in the
    module's order (helpers come before their callers there)."""
    found: dict[str, Callable] = {}
    todo = list(functions)
    while todo:
        f = todo.pop()
        if f.__name__ in found:
            continue
        found[f.__name__] = f
        for name in set(_global_names(f.__code__)):
            helper = vars(reference).get(name)
            if inspect.isfunction(helper) and helper.__module__ == reference.__name__:
                todo.append(helper)
    return sorted(found.values(), key=lambda f: f.__code__.co_firstlineno)


def _imports(code: str) -> str:
    """The import lines the copied functions need."""
    lines = ["from __future__ import annotations", "", "from pathlib import Path"]
    if re.search(r"\bAny\b", code):
        lines.append("from typing import Any")
    lines += ["", "import numpy as np"]
    if "sliding_window_view" in code:
        lines.append("from numpy.lib.stride_tricks import sliding_window_view")
    return "\n".join(lines)


# -- this network's code ------------------------------------------------------------------------
def _call(target: str, function: str, args: list[str], indent: int = 1) -> str:
    """``target = function(args)`` on one line, or one argument a line where it is too long."""
    pad = INDENT * indent
    line = f"{pad}{target} = {function}({', '.join(args)})"
    if len(line) <= LINE_LENGTH:
        return line
    inner = "".join(f"{pad}{INDENT}{a},\n" for a in args)
    return f"{pad}{target} = {function}(\n{inner}{pad})"


def _signature(name: str, params: str, returns: str) -> str:
    """A ``def`` line, its parameters on a line of their own where it is too long."""
    line = f"def {name}({params}) -> {returns}:"
    return line if len(line) <= LINE_LENGTH else f"def {name}(\n{INDENT}{params}\n) -> {returns}:"


def _forward_lines(source: ExportSource) -> list[str]:
    """One call per layer: ``out, caches[i] = <type>_forward(out, <its arguments>)``."""
    lines = []
    for i, config, _, out_shape in source.layers:
        layer = source.network.layers[i]
        forward = layer.reference.forward
        stored = {**layer.params, **layer.state}
        args = ["out"]
        for name in list(inspect.signature(forward).parameters)[1:]:
            if name in stored:
                args.append(f'weights["{i}.{name}"]')
            elif name == "train":
                args.append("train=train")
            elif name == "mask":
                args.append(f"mask=dropout_mask(out, {config['rate']!r}, rng) if train else None")
            else:
                args.append(f"{name}={config[name]!r}")
        lines.append(f"{INDENT}# {i}: {config['type']} {shape_comment(out_shape)}")
        if config["type"] == "batchnorm":
            stats = [f'weights["{i}.running_mean"]', f'weights["{i}.running_var"]']
            lines.append(f"{INDENT}if train:  # the running statistics follow the training batches")
            lines.append(
                _call(
                    ", ".join(stats),
                    "batchnorm_running_stats",
                    ["out", *stats, f"momentum={config['momentum']!r}"],
                    indent=2,
                )
            )
        lines.append(_call(f"out, caches[{i}]", forward.__name__, args))
    return lines


def _backward_lines(source: ExportSource) -> list[str]:
    """One call per layer, last to first, collecting each layer's parameter gradients."""
    lines = []
    for i, config, _, _ in reversed(source.layers):
        layer = source.network.layers[i]
        backward = layer.reference.backward.__name__
        lines.append(f"{INDENT}# {i}: {config['type']}")
        if layer.params:
            lines.append(f"{INDENT}d, g = {backward}(d, caches[{i}])")
            keys = ", ".join(f'"{i}.{name}": g["{name}"]' for name in layer.params)
            lines.append(f"{INDENT}grads.update({{{keys}}})")
        else:
            lines.append(f"{INDENT}d, _ = {backward}(d, caches[{i}])")
    return lines


def _train_note(source: ExportSource) -> str:
    """What ``train=True`` changes in this network, for the forward pass's docstring."""
    types = {layer.type_name for layer in source.network.layers}
    notes = []
    if "batchnorm" in types:
        notes.append("batchnorm uses the batch's own statistics and updates the running ones")
    if "dropout" in types:
        notes.append("dropout is active, its masks drawn from rng")
    text = f"train: {'; '.join(notes)}." if notes else "train: changes nothing in this network."
    return textwrap.fill(text, LINE_LENGTH - 8, initial_indent=INDENT, subsequent_indent=INDENT)


DROPOUT_MASK = '''
def dropout_mask(x: np.ndarray, rate: float, rng: np.random.Generator) -> np.ndarray:
    """Inverted dropout's mask like x: 1/(1 - rate) where an input is kept, 0 where dropped."""
    keep = 1.0 - rate
    kept = rng.random(x.shape, dtype=np.float32) < keep
    return kept.astype(x.dtype) * np.asarray(1.0 / keep, x.dtype)
'''


def model_code(source: ExportSource) -> str:
    """The text of the ejected ``model.py``."""
    spec = source.spec
    functions = _with_helpers(_pairs(source))
    textbook = "\n\n\n".join(inspect.getsource(f).rstrip() for f in functions)
    if "Grads" in textbook:
        textbook = "Grads = dict[str, np.ndarray]\n\n\n" + textbook
    loss = LOSSES[spec.loss].reference
    dims = ", ".join(map(str, spec.input_shape))
    classes = spec.output_shape[0]
    has_dropout = any(layer.type_name == "dropout" for layer in source.network.layers)
    rng_param = ", rng: np.random.Generator = RNG" if has_dropout else ""
    rng_arg = ", rng" if has_dropout else ""
    if source.mean is not None:
        per = "channel" if len(spec.input_shape) == 3 else "feature"
        normalise = (
            f"{INDENT}# The project's input normalisation, per {per}.\n"
            f'{INDENT}out = (np.asarray(x, np.float32) - weights["input.mean"])'
            ' / weights["input.std"]'
        )
    else:
        normalise = f"{INDENT}out = np.asarray(x, np.float32)"
    forward_body = "\n".join(_forward_lines(source))
    backward_body = "\n".join(_backward_lines(source))
    header = source.header()
    batch = source.project.config.batch_size
    forward_def = _signature(
        "forward_pass", f"x: np.ndarray, train: bool = False{rng_param}", "tuple[np.ndarray, dict]"
    )
    loss_def = _signature(
        "loss_and_gradients",
        f"x: np.ndarray, y: np.ndarray, train: bool = True{rng_param}",
        "tuple[float, dict[str, np.ndarray]]",
    )
    train_def = _signature(
        "train", "x: np.ndarray, y: np.ndarray, epochs: int = 1, lr: float = 0.01", "list[float]"
    )
    dropout_code = (
        ("\n" + DROPOUT_MASK + "\n\nRNG = np.random.default_rng(0)\n") if has_dropout else ""
    )
    return f'''"""{header}

Plain NumPy, nothing else: the textbook forward and backward functions of the layers
this network uses (from NN Playground's playground/layers/reference.py), then the
network itself. forward(x) gives the scores; loss_and_gradients(x, y) the loss and
the gradient of every weight; train(x, y, epochs, lr) trains it with plain SGD.
The weights are in weights.npz beside this file.
"""

{_imports(textbook + dropout_code)}

# -- the layers' textbook forward and backward functions ------------------------------------

{textbook}


# -- this network --------------------------------------------------------------------------

# Weights keyed "<layer index>.<name>" ("0.W", "0.b"), updated in place by train().
with np.load(Path(__file__).with_name("weights.npz")) as saved:
    weights = {{key: saved[key] for key in saved.files}}
{dropout_code}

{forward_def}
    """x (N, {dims}) float32 as loaded -> scores (N, {classes}), and each layer's cache.

{_train_note(source)}
    """
    caches = {{}}
{normalise}
{forward_body}
    return out, caches


def forward(x: np.ndarray) -> np.ndarray:
    """x (N, {dims}) float32 as loaded -> class scores (N, {classes}), in evaluation mode."""
    return forward_pass(x)[0]


{loss_def}
    """The loss on x and integer labels y (N,), and its gradient for every weight."""
    scores, caches = forward_pass(x, train{rng_arg})
    loss, loss_cache = {loss.forward.__name__}(scores, y)
    d = {loss.backward.__name__}(loss_cache)
    grads = {{}}
{backward_body}
    return loss, grads


{train_def}
    """Plain minibatch SGD on the weights, in place; returns the loss of every step."""
    order_rng = np.random.default_rng(0)
    losses = []
    for _ in range(epochs):
        order = order_rng.permutation(len(x))
        for start in range(0, len(x), {batch}):
            batch = order[start : start + {batch}]
            loss, grads = loss_and_gradients(x[batch], y[batch])
            for key, grad in grads.items():
                weights[key] -= lr * grad
            losses.append(loss)
    return losses
'''
