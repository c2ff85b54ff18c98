"""PyTorch export: ``DIR/model.py`` (an ``nn.Module`` around an ``nn.Sequential``),
``DIR/weights.npz`` (its ``state_dict``) and ``DIR/README.md``.

Writing it needs no torch: the code is text and the weights are a NumPy ``.npz``
keyed like the model's ``state_dict()``; ``load_model()`` reads them back.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from playground.export.shared import (
    ExportSource,
    output_folder,
    shape_comment,
    write_arrays,
    write_text,
)
from playground.layers import Shape
from playground.optimizers import OPTIMIZERS
from playground.project import Project

Arrays = dict[str, np.ndarray]
# (layer config, input shape, the layer's arrays) -> (constructor code, state_dict entries)
ModuleCode = Callable[[dict[str, Any], Shape, Arrays], tuple[str, Arrays]]


def _number(value: float) -> str:
    """A float as short, exact-enough code: 0.1, not 0.09999999999999998."""
    return f"{value:.12g}"


def _linear(config: dict[str, Any], shape: Shape, a: Arrays) -> tuple[str, Arrays]:
    # Our W is (in, out); nn.Linear keeps (out, in).
    return f"nn.Linear({shape[0]}, {config['units']})", {"weight": a["W"].T, "bias": a["b"]}


def _conv(config: dict[str, Any], shape: Shape, a: Arrays) -> tuple[str, Arrays]:
    code = (
        f"nn.Conv2d({shape[0]}, {config['filters']}, kernel_size={config['kernel_size']}, "
        f"stride={config['stride']}, padding={config['padding']})"
    )
    return code, {"weight": a["W"], "bias": a["b"]}


def _pool(kind: str) -> ModuleCode:
    def code(config: dict[str, Any], shape: Shape, a: Arrays) -> tuple[str, Arrays]:
        return f"nn.{kind}(kernel_size={config['pool_size']}, stride={config['stride']})", {}

    return code


def _batchnorm(config: dict[str, Any], shape: Shape, a: Arrays) -> tuple[str, Arrays]:
    kind = "BatchNorm2d" if len(shape) == 3 else "BatchNorm1d"
    # PyTorch's momentum weighs the new batch; ours weighs the old running statistics.
    code = (
        f"nn.{kind}({shape[0]}, eps={_number(config['eps'])}, "
        f"momentum={_number(1 - config['momentum'])})"
    )
    state = {
        "weight": a["gamma"],
        "bias": a["beta"],
        "running_mean": a["running_mean"],
        "running_var": a["running_var"],
        "num_batches_tracked": np.array(0, np.int64),
    }
    return code, state


def _plain(code: str) -> ModuleCode:
    return lambda config, shape, a: (code, {})


MODULES: dict[str, ModuleCode] = {
    "dense": _linear,
    "conv2d": _conv,
    "maxpool2d": _pool("MaxPool2d"),
    "avgpool2d": _pool("AvgPool2d"),
    "flatten": _plain("nn.Flatten()"),
    "relu": _plain("nn.ReLU()"),
    "leaky_relu": lambda c, s, a: (f"nn.LeakyReLU({_number(c['alpha'])})", {}),
    "sigmoid": _plain("nn.Sigmoid()"),
    "tanh": _plain("nn.Tanh()"),
    "dropout": lambda c, s, a: (f"nn.Dropout({_number(c['rate'])})", {}),
    "batchnorm": _batchnorm,
}

LOSS_CODE = {
    "softmax_cross_entropy": (
        "softmax cross-entropy on integer class labels",
        "return F.cross_entropy(scores, labels)",
    ),
    "mse": (
        "mean squared error against one-hot targets",
        "return F.mse_loss(scores, F.one_hot(labels, scores.shape[1]).to(scores.dtype))",
    ),
}

# Our optimizer -> PyTorch's, with our settings (defaults filled in) as its arguments.
OPTIMIZER_CODE: dict[str, Callable[[dict[str, float]], tuple[str, list[str]]]] = {
    "sgd": lambda s: ("SGD", []),
    "momentum": lambda s: ("SGD", [f"momentum={_number(s['momentum'])}"]),
    "nesterov": lambda s: ("SGD", [f"momentum={_number(s['momentum'])}", "nesterov=True"]),
    "adagrad": lambda s: ("Adagrad", [f"eps={_number(s['eps'])}"]),
    "rmsprop": lambda s: ("RMSprop", [f"alpha={_number(s['decay'])}", f"eps={_number(s['eps'])}"]),
    "adam": lambda s: (
        "Adam",
        [f"betas=({_number(s['beta1'])}, {_number(s['beta2'])})", f"eps={_number(s['eps'])}"],
    ),
}


def export(project: Project, out: str | Path) -> list[Path]:
    """Write ``model.py``, ``weights.npz`` and ``README.md`` into the folder ``out``."""
    source = ExportSource.of(project)
    folder = output_folder(out)
    code, state = model_code(source)
    files = [folder / "model.py", folder / "weights.npz", folder / "README.md"]
    write_text(files[0], code)
    write_arrays(files[1], state)
    write_text(files[2], readme(source))
    return files


def model_code(source: ExportSource) -> tuple[str, Arrays]:
    """The text of ``model.py`` and the ``state_dict`` it loads, keyed as PyTorch names it."""
    spec = source.spec
    state: Arrays = {}
    rows = []
    for i, config, in_shape, out_shape in source.layers:
        code, arrays = MODULES[config["type"]](config, in_shape, source.arrays(i))
        rows.append(f"            {code},  # {i}: {config['type']} {shape_comment(out_shape)}")
        state.update({f"layers.{i}.{name}": value for name, value in arrays.items()})
    name = source.class_name
    input_dims = ", ".join(map(str, spec.input_shape))
    classes = spec.output_shape[0]
    if source.mean is not None:
        view = ", ".join(map(str, source.stats_shape))
        state["mean"] = source.mean.reshape(source.stats_shape)
        state["std"] = source.std.reshape(source.stats_shape)
        buffers = (
            "        # The input normalisation (x - mean) / std; loaded with the weights.\n"
            f'        self.register_buffer("mean", torch.zeros({view}))\n'
            f'        self.register_buffer("std", torch.ones({view}))\n'
        )
        body = "self.layers((x - self.mean) / self.std)"
    else:
        buffers, body = "", "self.layers(x)"
    loss_what, loss_line = LOSS_CODE[spec.loss]
    header = source.header()
    text = f'''"""{header}

Weights: weights.npz beside this file, keyed like this model's state_dict().
"""

from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

WEIGHTS = Path(__file__).with_name("weights.npz")


class {name}(nn.Module):
    def __init__(self) -> None:
        super().__init__()
{buffers}        self.layers = nn.Sequential(
{chr(10).join(rows)}
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x (N, {input_dims}) float32 -> scores (N, {classes})."""
        return {body}


def loss_fn(scores: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """The loss it was trained with: {loss_what}."""
    {loss_line}


def load_model(path: str | Path = WEIGHTS) -> {name}:
    """The network with the weights in ``path``, in evaluation mode."""
    model = {name}()
    with np.load(path) as arrays:
        model.load_state_dict({{key: torch.from_numpy(arrays[key]) for key in arrays.files}})
    return model.eval()
'''
    return text, state


def optimizer_code(project: Project) -> str:
    """``torch.optim.Adam(model.parameters(), lr=0.002, …)``: the project's optimizer."""
    config = project.config
    settings = {**OPTIMIZERS[config.optimizer].defaults(), **config.optimizer_settings}
    name, args = OPTIMIZER_CODE[config.optimizer](settings)
    args = [f"lr={_number(config.lr)}", *args]
    if config.weight_decay:
        args.append(f"weight_decay={_number(config.weight_decay)}")
    return f"torch.optim.{name}(model.parameters(), {', '.join(args)})"


def readme(source: ExportSource) -> str:
    """``README.md``: the three lines to load and run the model, and how to train it on."""
    project = source.project
    spec = source.spec
    config = project.config
    example = ", ".join(map(str, spec.input_shape))
    notes = [
        f"With `y` the integer class labels `(N,)`. This is the project's own optimizer "
        f"({config.optimizer}, learning rate {config.lr:g}, batch {config.batch_size}); "
        "NN Playground's learning-rate schedule and image shifts are left out."
    ]
    if config.weight_decay:
        notes.append("PyTorch's weight_decay also decays the biases; NN Playground does not.")
    if any(layer["type"] == "batchnorm" for layer in spec.layers):
        notes.append(
            "PyTorch's batchnorm keeps the unbiased batch variance in its running statistics, "
            "NN Playground the biased one: a small difference while training on."
        )
    training_notes = textwrap.fill(" ".join(notes), 88)
    return f"""# {spec.name} in PyTorch

{source.header(88)}

`model.py` builds the network as an `nn.Sequential` inside a small `nn.Module`;
`weights.npz` holds its `state_dict` (NumPy arrays, no pickle). Needs `torch` and `numpy`.

## Load and run it

With `x` a float32 NumPy array of shape `(N, {example})`, as NN Playground loads it:

```python
import torch
from model import load_model
scores = load_model()(torch.from_numpy(x))
```

`scores` is `(N, {spec.output_shape[0]})`; `scores.argmax(1)` is the predicted class.

## Train it on (on a GPU when there is one)

{training_notes}

```python
import torch
from model import load_model, loss_fn

device = "cuda" if torch.cuda.is_available() else "cpu"
model = load_model().to(device).train()
optimizer = {optimizer_code(project)}
data = torch.utils.data.TensorDataset(torch.from_numpy(x), torch.from_numpy(y).long())
for epoch in range(1):
    for xb, yb in torch.utils.data.DataLoader(data, batch_size={config.batch_size}, shuffle=True):
        optimizer.zero_grad()
        loss = loss_fn(model(xb.to(device)), yb.to(device))
        loss.backward()
        optimizer.step()
    print(f"epoch {{epoch + 1}}: last batch loss {{loss.item():.4f}}")
model.eval()
torch.save(model.state_dict(), "trained.pt")
```

To load the result later: `model = load_model()` then
`model.load_state_dict(torch.load("trained.pt"))`.
"""
