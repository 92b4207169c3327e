"""Expression text -> tree: a recursive-descent parser, one method per precedence level.

Nesting and length are limited (MAX_DEPTH, MAX_HEIGHT, MAX_LENGTH) so that no input can exhaust
Python's stack: every failure is an ExpressionError with a 1-based column.
"""

from __future__ import annotations

from app.logic.expression_lexer import ExpressionError, Token, tokenize
from app.logic.expression_tree import (
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


def parse_text(text: str) -> Expr:
    return _Parser(text).parse()


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = tokenize(text)
        self.pos = 0
        self.depth = 0

    def parse(self) -> Expr:
        if self.peek().kind == "end":
            raise ExpressionError("the expression is empty", 1)
        expr = self.parse_or()
        token = self.peek()
        if token.kind != "end":
            raise ExpressionError(f"unexpected {token.describe()}", token.column)
        return expr

    def peek(self) -> Token:
        return self.tokens[self.pos]

    def advance(self) -> Token:
        token = self.tokens[self.pos]
        if token.kind != "end":
            self.pos += 1
        return token

    def expect(self, kind: str, text: str) -> Token:
        token = self.peek()
        if token.kind != kind or token.text != text:
            raise ExpressionError(f"expected '{text}' but found {token.describe()}", token.column)
        return self.advance()

    def enter(self, token: Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError(
                f"the expression is nested too deeply (more than {MAX_DEPTH} levels)", token.column
            )

    def binary(self, op: str, left: Expr, right: Expr, token: Token) -> Expr:
        node = Binary(op=op, left=left, right=right)
        if node.height > MAX_HEIGHT:
            raise ExpressionError("the expression is too long; split it up", token.column)
        return node

    def is_word(self, *words: str) -> bool:
        token = self.peek()
        return token.kind == "word" and token.text in words

    def is_op(self, *ops: str) -> bool:
        token = self.peek()
        return token.kind == "op" and token.text in ops

    def parse_or(self) -> Expr:
        left = self.parse_and()
        while self.is_word("or"):
            token = self.advance()
            left = self.binary("or", left, self.parse_and(), token)
        return left

    def parse_and(self) -> Expr:
        left = self.parse_not()
        while self.is_word("and"):
            token = self.advance()
            left = self.binary("and", left, self.parse_not(), token)
        return left

    def parse_not(self) -> Expr:
        if self.is_word("not"):
            token = self.advance()
            self.enter(token)
            operand = self.parse_not()
            self.depth -= 1
            return Unary(op="not", operand=operand)
        return self.parse_comparison()

    def parse_comparison(self) -> Expr:
        left = self.parse_additive()
        if self.is_op(*COMPARISONS):
            token = self.advance()
            left = self.binary(token.text, left, self.parse_additive(), token)
            if self.is_op(*COMPARISONS):
                raise ExpressionError(
                    "comparisons cannot be chained; join them with 'and'", self.peek().column
                )
        return left

    def parse_additive(self) -> Expr:
        left = self.parse_multiplicative()
        while self.is_op("+", "-"):
            token = self.advance()
            left = self.binary(token.text, left, self.parse_multiplicative(), token)
        return left

    def parse_multiplicative(self) -> Expr:
        left = self.parse_unary()
        while self.is_op("*", "/"):
            token = self.advance()
            left = self.binary(token.text, left, self.parse_unary(), token)
        return left

    def parse_unary(self) -> Expr:
        if self.is_op("-"):
            token = self.advance()
            following = self.peek()
            if following.kind == "number":  # a negative number is a literal, not a negation
                self.advance()
                number = following.number
                return Literal(value=-number)
            self.enter(token)
            operand = self.parse_unary()
            self.depth -= 1
            return Unary(op="-", operand=operand)
        return self.parse_primary()

    def parse_primary(self) -> Expr:
        token = self.advance()
        if token.kind == "number":
            return Literal(value=token.number)
        if token.kind == "string":
            return Literal(value=token.text)
        if token.kind == "id":
            return Ref(indicator_id=token.text, column=token.column)
        if token.kind == "word":
            if token.text in ("true", "false"):
                return Literal(value=token.text == "true")
            if token.text == "value":
                return OwnValue()
            if self.is_op("("):
                return self.parse_call(token)
            if token.text in ("and", "or", "not"):
                raise ExpressionError(f"'{token.text}' needs a value before it", token.column)
            raise ExpressionError(f"unknown name '{token.text}'", token.column)
        if token.kind == "op" and token.text == "(":
            self.enter(token)
            inner = self.parse_or()
            self.expect("op", ")")
            self.depth -= 1
            return inner
        if token.kind == "end":
            raise ExpressionError("the expression ends too early", token.column)
        raise ExpressionError(f"unexpected {token.describe()}", token.column)

    def parse_call(self, name: Token) -> Expr:
        spec = FUNCTIONS.get(name.text)
        if spec is None:
            known = ", ".join(FUNCTIONS)
            raise ExpressionError(f"unknown function '{name.text}' (known: {known})", name.column)
        self.enter(name)
        self.expect("op", "(")
        args: list[Expr] = []
        columns: list[int] = []
        if not self.is_op(")"):
            while True:
                columns.append(self.peek().column)
                args.append(self.parse_or())
                if not self.is_op(","):
                    break
                self.advance()
        self.expect("op", ")")
        self.depth -= 1
        fewest, most, takes_id = spec
        if len(args) < fewest or (most is not None and len(args) > most):
            wanted = str(fewest) if most == fewest else f"at least {fewest}"
            raise ExpressionError(
                f"{name.text}() takes {wanted} argument{'s' if wanted != '1' else ''}, "
                f"got {len(args)}",
                name.column,
            )
        if takes_id and not isinstance(args[0], Ref):
            raise ExpressionError(
                f"the first argument of {name.text}() must be an indicator id", columns[0]
            )
        if name.text == "selected" and not (
            isinstance(args[1], Literal) and isinstance(args[1].value, str)
        ):
            raise ExpressionError(
                "the second argument of selected() must be an option code in quotes", columns[1]
            )
        node = Call(name=name.text, args=tuple(args), column=name.column)
        if node.height > MAX_HEIGHT:
            raise ExpressionError("the expression is too long; split it up", name.column)
        return node
