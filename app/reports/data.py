"""What a report says, as plain data: every text already in the report's language.

`build.build_report` fills these from an assessment snapshot; the PDF and XLSX renderers only lay
them out. Numbers stay numbers where a renderer needs them (chart, Excel number formats) and come
with their formatted text for everything else. User-entered text is kept exactly as entered: each
renderer makes it safe for its own format (see `safe.py`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

# A raw answer in the CLI encoding: option code, codes joined by commas, number, date or text.
RawValue = str | int | float | None


@dataclass(frozen=True)
class ContributorRow:
    id: str
    name: str
    role: str
    institution: str
    device: str
    answers: int  # how many indicators this contributor answered


@dataclass(frozen=True)
class ContributorAnswerRow:
    contributor_id: str
    name: str
    code: RawValue
    label: str  # the answer in words (option label, number with unit, or the state)
    state: str  # state code
    state_label: str
    note: str
    evidence: str  # evidence type in words, "" when none
    changed_at: str
    to_confirm: bool
    evidence_code: str = ""  # EvidenceType code, "" when none
    changed_at_iso: str = ""


@dataclass(frozen=True)
class IndicatorRow:
    """One indicator with its city answer: a row of the PDF tables and of the Answers sheet."""

    domain_id: str
    domain_name: str
    section: str
    id: str
    question: str
    code: RawValue  # the city answer in the CLI encoding
    label: str  # the city answer in words, or the state in words
    state: str
    state_label: str
    level: int | None
    scored: bool
    note: str
    evidence: str
    flags: tuple[str, ...]  # disagreement, conflict, data gap... in words
    disagreement: bool
    conflict: bool
    data_gap: bool
    derived: bool
    how_set: str  # how the city answer was set, one sentence (see provenance.py); "" unanswered
    rationale: str
    changed_by: str  # whose value counts (the coordinator when set by the coordinator)
    changed_at: str
    contributors: tuple[ContributorAnswerRow | None, ...]  # aligned with ReportData.contributors
    how_set_code: str = ""  # provenance.HowSet code: one_contributor, agreed, coordinator...
    computed_from: tuple[str, ...] = ()  # computed answers: the indicator ids read
    changed_at_iso: str = ""  # ISO 8601 UTC of the decisive change
    type_code: str = ""  # AnswerType code
    options: tuple[str, ...] = ()  # every option code of a choice indicator, in order
    evidence_code: str = ""  # EvidenceType code, "" when none
    to_confirm: bool = False  # some contributor's answer is carried over, not yet confirmed


@dataclass(frozen=True)
class StepRow:
    """One step of a domain's path to the next level."""

    domain_id: str
    domain_name: str
    indicator_id: str
    question: str
    reason: str  # "gate" or "gain"
    reason_label: str
    current_level: int
    target_level: int
    action: str
    target_value: str = ""  # the answer that reaches target_level, in words
    projected_score: float | None = None  # the domain's counting score once this step is done
    measure: bool = False  # a data gap: measure it first


@dataclass(frozen=True)
class DomainRow:
    """A domain's headline figures (summary table, Summary sheet, chart)."""

    id: str
    name: str
    weight: float
    level: int | None
    level_name: str  # "" when no level
    level_text: str  # "2: Emerging" or "No level"
    score: float | None
    score_text: str
    completeness: float
    completeness_text: str
    dont_know: float
    dont_know_text: str
    provisional: bool
    capped_by: tuple[str, ...]  # indicator ids
    capped_by_text: str
    # The score before gates, only where a gate lowered the counting score (else None).
    uncapped_score: float | None = None


@dataclass(frozen=True)
class DomainSection:
    row: DomainRow
    description: str
    headline: str  # "Level 2: Emerging" or the no-level sentence
    score_line: str
    completeness_line: str
    capped_notes: tuple[str, ...]  # one sentence per gate that capped the level
    pending_notes: tuple[str, ...]  # gates that fired only because a question is unanswered
    path_title: str
    path_note: str  # why there is no path ("highest level", "answer first"), else ""
    steps: tuple[StepRow, ...]
    indicators: tuple[IndicatorRow, ...]
    gaps: tuple[IndicatorRow, ...]  # don't know / not measured
    unanswered: tuple[str, ...]  # indicator ids


@dataclass(frozen=True)
class Summary:
    domains: tuple[DomainRow, ...]
    overall_score: float | None
    overall_text: str
    bottleneck_id: str | None
    bottleneck_text: str
    priorities: tuple[StepRow, ...]
    # Consistency warnings between answers, in the report's language ("message (IDs)").
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class LevelRow:
    level: int
    name: str
    description: str


@dataclass(frozen=True)
class GateRow:
    id: str
    message: str
    fires_when: str
    caps: str


@dataclass(frozen=True)
class Method:
    levels: tuple[LevelRow, ...]
    paragraphs: tuple[str, ...]
    gates: tuple[GateRow, ...]
    weights: tuple[tuple[str, str, float], ...]  # (domain id, name, weight)
    judgement_note: str
    judgement: tuple[tuple[str, str], ...]  # (indicator id, source) set by product judgement
    fonts_note: str


@dataclass(frozen=True)
class DictionaryRow:
    domain_id: str
    section: str
    id: str
    type: str
    question: str
    unit: str
    range: str
    weight: float
    required: bool
    scored: bool
    core: bool
    level_by: str
    options: str  # one line per option or band: "code: label -> level n"
    relevance: str
    source: str


@dataclass(frozen=True)
class AuditRow:
    when: str
    who: str
    device: str
    indicator_id: str
    subject: str
    from_text: str
    to_text: str
    state_label: str
    note: str
    rationale: str
    revision_id: str


@dataclass(frozen=True)
class Cover:
    title: str  # the questionnaire's title
    city: str
    country: str
    period: str
    questionnaire: str  # "id 1.0"
    fingerprint: str
    status: str
    generated: str
    assessment_id: str
    self_assessed: str
    self_assessed_note: str
    questionnaire_id: str = ""
    questionnaire_version: str = ""
    round: int = 1  # 1 for a city's first assessment, n for its n-th round
    status_code: str = ""  # draft, in_review or final
    previous_assessment_id: str = ""


@dataclass(frozen=True)
class ChoiceRow:
    """One code of a list (states, evidence, how set, an indicator's options) and its labels."""

    list_name: str
    code: str
    labels: tuple[str, ...]  # one per language of app.common.i18n.LANGUAGES


@dataclass(frozen=True)
class Confidence:
    """Data confidence of one domain or the whole assessment (see confidence.py)."""

    domain_id: str  # "" for the whole assessment
    asked: int  # indicators people answer here
    answered: int
    dont_know: int
    not_measured: int
    not_applicable: int
    unanswered: int
    evidence_document: int
    evidence_data: int
    evidence_estimate: int
    evidence_none: int  # answered without an evidence type
    disagreements: int  # contributors gave different answers
    settled: int  # of which the coordinator set the city answer
    unresolved: int  # of which the lowest level counts

    def share(self, count: int) -> float:
        return count / self.asked if self.asked else 0.0


@dataclass(frozen=True)
class ReportData:
    lang: str
    title: str  # document title: "Readiness report: City (Period)"
    labels: Mapping[str, str]  # the report's fixed strings in `lang` (see texts.py)
    cover: Cover
    contributors: tuple[ContributorRow, ...]
    summary: Summary
    domains: tuple[DomainSection, ...]
    method: Method
    answers: tuple[IndicatorRow, ...]  # every indicator, in questionnaire order
    dictionary: tuple[DictionaryRow, ...]
    audit: tuple[AuditRow, ...]
    generated_at: str = ""
    author: str = field(default="Readiness")
    choices: tuple[ChoiceRow, ...] = ()  # every code the export uses, labelled in each language
    confidence: tuple[Confidence, ...] = ()  # per domain in order, then the whole ("" id)
    previous: ReportData | None = None  # the previous round of this city, when there is one

    def previous_domain(self, domain_id: str) -> DomainRow | None:
        """This domain's row in the previous round (None without one, or a new domain)."""
        if self.previous is None:
            return None
        return next((d for d in self.previous.summary.domains if d.id == domain_id), None)

    def label(self, key: str, **values: object) -> str:
        template = self.labels[key]
        return template.format(**values) if values else template
