"""The immutable tree an expression parses into, with the limits and the function table."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

MAX_DEPTH = 50  # nested parentheses, calls, `not` and unary minus
MAX_HEIGHT = 120  # height of the tree (long chains such as a + b + c + ...)

ARITHMETIC = ("+", "-", "*", "/")
COMPARISONS = ("=", "!=", "<", "<=", ">", ">=")
LOGICAL = ("and", "or")
# name -> (fewest arguments, most arguments or None, takes an indicator id as first argument)
FUNCTIONS: dict[str, tuple[int, int | None, bool]] = {
    "selected": (2, 2, True),
    "count_selected": (1, 1, True),
    "answered": (1, 1, True),
    "level": (1, 1, True),
    "min": (1, None, False),
    "max": (1, None, False),
}


def _height(*children: Expr) -> int:
    return 1 + max((child.height for child in children), default=0)


@dataclass(frozen=True)
class Expr:
    """A node of a parsed expression. `str(expr)` gives text that parses back to the same tree."""

    height: int = field(default=1, init=False, compare=False, repr=False)

    def children(self) -> tuple[Expr, ...]:
        return ()

    def walk(self) -> Iterator[Expr]:
        """This node and every node below it, parents first."""
        stack: list[Expr] = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children()))

    def references(self) -> frozenset[str]:
        """The indicator ids the expression reads."""
        return frozenset(node.indicator_id for node in self.walk() if isinstance(node, Ref))

    def uses_value(self) -> bool:
        """True when the expression reads the indicator's own value (`value`)."""
        return any(isinstance(node, OwnValue) for node in self.walk())


@dataclass(frozen=True)
class Literal(Expr):
    value: bool | int | float | str = 0

    def __str__(self) -> str:
        if isinstance(self.value, bool):
            return "true" if self.value else "false"
        if isinstance(self.value, str):
            quote = '"' if "'" in self.value else "'"
            return f"{quote}{self.value}{quote}"
        return repr(self.value)


@dataclass(frozen=True)
class Ref(Expr):
    """An indicator id: its value, or the indicator itself as a function argument."""

    indicator_id: str = ""
    column: int = field(default=0, compare=False, repr=False)

    def __str__(self) -> str:
        return self.indicator_id


@dataclass(frozen=True)
class OwnValue(Expr):
    def __str__(self) -> str:
        return "value"


@dataclass(frozen=True)
class Unary(Expr):
    op: str = "-"  # "-" or "not"
    operand: Expr = field(default_factory=Literal)

    def __post_init__(self) -> None:
        object.__setattr__(self, "height", _height(self.operand))

    def children(self) -> tuple[Expr, ...]:
        return (self.operand,)

    def __str__(self) -> str:
        # "-(3)" stays a negation; "-3" would read back as the literal -3.
        return f"(not {self.operand})" if self.op == "not" else f"(-({self.operand}))"


@dataclass(frozen=True)
class Binary(Expr):
    op: str = "+"
    left: Expr = field(default_factory=Literal)
    right: Expr = field(default_factory=Literal)

    def __post_init__(self) -> None:
        object.__setattr__(self, "height", _height(self.left, self.right))

    def children(self) -> tuple[Expr, ...]:
        return (self.left, self.right)

    def __str__(self) -> str:
        return f"({self.left} {self.op} {self.right})"


@dataclass(frozen=True)
class Call(Expr):
    name: str = "min"
    args: tuple[Expr, ...] = ()
    column: int = field(default=0, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "height", _height(*self.args))

    def children(self) -> tuple[Expr, ...]:
        return self.args

    def __str__(self) -> str:
        return f"{self.name}({', '.join(str(arg) for arg in self.args)})"
