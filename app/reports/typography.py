"""Spaces that must not break: between a number and "%", and before French high punctuation.

Applied to the report's own strings and to questionnaire text, never to what people typed
(notes and answers are shown as entered).
"""

from __future__ import annotations

import re

NBSP = "\u00a0"
_NUMBER_PERCENT = re.compile(r"(\d) %")
_FRENCH_HIGH = re.compile(r" ([:;?!»])")  # French puts a space before these: keep it attached


def no_break_spaces(text: str, lang: str) -> str:
    text = _NUMBER_PERCENT.sub("\\1" + NBSP + "%", text)
    if lang == "fr":
        text = _FRENCH_HIGH.sub(NBSP + "\\1", text).replace("« ", "«" + NBSP)
    return text


def colon(lang: str) -> str:
    """The separator between a label and its value: "Level: 2", "Niveau : 2"."""
    return NBSP + ": " if lang == "fr" else ": "
