"""The nodes of a scalar graph: variables, constants and gates, and how numbers are written."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from playground.graph.gates import Gate


class NodeKind(Enum):
    VARIABLE = "variable"  # an input the user gives a value
    CONSTANT = "constant"  # a number written in the text
    GATE = "gate"


@dataclass(frozen=True)
class Node:
    """One node; ``inputs`` are indices of earlier nodes, so a graph's node list is topological.

    ``name`` is the variable's name, the name a line assigns (``q`` in ``q = x + y``), an
    automatic name (``g1``) for an unnamed gate, or the number's text for a constant.
    ``position`` is the node's offset in the text, for messages.
    """

    index: int
    kind: NodeKind
    name: str
    position: int
    gate: Gate | None = None
    inputs: tuple[int, ...] = ()
    constant: float = 0.0  # the value of a constant
    exponent: float = 0.0  # k of a pow gate
    named: bool = False  # True when the text names it (variables and assigned lines)


def format_number(value: float) -> str:
    """A value as the lecture writes it: four significant digits and a real minus sign."""
    value = float(value)
    if value == 0:
        return "0"  # never "-0"
    return f"{value:.4g}".replace("-", "−")
