"""ONNX export: one ``.onnx`` file built with the ``onnx`` package and checked by ``onnx.checker``.

The graph takes ``x`` ``(N, *input_shape)`` float32 with a dynamic batch dimension
``N`` and gives ``scores`` ``(N, C)``; the project's normalisation is its first two
nodes. Dropout is kept as a node (the identity outside training).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from playground.errors import ExportError
from playground.export.shared import ExportSource, optional_package, output_file
from playground.project import Project

# A current opset that runtimes of the last two years read, with its IR version.
OPSET = 21
IR_VERSION = 10


@dataclass
class Graph:
    """Nodes and weights collected layer by layer; ``node`` chains each onto the last output."""

    onnx: Any  # the onnx module
    last: str = "x"
    nodes: list = field(default_factory=list)
    initializers: list = field(default_factory=list)

    def constant(self, name: str, value: np.ndarray) -> str:
        self.initializers.append(
            self.onnx.numpy_helper.from_array(np.asarray(value, order="C"), name)
        )
        return name

    def node(self, op: str, name: str, *inputs: str, **attributes: Any) -> None:
        output = f"{name}_out"
        self.nodes.append(
            self.onnx.helper.make_node(op, [self.last, *inputs], [output], name=name, **attributes)
        )
        self.last = output


def _dense(g: Graph, name: str, c: dict[str, Any], a: dict[str, np.ndarray]) -> None:
    # Gemm: x (N, D) @ W (D, M) + b, our layout as it is.
    g.node("Gemm", name, g.constant(f"{name}.W", a["W"]), g.constant(f"{name}.b", a["b"]))


def _conv(g: Graph, name: str, c: dict[str, Any], a: dict[str, np.ndarray]) -> None:
    k, s, p = c["kernel_size"], c["stride"], c["padding"]
    g.node(
        "Conv",
        name,
        g.constant(f"{name}.W", a["W"]),
        g.constant(f"{name}.b", a["b"]),
        kernel_shape=[k, k],
        strides=[s, s],
        pads=[p, p, p, p],
    )


def _pool(op: str) -> Callable[..., None]:
    def add(g: Graph, name: str, c: dict[str, Any], a: dict[str, np.ndarray]) -> None:
        k, s = c["pool_size"], c["stride"]
        g.node(op, name, kernel_shape=[k, k], strides=[s, s])

    return add


def _batchnorm(g: Graph, name: str, c: dict[str, Any], a: dict[str, np.ndarray]) -> None:
    inputs = [
        g.constant(f"{name}.{key}", a[key])
        for key in ("gamma", "beta", "running_mean", "running_var")
    ]
    g.node("BatchNormalization", name, *inputs, epsilon=c["eps"], momentum=c["momentum"])


def _dropout(g: Graph, name: str, c: dict[str, Any], a: dict[str, np.ndarray]) -> None:
    g.node("Dropout", name, g.constant(f"{name}.rate", np.array(c["rate"], np.float32)))


def _plain(op: str, **attributes: Any) -> Callable[..., None]:
    return lambda g, name, c, a: g.node(op, name, **attributes)


NODES: dict[str, Callable[[Graph, str, dict[str, Any], dict[str, np.ndarray]], None]] = {
    "dense": _dense,
    "conv2d": _conv,
    "maxpool2d": _pool("MaxPool"),
    "avgpool2d": _pool("AveragePool"),
    "flatten": _plain("Flatten", axis=1),
    "relu": _plain("Relu"),
    "leaky_relu": lambda g, name, c, a: g.node("LeakyRelu", name, alpha=c["alpha"]),
    "sigmoid": _plain("Sigmoid"),
    "tanh": _plain("Tanh"),
    "dropout": _dropout,
    "batchnorm": _batchnorm,
}


def export(project: Project, out: str | Path) -> list[Path]:
    """Write the network as the ONNX file ``out``."""
    onnx = optional_package("onnx", "The ONNX export")
    source = ExportSource.of(project)
    path = output_file(out)
    model = build_model(onnx, source)
    try:
        onnx.save(model, path)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from exc
    return [path]


def build_model(onnx, source: ExportSource):
    """The checked ``onnx.ModelProto`` of ``source``."""
    helper = onnx.helper
    spec = source.spec
    g = Graph(onnx)
    if source.mean is not None:
        view = source.stats_shape
        g.node("Sub", "normalise_mean", g.constant("input.mean", source.mean.reshape(view)))
        g.node("Div", "normalise_std", g.constant("input.std", source.std.reshape(view)))
    for i, config, _, _ in source.layers:
        NODES[config["type"]](g, f"layer{i}_{config['type']}", config, source.arrays(i))
    g.nodes.append(helper.make_node("Identity", [g.last], ["scores"], name="scores"))
    float32 = onnx.TensorProto.FLOAT
    graph = helper.make_graph(
        g.nodes,
        spec.name,
        [helper.make_tensor_value_info("x", float32, ["N", *spec.input_shape])],
        [helper.make_tensor_value_info("scores", float32, ["N", *spec.output_shape])],
        g.initializers,
    )
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", OPSET)],
        ir_version=IR_VERSION,
        producer_name="NN Playground",
        doc_string="\n".join(source.provenance()),
    )
    helper.set_model_props(model, {"spec": json.dumps(spec.to_dict())})
    onnx.checker.check_model(model, full_check=True)
    return model
