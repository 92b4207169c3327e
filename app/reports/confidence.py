"""How much the results rest on: answered, don't know, not measured; the evidence behind the
answers; disagreements and how they were settled. Per domain and overall, from the report's rows.

Counted over the indicators people answer in this assessment: computed indicators and those not
relevant here are left out. Evidence types fall in three groups a reader compares across cities:
a document; data (an audit, a register, an observation); an estimate.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.reports.data import Confidence, IndicatorRow
from app.reports.provenance import HowSet

EVIDENCE_GROUPS = {
    "document": "document",
    "audit": "data",
    "register": "data",
    "observation": "data",
    "estimate": "estimate",
}


def confidence(domain_id: str, rows: Sequence[IndicatorRow]) -> Confidence:
    asked = [r for r in rows if r.type_code != "computed" and r.state != "not_relevant"]
    states = [r.state for r in asked]
    answered = [r for r in asked if r.state == "answered"]
    groups = [EVIDENCE_GROUPS.get(r.evidence_code, "") for r in answered]
    differing = [r for r in asked if _contributors_differ(r)]
    return Confidence(
        domain_id=domain_id,
        asked=len(asked),
        answered=len(answered),
        dont_know=states.count("dont_know"),
        not_measured=states.count("not_measured"),
        not_applicable=states.count("not_applicable"),
        unanswered=states.count("unanswered"),
        evidence_document=groups.count("document"),
        evidence_data=groups.count("data"),
        evidence_estimate=groups.count("estimate"),
        evidence_none=groups.count(""),
        disagreements=len(differing),
        settled=sum(1 for r in differing if r.how_set_code == HowSet.COORDINATOR),
        unresolved=sum(1 for r in differing if r.how_set_code == HowSet.DISAGREEMENT),
    )


def _contributors_differ(row: IndicatorRow) -> bool:
    given = {(a.state, a.code) for a in row.contributors if a is not None}
    given.discard(("unanswered", None))
    return len(given) > 1 or row.how_set_code == HowSet.DISAGREEMENT
