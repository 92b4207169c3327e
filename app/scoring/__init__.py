"""The maturity model: answers + questionnaire -> levels, scores, gates, gaps, next steps. Pure.

`score()` is the one entry point. Stage one (`evaluate`) turns each city answer into an indicator
level; stage two (`aggregate`) turns levels into domain scores, gated levels, completeness and the
path to the next level. Same answers + same definition -> same result.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from app.domain import Answer, IndicatorResult, Questionnaire, ScoreResult
from app.scoring.aggregate import aggregate
from app.scoring.consistency import broken_checks
from app.scoring.evaluate import Evaluation, level_for_value
from app.scoring.json import score_to_json

__all__ = ["constraint_error", "indicator_results", "score", "score_to_json"]


def score(
    questionnaire: Questionnaire,
    answers: Mapping[str, Answer],
    disputed: Mapping[str, Sequence[Answer]] | None = None,
) -> ScoreResult:
    """Score the city answers. `disputed` maps an indicator to contributors' differing answers:
    the lowest level among them counts, and the indicator is flagged as a disagreement."""
    result = aggregate(questionnaire, indicator_results(questionnaire, answers, disputed))
    if not questionnaire.checks:
        return result
    # Checks read the answers as given (a disputed indicator reads its city answer).
    warnings = broken_checks(questionnaire, Evaluation(questionnaire, answers))
    return replace(result, checks=warnings)


def indicator_results(
    questionnaire: Questionnaire,
    answers: Mapping[str, Answer],
    disputed: Mapping[str, Sequence[Answer]] | None = None,
) -> dict[str, IndicatorResult]:
    effective = dict(answers)
    if disputed:
        probe = Evaluation(questionnaire, answers)
        for indicator_id, alternatives in disputed.items():
            if alternatives and questionnaire.has_indicator(indicator_id):
                effective[indicator_id] = _lowest(questionnaire, indicator_id, alternatives, probe)
    evaluation = Evaluation(questionnaire, effective)
    flagged = set(disputed or ())
    return {
        indicator.id: evaluation.result(indicator, disagreement=indicator.id in flagged)
        for indicator in questionnaire.indicators
    }


def _lowest(
    questionnaire: Questionnaire,
    indicator_id: str,
    alternatives: Sequence[Answer],
    probe: Evaluation,
) -> Answer:
    """The alternative with the lowest level (conservative); ties keep the first given."""
    indicator = questionnaire.indicator(indicator_id)

    def level(answer: Answer) -> int:
        from app.domain import AnswerState

        if answer.state in (AnswerState.DONT_KNOW, AnswerState.NOT_MEASURED):
            return 1
        if answer.state is not AnswerState.ANSWERED:
            return 6  # not applicable / unanswered never wins over a real level
        found = level_for_value(indicator, answer.value, probe)
        return found if found is not None else 6

    return min(alternatives, key=level)


def constraint_error(
    questionnaire: Questionnaire,
    indicator_id: str,
    answer: Answer,
    others: Mapping[str, Answer],
    lang: str = "en",
) -> str | None:
    """The definition's message when `answer` breaks the indicator's constraint, else None.

    `others` are the answers the constraint may refer to (the same contributor's, or the city's).
    """
    from app.common.i18n import pick

    indicator = questionnaire.indicator(indicator_id)
    if indicator.constraint is None:
        return None
    evaluation = Evaluation(questionnaire, {**others, indicator_id: answer})
    if evaluation.constraint_holds(indicator):
        return None
    message = pick(indicator.constraint_message, lang) or f"breaks the rule {indicator.constraint}"
    return f"indicator {indicator_id}: {message}"
