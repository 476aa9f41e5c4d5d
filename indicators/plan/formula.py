"""The formula language: ``+ - * /``, parentheses, numbers and series names.

Formulas are parsed with Python's ``ast`` module and checked against a whitelist of node
types, then evaluated by walking that tree on aligned pandas series. Nothing is ever passed
to ``eval``: a formula that uses anything else (powers, calls, attributes, subscripts,
comparisons, lambdas, names that are not series) is rejected when it is parsed.
"""

from __future__ import annotations

import ast
import operator
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from indicators.errors import FormulaError

if TYPE_CHECKING:
    # Imported where pandas series are evaluated: validating and `status` never need pandas.
    pass

MAX_FORMULA_LENGTH = 500
MAX_DEPTH = 50
# CPython 3.11's ast module keeps its recursion counter per interpreter, not per thread
# (python/cpython#106905): two threads parsing at once (the app reloading its catalogue while a
# request validates one) can make ast.parse raise a spurious "AST constructor recursion depth
# mismatch" SystemError, which reached a reader as a 500. Our own parses take turns; a parse
# that another library's thread disturbed is tried once more.
_PARSE_LOCK = threading.Lock()
_SPURIOUS_AST_ERROR = "AST constructor recursion depth mismatch"

_BINARY: dict[type[ast.operator], tuple[str, Callable]] = {
    ast.Add: ("+", operator.add),
    ast.Sub: ("-", operator.sub),
    ast.Mult: ("*", operator.mul),
    ast.Div: ("/", operator.truediv),
}


@dataclass(frozen=True)
class Number:
    value: float


@dataclass(frozen=True)
class Name:
    name: str


@dataclass(frozen=True)
class Negate:
    operand: Node


@dataclass(frozen=True)
class BinOp:
    op: str
    left: Node
    right: Node


Node = Number | Name | Negate | BinOp

_OPS: dict[str, Callable] = {symbol: fn for symbol, fn in _BINARY.values()}


@dataclass(frozen=True)
class Formula:
    """A parsed formula: its source text, tree and the series names it uses."""

    text: str
    tree: Node
    names: frozenset[str]


def parse_formula(text: str) -> Formula:
    """Parse ``text`` into a :class:`Formula`, or raise :class:`FormulaError` saying why not."""
    if not isinstance(text, str) or not text.strip():
        raise FormulaError("the formula is empty")
    if len(text) > MAX_FORMULA_LENGTH:
        raise FormulaError(f"the formula is longer than {MAX_FORMULA_LENGTH} characters")
    try:
        parsed = _parse_expression(text.strip())
    except SyntaxError as exc:
        column = f" at column {exc.offset}" if exc.offset else ""
        raise FormulaError(f"cannot read the formula{column}: {exc.msg}") from None
    names: set[str] = set()
    tree = _convert(parsed.body, names, depth=0)
    return Formula(text=text, tree=tree, names=frozenset(names))


def _parse_expression(text: str) -> ast.Expression:
    """``ast.parse(text, mode="eval")``, safe against the spurious SystemError described above."""
    with _PARSE_LOCK:
        try:
            return ast.parse(text, mode="eval")
        except SystemError as exc:
            if _SPURIOUS_AST_ERROR not in str(exc):
                raise
            return ast.parse(text, mode="eval")  # the counter starts afresh on each call


def _convert(node: ast.AST, names: set[str], depth: int) -> Node:
    if depth > MAX_DEPTH:
        raise FormulaError(f"the formula is nested more than {MAX_DEPTH} levels deep")
    if isinstance(node, ast.BinOp):
        entry = _BINARY.get(type(node.op))
        if entry is None:
            raise FormulaError(f"'{_describe(node)}' is not allowed; use only + - * / and parentheses")
        return BinOp(entry[0], _convert(node.left, names, depth + 1), _convert(node.right, names, depth + 1))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        operand = _convert(node.operand, names, depth + 1)
        return Negate(operand) if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            raise FormulaError(f"{node.value!r} is not a number; only numbers and series names are allowed")
        return Number(float(node.value))
    if isinstance(node, ast.Name):
        names.add(node.id)
        return Name(node.id)
    raise FormulaError(
        f"'{_describe(node)}' is not allowed; use only + - * /, parentheses, numbers and series names"
    )


def _describe(node: ast.AST) -> str:
    """A short name for what the analyst wrote, for the error message."""
    if isinstance(node, ast.BinOp):
        symbols = {
            ast.Pow: "**",
            ast.Mod: "%",
            ast.FloorDiv: "//",
            ast.MatMult: "@",
            ast.BitAnd: "&",
            ast.BitOr: "|",
            ast.BitXor: "^",
            ast.LShift: "<<",
            ast.RShift: ">>",
        }
        return symbols.get(type(node.op), type(node.op).__name__)
    kinds = {
        ast.Call: "a function call",
        ast.Attribute: "attribute access (.)",
        ast.Subscript: "indexing ([])",
        ast.Lambda: "lambda",
        ast.Compare: "a comparison",
        ast.BoolOp: "and/or",
        ast.IfExp: "if/else",
        ast.UnaryOp: "this unary operator",
        ast.List: "a list",
        ast.Tuple: "a tuple",
        ast.Dict: "a dict",
        ast.NamedExpr: ":=",
    }
    return kinds.get(type(node), type(node).__name__)
