"""The score object of the command line and JSON exports (shape fixed by CLI.md)."""

from __future__ import annotations

from typing import Any

from app.common.i18n import pick
from app.domain import Questionnaire, ScoreResult


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
            "score": None if domain.score is None else round(domain.score, 2),
            "capped_by": list(domain.capped_by),
            "completeness": round(domain.completeness, 3),
            "dont_know": round(domain.dont_know, 3),
            "provisional": domain.provisional,
            "next_level": [
                {
                    "indicator": step.indicator_id,
                    "reason": step.reason,
                    "current_level": step.current_level,
                    "action": pick(step.action, lang),
                }
                for step in domain.next_level
            ],
        }
    overall = None if result.overall_score is None else round(result.overall_score, 2)
    return {"domains": domains, "overall": {"score": overall, "bottleneck": result.bottleneck}}
