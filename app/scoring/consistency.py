"""Consistency checks between answers: the questionnaire declares them (on a question, with a
`when` condition that is true when the answers contradict each other); scoring lists the ones
that hold as warnings. They never change a level: they point a facilitator at answers to recheck.
"""

from __future__ import annotations

from app.domain import CheckResult, Questionnaire
from app.logic.expressions import evaluate, truthy
from app.scoring.evaluate import Evaluation, _Env, compiled


def broken_checks(questionnaire: Questionnaire, evaluation: Evaluation) -> tuple[CheckResult, ...]:
    found: list[CheckResult] = []
    for check in questionnaire.checks:
        if truthy(evaluate(compiled(check.when), _Env(evaluation, None))):
            found.append(CheckResult(check.id, check.indicators, check.message))
    return tuple(found)
