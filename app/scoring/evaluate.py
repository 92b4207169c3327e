"""Stage one of scoring: each indicator's answer -> its level, with relevance and computed values.

Relevance, computed values and expression levels may refer to other indicators, so evaluation is
lazy and memoised; a cycle (refused by the validator, but tolerated here) reads as "no value".
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from app.domain import (
    UNANSWERED,
    Answer,
    AnswerState,
    AnswerType,
    AnswerValue,
    Band,
    Indicator,
    IndicatorResult,
    LevelBy,
    Questionnaire,
)
from app.logic.expressions import Expr, evaluate, parse, truthy

_GAP_STATES = (AnswerState.DONT_KNOW, AnswerState.NOT_MEASURED)


@lru_cache(maxsize=4096)
def compiled(text: str) -> Expr:
    """Parse once per distinct expression text (definitions are validated before use)."""
    return parse(text)


@lru_cache(maxsize=4096)
def references(text: str) -> frozenset[str]:
    """The indicator ids an expression reads (cached: relevance is asked about often)."""
    return compiled(text).references()


def band_level(bands: Sequence[Band], number: float) -> int | None:
    """The level of the last band whose lower bound the number reaches (first band below it)."""
    if not bands:
        return None
    chosen = bands[0].level
    for band in bands:
        if number >= band.minimum:
            chosen = band.level
        else:
            break
    return chosen


def clamp_level(raw: Any) -> int | None:
    if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not math.isfinite(raw):
        return None
    return max(1, min(5, math.floor(raw + 1e-9)))


class Evaluation:
    """Lazy, memoised evaluation of one questionnaire against one set of city answers."""

    def __init__(self, questionnaire: Questionnaire, answers: Mapping[str, Answer]) -> None:
        self.questionnaire = questionnaire
        self.answers = answers
        self._values: dict[str, AnswerValue] = {}
        self._states: dict[str, AnswerState] = {}
        self._levels: dict[str, int | None] = {}
        self._relevant: dict[str, bool] = {}
        self._busy: set[tuple[str, str]] = set()

    # -- the environment expressions see ------------------------------------------------------

    def value(self, indicator_id: str) -> AnswerValue:
        self._resolve(indicator_id)
        return self._values.get(indicator_id)

    def level(self, indicator_id: str) -> int | None:
        if indicator_id in self._levels:
            return self._levels[indicator_id]
        key = ("level", indicator_id)
        if key in self._busy or not self.questionnaire.has_indicator(indicator_id):
            return None
        self._busy.add(key)
        try:
            result = self._level_of(self.questionnaire.indicator(indicator_id))
        finally:
            self._busy.discard(key)
        self._levels[indicator_id] = result
        return result

    def is_answered(self, indicator_id: str) -> bool:
        self._resolve(indicator_id)
        return self._states.get(indicator_id, AnswerState.UNANSWERED) is not AnswerState.UNANSWERED

    own_value: AnswerValue = None

    # -- per indicator ------------------------------------------------------------------------

    def state(self, indicator_id: str) -> AnswerState:
        self._resolve(indicator_id)
        return self._states.get(indicator_id, AnswerState.UNANSWERED)

    def relevant(self, indicator: Indicator) -> bool:
        if indicator.relevance is None:
            return True
        if indicator.id in self._relevant:
            return self._relevant[indicator.id]
        key = ("relevance", indicator.id)
        if key in self._busy:
            return True
        self._busy.add(key)
        try:
            result = truthy(evaluate(compiled(indicator.relevance), _Env(self, None)))
        finally:
            self._busy.discard(key)
        self._relevant[indicator.id] = result
        return result

    def constraint_holds(self, indicator: Indicator) -> bool:
        if indicator.constraint is None or self.state(indicator.id) is not AnswerState.ANSWERED:
            return True
        own = self.value(indicator.id)
        return truthy(evaluate(compiled(indicator.constraint), _Env(self, own)))

    def result(self, indicator: Indicator, disagreement: bool = False) -> IndicatorResult:
        relevant = self.relevant(indicator)
        state = self.state(indicator.id)
        level = self.level(indicator.id) if relevant and indicator.scored else None
        return IndicatorResult(
            indicator_id=indicator.id,
            state=state,
            level=level,
            value=self.value(indicator.id),
            relevant=relevant,
            data_gap=relevant and indicator.scored and state in _GAP_STATES,
            disagreement=disagreement,
            constraint_failed=not self.constraint_holds(indicator),
            relevance_pending=not relevant and self.relevance_pending(indicator),
            national=indicator.national,
        )

    def relevance_pending(self, indicator: Indicator) -> bool:
        """Relevance depends on an answer that is missing or unknown, so it is not decided yet."""
        if indicator.relevance is None:
            return False
        undecided = (AnswerState.UNANSWERED, *_GAP_STATES)
        return any(self.state(ref) in undecided for ref in references(indicator.relevance))

    # -- internals ----------------------------------------------------------------------------

    def _resolve(self, indicator_id: str) -> None:
        if indicator_id in self._states:
            return
        if not self.questionnaire.has_indicator(indicator_id):
            self._states[indicator_id] = AnswerState.UNANSWERED
            return
        indicator = self.questionnaire.indicator(indicator_id)
        if indicator.type is AnswerType.COMPUTED and indicator.compute:
            key = ("compute", indicator_id)
            if key in self._busy:
                return
            self._busy.add(key)
            try:
                value, state = self._compute(indicator)
            finally:
                self._busy.discard(key)
        else:
            answer = self.answers.get(indicator_id, UNANSWERED)
            value = answer.value if answer.state is AnswerState.ANSWERED else None
            state = answer.state
        self._values[indicator_id] = value
        self._states[indicator_id] = state

    def _compute(self, indicator: Indicator) -> tuple[AnswerValue, AnswerState]:
        expr = compiled(indicator.compute or "")
        raw = evaluate(expr, _Env(self, None))
        if isinstance(raw, (int, float)) and not isinstance(raw, bool) and math.isfinite(raw):
            return raw, AnswerState.ANSWERED
        # No value: a data gap if an input is a data gap, otherwise simply not answered yet.
        inputs = [self.state(ref) for ref in sorted(expr.references())]
        if any(s in _GAP_STATES for s in inputs):
            return None, AnswerState.DONT_KNOW
        if inputs and all(s is AnswerState.NOT_APPLICABLE for s in inputs):
            return None, AnswerState.NOT_APPLICABLE
        return None, AnswerState.UNANSWERED

    def _level_of(self, indicator: Indicator) -> int | None:
        if not indicator.scored or indicator.level_by is LevelBy.NONE:
            return None
        state = self.state(indicator.id)
        if state in _GAP_STATES:
            return 1
        if state is not AnswerState.ANSWERED:
            return None
        if not self.constraint_holds(indicator):
            return 1  # an answer that breaks its own rule earns no credit (conservative)
        return level_for_value(indicator, self.value(indicator.id), self)


def level_for_value(indicator: Indicator, value: AnswerValue, env: Evaluation) -> int | None:
    """The level an answered value reaches under the indicator's mapping."""
    how = indicator.level_by
    if how is LevelBy.OPTION and isinstance(value, str):
        option = indicator.option(value)
        return option.level if option else None
    if how in (LevelBy.MAX_OPTION, LevelBy.COUNT):
        codes = (value,) if isinstance(value, str) else value if isinstance(value, tuple) else ()
        options = [o for o in (indicator.option(c) for c in codes) if o is not None]
        if how is LevelBy.MAX_OPTION:
            levels = [o.level for o in options if o.level is not None]
            return max(levels) if levels else 1
        return band_level(indicator.bands, sum(1 for o in options if not o.exclusive))
    if how is LevelBy.BAND:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None
        return band_level(indicator.bands, value)
    if how is LevelBy.EXPRESSION and indicator.level_expression:
        return clamp_level(evaluate(compiled(indicator.level_expression), _Env(env, value)))
    return None


class _Env:
    """What an expression sees: the evaluation, plus `value` for the indicator being checked."""

    def __init__(self, evaluation: Evaluation, own_value: AnswerValue) -> None:
        self._evaluation = evaluation
        self.own_value = own_value

    def value(self, indicator_id: str) -> AnswerValue:
        return self._evaluation.value(indicator_id)

    def level(self, indicator_id: str) -> int | None:
        return self._evaluation.level(indicator_id)

    def is_answered(self, indicator_id: str) -> bool:
        return self._evaluation.is_answered(indicator_id)
