"""Splitting expression text into tokens, each with its 1-based column for error messages."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

MAX_LENGTH = 2000

# An indicator id. A hyphen directly between letters/digits belongs to the id, so `A-01 - 2`
# subtracts 2 from A-01 while `A-01-2` is one id.
INDICATOR_ID = re.compile(r"[A-Z][A-Z0-9]*(-[A-Za-z0-9]+)+")

_NUMBER = re.compile(r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_UPPER_WORD = re.compile(r"[A-Z][A-Za-z0-9_]*(?:-[A-Za-z0-9]+)*")
_LOWER_WORD = re.compile(r"[a-z_][A-Za-z0-9_]*")
_TWO_CHAR_OPS = {"<=": "<=", ">=": ">=", "!=": "!=", "==": "="}
_ONE_CHAR_OPS = frozenset("+-*/=<>(),")


class ExpressionError(ValueError):
    """An expression that cannot be parsed (or a tree that cannot be evaluated)."""

    def __init__(self, message: str, column: int) -> None:
        self.message = message
        self.column = max(1, column)
        super().__init__(f"{message} (column {self.column})")


@dataclass(frozen=True)
class Token:
    kind: str  # "number", "string", "id", "word", "op", "end"
    text: str
    column: int
    number: int | float = 0

    def describe(self) -> str:
        if self.kind == "end":
            return "the end of the expression"
        if self.kind == "string":
            return f"the text '{self.text}'"
        return f"'{self.text}'"


def tokenize(text: str) -> list[Token]:
    if len(text) > MAX_LENGTH:
        raise ExpressionError(
            f"the expression is longer than {MAX_LENGTH} characters", MAX_LENGTH + 1
        )
    tokens: list[Token] = []
    pos = 0
    length = len(text)
    while pos < length:
        char = text[pos]
        column = pos + 1
        if char.isspace():
            pos += 1
            continue
        if char.isascii() and (char.isdigit() or (char == "." and _NUMBER.match(text, pos))):
            match = _NUMBER.match(text, pos)
            assert match is not None  # a digit always starts a number
            tokens.append(_number_token(match.group(), column))
            pos = match.end()
            continue
        if char in ("'", '"'):
            end = text.find(char, pos + 1)
            if end < 0:
                raise ExpressionError(f"the text starting here has no closing {char}", column)
            tokens.append(Token("string", text[pos + 1 : end], column))
            pos = end + 1
            continue
        if "A" <= char <= "Z":
            match = _UPPER_WORD.match(text, pos)
            assert match is not None
            word = match.group()
            if not INDICATOR_ID.fullmatch(word):
                raise ExpressionError(
                    f"'{word}' is not an indicator id (ids look like PATH-01)", column
                )
            tokens.append(Token("id", word, column))
            pos = match.end()
            continue
        if ("a" <= char <= "z") or char == "_":
            match = _LOWER_WORD.match(text, pos)
            assert match is not None
            tokens.append(Token("word", match.group(), column))
            pos = match.end()
            continue
        pair = text[pos : pos + 2]
        if pair in _TWO_CHAR_OPS:
            tokens.append(Token("op", _TWO_CHAR_OPS[pair], column))
            pos += 2
            continue
        if char in _ONE_CHAR_OPS:
            tokens.append(Token("op", char, column))
            pos += 1
            continue
        raise ExpressionError(f"unexpected character {char!r}", column)
    tokens.append(Token("end", "", length + 1))
    return tokens


def _number_token(text: str, column: int) -> Token:
    if any(mark in text for mark in ".eE"):
        number: int | float = float(text)
        if not math.isfinite(number):
            raise ExpressionError(f"the number {text} is too large", column)
    else:
        number = int(text)
    return Token("number", text, column, number)
