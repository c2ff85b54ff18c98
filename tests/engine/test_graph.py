"""Scalar graphs: the lecture's numbers, gradients against finite differences, bad text, layers."""

from __future__ import annotations

import math

import numpy as np
import pytest

from playground import Network, NetworkSpec
from playground.graph import (
    EXAMPLES,
    GATES,
    BackwardEvent,
    ForwardEvent,
    Graph,
    GraphError,
    dense_layer_graph,
    example,
    trace_layer_graph,
)
from playground.trace import BackwardStep


def run_example(key: str):
    ex = example(key)
    return Graph.parse(ex.text).run(ex.values)


# -- the worked examples ---------------------------------------------------------------------
def test_lecture_example_gives_the_slide_numbers():
    result = run_example("lecture")
    graph = result.graph
    q = next(n for n in graph.nodes if n.name == "q")
    assert result.node_values[q.index] == 3.0
    assert result.value == -12.0
    assert result.node_grads[q.index] == -4.0
    assert result.grads == {"x": -4.0, "y": -4.0, "z": 3.0}


def test_lecture_example_events_in_order_with_the_rule_and_numbers():
    result = run_example("lecture")
    kinds = [type(e) for e in result.events]
    assert kinds == [ForwardEvent, ForwardEvent, BackwardEvent, BackwardEvent]
    add, mul = result.graph.gates
    assert [e.node for e in result.events] == [add.index, mul.index, mul.index, add.index]
    texts = [e.text for e in result.events]
    assert texts[0] == "add: q = x + y = −2 + 5 = 3"
    assert texts[1] == "mul: f = q × z = 3 × −4 = −12"
    assert texts[2] == (
        "mul: swaps — ∂f/∂q = upstream × z = 1 × −4 = −4; ∂f/∂z = upstream × q = 1 × 3 = 3"
    )
    assert texts[3].startswith("add: distributes — ∂f/∂x = upstream × 1 = −4 × 1 = −4")
    backward_mul = result.events[2]
    assert (backward_mul.upstream, backward_mul.local, backward_mul.sent) == (
        1.0,
        (-4.0, 3.0),
        (-4.0, 3.0),
    )


@pytest.mark.parametrize("key", ["sigmoid_gates", "sigmoid_gate"])
def test_sigmoid_neuron_gives_the_lecture_numbers(key):
    result = run_example(key)
    assert round(result.value, 2) == 0.73
    rounded = {name: round(g, 2) for name, g in result.grads.items()}
    assert rounded == {"w0": -0.20, "x0": 0.39, "w1": -0.39, "x1": -0.59, "w2": 0.20}


def test_one_sigmoid_gate_gives_the_same_gradients_as_four_gates():
    gates, one = run_example("sigmoid_gates"), run_example("sigmoid_gate")
    assert len(gates.graph.gates) == 8 and len(one.graph.gates) == 5  # the lecture: 8 gates
    assert one.value == pytest.approx(gates.value, rel=1e-15)
    for name, g in gates.grads.items():
        assert one.grads[name] == pytest.approx(g, rel=1e-12)
    sigmoid = next(e for e in one.events if isinstance(e, BackwardEvent))
    assert sigmoid.text.startswith(
        "sigmoid: (1 − σ)·σ — ∂f/∂g4 = upstream × (1 − σ)·σ = 1 × 0.1966"
    )


def test_max_routes_add_distributes_mul_swaps():
    result = run_example("max_routes")
    assert result.value == -20.0
    assert result.grads == {"x": -8.0, "y": 6.0, "z": 2.0, "w": 0.0}
    max_event = next(
        e for e in result.events if isinstance(e, BackwardEvent) and e.text.startswith("max")
    )
    assert max_event.sent == (2.0, 0.0)
    assert "max: routes to the larger" in max_event.text


def test_mul_swaps():
    result = run_example("mul_swaps")
    assert result.grads == {"x": -4.0, "y": 3.0}


def test_softmax_with_loss_arrives_at_y_minus_t():
    ex = example("softmax_loss")
    result = run_example("softmax_loss")
    a = np.array([ex.values[f"a{k}"] for k in (1, 2, 3)])
    t = np.array([ex.values[f"t{k}"] for k in (1, 2, 3)])
    y = np.exp(a) / np.exp(a).sum()
    assert result.value == pytest.approx(-np.log(y[2]), rel=1e-14)
    grads = np.array([result.grads[f"a{k}"] for k in (1, 2, 3)])
    np.testing.assert_allclose(grads, y - t, rtol=1e-13)


def test_every_example_runs_and_its_note_matches_its_numbers():
    for key, ex in EXAMPLES.items():
        result = Graph.parse(ex.text).run(ex.values)
        assert set(result.grads) == set(ex.values), key
        assert result.graph.variables == tuple(ex.values), key  # the fields come in text order


# -- a value used twice ----------------------------------------------------------------------
def test_a_value_used_twice_gets_the_sum_of_its_gradients():
    result = Graph.parse("f = x * x").run({"x": 3.0})
    assert result.grads == {"x": 6.0}
    reuse = run_example("reuse")
    assert reuse.grads == {"x": -3.0, "y": 3.0}
    mul = reuse.events[-1]
    assert "(added to the 1 from its other use: −3)" in mul.text


def test_a_named_value_used_twice_gets_the_sum_of_its_gradients():
    result = Graph.parse("q = x * y\nf = q + q * z").run({"x": 2.0, "y": 3.0, "z": 4.0})
    q = next(n for n in result.graph.nodes if n.name == "q")
    assert result.node_grads[q.index] == 1.0 + 4.0
    assert result.grads == {"x": 15.0, "y": 10.0, "z": 6.0}


# -- the state after each step ---------------------------------------------------------------
def test_state_after_each_step_grows_to_the_full_run():
    result = run_example("max_routes")
    start = result.state_after(0)
    assert start.current is None and start.node_grads == {}
    assert all(g.index not in start.values for g in result.graph.gates)
    forward_done = result.state_after(result.forward_count)
    assert forward_done.values[result.graph.output] == result.value
    assert forward_done.node_grads == {result.graph.output: 1.0}
    end = result.state_after(len(result.events))
    variables = {n.name: n.index for n in result.graph.nodes if n.kind.value == "variable"}
    assert {name: end.node_grads[i] for name, i in variables.items()} == result.grads
    assert result.state_after(10**6) == end and result.state_after(-3) == start


# -- random expressions against central differences ------------------------------------------
VARIABLES = ("a", "b", "c", "d")


def random_expression(rng: np.random.Generator, depth: int, root: str | None = None) -> str:
    """Text of a random function of a…d with ``root`` as its last gate; log and div kept defined."""
    if root is None and (depth == 0 or rng.random() < 0.25):
        if rng.random() < 0.8:
            return str(rng.choice(VARIABLES))
        return f"{rng.uniform(-2, 2):.3f}"
    gate = root or str(rng.choice(sorted(GATES)))
    left = random_expression(rng, depth - 1)
    right = random_expression(rng, depth - 1)
    positive = f"(({left}) ** 2 + 0.5)"
    return {
        "add": f"({left} + {right})",
        "sub": f"({left} - {right})",
        "mul": f"({left} * {right})",
        "div": f"({right} / {positive})",
        "neg": f"-({left})",
        "pow": f"({left}) ** {rng.choice([2, 3, -2])}"
        if rng.random() < 0.5
        else f"{positive} ** 1.5",
        "exp": f"exp({left})",
        "log": f"log{positive}",
        "sigmoid": f"sigmoid({left})",
        "tanh": f"tanh({left})",
        "relu": f"relu({left})",
        "max": f"max({left}, {right})",
        "min": f"min({left}, {right})",
    }[gate]


def well_behaved(result) -> bool:
    """Values of moderate size and every relu/max/min input well away from its kink."""
    if any(abs(v) > 100 for v in result.node_values):
        return False
    for event in result.events:
        if not isinstance(event, ForwardEvent):
            continue
        name = result.graph.nodes[event.node].gate.name
        if name == "relu" and abs(event.inputs[0]) < 0.05:
            return False
        if name in ("max", "min") and abs(event.inputs[0] - event.inputs[1]) < 0.05:
            return False
        if name == "pow" and abs(event.inputs[0]) < 0.05:  # x ** -2 near 0
            return False
    return True


def numerical_gradient(graph: Graph, values: dict[str, float], name: str, h: float = 1e-3) -> float:
    """The fourth-order central difference (f(x-2h) - 8f(x-h) + 8f(x+h) - f(x+2h)) / 12h."""

    def f(shift: float) -> float:
        return graph.run({**values, name: values[name] + shift}).value

    return (f(-2 * h) - 8 * f(-h) + 8 * f(h) - f(2 * h)) / (12 * h)


@pytest.mark.parametrize("gate", sorted(GATES))
def test_random_expressions_match_central_differences(gate):
    rng = np.random.default_rng(sorted(GATES).index(gate))
    checked = 0
    while checked < 15:
        graph = Graph.parse(random_expression(rng, 3, root=gate))
        values = {name: float(rng.uniform(-2, 2)) for name in VARIABLES}
        try:
            result = graph.run(values)
        except GraphError:
            continue  # e.g. exp overflowing: such a draw says nothing about gradients
        if not well_behaved(result):
            continue
        assert graph.nodes[graph.output].gate.name == gate
        for name in graph.variables:
            analytic, numeric = result.grads[name], numerical_gradient(graph, values, name)
            scale = max(abs(analytic), abs(numeric), 1e-3)  # below 1e-3: absolutely, 1e-10
            assert abs(analytic - numeric) / scale <= 1e-7, (graph.text, values, name)
        checked += 1


# -- bad text --------------------------------------------------------------------------------
BAD_TEXT = [
    ("", 1, 1, "expected a function"),
    ("   \n  ", 1, 1, "expected a function"),
    ("x +", 1, 4, "expected a number, a name, a function or '(', found the end of the text"),
    ("x + * y", 1, 5, "found '*'"),
    ("(x + y", 1, 7, "expected ')' to close the '(' at column 1"),
    ("(x + y))", 1, 8, "expected an operator or the end of the line, found ')'"),
    ("x $ y", 1, 3, "unexpected character '$'"),
    ("2x", 1, 2, "write * to multiply"),
    ("foo(x)", 1, 1, "unknown function 'foo'"),
    ("max(x)", 1, 1, "max takes 2 arguments, found 1"),
    ("exp(x, y)", 1, 1, "exp takes 1 argument, found 2"),
    ("max(x y)", 1, 7, "expected ',' or ')' in the call of max"),
    ("exp + 1", 1, 5, "expected '(' after exp"),
    ("x ** y", 1, 6, "expected a constant exponent (a number) after '**'"),
    ("q = x\nq = y\nf = q", 2, 1, "q is assigned twice (first on line 1)"),
    ("f = q * 2\nq = x", 2, 1, "q is used as an input on line 1 before this line assigns it"),
    ("exp = x", 1, 1, "exp is a function"),
    ("q = x + 1\nf = y * 2", 1, 1, "q is never used by the last line"),
    ("x * y\nf = 2 * z", 1, 1, "this line's value is never used"),
    ("q = x +\ny", 1, 8, "found the end of the line"),
    ("f = ", 1, 5, "found the end of the text"),
    ("f = 2 * 1e400", 1, 9, "1e400 is too large for a float64"),
    ("(" * 101 + "x" + ")" * 101, 1, 101, "nested more than 100 deep"),
    ("-" * 101 + "x", 1, 101, "nested more than 100 deep"),
]


@pytest.mark.parametrize(("text", "line", "column", "fragment"), BAD_TEXT)
def test_bad_text_raises_graph_error_naming_the_position(text, line, column, fragment):
    with pytest.raises(GraphError) as caught:
        Graph.parse(text)
    error = caught.value
    assert isinstance(error, ValueError)
    assert (error.line, error.column) == (line, column)
    assert str(error).startswith(f"line {line}, column {column}: ")
    assert fragment in str(error)


def test_nesting_up_to_the_bound_is_read():
    assert Graph.parse("(" * 99 + "x" + ")" * 99).run({"x": 2.0}).value == 2.0


def test_operators_as_written_by_hand_are_read():
    graph = Graph.parse("f = −x × y ÷ 2 · z  # a comment")
    assert graph.run({"x": 1.0, "y": 4.0, "z": 3.0}).value == -6.0


def test_minus_a_number_is_a_constant_and_power_binds_tighter_than_minus():
    assert len(Graph.parse("f = x * -3").gates) == 1
    assert Graph.parse("f = -2 ** 2 + x").run({"x": 0.0}).value == -4.0
    assert Graph.parse("f = x ** -1").run({"x": 4.0}).grads == {"x": -1 / 16}


@pytest.mark.parametrize(
    ("text", "values", "fragment"),
    [
        ("f = x * y", {"x": 1.0}, "no value for y"),
        ("f = x * 2", {"x": "abc"}, "x needs a number"),
        ("f = x * 2", {"x": math.inf}, "x needs a finite number"),
        ("f = 3 + log(x)", {"x": -1.0}, "line 1, column 9: log of −1 gives nan"),
        ("f = y / x", {"x": 0.0, "y": 1.0}, "line 1, column 7: div of 1, 0 gives inf"),
    ],
)
def test_values_that_cannot_be_run_raise_graph_error(text, values, fragment):
    with pytest.raises(GraphError, match=None) as caught:
        Graph.parse(text).run(values)
    assert fragment in str(caught.value)


# -- a dense layer as its gates --------------------------------------------------------------
def tiny_network(activation: str) -> Network:
    layers = [{"type": "dense", "units": 3}]
    if activation != "none":
        layers.append({"type": activation})
    layers.append({"type": "dense", "units": 2})
    spec = NetworkSpec.from_dict(
        {"format_version": 1, "name": "Tiny", "input_shape": [3], "layers": layers,
         "loss": "softmax_cross_entropy"}
    )  # fmt: skip
    return Network.from_spec(spec, seed=0)  # on x below: units 1, 2 active, unit 3 not


@pytest.mark.parametrize("activation", ["relu", "leaky_relu", "sigmoid", "tanh", "none"])
def test_dense_layer_gates_match_the_trace(activation):
    net = tiny_network(activation)
    x = np.array([[0.5, -1.2, 2.0]], dtype=np.float32)
    steps = net.trace(x, np.array([1]))
    for index in (0, len(net.layers) - 1):  # the first dense (with activation) and the last
        gates = trace_layer_graph(net, steps, index)
        arrays = gates.arrays(gates.graph.run(gates.values))
        step = next(s for s in steps if isinstance(s, BackwardStep) and s.index == index)
        np.testing.assert_allclose(arrays["dW"], step.param_grads["W"], rtol=1e-5, atol=1e-7)
        np.testing.assert_allclose(arrays["db"], step.param_grads["b"], rtol=1e-5, atol=1e-7)
        np.testing.assert_allclose(arrays["dx"], step.dx[0], rtol=1e-5, atol=1e-7)
        assert np.abs(arrays["dW"]).max() > 1e-2  # gradients flow: the comparison can fail


def test_dense_layer_graph_is_many_multiply_and_add_gates():
    rng = np.random.default_rng(0)
    gates = dense_layer_graph(
        rng.normal(size=3), rng.normal(size=(3, 2)), rng.normal(size=2), "relu", rng.normal(size=2)
    )
    counts: dict[str, int] = {}
    for node in gates.graph.gates:
        counts[node.gate.name] = counts.get(node.gate.name, 0) + 1
    # 3x2 weights and the upstream u·y: 6 + 2 multiplies; 3 adds per unit and 1 to sum u·y
    assert counts == {"mul": 8, "add": 7, "relu": 2}
    assert gates.graph.variables[:3] == ("x1", "w11", "x2")


@pytest.mark.parametrize(
    ("shapes", "activation", "fragment"),
    [
        (((4,), (4, 2), (2,), (2,)), "relu", "too large to draw gate by gate"),
        (((3,), (3, 2), (3,), (2,)), "relu", "do not fit"),
        (((3,), (3, 2), (2,), (2,)), "softplus", "no gate for the activation 'softplus'"),
    ],
)
def test_dense_layer_graph_refuses_what_it_cannot_draw(shapes, activation, fragment):
    arrays = [np.zeros(s) for s in shapes]
    with pytest.raises(GraphError, match=fragment):
        dense_layer_graph(*arrays[:3], activation, arrays[3])
