"""Where each node of a gate graph goes: columns left to right, rows that keep chains straight.

A gate's column is one past its deepest gate input; a leaf (variable or constant) sits
in the column just before its first consumer, so an input appears where it is used, as
the lecture draws ``+1`` and the labels ``t``. Within a column, nodes keep the order in
which a walk from the output meets them (an operation's first input above its second),
and their rows are the weighted least-squares fit to the rows of their neighbours under
a minimum spacing, gates weighing more than leaves so that chains of gates stay straight.
Pure Python: no Qt.
"""

from __future__ import annotations

from dataclasses import dataclass

from playground.graph import Graph, NodeKind

_GATE_WEIGHT = 8.0  # a gate resists being moved eight times as much as a leaf
_SWEEPS = 6


@dataclass(frozen=True)
class Layout:
    columns: dict[int, int]  # node -> column (0 = leftmost)
    rows: dict[int, float]  # node -> row (1.0 = the spacing between two nodes)
    output_column: int  # where the output's name stands, right of the last gate


def layout(graph: Graph) -> Layout:
    """The column and row of every node of ``graph``."""
    nodes = graph.nodes
    consumers = [[c for c, slot in uses if slot >= 0] for uses in graph.consumers]
    columns: dict[int, int] = {}
    for node in nodes:  # topological order: inputs first
        if node.kind is NodeKind.GATE:
            columns[node.index] = 1 + max(
                (columns[i] for i in node.inputs if nodes[i].kind is NodeKind.GATE), default=0
            )
    for node in nodes:
        if node.kind is not NodeKind.GATE:
            used_at = [columns[c] for c in consumers[node.index]]
            columns[node.index] = min(used_at) - 1 if used_at else 0
    order = _walk_order(graph)
    by_column: dict[int, list[int]] = {}
    for index in sorted(columns, key=order.__getitem__):
        by_column.setdefault(columns[index], []).append(index)
    rows = {i: float(k) for members in by_column.values() for k, i in enumerate(members)}
    weights = {n.index: _GATE_WEIGHT if n.kind is NodeKind.GATE else 1.0 for n in nodes}
    ordered_columns = sorted(by_column)
    # Left to right a gate follows its inputs; right to left every node follows all its
    # neighbours, so leaves move towards their consumers.
    follow_inputs = [list(n.inputs) or consumers[n.index] for n in nodes]
    follow_all = [list(n.inputs) + consumers[n.index] for n in nodes]
    for _ in range(_SWEEPS):
        for sweep, neighbours in (
            (ordered_columns, follow_inputs),
            (ordered_columns[::-1], follow_all),
        ):
            for column in sweep:
                members = by_column[column]
                wanted = [_mean([rows[n] for n in neighbours[i]], rows[i]) for i in members]
                fitted = _spaced_fit(wanted, [weights[i] for i in members])
                rows.update(zip(members, fitted, strict=True))
    top = min(rows.values())
    rows = {i: r - top for i, r in rows.items()}
    return Layout(columns, rows, max(columns.values()) + 1)


def _walk_order(graph: Graph) -> dict[int, int]:
    """The order in which a depth-first walk from the output, first input first, ends nodes."""
    order: dict[int, int] = {}
    stack: list[tuple[int, int]] = [(graph.output, 0)]
    while stack:
        index, slot = stack.pop()
        inputs = graph.nodes[index].inputs
        if slot < len(inputs):
            stack.append((index, slot + 1))
            if inputs[slot] not in order:
                stack.append((inputs[slot], 0))
        elif index not in order:
            order[index] = len(order)
    for node in graph.nodes:  # unreachable nodes cannot occur, but order must be total
        order.setdefault(node.index, len(order))
    return order


def _spaced_fit(wanted: list[float], weights: list[float]) -> list[float]:
    """Rows y (in order, each at least 1 below the last) minimising Σ w·(y − wanted)².

    With z_k = y_k − k the constraint is z non-decreasing: weighted isotonic regression,
    solved by pooling adjacent violators.
    """
    blocks: list[list[float]] = []  # [mean, weight, count]
    for k, (target, weight) in enumerate(zip(wanted, weights, strict=True)):
        blocks.append([target - k, weight, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            mean2, weight2, count2 = blocks.pop()
            mean1, weight1, count1 = blocks[-1]
            total = weight1 + weight2
            blocks[-1] = [(mean1 * weight1 + mean2 * weight2) / total, total, count1 + count2]
    fitted: list[float] = []
    for mean, _, count in blocks:
        for _ in range(count):
            fitted.append(mean + len(fitted))
    return fitted


def _mean(values: list[float], default: float) -> float:
    return sum(values) / len(values) if values else default
