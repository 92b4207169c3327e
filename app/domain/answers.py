"""Answers, scores and assessments as plain, immutable data.

Answer values use one encoding everywhere (CLI arguments, answers files, JSON, the database):
yes/partial/no and single choice -> the option code (str); multiple choice -> a tuple of codes;
integer/decimal/percent -> int or float; date -> "YYYY-MM-DD"; text -> str. A value is present only
when the state is `answered`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from app.domain.questionnaire import AnswerState, LocalText, Questionnaire

AnswerValue = str | int | float | tuple[str, ...] | None


@dataclass(frozen=True)
class Answer:
    value: AnswerValue = None
    state: AnswerState = AnswerState.ANSWERED
    note: str = ""
    evidence: str | None = None

    @property
    def is_answered(self) -> bool:
        return self.state is not AnswerState.UNANSWERED


UNANSWERED = Answer(state=AnswerState.UNANSWERED)


# ---------------------------------------------------------------------------------------------
# Scoring results


@dataclass(frozen=True)
class IndicatorResult:
    indicator_id: str
    state: AnswerState
    level: int | None  # None when unanswered, not applicable, not relevant or not scored
    value: AnswerValue = None  # the value scoring used (computed values included)
    relevant: bool = True
    data_gap: bool = False  # don't know / not measured
    disagreement: bool = False  # contributors disagree and no city answer was set
    constraint_failed: bool = False
    # Relevance could not be decided because an answer it depends on is missing or unknown:
    # scoring counts the indicator as a data gap, so skipping the deciding question never pays.
    relevance_pending: bool = False
    national: bool = False  # national context: reported apart, never weighs on the city's levels


@dataclass(frozen=True)
class GateResult:
    gate_id: str
    indicators: tuple[str, ...]
    fired: bool
    pending: bool  # fired only because a gate indicator is unanswered (a gap counts as level 1)
    cap: int


@dataclass(frozen=True)
class NextStep:
    indicator_id: str
    reason: str  # "gate" or "gain"
    current_level: int  # a data gap (don't know, not measured, unanswered) counts as 1
    gain: float  # how much the domain score rises when this indicator reaches target_level
    action: LocalText = field(default_factory=dict)  # one clause per level to climb
    target_level: int = 0  # the level this step must reach for the path to hold
    projected_score: float | None = None  # the domain's counting score after this and earlier steps
    current_value: AnswerValue = None  # the answer today (None for a data gap)
    target_value: LocalText = field(default_factory=dict)  # the answer that reaches target_level
    measure: bool = False  # a data gap: the step is to measure it, not to change the service


@dataclass(frozen=True)
class DomainResult:
    domain_id: str
    level: int | None
    score: float | None
    capped_by: tuple[str, ...]  # indicator ids of the gates that capped the level
    completeness: float  # share of applicable scored indicators with a response
    dont_know: float  # share answered don't know or not measured
    provisional: bool
    next_level: tuple[NextStep, ...]
    indicators: tuple[IndicatorResult, ...]
    gates: tuple[GateResult, ...] = ()
    uncapped_level: int | None = None
    uncapped_score: float | None = None  # before gates; secondary, explained figure
    known: float = 0.0  # share of applicable scored indicators with a real answer
    insufficient_data: bool = False  # too little known data for a level (level and score None)
    national: tuple[IndicatorResult, ...] = ()  # national context indicators, not in the level

    @property
    def applicable(self) -> int:
        return sum(
            1 for r in self.indicators if r.relevant and r.state is not AnswerState.NOT_APPLICABLE
        )


@dataclass(frozen=True)
class CheckResult:
    """A consistency check between answers that found them contradicting each other."""

    check_id: str
    indicators: tuple[str, ...]
    message: LocalText


@dataclass(frozen=True)
class ScoreResult:
    domains: Mapping[str, DomainResult]
    overall_score: float | None
    bottleneck: str | None
    domain_weights: Mapping[str, float]
    # Domains without a level because too little is known: the overall is then withheld.
    insufficient_domains: tuple[str, ...] = ()
    checks: tuple[CheckResult, ...] = ()  # consistency warnings between answers

    def indicator(self, indicator_id: str) -> IndicatorResult | None:
        for domain in self.domains.values():
            for result in (*domain.indicators, *domain.national):
                if result.indicator_id == indicator_id:
                    return result
        return None


# ---------------------------------------------------------------------------------------------
# Assessments (what storage hands to reports and faces)


class AssessmentStatus:
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    FINAL = "final"
    ALL = (DRAFT, IN_REVIEW, FINAL)


@dataclass(frozen=True)
class Contributor:
    id: str
    name: str
    role: str = ""
    institution: str = ""
    device_id: str = ""


@dataclass(frozen=True)
class ContributorAnswer:
    contributor: Contributor
    answer: Answer
    changed_at: str  # ISO UTC
    to_confirm: bool = False  # carried over from a previous round, not yet confirmed


@dataclass(frozen=True)
class Revision:
    """One immutable change of one answer (the audit trail)."""

    id: str
    indicator_id: str
    subject: str  # a contributor id, or "city" for the agreed city answer
    answer: Answer
    parents: tuple[str, ...]
    author: Contributor | None
    device_id: str
    hlc: str
    created_at: str  # ISO UTC
    rationale: str = ""
    attachments: tuple[str, ...] = ()  # SHA-256 of each attached file
    to_confirm: bool = False  # carried over from a previous round
    origin: str = "local"  # "local" or "remote" (arrived by sync or bundle)


@dataclass(frozen=True)
class CityAnswer:
    """The answer scoring uses for one indicator, with how it came about."""

    indicator_id: str
    answer: Answer
    derived: bool  # True: follows from contributors' answers; False: set by the coordinator
    disagreement: bool  # contributors differ and no city answer was set
    conflict: bool  # concurrent heads from sync, not yet resolved
    contributors: tuple[ContributorAnswer, ...] = ()
    rationale: str = ""
    changed_at: str | None = None
    changed_by: str | None = None


@dataclass(frozen=True)
class AssessmentHeader:
    id: str
    city: str
    country: str
    period: str
    language: str
    status: str
    questionnaire_id: str
    questionnaire_version: str
    questionnaire_hash: str
    created_at: str = ""
    previous_assessment_id: str | None = None


@dataclass(frozen=True)
class AssessmentSnapshot:
    """Everything about one assessment at one moment: what reports and exports are built from."""

    header: AssessmentHeader
    questionnaire: Questionnaire
    contributors: tuple[Contributor, ...]
    answers: Mapping[str, CityAnswer]  # every indicator of the pinned questionnaire
    score: ScoreResult
    revisions: tuple[Revision, ...] = ()
    generated_at: str = ""
