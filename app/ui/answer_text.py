"""Answers as short text for people: option labels, numbers in their locale, states by name."""

from __future__ import annotations

from app.common.i18n import pick
from app.domain import Answer, AnswerState, AnswerType, AnswerValue, Indicator
from app.ui.i18n import N_, _, format_date, format_number

STATE_NAMES = {
    AnswerState.ANSWERED: N_("Answered"),
    AnswerState.DONT_KNOW: N_("Don't know"),
    AnswerState.NOT_APPLICABLE: N_("Not applicable"),
    AnswerState.NOT_MEASURED: N_("Not measured"),
    AnswerState.UNANSWERED: N_("Unanswered"),
}


def describe_value(indicator: Indicator, value: AnswerValue, lang: str) -> str:
    if value is None:
        return ""
    if indicator.type.is_choice:
        codes = value if isinstance(value, tuple) else (value,)
        labels = []
        for code in codes:
            option = indicator.option(str(code))
            labels.append(pick(option.label, lang) if option and option.label else str(code))
        return ", ".join(labels)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        unit = "%" if indicator.type is AnswerType.PERCENT else pick(indicator.unit, lang)
        decimals = indicator.decimals if indicator.type is AnswerType.COMPUTED else None
        text = format_number(value, decimals)
        return f"{text} {unit}".strip()
    if indicator.type is AnswerType.DATE and isinstance(value, str):
        return format_date(value)
    return str(value)


def describe_answer(indicator: Indicator, answer: Answer, lang: str) -> str:
    if answer.state is AnswerState.ANSWERED:
        return describe_value(indicator, answer.value, lang)
    return _(STATE_NAMES[answer.state])
