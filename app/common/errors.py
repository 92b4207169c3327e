"""The error classes that decide how a failure reaches a person.

A `UserError` is a problem the person can act on (bad input, unknown id, invalid file, disk full):
the faces show its message plainly, the CLI exits 1 with one line on stderr. Anything else is a bug:
logged with its traceback, shown as a crash report with the log location.
"""

from __future__ import annotations


class UserError(Exception):
    """A problem the user can act on. `str(err)` is the whole message shown to them."""

    exit_code = 1


class NotFoundError(UserError):
    """An id, file or record that does not exist."""


class ValidationError(UserError):
    """Input that breaks a rule: a value of the wrong type, out of range, unknown code."""


class DefinitionError(UserError):
    """A questionnaire definition file that cannot be used. Carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        super().__init__("\n".join(str(p) for p in (errors or problems)))


class StorageError(UserError):
    """The local database cannot do what was asked (disk full, damaged file, newer schema)."""


class HubUnreachable(UserError):
    """The hub could not be reached. A normal state when offline (CLI exit status 3)."""

    exit_code = 3


class Problem:
    """One finding about a file: `FILE:LINE: error: MESSAGE` (or `warning`)."""

    __slots__ = ("file", "line", "severity", "message")

    def __init__(self, file: str, line: int, severity: str, message: str) -> None:
        self.file = file
        self.line = max(1, line)
        self.severity = severity
        self.message = message

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.severity}: {self.message}"

    def __repr__(self) -> str:
        return f"Problem({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Problem) and str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))
