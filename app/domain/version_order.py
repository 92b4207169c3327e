"""The order of questionnaire versions, one rule for the shipped forms and the hub.

A version is text of letters, digits and `.`, `-`, `_` (docs/form-format.md). It is read as a
sequence of numbers and words, the separators only marking where one ends:

- numbers compare as numbers: 1.9 < 1.10 < 2.0; `2.0-1` is `2.0.1`, so 2.0.0 < 2.0-1;
- a word marks a pre-release, before the version it follows: 1.0a1 < 1.0b2 < 1.0rc1 < 1.0
  (words compare alphabetically, ignoring case);
- a version before one that extends it: 1.0 < 1.0.1.

Versions that read the same (`2.0-1`, `2.0.1`) are ordered by their text, so any two different
versions have a definite order and "newest" never depends on the order files were found in.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(r"([0-9]+)|[^0-9._-]+")
# A word sorts before the end of the version, and the end before a number.
_WORD, _END, _NUMBER = 0, 1, 2

Part = tuple[int, int, str]
VersionKey = tuple[tuple[Part, ...], str]


def version_key(version: str) -> VersionKey:
    """The sort key of a questionnaire version (see the module's rule); never raises."""
    parts: list[Part] = []
    for match in _TOKEN.finditer(version):
        if match.group(1):
            # by length, then digits: numeric order without int(), which refuses huge numbers
            digits = match.group(1).lstrip("0") or "0"
            parts.append((_NUMBER, len(digits), digits))
        else:
            parts.append((_WORD, 0, match.group(0).casefold()))
    parts.append((_END, 0, ""))
    return tuple(parts), version
