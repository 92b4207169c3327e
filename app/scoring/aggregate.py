"""Stage two of scoring: indicator levels -> domain scores, levels, gates, gaps and next steps.

Everything here depends only on indicator results (levels and states), never on answer values,
which is what makes the properties easy to state and to test: raising one indicator's level never
lowers a domain's score or level, and skipping a question or answering "don't know" never scores
higher than any real answer.

The rules (docs/architecture.md, "Scoring rules"):

- Every applicable city indicator counts. A data gap (don't know, not measured, unanswered, or
  relevance that hangs on a missing answer) counts as level 1 in the mean and in the gates.
- A domain whose known answers cover less than `MIN_KNOWN` of its applicable indicators has
  insufficient data: no level and no score.
- A fired gate holds the domain's level *and* its counting score at the cap; the score before
  gates is kept as `uncapped_score`, a secondary figure.
- The overall score is the weighted mean of the counting (capped) domain scores; it is withheld
  while any domain has insufficient data.
- National-context indicators are reported beside the domain and never weigh on it.
"""

from __future__ import annotations

from collections.abc import Mapping

from app.domain import (
    AnswerState,
    Domain,
    DomainResult,
    GateResult,
    IndicatorResult,
    NextStep,
    Questionnaire,
    ScoreResult,
)
from app.scoring.levels import (
    MIN_KNOWN,
    counted_level,
    counts,
    domain_figures,
    is_known,
    judge_gate,
)
from app.scoring.path import path_to_next_level

PROVISIONAL_BELOW = 0.8  # less than 80% of the applicable indicators responded to: provisional
_RESPONDED = (AnswerState.ANSWERED, AnswerState.DONT_KNOW, AnswerState.NOT_MEASURED)
_GAPS = (AnswerState.DONT_KNOW, AnswerState.NOT_MEASURED)


def aggregate(questionnaire: Questionnaire, results: Mapping[str, IndicatorResult]) -> ScoreResult:
    gates = {gate.id: judge_gate(gate, results) for gate in questionnaire.gates}
    levels = {r.indicator_id: counted_level(r) for r in results.values()}
    domains = {
        domain.id: score_domain(questionnaire, domain, results, gates, levels)
        for domain in questionnaire.domains
    }
    weights = {domain.id: domain.weight for domain in questionnaire.domains}
    insufficient = tuple(d for d, r in domains.items() if r.insufficient_data)
    overall = overall_score(domains, weights)
    bottleneck = None
    ranked = [
        (r.level, r.score, index, r.domain_id)
        for index, r in enumerate(domains.values())
        if r.level is not None and r.score is not None
    ]
    if ranked:
        bottleneck = min(ranked)[3]
    return ScoreResult(
        domains=domains,
        overall_score=overall,
        bottleneck=bottleneck,
        domain_weights=weights,
        insufficient_domains=insufficient,
    )


def overall_score(
    domains: Mapping[str, DomainResult], weights: Mapping[str, float]
) -> float | None:
    """Weighted mean of the counting (capped) domain scores; None while a domain lacks data.

    Each counting score lies in [level, level + 1), so the overall never exceeds the weighted mean
    of the displayed levels by a whole level or more.
    """
    if any(r.insufficient_data for r in domains.values()):
        return None
    scored = [(r.score, weights[d]) for d, r in domains.items() if r.score is not None]
    total = sum(weight for _score, weight in scored)
    if not scored or total <= 0:
        return None
    return sum(score * weight for score, weight in scored if score is not None) / total


def score_domain(
    questionnaire: Questionnaire,
    domain: Domain,
    results: Mapping[str, IndicatorResult],
    gate_results: Mapping[str, GateResult],
    levels: Mapping[str, int] | None = None,
) -> DomainResult:
    indicators = domain.scored_indicators
    everything = tuple(results[ind.id] for ind in indicators if ind.id in results)
    own = tuple(r for r in everything if not r.national)
    national = tuple(r for r in everything if r.national)
    applicable = [r for r in own if counts(r)]
    responded = [r for r in applicable if r.state in _RESPONDED and r.relevant]
    known = [r for r in applicable if is_known(r)]
    gaps = [r for r in responded if r.state in _GAPS]
    share = (lambda part: len(part) / len(applicable)) if applicable else None
    completeness = share(responded) if share else 1.0
    known_share = share(known) if share else 1.0
    dont_know = share(gaps) if share else 0.0

    my_gates = [g for g in questionnaire.gates if domain.id in g.caps]
    judged = tuple(gate_results[g.id] for g in my_gates)
    caps = [g.caps[domain.id] for g, j in zip(my_gates, judged, strict=True) if j.fired]
    capped_by: list[str] = []
    for judgement in judged:
        for indicator_id in judgement.indicators:
            if indicator_id not in capped_by:
                capped_by.append(indicator_id)

    if levels is None:
        levels = {r.indicator_id: counted_level(r) for r in results.values()}
    raw, uncapped, score, level = domain_figures(domain, results, levels, caps)
    insufficient = bool(applicable) and known_share < MIN_KNOWN
    if insufficient:
        score = level = None
        capped_by = []  # no level to cap; the fired gates stay in `gates`
    provisional = completeness < PROVISIONAL_BELOW or any(j.pending for j in judged)

    steps: tuple[NextStep, ...] = ()
    if level is not None and level < 5:
        steps = path_to_next_level(questionnaire, domain, level, results, levels)

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
        uncapped_level=None if insufficient else uncapped,
        uncapped_score=None if insufficient else raw,
        known=known_share,
        insufficient_data=insufficient,
        national=national,
    )
