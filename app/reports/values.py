"""Answers, numbers and states in words, in the report's language. No scoring here."""

from __future__ import annotations

from collections.abc import Mapping

from app.common.i18n import pick
from app.common.numbers import format_number, format_percent, with_percent
from app.domain import Answer, AnswerState, AnswerType, AnswerValue, Indicator
from app.reports.data import RawValue

SCORE_DECIMALS = 2  # as the JSON output (app.scoring.json): the same score reads the same


def raw_value(value: AnswerValue) -> RawValue:
    """The answer in the CLI encoding; a multiple choice as codes joined by commas."""
    if isinstance(value, tuple):
        return ",".join(value)
    return value


def value_text(indicator: Indicator, value: AnswerValue, lang: str) -> str:
    """An answered value in words: option labels, a number with its unit, a date, a text."""
    if value is None:
        return ""
    if isinstance(value, tuple):
        return "; ".join(_option_label(indicator, code, lang) for code in value)
    if isinstance(value, bool):  # never expected; keep it readable rather than "True"
        return str(value).lower()
    if isinstance(value, int | float):
        text = number_text(value, lang, indicator.decimals)
        unit = pick(indicator.unit, lang).strip()
        if indicator.type is AnswerType.PERCENT or unit == "%":
            return with_percent(text, lang)
        return f"{text}\u00a0{unit}" if unit else text  # the unit stays with its number
    if indicator.type.is_choice:
        return _option_label(indicator, value, lang)
    return value


def number_text(value: float, lang: str, decimals: int | None = None) -> str:
    """A number for people: no exponent, the language's separators (`app.common.numbers`)."""
    if isinstance(value, int) or decimals is not None:
        return format_number(value, lang, decimals)
    return format_number(round(value, 4), lang)


def _option_label(indicator: Indicator, code: str, lang: str) -> str:
    option = indicator.option(code)
    if option is None:
        return code
    return pick(option.label, lang) or code


def state_label(state: AnswerState | str, labels: Mapping[str, str]) -> str:
    return labels.get(f"state_{state}", str(state))


def answer_words(indicator: Indicator, answer: Answer, lang: str, labels: Mapping[str, str]) -> str:
    """The answer in words; the state in words when there is no value."""
    if answer.state is AnswerState.ANSWERED and answer.value is not None:
        return value_text(indicator, answer.value, lang)
    return state_label(answer.state, labels)


def evidence_label(evidence: str | None, labels: Mapping[str, str]) -> str:
    if not evidence:
        return ""
    return labels.get(f"evidence_{evidence}", evidence)


def score_text(score: float | None, lang: str, labels: Mapping[str, str]) -> str:
    if score is None:
        return labels["none"]
    return format_number(score, lang, SCORE_DECIMALS)


def percent_text(share: float, lang: str) -> str:
    return format_percent(share, lang)


def weight_text(weight: float, lang: str) -> str:
    return format_number(weight, lang, 0 if weight == int(weight) else None)


def timestamp_text(iso: str | None) -> str:
    """`2026-11-22T10:42:00Z` -> `2026-11-22 10:42 UTC`; anything else is shown as given."""
    if not iso:
        return ""
    if len(iso) >= 16 and iso[10] == "T":
        return f"{iso[:10]} {iso[11:16]} UTC"
    return iso


def bound_text(number: float, lang: str) -> str:
    return number_text(int(number) if number == int(number) else number, lang)
