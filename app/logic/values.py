"""Answer values: turning JSON and command-line text into typed values, and checking them.

One encoding everywhere (see app.domain.answers). Every error names the indicator and says what
was expected, so a person can correct it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from app.common.errors import ValidationError
from app.domain import Answer, AnswerState, AnswerType, AnswerValue, Indicator

MAX_TEXT_LENGTH = 1_000_000  # a long text beyond this is certainly a mistake
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _fail(indicator: Indicator, message: str) -> ValidationError:
    return ValidationError(f"indicator {indicator.id}: {message}")


def coerce_value(indicator: Indicator, raw: Any) -> AnswerValue:
    """A JSON value (as in an answers file) -> the typed value for this indicator."""
    kind = indicator.type
    if raw is None:
        raise _fail(indicator, "a value is required (or give a state such as dont_know)")
    if kind is AnswerType.COMPUTED:
        raise _fail(indicator, "is computed from other answers and cannot be answered directly")
    if kind in (AnswerType.YES_PARTIAL_NO, AnswerType.SINGLE_CHOICE):
        if isinstance(raw, bool) and kind is AnswerType.YES_PARTIAL_NO:
            raw = "yes" if raw else "no"
        if not isinstance(raw, str):
            raise _fail(indicator, f"expected one option code, got {_show(raw)}")
        return _check_code(indicator, raw)
    if kind is AnswerType.MULTIPLE_CHOICE:
        if isinstance(raw, str):
            raw = [part for part in (p.strip() for p in raw.split(",")) if part]
        if not isinstance(raw, (list, tuple)) or not all(isinstance(c, str) for c in raw):
            raise _fail(indicator, f"expected a list of option codes, got {_show(raw)}")
        if not raw:
            raise _fail(indicator, "select at least one option (or answer don't know)")
        return _check_codes(indicator, raw)
    if kind.is_numeric:
        if isinstance(raw, bool) or not isinstance(raw, (int, float)):
            raise _fail(indicator, f"expected a number, got {_show(raw)}")
        return _check_number(indicator, raw)
    if kind is AnswerType.DATE:
        if not isinstance(raw, str):
            raise _fail(indicator, f"expected a date YYYY-MM-DD, got {_show(raw)}")
        return _check_date(indicator, raw)
    if not isinstance(raw, str):
        raise _fail(indicator, f"expected text, got {_show(raw)}")
    if len(raw) > MAX_TEXT_LENGTH:
        raise _fail(indicator, f"text is longer than {MAX_TEXT_LENGTH:,} characters")
    return raw


def parse_text_value(indicator: Indicator, text: str) -> AnswerValue:
    """Command-line text -> the typed value (numbers with a dot, choices separated by commas)."""
    kind = indicator.type
    if kind.is_numeric and kind is not AnswerType.COMPUTED:
        cleaned = text.strip()
        try:
            number: int | float = (
                int(cleaned) if re.fullmatch(r"[+-]?\d+", cleaned) else float(cleaned)
            )
        except ValueError:
            raise _fail(
                indicator, f"expected a number with a dot as decimal separator, got {text!r}"
            ) from None
        return coerce_value(indicator, number)
    if kind is AnswerType.MULTIPLE_CHOICE:
        return coerce_value(indicator, [p.strip() for p in text.split(",") if p.strip()])
    return coerce_value(
        indicator, text.strip() if kind.is_choice or kind is AnswerType.DATE else text
    )


def check_answer(indicator: Indicator, answer: Answer) -> Answer:
    """Validate state and value together; return the answer with its value normalised."""
    state = answer.state
    if state is AnswerState.UNANSWERED:
        return Answer(state=state, note=answer.note, evidence=answer.evidence)
    if state not in indicator.allowed_states:
        allowed = ", ".join(s.value for s in indicator.allowed_states)
        raise _fail(indicator, f"state {state.value!r} is not allowed here (allowed: {allowed})")
    if answer.evidence is not None:
        _check_evidence(indicator, answer.evidence)
    if state is not AnswerState.ANSWERED:
        if answer.value is not None:
            raise _fail(indicator, f"state {state.value!r} cannot carry a value")
        return answer
    value = coerce_value(
        indicator, list(answer.value) if isinstance(answer.value, tuple) else answer.value
    )
    if value == answer.value and type(value) is type(answer.value):
        return answer
    return Answer(value=value, state=state, note=answer.note, evidence=answer.evidence)


def answer_from_json(indicator: Indicator, entry: Any) -> Answer:
    """An answers-file entry: a bare value, or {value, state, note, evidence}."""
    if isinstance(entry, dict):
        unknown = set(entry) - {"value", "state", "note", "evidence"}
        if unknown:
            raise _fail(indicator, f"unknown key(s) {', '.join(sorted(unknown))}")
        state_text = entry.get("state", "answered" if "value" in entry else None)
        if state_text is None:
            raise _fail(indicator, "give a value or a state")
        state = parse_state(indicator, state_text)
        note = entry.get("note") or ""
        if not isinstance(note, str):
            raise _fail(indicator, "note must be text")
        evidence = entry.get("evidence")
        if evidence is not None and not isinstance(evidence, str):
            raise _fail(indicator, "evidence must be one of the evidence types")
        raw = entry.get("value")
        value = coerce_value(indicator, raw) if state is AnswerState.ANSWERED else None
        if state is not AnswerState.ANSWERED and raw is not None:
            raise _fail(indicator, f"state {state.value!r} cannot carry a value")
        return check_answer(
            indicator, Answer(value=value, state=state, note=note, evidence=evidence)
        )
    return check_answer(indicator, Answer(value=coerce_value(indicator, entry)))


def parse_state(indicator: Indicator, text: Any) -> AnswerState:
    try:
        return AnswerState(text)
    except ValueError:
        names = ", ".join(s.value for s in AnswerState)
        raise _fail(indicator, f"unknown state {text!r} (use one of {names})") from None


def value_to_json(value: AnswerValue) -> Any:
    """The JSON form of a typed value (tuples become lists)."""
    return list(value) if isinstance(value, tuple) else value


def _check_code(indicator: Indicator, code: str) -> str:
    if indicator.option(code) is None:
        codes = ", ".join(o.code for o in indicator.options)
        raise _fail(indicator, f"unknown option {code!r} (options: {codes})")
    return code


def _check_codes(indicator: Indicator, codes: Iterable[str]) -> tuple[str, ...]:
    chosen: list[str] = []
    for code in codes:
        _check_code(indicator, code)
        if code not in chosen:
            chosen.append(code)
    exclusive = [c for c in chosen if (o := indicator.option(c)) is not None and o.exclusive]
    if exclusive and len(chosen) > 1:
        raise _fail(indicator, f"option {exclusive[0]!r} excludes every other option")
    order = {o.code: i for i, o in enumerate(indicator.options)}
    return tuple(sorted(chosen, key=order.__getitem__))


def _check_number(indicator: Indicator, number: float) -> int | float:
    if isinstance(number, float) and not math.isfinite(number):
        raise _fail(indicator, "expected a finite number")
    if indicator.type is AnswerType.INTEGER:
        if isinstance(number, float):
            if not number.is_integer():
                raise _fail(indicator, f"expected a whole number, got {number}")
            number = int(number)
    low, high = indicator.minimum, indicator.maximum
    if indicator.type is AnswerType.PERCENT:
        low = 0 if low is None else low
        high = 100 if high is None else high
    if low is not None and number < low:
        raise _fail(indicator, f"{number} is below the minimum {low:g}")
    if high is not None and number > high:
        raise _fail(indicator, f"{number} is above the maximum {high:g}")
    return number


def _check_date(indicator: Indicator, text: str) -> str:
    try:
        if not _DATE.match(text):
            raise ValueError
        date.fromisoformat(text)
    except ValueError:
        raise _fail(indicator, f"expected a date YYYY-MM-DD, got {text!r}") from None
    return text


def _check_evidence(indicator: Indicator, evidence: str) -> None:
    from app.domain import EvidenceType

    if evidence not in {e.value for e in EvidenceType}:
        names = ", ".join(e.value for e in EvidenceType)
        raise _fail(indicator, f"unknown evidence type {evidence!r} (use one of {names})")


def _show(raw: Any) -> str:
    text = repr(raw)
    return text if len(text) <= 60 else text[:57] + "..."
