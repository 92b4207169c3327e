"""Reading typed fields out of YAML nodes, collecting a problem (with its line) for each mistake.

Every message names where it is ("indicator PATH-04, option 'yes'") and the field, so a person can
find and fix it: `FILE:LINE: error: indicator PATH-04, weight: must be above 0`.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Sequence

from app.common.errors import Problem
from app.common.i18n import DEFAULT_LANGUAGE, LANGUAGES
from app.forms.yamltree import Node

TRANSLATION_MAP = "a translation map {en: ..., es: ..., fr: ..., pt: ...}"


def at(where: str, field: str) -> str:
    """'indicator PATH-04' + 'help' -> 'indicator PATH-04, help'."""
    if not where:
        return field
    return f"{where}, {field}" if field else where


class Report:
    """The problems found in one file."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def error(self, line: int, where: str, message: str) -> None:
        self.problems.append(Problem(self.file, line, "error", _join(where, message)))

    def warning(self, line: int, where: str, message: str) -> None:
        self.problems.append(Problem(self.file, line, "warning", _join(where, message)))

    @property
    def has_errors(self) -> bool:
        return any(problem.severity == "error" for problem in self.problems)

    def in_order(self) -> list[Problem]:
        return sorted(self.problems, key=lambda problem: problem.line)


def _join(where: str, message: str) -> str:
    return f"{where}: {message}" if where else message


def read_text(
    node: Node, where: str, line: int, report: Report, *, required: bool
) -> dict[str, str]:
    """A translation map. English is required; other missing languages are warnings."""
    if node.kind == "scalar" and node.value is None:
        if required:
            report.error(line, where, "missing English text")
        return {}
    if node.kind != "map":
        report.error(line, where, f"expected {TRANSLATION_MAP}, got {node.describe()}")
        return {}
    text: dict[str, str] = {}
    for key, value in node.items:
        language = key.raw
        if language not in LANGUAGES:
            report.error(
                key.line, where, f"unknown language '{language}' (use {', '.join(LANGUAGES)})"
            )
            continue
        if language in text:
            report.error(key.line, where, f"'{language}' is given twice")
            continue
        if value.kind != "scalar":
            report.error(value.line, where, f"'{language}' must be text, not {value.describe()}")
            continue
        if value.value is None:
            continue
        # `en: Yes` is the word Yes, not YAML's boolean: keep the text as written.
        string = value.value if isinstance(value.value, str) else value.raw
        if string.strip():
            text[language] = string
    if DEFAULT_LANGUAGE not in text:
        if required or text:
            report.error(line, where, "missing English text")
        return text
    for language in LANGUAGES:
        if language not in text:
            report.warning(line, where, f"missing translation '{language}'")
    return text


class Fields:
    """The fields of one YAML mapping, checked against the names allowed there."""

    def __init__(
        self,
        node: Node,
        where: str,
        report: Report,
        allowed: Sequence[str],
        required: Sequence[str] = (),
    ) -> None:
        self.where = where
        self.report = report
        self.line = node.line
        self.values: dict[str, Node] = {}
        self.key_lines: dict[str, int] = {}
        self.required = frozenset(required)
        self.ok = node.kind == "map"
        if not self.ok:
            report.error(node.line, where, f"expected a mapping of fields, got {node.describe()}")
            return
        for key, value in node.items:
            name = key.raw
            if name in self.values:
                report.error(key.line, where, f"field '{name}' is given twice")
                continue
            if name not in allowed:
                report.error(key.line, where, _unknown_field(name, allowed))
                continue
            self.values[name] = value
            self.key_lines[name] = key.line
        for name in required:
            if name not in self.values:
                report.error(node.line, where, f"missing required field '{name}'")

    def has(self, key: str) -> bool:
        return key in self.values

    def node(self, key: str) -> Node | None:
        return self.values.get(key)

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)

    def error(self, key: str, message: str, line: int | None = None) -> None:
        self.report.error(line or self.line_of(key), at(self.where, key), message)

    def warning(self, key: str, message: str, line: int | None = None) -> None:
        self.report.warning(line or self.line_of(key), at(self.where, key), message)

    def _scalar(self, key: str, wanted: str) -> Node | None:
        node = self.values.get(key)
        if node is None:
            return None
        if node.kind != "scalar" or node.value is None:
            self.error(key, f"expected {wanted}, got {node.describe()}")
            return None
        return node

    def string(
        self,
        key: str,
        default: str | None = None,
        *,
        pattern: re.Pattern[str] | None = None,
        hint: str = "",
        free: bool = False,
    ) -> str | None:
        """Text. `free` text keeps what was written (`source: 2018` is the text "2018")."""
        node = self._scalar(key, "text")
        if node is None:
            return default
        if isinstance(node.value, str):
            value = node.value
        elif free:
            value = node.raw
        else:
            self.error(key, f"expected text, got {node.describe()} (put it in quotes)")
            return default
        if pattern is not None and not pattern.fullmatch(value):
            self.error(key, f"'{value}' is not valid{': ' + hint if hint else ''}")
            return default
        return value

    def boolean(self, key: str, default: bool) -> bool:
        node = self._scalar(key, "true or false")
        if node is None:
            return default
        if not isinstance(node.value, bool):
            self.error(key, f"expected true or false, got {node.describe()}")
            return default
        return node.value

    def number(self, key: str, default: float | None = None) -> float | None:
        node = self._scalar(key, "a number")
        if node is None:
            return default
        value = node.value
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.error(key, f"expected a number, got {node.describe()}")
            return default
        if not math.isfinite(value) or abs(value) > 1e15:
            self.error(key, f"{node.raw} is out of range")
            return default
        return value

    def integer(self, key: str, default: int | None = None) -> int | None:
        node = self._scalar(key, "a whole number")
        if node is None:
            return default
        value = node.value
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(key, f"expected a whole number, got {node.describe()}")
            return default
        return value

    def level(self, key: str = "level") -> int | None:
        """A level 1-5 (messages name the owner: "option 'yes': level 7 is outside 1-5")."""
        value = self.integer(key)
        if value is not None and not 1 <= value <= 5:
            self.report.error(self.line_of(key), self.where, f"level {value} is outside 1-5")
            return None
        return value

    def text(self, key: str, *, required: bool = False) -> dict[str, str]:
        node = self.values.get(key)
        if node is None:
            if required and self.ok and key not in self.required:  # else reported as missing
                self.report.error(self.line, at(self.where, key), "missing English text")
            return {}
        return read_text(
            node, at(self.where, key), self.line_of(key), self.report, required=required
        )

    def items(self, key: str, *, required: bool = False) -> list[Node]:
        """A list field; an empty list when missing or wrong."""
        node = self.values.get(key)
        if node is None:
            return []
        if node.kind != "seq":
            self.error(key, f"expected a list, got {node.describe()}")
            return []
        if required and not node.children:
            self.error(key, "the list is empty")
        return node.children

    def mapping(self, key: str) -> list[tuple[Node, Node]]:
        """A mapping field as (key, value) node pairs; empty when missing or wrong."""
        node = self.values.get(key)
        if node is None:
            return []
        if node.kind != "map":
            self.error(key, f"expected a mapping, got {node.describe()}")
            return []
        return node.items


def _unknown_field(name: str, allowed: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, allowed, n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    return f"unknown field '{name}' ({hint}allowed: {', '.join(allowed)})"
