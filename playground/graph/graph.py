"""A scalar function as a graph of gates, run forward and backward gate by gate in float64.

``Graph.parse("q = x + y\\nf = q * z").run({"x": -2, "y": 5, "z": -4})`` gives the value
(−12), the gradient of every variable (∂f/∂x = −4 …) and the events in order: each gate's
forward in topological order, then each gate's backward in reverse, each with a sentence
that states the gate's rule with the numbers. A value used by several gates receives the
sum of the gradients its uses send back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np

from playground.errors import GraphError
from playground.graph.nodes import Node, NodeKind, format_number
from playground.graph.parse import parse_text

Edge = tuple[int, int]  # (consumer node, input slot); (output node, -1) is the output's own edge


@dataclass(frozen=True)
class ForwardEvent:
    node: int
    inputs: tuple[float, ...]
    output: float
    text: str  # "mul: q × z = 3 × −4 = −12"


@dataclass(frozen=True)
class BackwardEvent:
    node: int
    upstream: float  # ∂f/∂(this gate's output), summed over its uses
    local: tuple[float, ...]  # ∂output/∂input, per input
    sent: tuple[float, ...]  # upstream × local: the gradient sent to each input
    text: str  # "mul: swaps — ∂f/∂q = upstream × z = 1 × −4 = −4; ∂f/∂z = …"


Event = ForwardEvent | BackwardEvent


@dataclass(frozen=True)
class RunState:
    """What is known after the first ``steps`` events: the picture the view draws."""

    steps: int
    values: dict[int, float]  # node -> value (leaves always; a gate once its forward ran)
    node_grads: dict[int, float]  # node -> gradient summed so far over its uses
    current: Event | None  # the event the last step applied


@dataclass(frozen=True)
class GraphRun:
    graph: Graph
    value: float
    grads: dict[str, float]  # variable name -> ∂f/∂variable
    node_values: tuple[float, ...]
    node_grads: tuple[float, ...]
    events: tuple[Event, ...]

    @property
    def forward_count(self) -> int:
        return sum(isinstance(e, ForwardEvent) for e in self.events)

    def state_after(self, steps: int) -> RunState:
        """The state after the first ``steps`` events (0 … len(events))."""
        steps = max(0, min(steps, len(self.events)))
        graph = self.graph
        values = {
            n.index: self.node_values[n.index] for n in graph.nodes if n.kind is not NodeKind.GATE
        }
        node_grads: dict[int, float] = {}
        if steps >= self.forward_count:  # the backward pass starts with ∂f/∂f = 1
            node_grads[graph.output] = 1.0
        for event in self.events[:steps]:
            if isinstance(event, ForwardEvent):
                values[event.node] = event.output
                continue
            for source, sent in zip(graph.nodes[event.node].inputs, event.sent, strict=True):
                node_grads[source] = node_grads.get(source, 0.0) + sent
        current = self.events[steps - 1] if steps else None
        return RunState(steps, values, node_grads, current)


@dataclass(frozen=True)
class Graph:
    """Nodes in topological order (leaves and gates); ``output`` is the function's node."""

    text: str
    nodes: tuple[Node, ...]
    output: int
    output_name: str
    variables: tuple[str, ...]
    consumers: tuple[tuple[Edge, ...], ...] = field(init=False)  # per node, the edges it feeds

    def __post_init__(self) -> None:
        uses: list[list[Edge]] = [[] for _ in self.nodes]
        for node in self.nodes:
            for slot, source in enumerate(node.inputs):
                uses[source].append((node.index, slot))
        uses[self.output].append((self.output, -1))
        object.__setattr__(self, "consumers", tuple(tuple(u) for u in uses))

    @classmethod
    def parse(cls, text: str) -> Graph:
        """Read a function; raise ``GraphError`` naming the position and what was expected."""
        parsed = parse_text(text)
        return cls(
            text, _name_gates(parsed.nodes), parsed.output, parsed.output_name, parsed.variables
        )

    @property
    def gates(self) -> tuple[Node, ...]:
        return tuple(n for n in self.nodes if n.kind is NodeKind.GATE)

    def label(self, index: int) -> str:
        """The name a node's value goes by on its edges: ``x``, ``q``, ``g2``, ``f`` or ``3``."""
        return self.output_name if index == self.output else self.nodes[index].name

    def run(self, values: Mapping[str, float]) -> GraphRun:
        """Forward then backward in float64; ``values`` maps each variable's name to a number.

        Raises GraphError if a variable has no finite value, or a gate's result is not a
        finite number (naming the gate's position and its inputs).
        """
        node_values = [np.float64(0.0)] * len(self.nodes)
        for node in self.nodes:
            if node.kind is NodeKind.VARIABLE:
                node_values[node.index] = self._value_of(node.name, values)
            elif node.kind is NodeKind.CONSTANT:
                node_values[node.index] = np.float64(node.constant)
        events: list[Event] = []
        with np.errstate(all="ignore"):  # a non-finite result is reported below, by gate
            for node in self.gates:
                inputs = tuple(node_values[i] for i in node.inputs)
                out = np.float64(node.gate.forward(inputs, node.exponent))
                self._check(node, out, inputs, "gives")
                node_values[node.index] = out
                events.append(
                    ForwardEvent(
                        node.index,
                        _floats(inputs),
                        float(out),
                        self._forward_text(node, inputs, out),
                    )
                )
            node_grads = [np.float64(0.0)] * len(self.nodes)
            node_grads[self.output] = np.float64(1.0)
            for node in reversed(self.gates):
                inputs = tuple(node_values[i] for i in node.inputs)
                upstream = node_grads[node.index]
                local = tuple(
                    np.float64(g)
                    for g in node.gate.local(inputs, node_values[node.index], node.exponent)
                )
                sent = tuple(upstream * g for g in local)
                for g in sent:
                    self._check(node, g, inputs, "sends back a gradient of")
                before = []  # each input's gradient from its other uses, as this one arrives
                for source, g in zip(node.inputs, sent, strict=True):
                    before.append(float(node_grads[source]))
                    node_grads[source] = node_grads[source] + g
                text = self._backward_text(node, upstream, local, sent, before)
                events.append(
                    BackwardEvent(node.index, float(upstream), _floats(local), _floats(sent), text)
                )
        grads = {name: float(node_grads[i]) for name, i in self._variable_nodes().items()}
        return GraphRun(
            self,
            float(node_values[self.output]),
            grads,
            _floats(node_values),
            _floats(node_grads),
            tuple(events),
        )

    # -- helpers -----------------------------------------------------------------------
    def _variable_nodes(self) -> dict[str, int]:
        return {n.name: n.index for n in self.nodes if n.kind is NodeKind.VARIABLE}

    def _value_of(self, name: str, values: Mapping[str, float]) -> np.float64:
        if name not in values:
            raise GraphError(f"no value for {name}")
        try:
            value = np.float64(values[name])
        except (TypeError, ValueError):
            raise GraphError(f"{name} needs a number, not {values[name]!r}") from None
        if not np.isfinite(value):
            raise GraphError(f"{name} needs a finite number, not {format_number(value)}")
        return value

    def _check(
        self, node: Node, value: np.float64, inputs: tuple[np.float64, ...], what: str
    ) -> None:
        if not np.isfinite(value):
            shown = ", ".join(format_number(v) for v in inputs)
            raise GraphError(
                f"{node.gate.name} of {shown} {what} {format_number(value)}, not a finite number",
                self.text,
                node.position,
            )

    def _fill(self, template: str, node: Node, names: tuple[str, ...], out: str) -> str:
        a, b = (*names, "")[:2]
        return template.format(a=a, b=b, out=out, k=format_number(node.exponent))

    def _forward_text(self, node: Node, inputs: tuple[np.float64, ...], out: np.float64) -> str:
        template = node.gate.forward_text
        names = tuple(self.label(i) for i in node.inputs)
        numbers = tuple(format_number(v) for v in inputs)
        symbolic = self._fill(template, node, names, self.label(node.index))
        numeric = self._fill(template, node, numbers, format_number(out))
        result = f"{self.label(node.index)} = {symbolic} = {numeric} = {format_number(out)}"
        return f"{node.gate.name}: {result}"

    def _backward_text(
        self,
        node: Node,
        upstream: np.float64,
        local: tuple[np.float64, ...],
        sent: tuple[np.float64, ...],
        before: list[float],
    ) -> str:
        names = tuple(self.label(i) for i in node.inputs)
        parts = []
        for slot, source in enumerate(node.inputs):
            if self.nodes[source].kind is NodeKind.CONSTANT:
                continue  # a number written in the text has no gradient worth stating
            formula = self._fill(node.gate.local_text[slot], node, names, self.label(node.index))
            part = (
                f"∂{self.output_name}/∂{names[slot]} = upstream × {formula} = "
                f"{format_number(upstream)} × {format_number(local[slot])} = "
                f"{format_number(sent[slot])}"
            )
            if self._used_before(source, node, slot):
                total = before[slot] + float(sent[slot])
                part += (
                    f" (added to the {format_number(before[slot])} from its other use: "
                    f"{format_number(total)})"
                )
            parts.append(part)
        return f"{node.gate.name}: {node.gate.rule} — " + "; ".join(parts)

    def _used_before(self, source: int, node: Node, slot: int) -> bool:
        """Whether ``source`` already received a gradient from a later gate or an earlier slot."""
        for consumer, s in self.consumers[source]:
            if consumer > node.index or (consumer == node.index and 0 <= s < slot):
                return True
        return False


def _name_gates(nodes: tuple[Node, ...]) -> tuple[Node, ...]:
    """Give every unnamed gate a name of its own (``g1``, ``g2``… in order), for the texts."""
    taken = {n.name for n in nodes if n.named}
    named: list[Node] = []
    count = 0
    for node in nodes:
        if node.kind is NodeKind.GATE and not node.named:
            count += 1
            while f"g{count}" in taken:
                count += 1
            node = replace(node, name=f"g{count}")
        named.append(node)
    return tuple(named)


def _floats(values: tuple[np.float64, ...] | list[np.float64]) -> tuple[float, ...]:
    return tuple(float(v) for v in values)
