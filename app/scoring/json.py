"""The score object of the command line and JSON exports (shape fixed by CLI.md, extended here).

`score` is always the counting figure (gates applied); `uncapped_score` is the secondary figure
before gates. Keys of CLI.md are kept; the extensions are documented in docs/cli.md.
"""

from __future__ import annotations

from typing import Any

from app.common.i18n import pick
from app.domain import AnswerValue, IndicatorResult, Questionnaire, ScoreResult


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def _value(value: AnswerValue) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _national(result: IndicatorResult) -> dict[str, Any]:
    return {"level": result.level, "state": str(result.state), "value": _value(result.value)}


def score_to_json(
    result: ScoreResult, questionnaire: Questionnaire | None = None, lang: str = "en"
) -> dict[str, Any]:
    domains: dict[str, Any] = {}
    for domain_id, domain in result.domains.items():
        name = domain_id
        if questionnaire is not None:
            name = pick(questionnaire.domain(domain_id).name, lang) or domain_id
        domains[domain_id] = {
            "name": name,
            "level": domain.level,
            "score": _round(domain.score),
            "capped_by": list(domain.capped_by),
            "completeness": round(domain.completeness, 3),
            "dont_know": round(domain.dont_know, 3),
            "provisional": domain.provisional,
            "insufficient_data": domain.insufficient_data,
            "known": round(domain.known, 3),
            "uncapped_level": domain.uncapped_level,
            "uncapped_score": _round(domain.uncapped_score),
            "next_level": [
                {
                    "indicator": step.indicator_id,
                    "reason": step.reason,
                    "current_level": step.current_level,
                    "target_level": step.target_level,
                    "current_value": _value(step.current_value),
                    "target_value": pick(step.target_value, lang) or None,
                    "projected_score": _round(step.projected_score),
                    "measure": step.measure,
                    "action": pick(step.action, lang),
                }
                for step in domain.next_level
            ],
            "national_context": {r.indicator_id: _national(r) for r in domain.national},
        }
    return {
        "domains": domains,
        "overall": {
            "score": _round(result.overall_score),
            "bottleneck": result.bottleneck,
            "insufficient_data": list(result.insufficient_domains),
        },
        "checks": [
            {
                "id": check.check_id,
                "indicators": list(check.indicators),
                "message": pick(check.message, lang),
            }
            for check in result.checks
        ],
    }
