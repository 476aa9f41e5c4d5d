"""The formula language: parsed into a tree, evaluated on aligned series, never eval-ed."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.errors import FormulaError
from indicators.plan.formula import parse_formula
from tests.indicators.plan.formula_reference import evaluate


def _series(values: dict[int, float | None]) -> pd.Series:
    return pd.Series(values, dtype="float64")


def test_share_in_percent_is_computed_per_year():
    formula = parse_formula("100 * el / alle")
    result = evaluate(formula, {"el": _series({2020: 20, 2021: 30}), "alle": _series({2020: 100, 2021: 120})})
    assert result.to_dict() == {2020: 20.0, 2021: 25.0}
    assert formula.names == {"el", "alle"}


def test_division_by_zero_gives_a_missing_value_not_a_crash():
    result = evaluate(
        parse_formula("a / b"), {"a": _series({2020: 1, 2021: 2}), "b": _series({2020: 0, 2021: 4})}
    )
    assert math.isnan(result[2020])
    assert result[2021] == 0.5


def test_division_by_constant_zero_gives_missing_values():
    result = evaluate(parse_formula("a / 0"), {"a": _series({2020: 1})})
    assert math.isnan(result[2020])


def test_missing_operand_gives_a_missing_value():
    a = _series({2020: 1, 2021: None, 2022: 3})
    b = _series({2020: 1, 2021: 1})  # no 2022 at all
    result = evaluate(parse_formula("a + b"), {"a": a, "b": b})
    assert result[2020] == 2
    assert math.isnan(result[2021])
    assert math.isnan(result[2022])


def test_precedence_parentheses_and_unary_minus():
    values = {"a": _series({1: 2.0}), "b": _series({1: 3.0})}
    assert evaluate(parse_formula("a + b * 2"), values)[1] == 8
    assert evaluate(parse_formula("(a + b) * 2"), values)[1] == 10
    assert evaluate(parse_formula("-a + b"), values)[1] == 1
    assert evaluate(parse_formula("1 / a"), values)[1] == 0.5


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os').system('true')",
        "a ** 99999999",
        "a.__class__",
        "(lambda: a)()",
        "a[0]",
        "a if b else 1",
        "a < b",
        "a and b",
        "'text'",
        "True",
        "a % 2",
        "a // 2",
        "[a, b]",
        "(a := 1)",
        "a; b",
        "",
        "1" + " + 1" * 600,
    ],
)
def test_anything_outside_the_grammar_is_rejected(text):
    with pytest.raises(FormulaError):
        parse_formula(text)


def test_deep_nesting_is_rejected_rather_than_exhausting_the_stack():
    with pytest.raises(FormulaError, match="nested"):
        parse_formula("(" * 80 + "a" + ")" * 80 + " + " + " + ".join(["a"] * 60))


def test_unknown_name_at_evaluation_is_a_formula_error():
    with pytest.raises(FormulaError, match="no series named b"):
        evaluate(parse_formula("a + b"), {"a": _series({1: 1})})


@settings(deadline=None)  # arithmetic on small series; machine load must not fail it
@given(
    st.lists(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), min_size=1, max_size=5),
    st.lists(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), min_size=1, max_size=5),
)
def test_evaluation_never_yields_infinity(xs, ys):
    a = pd.Series(xs, dtype="float64")
    b = pd.Series(ys, dtype="float64")
    result = evaluate(parse_formula("100 * a / b - b / a"), {"a": a, "b": b})
    assert not result.isin([math.inf, -math.inf]).any()


def test_formulas_parsed_in_many_threads_at_once_all_come_out_whole() -> None:
    # The app validates its catalogue in request threads while it reloads in another; CPython
    # 3.11's ast module could then raise a spurious SystemError (python/cpython#106905), which a
    # reader saw as a 500 on /data/<id>.json.
    from concurrent.futures import ThreadPoolExecutor

    text = " + ".join(f"(a{i} - b{i}) / c{i} * 100" for i in range(12))

    def parse(_: int) -> frozenset[str]:
        return parse_formula(text).names

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(parse, range(400)))
    assert all(names == results[0] for names in results) and len(results[0]) == 36


def test_a_spurious_ast_recursion_error_is_tried_again_and_other_system_errors_are_not(monkeypatch) -> None:
    import ast

    real_parse = ast.parse
    calls: list[str] = []

    def flaky(text: str, mode: str = "exec"):
        calls.append(text)
        if len(calls) == 1:
            raise SystemError("AST constructor recursion depth mismatch (before=186, after=38)")
        return real_parse(text, mode=mode)

    monkeypatch.setattr(ast, "parse", flaky)
    assert parse_formula("a / b * 100").names == frozenset({"a", "b"})
    assert len(calls) == 2

    def broken(text: str, mode: str = "exec"):
        raise SystemError("something else entirely")

    monkeypatch.setattr(ast, "parse", broken)
    with pytest.raises(SystemError, match="something else"):
        parse_formula("a / b")
