"""Where the graph view puts each node: inputs left, gates right of their inputs, rows apart."""

from __future__ import annotations

import itertools

import pytest

from playground.graph import EXAMPLES, Graph, NodeKind, dense_layer_graph
from ui.graph.layout import _spaced_fit, layout


def test_the_lecture_example_reads_left_to_right():
    graph = Graph.parse(EXAMPLES["lecture"].text)
    places = layout(graph)
    by_name = {graph.label(n.index): n.index for n in graph.nodes}
    columns = {name: places.columns[i] for name, i in by_name.items()}
    assert columns == {"x": 0, "y": 0, "q": 1, "z": 1, "f": 2}
    assert places.rows[by_name["x"]] < places.rows[by_name["y"]]  # first input above
    assert places.output_column == 3


@pytest.mark.parametrize("key", list(EXAMPLES))
def test_every_gate_is_right_of_its_inputs_and_nodes_never_overlap(key):
    graph = Graph.parse(EXAMPLES[key].text)
    places = layout(graph)
    for node in graph.nodes:
        for source in node.inputs:
            assert places.columns[source] < places.columns[node.index]
        if node.kind is not NodeKind.GATE:  # a leaf stands just before its first use
            uses = [c for c, slot in graph.consumers[node.index] if slot >= 0]
            assert places.columns[node.index] == min(places.columns[c] for c in uses) - 1
    for a, b in itertools.combinations(range(len(graph.nodes)), 2):
        if places.columns[a] == places.columns[b]:
            assert abs(places.rows[a] - places.rows[b]) >= 1 - 1e-9
    assert min(places.rows.values()) == 0


def test_a_dense_layer_graph_is_laid_out_without_overlaps():
    gates = dense_layer_graph([1, 2, 3], [[1] * 3] * 3, [0] * 3, "tanh", [1] * 3)
    places = layout(gates.graph)
    cells = {}
    for index, column in places.columns.items():
        for other in cells.get(column, []):
            assert abs(places.rows[index] - places.rows[other]) >= 1 - 1e-9
        cells.setdefault(column, []).append(index)


def test_spaced_fit_keeps_order_and_spacing_and_moves_light_nodes_first():
    assert _spaced_fit([0.0, 5.0], [1.0, 1.0]) == [0.0, 5.0]  # far enough apart: unchanged
    fitted = _spaced_fit([2.0, 2.0], [8.0, 1.0])  # both want row 2: the light one moves
    assert fitted[1] - fitted[0] == pytest.approx(1.0)
    assert fitted[0] == pytest.approx(2.0 - 1 / 9)
    assert _spaced_fit([3.0, 1.0, 2.0], [1.0, 1.0, 1.0]) == pytest.approx([1.0, 2.0, 3.0])
