"""Stage two of scoring: indicator levels -> domain scores, levels, gates, gaps and next steps.

Everything here depends only on indicator results (levels and states), never on answer values,
which is what makes the monotonicity property easy to state and to test: raising one indicator's
level never lowers a domain's score or level.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from app.domain import (
    AnswerState,
    Domain,
    DomainResult,
    Gate,
    GateResult,
    IndicatorResult,
    NextStep,
    Questionnaire,
    ScoreResult,
)

PROVISIONAL_BELOW = 0.8  # a domain with less than 80% of its indicators answered is provisional
MAX_GAIN_STEPS = 5  # how many "gain" steps the path to the next level lists
_RESPONDED = (AnswerState.ANSWERED, AnswerState.DONT_KNOW, AnswerState.NOT_MEASURED)
_GAPS = (AnswerState.DONT_KNOW, AnswerState.NOT_MEASURED)


def aggregate(questionnaire: Questionnaire, results: Mapping[str, IndicatorResult]) -> ScoreResult:
    gates = {gate.id: judge_gate(gate, results) for gate in questionnaire.gates}
    domains = {
        domain.id: score_domain(questionnaire, domain, results, gates)
        for domain in questionnaire.domains
    }
    weights = {domain.id: domain.weight for domain in questionnaire.domains}
    scored = [
        (domains[d.id], d.weight) for d in questionnaire.domains if domains[d.id].score is not None
    ]
    overall = None
    if scored:
        total = sum(weight for _result, weight in scored)
        overall = sum((r.score or 0.0) * w for r, w in scored) / total
    bottleneck = None
    ranked = [
        (r.level, r.score, index, r.domain_id)
        for index, r in enumerate(domains.values())
        if r.level is not None and r.score is not None
    ]
    if ranked:
        bottleneck = min(ranked)[3]
    return ScoreResult(
        domains=domains, overall_score=overall, bottleneck=bottleneck, domain_weights=weights
    )


def judge_gate(gate: Gate, results: Mapping[str, IndicatorResult]) -> GateResult:
    """Fired: the gate indicators are low (any or all). Pending: it cannot be judged yet."""
    below: list[str] = []
    above = 0
    unanswered = 0
    for indicator_id in gate.indicators:
        result = results.get(indicator_id)
        if result is None or not result.relevant or result.state is AnswerState.NOT_APPLICABLE:
            continue
        if result.level is None:
            unanswered += 1
        elif result.level < gate.min_level:
            below.append(indicator_id)
        else:
            above += 1
    if gate.mode == "all":
        fired = bool(below) and above == 0 and unanswered == 0
        pending = above == 0 and unanswered > 0
    else:
        fired = bool(below)
        pending = not fired and unanswered > 0
    cap = min(gate.caps.values()) if gate.caps else 5
    return GateResult(
        gate_id=gate.id,
        indicators=tuple(below) if fired else (),
        fired=fired,
        pending=pending,
        cap=cap,
    )


def score_domain(
    questionnaire: Questionnaire,
    domain: Domain,
    results: Mapping[str, IndicatorResult],
    gate_results: Mapping[str, GateResult],
) -> DomainResult:
    indicators = [ind for ind in domain.scored_indicators]
    own = tuple(results[ind.id] for ind in indicators if ind.id in results)
    applicable = [r for r in own if r.relevant and r.state is not AnswerState.NOT_APPLICABLE]
    responded = [r for r in applicable if r.state in _RESPONDED and r.level is not None]
    gaps = [r for r in responded if r.state in _GAPS]
    completeness = len(responded) / len(applicable) if applicable else 1.0
    dont_know = len(gaps) / len(applicable) if applicable else 0.0

    weights = {ind.id: ind.weight for ind in indicators}
    total_weight = sum(weights[r.indicator_id] for r in responded)
    score: float | None = None
    uncapped: int | None = None
    if responded and total_weight > 0:
        score = sum(weights[r.indicator_id] * (r.level or 1) for r in responded) / total_weight
        uncapped = max(1, min(5, math.floor(score + 1e-9)))

    my_gates = [g for g in questionnaire.gates if domain.id in g.caps]
    judged = tuple(gate_results[g.id] for g in my_gates)
    level = uncapped
    capped_by: list[str] = []
    for gate, judgement in zip(my_gates, judged, strict=True):
        if judgement.fired:
            for indicator_id in judgement.indicators:
                if indicator_id not in capped_by:
                    capped_by.append(indicator_id)
            if level is not None:
                level = min(level, gate.caps[domain.id])
    provisional = completeness < PROVISIONAL_BELOW or any(j.pending for j in judged)

    steps: tuple[NextStep, ...] = ()
    if level is not None and level < 5:
        steps = _next_steps(
            questionnaire, domain, level, my_gates, judged, responded, weights, results
        )

    return DomainResult(
        domain_id=domain.id,
        level=level,
        score=score,
        capped_by=tuple(capped_by),
        completeness=completeness,
        dont_know=dont_know,
        provisional=provisional,
        next_level=steps,
        indicators=own,
        gates=judged,
        uncapped_level=uncapped,
    )


def _next_steps(
    questionnaire: Questionnaire,
    domain: Domain,
    level: int,
    gates: list[Gate],
    judged: tuple[GateResult, ...],
    responded: list[IndicatorResult],
    weights: Mapping[str, float],
    results: Mapping[str, IndicatorResult],
) -> tuple[NextStep, ...]:
    """Blocking gates first, then the indicators whose improvement raises the score most."""
    target = level + 1
    steps: list[NextStep] = []
    seen: set[str] = set()
    for gate, judgement in zip(gates, judged, strict=True):
        if not judgement.fired or gate.caps[domain.id] >= target:
            continue
        for indicator_id in judgement.indicators:
            if indicator_id in seen or not questionnaire.has_indicator(indicator_id):
                continue
            seen.add(indicator_id)
            indicator = questionnaire.indicator(indicator_id)
            gate_result = results.get(indicator_id)
            current = (gate_result.level if gate_result else None) or 1
            steps.append(
                NextStep(
                    indicator_id=indicator_id,
                    reason="gate",
                    current_level=current,
                    gain=0.0,
                    action=indicator.actions.get(current, {}),
                )
            )
    total = sum(weights[r.indicator_id] for r in responded) or 1.0
    candidates = [
        (weights[r.indicator_id] * (target - (r.level or 1)) / total, r)
        for r in responded
        if r.indicator_id not in seen and (r.level or 1) < target
    ]
    order = {ind.id: i for i, ind in enumerate(domain.indicators)}
    candidates.sort(key=lambda item: (-item[0], item[1].level or 1, order[item[1].indicator_id]))
    for gain, result in candidates[:MAX_GAIN_STEPS]:
        current = result.level or 1
        steps.append(
            NextStep(
                indicator_id=result.indicator_id,
                reason="gain",
                current_level=current,
                gain=round(gain, 4),
                action=questionnaire.indicator(result.indicator_id).actions.get(current, {}),
            )
        )
    return tuple(steps)
