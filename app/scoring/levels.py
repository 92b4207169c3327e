"""The counting rules shared by the domain result and the path to the next level: which indicator
weighs on its domain, which level it counts with, when a gate fires, and the domain arithmetic.
One home, so the path projects exactly what the result will compute."""

from __future__ import annotations

import math
from collections.abc import Mapping

from app.domain import AnswerState, Domain, Gate, GateResult, IndicatorResult

MIN_KNOWN = 0.5  # less than half of a domain known (a real answer): insufficient data, no level


def counts(result: IndicatorResult) -> bool:
    """Whether an indicator weighs on its domain: relevant (or its relevance still undecided),
    applicable, and a city indicator (not national context)."""
    if result.national or result.state is AnswerState.NOT_APPLICABLE:
        return False
    return result.relevant or result.relevance_pending


def is_known(result: IndicatorResult) -> bool:
    """A real answer with a level (not a data gap)."""
    return result.state is AnswerState.ANSWERED and result.level is not None and result.relevant


def counted_level(result: IndicatorResult) -> int:
    """The level scoring uses: every data gap (don't know, not measured, unanswered, undecided
    relevance) counts as level 1, so no way of not knowing scores above an honest answer."""
    return result.level if is_known(result) and result.level is not None else 1


def judge_gate(
    gate: Gate,
    results: Mapping[str, IndicatorResult],
    levels: Mapping[str, int] | None = None,
) -> GateResult:
    """Fired: the gate indicators are low (any of them, or all of them), a gap counting as 1.

    `levels` overrides the counted levels (the path to the next level projects with it).
    Pending: the gate fired only because a gate indicator is not answered yet.
    """
    below: list[str] = []
    above = 0
    unanswered = 0
    for indicator_id in gate.indicators:
        result = results.get(indicator_id)
        if result is None or not counts(result):
            continue
        level = levels[indicator_id] if levels is not None else counted_level(result)
        if level < gate.min_level:
            below.append(indicator_id)
            if result.state is AnswerState.UNANSWERED or not result.relevant:
                unanswered += 1
        else:
            above += 1
    fired = bool(below) and (gate.mode == "any" or above == 0)
    cap = min(gate.caps.values()) if gate.caps else 5
    return GateResult(
        gate_id=gate.id,
        indicators=tuple(below) if fired else (),
        fired=fired,
        pending=fired and unanswered > 0,
        cap=cap,
    )


def domain_figures(
    domain: Domain,
    results: Mapping[str, IndicatorResult],
    levels: Mapping[str, int],
    caps: list[int],
) -> tuple[float | None, int | None, float | None, int | None]:
    """(uncapped score, uncapped level, counting score, level) from counted levels and the caps
    of the fired gates. A fired gate holds both the level and the counting score at its cap."""
    weighted = [
        (ind.weight, levels[ind.id])
        for ind in domain.scored_indicators
        if ind.id in results and counts(results[ind.id])
    ]
    total = sum(w for w, _level in weighted)
    if not weighted or total <= 0:
        return None, None, None, None
    raw = sum(w * level for w, level in weighted) / total
    uncapped = max(1, min(5, math.floor(raw + 1e-9)))
    cap = min(caps, default=5)
    return raw, uncapped, min(raw, float(cap)), min(uncapped, cap)
