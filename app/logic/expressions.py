"""The expression language of questionnaire definitions: relevance, constraints, computed values.

Text is tokenised and parsed into an immutable tree (`parse`), and the tree is evaluated against an
`ExpressionEnv` (`evaluate`) without Python's `eval`. The grammar and the meaning of every operator
are documented in docs/form-format.md ("Expressions").

Evaluation is total: unknown (empty) values propagate as None, comparisons with None are false,
division by zero is None, mixing numbers and text in a comparison is false. Nothing a questionnaire
or an answer contains can make it raise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

from app.domain.answers import AnswerValue
from app.logic.expression_lexer import MAX_LENGTH, ExpressionError
from app.logic.expression_parser import parse_text
from app.logic.expression_tree import (
    ARITHMETIC,
    COMPARISONS,
    FUNCTIONS,
    MAX_DEPTH,
    MAX_HEIGHT,
    Binary,
    Call,
    Expr,
    Literal,
    OwnValue,
    Ref,
    Unary,
)

__all__ = [
    "FUNCTIONS",
    "MAX_DEPTH",
    "MAX_LENGTH",
    "Binary",
    "Call",
    "Expr",
    "ExpressionEnv",
    "ExpressionError",
    "Literal",
    "OwnValue",
    "Ref",
    "Result",
    "SimpleEnv",
    "Unary",
    "evaluate",
    "parse",
    "truthy",
]

Result = bool | int | float | str | tuple[str, ...] | None


class ExpressionEnv(Protocol):
    """What an expression can see: other answers, their levels, and the indicator's own value."""

    @property
    def own_value(self) -> AnswerValue:
        """The value of the indicator the expression belongs to (`value`)."""
        ...

    def value(self, indicator_id: str) -> AnswerValue:
        """The indicator's value, or None when it has no answered value."""
        ...

    def level(self, indicator_id: str) -> int | None:
        """The indicator's level 1-5, or None when it has none."""
        ...

    def is_answered(self, indicator_id: str) -> bool:
        """True when the indicator has a response in any state other than unanswered."""
        ...


@dataclass
class SimpleEnv:
    """An `ExpressionEnv` over plain dictionaries (tests, previews, validation)."""

    values: dict[str, AnswerValue] = field(default_factory=dict)
    levels: dict[str, int | None] = field(default_factory=dict)
    answered: frozenset[str] | None = None  # None: the ids in `values`
    own_value: AnswerValue = None

    def value(self, indicator_id: str) -> AnswerValue:
        return self.values.get(indicator_id)

    def level(self, indicator_id: str) -> int | None:
        return self.levels.get(indicator_id)

    def is_answered(self, indicator_id: str) -> bool:
        if self.answered is None:
            return self.values.get(indicator_id) is not None
        return indicator_id in self.answered


def parse(text: str) -> Expr:
    """The tree of `text`; ExpressionError (with a 1-based column) when it is not an expression."""
    if not isinstance(text, str):
        raise ExpressionError("an expression must be text", 1)
    return _parse_cached(text)


@lru_cache(maxsize=4096)  # trees are immutable, and scoring re-reads the same few texts
def _parse_cached(text: str) -> Expr:
    return parse_text(text)


def truthy(result: object) -> bool:
    """How a result reads as a condition: empty, false, 0, '' and no selection are false."""
    if result is None:
        return False
    if isinstance(result, bool):
        return result
    if isinstance(result, float):
        return result != 0 and not math.isnan(result)
    if isinstance(result, int):
        return result != 0
    if isinstance(result, str | tuple):
        return len(result) > 0
    return False


def evaluate(expr: Expr, env: ExpressionEnv) -> Result:
    """The value of `expr` with the answers in `env`. Never raises for a tree `parse` built."""
    if not isinstance(expr, Expr):
        raise ExpressionError("not an expression tree", 1)
    if expr.height > MAX_HEIGHT + 2:
        raise ExpressionError("the expression is nested too deeply", 1)
    try:
        return _eval(expr, env)
    except RecursionError:  # only a hand-built tree can get here: parse limits the height
        raise ExpressionError("the expression is nested too deeply", 1) from None


def _clean(raw: object) -> Result:
    """An env or literal value in one of the result types, or None for anything else."""
    if raw is None or isinstance(raw, bool | str):
        return raw
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        return raw if math.isfinite(raw) else None
    if isinstance(raw, tuple | list) and all(isinstance(item, str) for item in raw):
        return tuple(raw)
    return None


def _number(value: Result) -> int | float | None:
    """The value as a number; true and false count as 1 and 0 (to count conditions met)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return value
    return None


def _eval(node: Expr, env: ExpressionEnv) -> Result:
    if isinstance(node, Literal):
        return _clean(node.value)
    if isinstance(node, Ref):
        return _clean(env.value(node.indicator_id))
    if isinstance(node, OwnValue):
        return _clean(env.own_value)
    if isinstance(node, Unary):
        if node.op == "not":
            return not truthy(_eval(node.operand, env))
        if node.op == "-":
            number = _number(_eval(node.operand, env))
            return None if number is None else -number
        raise ExpressionError(f"unknown operator '{node.op}'", 1)
    if isinstance(node, Binary):
        return _eval_binary(node, env)
    if isinstance(node, Call):
        return _eval_call(node, env)
    raise ExpressionError(f"unknown node {type(node).__name__}", 1)


def _eval_binary(node: Binary, env: ExpressionEnv) -> Result:
    op = node.op
    if op == "and":
        return truthy(_eval(node.left, env)) and truthy(_eval(node.right, env))
    if op == "or":
        return truthy(_eval(node.left, env)) or truthy(_eval(node.right, env))
    left = _eval(node.left, env)
    right = _eval(node.right, env)
    if op in ARITHMETIC:
        return _arithmetic(op, _number(left), _number(right))
    if op in COMPARISONS:
        return _compare(op, left, right)
    raise ExpressionError(f"unknown operator '{op}'", 1)


def _arithmetic(op: str, a: int | float | None, b: int | float | None) -> int | float | None:
    if a is None or b is None:
        return None
    try:
        if op == "+":
            result = a + b
        elif op == "-":
            result = a - b
        elif op == "*":
            result = a * b
        elif b == 0:
            return None
        else:
            result = a / b
    except (OverflowError, ZeroDivisionError, ValueError):
        return None
    if isinstance(result, float) and not math.isfinite(result):
        return None
    return result


def _compare(op: str, a: Result, b: Result) -> bool:
    if a is None or b is None:
        return False
    na, nb = _number(a), _number(b)
    if na is not None and nb is not None:
        return _ordered(op, na, nb)
    if isinstance(a, str) and isinstance(b, str):
        return _ordered(op, a, b)  # dates (YYYY-MM-DD) order correctly as text
    if isinstance(a, tuple) and isinstance(b, tuple):
        same = sorted(a) == sorted(b)
        return same if op == "=" else (not same) if op == "!=" else False
    return False  # numbers against text and other mixtures never compare


def _ordered(op: str, a: int | float | str, b: int | float | str) -> bool:
    if op == "=":
        return a == b
    if op == "!=":
        return a != b
    # Mixed int/float comparisons are exact in Python; str only meets str here.
    if op == "<":
        return a < b  # type: ignore[operator]
    if op == "<=":
        return a <= b  # type: ignore[operator]
    if op == ">":
        return a > b  # type: ignore[operator]
    if op == ">=":
        return a >= b  # type: ignore[operator]
    return False


def _ref_id(node: Call) -> str | None:
    if node.args and isinstance(node.args[0], Ref):
        return node.args[0].indicator_id
    return None


def _eval_call(node: Call, env: ExpressionEnv) -> Result:
    name = node.name
    if name in ("min", "max"):
        numbers = [_number(_eval(arg, env)) for arg in node.args]
        if not numbers or any(number is None for number in numbers):
            return None
        present = [number for number in numbers if number is not None]
        return min(present) if name == "min" else max(present)
    indicator_id = _ref_id(node)
    if name not in FUNCTIONS or indicator_id is None:
        raise ExpressionError(f"malformed call {name}()", node.column or 1)
    if name == "answered":
        return bool(env.is_answered(indicator_id))
    if name == "level":
        level = env.level(indicator_id)
        return level if isinstance(level, int) and not isinstance(level, bool) else None
    value = _clean(env.value(indicator_id))
    if name == "count_selected":
        if isinstance(value, tuple):
            return len(value)
        return 1 if isinstance(value, str) else None
    # selected(ID, 'code')
    code = _eval(node.args[1], env) if len(node.args) > 1 else None
    if not isinstance(code, str):
        return False
    if isinstance(value, tuple):
        return code in value
    return isinstance(value, str) and value == code
