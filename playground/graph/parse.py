"""Reading a scalar function's text into graph nodes (recursive descent).

The text is one or more lines (or ``;``-separated statements); each but the last names
an intermediate value (``q = x + y``) and the last is the output (``f = q * z``, or a
bare expression, then called ``f``)::

    line     := [name "="] sum
    sum      := product (("+" | "-") product)*
    product  := unary (("*" | "/") unary)*
    unary    := ("-" | "+") unary | power
    power    := atom ["**" constant]          constant := ["-" | "+"] number | "(" constant ")"
    atom     := number | name | function "(" sum ["," sum] ")" | "(" sum ")"

``#`` starts a comment. ``×``, ``·``, ``÷`` and ``−`` are read as ``*``, ``*``, ``/``, ``-``.
Every problem raises ``GraphError`` with the offset where it is and what was expected.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

from playground.errors import GraphError
from playground.graph.gates import FUNCTIONS, GATES, OPERATORS
from playground.graph.nodes import Node, NodeKind

_TOKEN = re.compile(
    r"(?P<space>[ \t\r]+|\#[^\n]*)"
    r"|(?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<op>\*\*|[-+*/(),=;\n×·÷−])"
)
_SAME_AS = {"×": "*", "·": "*", "÷": "/", "−": "-"}
_ENDS = (";", "\n")  # what ends a statement
MAX_DEPTH = 100  # parentheses, calls and signs inside each other


@dataclass(frozen=True)
class Token:
    kind: str  # "number", "name", "op" or "end" (the end of the text)
    text: str
    position: int


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text`` (newlines are ``op`` tokens), closed by an ``end`` token."""
    tokens: list[Token] = []
    at = 0
    while at < len(text):
        match = _TOKEN.match(text, at)
        if match is None:
            raise GraphError(f"unexpected character {text[at]!r}", text, at)
        kind = match.lastgroup or ""
        if kind != "space":
            word = match.group()
            tokens.append(Token(kind, _SAME_AS.get(word, word), at))
        at = match.end()
    tokens.append(Token("end", "", len(text)))
    return tokens


@dataclass(frozen=True)
class ParsedText:
    nodes: tuple[Node, ...]  # topological: every input comes before the node using it
    output: int  # index of the output node
    output_name: str
    variables: tuple[str, ...]  # in order of first use


def parse_text(text: str) -> ParsedText:
    """Read ``text``; raise GraphError naming the position and what was expected."""
    return _Parser(text).parse()


def _describe(token: Token) -> str:
    if token.kind == "end":
        return "the end of the text"
    if token.text == "\n":
        return "the end of the line"
    return f"{token.text!r}"


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.at = 0
        self.nodes: list[Node] = []
        self.variables: dict[str, int] = {}  # name -> node
        self.assigned: dict[str, int] = {}  # name -> node
        self.assigned_at: dict[str, int] = {}  # name -> position of the assignment
        self.used_at: dict[str, int] = {}  # variable name -> position of its first use
        self.depth = 0  # how deeply the expression being read is nested

    # -- tokens ------------------------------------------------------------------------
    @property
    def token(self) -> Token:
        return self.tokens[self.at]

    def peek(self, ahead: int = 1) -> Token:
        return self.tokens[min(self.at + ahead, len(self.tokens) - 1)]

    def take(self) -> Token:
        token = self.token
        self.at += 1
        return token

    def is_op(self, *texts: str) -> bool:
        return self.token.kind == "op" and self.token.text in texts

    def error(self, expected: str, token: Token | None = None) -> GraphError:
        token = token or self.token
        return GraphError(
            f"expected {expected}, found {_describe(token)}", self.text, token.position
        )

    # -- statements --------------------------------------------------------------------
    def parse(self) -> ParsedText:
        statements: list[tuple[int, str | None, int]] = []  # (node, assigned name, position)
        while self.token.kind != "end":
            if self.is_op(*_ENDS):
                self.take()
                continue
            statements.append(self.statement())
        if not statements:
            raise GraphError("expected a function, e.g. (x + y) * z, found nothing", self.text, 0)
        output, output_name, _ = statements[-1]
        used = self.reachable(output)
        for node, name, position in statements[:-1]:
            if node not in used:
                what = f"{name} is" if name else "this line's value is"
                raise GraphError(
                    f"{what} never used by the last line (the output)", self.text, position
                )
        if output_name is None:  # a bare last line: its value is called f (or out, if f is taken)
            output_name = "out" if "f" in self.variables else "f"
        return ParsedText(tuple(self.nodes), output, output_name, tuple(self.variables))

    def statement(self) -> tuple[int, str | None, int]:
        start = self.token
        name = None
        if start.kind == "name" and self.peek().kind == "op" and self.peek().text == "=":
            name = start.text
            self.check_assignable(start)
            self.take()
            self.take()
        node = self.sum()
        if not self.is_op(*_ENDS) and self.token.kind != "end":
            hint = ""
            if self.token.kind in ("name", "number") or self.is_op("("):
                hint = " (write * to multiply)"
            raise self.error(f"an operator or the end of the line{hint}")
        if name is not None:
            self.assigned[name] = node
            self.assigned_at[name] = start.position
            if not self.nodes[node].named and self.nodes[node].kind is NodeKind.GATE:
                self.nodes[node] = replace(self.nodes[node], name=name, named=True)
        return node, name, start.position

    def check_assignable(self, token: Token) -> None:
        name = token.text
        if name in FUNCTIONS:
            raise GraphError(
                f"{name} is a function; name the value otherwise", self.text, token.position
            )
        if name in self.assigned:
            line = self.text.count("\n", 0, self.assigned_at[name]) + 1
            raise GraphError(
                f"{name} is assigned twice (first on line {line})", self.text, token.position
            )
        if name in self.variables:
            line = self.text.count("\n", 0, self.used_at[name]) + 1
            raise GraphError(
                f"{name} is used as an input on line {line} before this line assigns it",
                self.text,
                token.position,
            )

    def reachable(self, output: int) -> set[int]:
        seen = {output}
        stack = [output]
        while stack:
            for i in self.nodes[stack.pop()].inputs:
                if i not in seen:
                    seen.add(i)
                    stack.append(i)
        return seen

    # -- expressions -------------------------------------------------------------------
    def sum(self) -> int:
        node = self.product()
        while self.is_op("+", "-"):
            op = self.take()
            node = self.gate(OPERATORS[op.text], (node, self.product()), op.position)
        return node

    def product(self) -> int:
        node = self.unary()
        while self.is_op("*", "/"):
            op = self.take()
            node = self.gate(OPERATORS[op.text], (node, self.unary()), op.position)
        return node

    def unary(self) -> int:
        # Every nesting ("(", a call, a sign) passes here: a bound keeps Python's stack safe.
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise GraphError(f"nested more than {MAX_DEPTH} deep", self.text, self.token.position)
        try:
            return self.signed()
        finally:
            self.depth -= 1

    def signed(self) -> int:
        if self.is_op("+"):
            self.take()
            return self.unary()
        if self.is_op("-"):
            sign = self.take()
            following = self.peek()
            if self.token.kind == "number" and not (
                following.kind == "op" and following.text == "**"
            ):
                number = self.take()  # -3 is the constant −3, not a gate negating 3
                return self.add_constant(-float(number.text), "-" + number.text, sign.position)
            return self.gate("neg", (self.unary(),), sign.position)
        return self.power()

    def power(self) -> int:
        node = self.atom()
        if self.is_op("**"):
            op = self.take()
            return self.gate("pow", (node,), op.position, exponent=self.constant_exponent())
        return node

    def constant_exponent(self) -> float:
        if self.is_op("("):
            self.take()
            value = self.constant_exponent()
            if not self.is_op(")"):
                raise self.error("')'")
            self.take()
            return value
        sign = 1.0
        if self.is_op("-", "+"):
            sign = -1.0 if self.take().text == "-" else 1.0
        if self.token.kind != "number":
            raise self.error("a constant exponent (a number) after '**'")
        return sign * float(self.take().text)

    def atom(self) -> int:
        token = self.token
        if token.kind == "number":
            self.take()
            return self.add_constant(float(token.text), token.text, token.position)
        if token.kind == "name":
            self.take()
            if self.is_op("("):
                return self.call(token)
            if token.text in FUNCTIONS:
                raise self.error(f"'(' after {token.text}")
            return self.name(token)
        if self.is_op("("):
            self.take()
            node = self.sum()
            if not self.is_op(")"):
                raise self.error(f"')' to close the '(' at column {self.column(token)}")
            self.take()
            return node
        raise self.error("a number, a name, a function or '('")

    def call(self, name: Token) -> int:
        if name.text not in FUNCTIONS:
            raise GraphError(
                f"unknown function {name.text!r}; the functions are {', '.join(FUNCTIONS)}",
                self.text,
                name.position,
            )
        self.take()  # "("
        args = [self.sum()]
        while self.is_op(","):
            self.take()
            args.append(self.sum())
        if not self.is_op(")"):
            raise self.error(f"',' or ')' in the call of {name.text}")
        self.take()
        arity = GATES[name.text].arity
        if len(args) != arity:
            s = "s" if arity > 1 else ""
            raise GraphError(
                f"{name.text} takes {arity} argument{s}, found {len(args)}",
                self.text,
                name.position,
            )
        return self.gate(name.text, tuple(args), name.position)

    def name(self, token: Token) -> int:
        if token.text in self.assigned:
            return self.assigned[token.text]
        if token.text not in self.variables:
            node = self.add(
                Node(len(self.nodes), NodeKind.VARIABLE, token.text, token.position, named=True)
            )
            self.variables[token.text] = node
            self.used_at[token.text] = token.position
        return self.variables[token.text]

    # -- nodes -------------------------------------------------------------------------
    def add(self, node: Node) -> int:
        self.nodes.append(node)
        return node.index

    def add_constant(self, value: float, text: str, position: int) -> int:
        if not math.isfinite(value):
            raise GraphError(f"{text} is too large for a float64", self.text, position)
        return self.add(Node(len(self.nodes), NodeKind.CONSTANT, text, position, constant=value))

    def gate(self, gate: str, inputs: tuple[int, ...], position: int, exponent: float = 0.0) -> int:
        node = Node(
            len(self.nodes), NodeKind.GATE, "", position, GATES[gate], inputs, exponent=exponent
        )
        return self.add(node)

    def column(self, token: Token) -> int:
        return token.position - (self.text.rfind("\n", 0, token.position) + 1) + 1
