"""Assessment snapshot + language -> `ReportData`, the one source both renderers lay out.

Levels, gates, completeness and next steps are read from the snapshot's `ScoreResult`; nothing is
scored here. Library-free: no reportlab, no openpyxl, no Qt.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from app.common.clock import iso_utc
from app.common.i18n import DEFAULT_LANGUAGE, LANGUAGES, pick
from app.domain import (
    UNANSWERED,
    AnswerState,
    AnswerType,
    AssessmentSnapshot,
    CityAnswer,
    ContributorAnswer,
    Domain,
    DomainResult,
    Indicator,
    IndicatorResult,
    Questionnaire,
)
from app.reports import reference, texts
from app.reports.choices import choice_rows
from app.reports.confidence import confidence
from app.reports.data import (
    ContributorAnswerRow,
    ContributorRow,
    Cover,
    DomainRow,
    DomainSection,
    IndicatorRow,
    ReportData,
    StepRow,
    Summary,
)
from app.reports.provenance import provenance, provenance_text
from app.reports.typography import no_break_spaces
from app.reports.values import (
    answer_words,
    evidence_label,
    percent_text,
    raw_value,
    score_text,
    state_label,
    timestamp_text,
    value_text,
)

MAX_PRIORITIES = 8  # top priority actions in the executive summary
BOTTLENECK_STEPS = 3  # of which at most this many come from the bottleneck domain


def build_report(
    snapshot: AssessmentSnapshot,
    lang: str | None = None,
    round_number: int = 1,
    previous: AssessmentSnapshot | None = None,
) -> ReportData:
    """Everything the report shows, in `lang` (default: the assessment's language).

    `round_number`: which assessment of this city this is (1 for the first), as the services
    count it along the chain of previous rounds. `previous`: the previous round, when the
    workspace has it; the report then shows the change since that round.
    """
    lang = lang or snapshot.header.language or DEFAULT_LANGUAGE
    if lang not in LANGUAGES:
        lang = DEFAULT_LANGUAGE
    data = _Builder(snapshot, lang, round_number).build()
    if previous is None:
        return data
    before = _Builder(previous, lang, max(round_number - 1, 1)).build()
    return replace(data, previous=before)


def lowered_from(result: DomainResult) -> float | None:
    """The score before gates when a gate lowered the counting score, else None."""
    if result.score is None or result.uncapped_score is None:
        return None
    return result.uncapped_score if result.uncapped_score - result.score >= 0.005 else None


class _Builder:
    def __init__(self, snapshot: AssessmentSnapshot, lang: str, round_number: int = 1) -> None:
        self.snap = snapshot
        self.round_number = round_number
        self.q: Questionnaire = snapshot.questionnaire
        self.lang = lang
        self.labels = texts.labels(lang)
        self.results: dict[str, IndicatorResult] = {
            r.indicator_id: r
            for d in snapshot.score.domains.values()
            for r in (*d.indicators, *d.national)
        }
        self.names = {c.id: c.name for c in snapshot.contributors}

    # -- helpers

    def t(self, key: str, **values: object) -> str:
        template = self.labels[key]
        return template.format(**values) if values else template

    def pick(self, text: Mapping[str, str] | None) -> str:
        """Questionnaire text in the report language, with its no-break spaces."""
        return no_break_spaces(pick(text, self.lang), self.lang)

    def level_name(self, level: int | None) -> str:
        return "" if level is None else self.q.level_name(level, self.lang)

    def level_text(self, level: int | None) -> str:
        if level is None:
            return self.t("no_level")
        return f"{level} · {self.level_name(level)}"

    def city_answer(self, indicator_id: str) -> CityAnswer:
        found = self.snap.answers.get(indicator_id)
        return found or CityAnswer(indicator_id, UNANSWERED, True, False, False)

    # -- the whole report

    def build(self) -> ReportData:
        header = self.snap.header
        answers = tuple(self.indicator_row(d, ind) for d in self.q.domains for ind in d.indicators)
        by_id = {row.id: row for row in answers}
        sections = tuple(self.domain_section(d, by_id) for d in self.q.domains)
        generated = self.snap.generated_at or iso_utc()
        return ReportData(
            lang=self.lang,
            title=self.t("document_title", city=header.city, period=header.period),
            labels=self.labels,
            cover=Cover(
                title=self.pick(self.q.title) or self.q.id,
                city=header.city,
                country=header.country,
                period=header.period,
                questionnaire=f"{self.q.id} {self.q.version}",
                fingerprint=header.questionnaire_hash or self.q.sha256,
                status=self.labels.get(f"status_{header.status}", header.status),
                generated=timestamp_text(generated),
                assessment_id=header.id,
                self_assessed=self.t("self_assessed"),
                self_assessed_note=self.t("self_assessed_note"),
                questionnaire_id=self.q.id,
                questionnaire_version=self.q.version,
                round=self.round_number,
                status_code=header.status,
                previous_assessment_id=header.previous_assessment_id or "",
            ),
            contributors=self.contributors(answers),
            summary=self.summary(sections),
            domains=sections,
            method=reference.method(self),
            answers=answers,
            dictionary=tuple(
                reference.dictionary_row(self, d, s.name, ind)
                for d in self.q.domains
                for s in d.sections
                for ind in s.indicators
            ),
            audit=reference.audit(self),
            generated_at=generated,
            choices=choice_rows(self.q),
            confidence=(
                *(confidence(d.id, [by_id[i.id] for i in d.indicators]) for d in self.q.domains),
                confidence("", answers),
            ),
        )

    # -- answers

    def indicator_row(self, domain: Domain, ind: Indicator) -> IndicatorRow:
        city = self.city_answer(ind.id)
        result = self.results.get(ind.id)
        answer = city.answer
        value = answer.value if answer.state is AnswerState.ANSWERED else None
        state: str = answer.state
        if ind.type is AnswerType.COMPUTED:  # never typed: what scoring computed is the answer
            value = result.value if result is not None else None
            state = AnswerState.ANSWERED if value is not None else AnswerState.UNANSWERED
        relevant = result.relevant if result is not None else True
        if value is not None:
            words = value_text(ind, value, self.lang)
        else:
            words = state_label(state, self.labels)
        if not relevant:
            words = self.t("state_not_relevant")
        by_contributor = {ca.contributor.id: ca for ca in city.contributors}
        flags: list[str] = []
        if city.disagreement:
            flags.append(self.t("flag_disagreement"))
        if city.conflict:
            flags.append(self.t("flag_conflict"))
        if result is not None and result.data_gap:
            flags.append(self.t("flag_data_gap"))
        if result is not None and result.constraint_failed:
            flags.append(self.t("flag_constraint"))
        if any(ca.to_confirm for ca in city.contributors):
            flags.append(self.t("flag_to_confirm"))
        found = provenance(ind, city)
        return IndicatorRow(
            domain_id=domain.id,
            domain_name=self.pick(domain.name),
            section=self.section_name(domain, ind.id),
            id=ind.id,
            question=self.pick(ind.label),
            code=raw_value(value),
            label=words,
            state=state if relevant else "not_relevant",
            state_label=state_label(state, self.labels) if relevant else words,
            level=result.level if result is not None else None,
            scored=ind.scored,
            note=answer.note,
            evidence=evidence_label(answer.evidence, self.labels),
            flags=tuple(flags),
            disagreement=city.disagreement,
            conflict=city.conflict,
            data_gap=bool(result and result.data_gap),
            derived=city.derived,
            how_set=provenance_text(found, self.lang),
            rationale=city.rationale,
            changed_by=", ".join(found.names),
            changed_at=timestamp_text(found.when),
            contributors=tuple(
                self.contributor_answer(ind, by_contributor[c.id])
                if c.id in by_contributor
                else None
                for c in self.snap.contributors
            ),
            how_set_code=str(found.how),
            computed_from=found.sources,
            changed_at_iso=found.when,
            type_code=str(ind.type),
            options=tuple(o.code for o in ind.options),
            evidence_code=answer.evidence or "",
            to_confirm=any(ca.to_confirm for ca in city.contributors),
        )

    def contributor_answer(self, ind: Indicator, given: ContributorAnswer) -> ContributorAnswerRow:
        answer = given.answer
        return ContributorAnswerRow(
            contributor_id=given.contributor.id,
            name=given.contributor.name,
            code=raw_value(answer.value if answer.state is AnswerState.ANSWERED else None),
            label=answer_words(ind, answer, self.lang, self.labels),
            state=str(answer.state),
            state_label=state_label(answer.state, self.labels),
            note=answer.note,
            evidence=evidence_label(answer.evidence, self.labels),
            changed_at=timestamp_text(given.changed_at),
            to_confirm=given.to_confirm,
            evidence_code=answer.evidence or "",
            changed_at_iso=given.changed_at,
        )

    def section_name(self, domain: Domain, indicator_id: str) -> str:
        for section in domain.sections:
            if any(ind.id == indicator_id for ind in section.indicators):
                return self.pick(section.name)
        return ""

    def contributors(self, answers: tuple[IndicatorRow, ...]) -> tuple[ContributorRow, ...]:
        rows = []
        for index, c in enumerate(self.snap.contributors):
            given = [row.contributors[index] for row in answers]
            count = sum(1 for a in given if a is not None and a.state != AnswerState.UNANSWERED)
            rows.append(ContributorRow(c.id, c.name, c.role, c.institution, c.device_id, count))
        return tuple(rows)

    # -- domains

    def domain_row(self, domain: Domain, result: DomainResult | None) -> DomainRow:
        weight = float(self.snap.score.domain_weights.get(domain.id, domain.weight))
        if result is None:
            return DomainRow(
                domain.id,
                self.pick(domain.name),
                weight,
                None,
                "",
                self.t("no_level"),
                None,
                self.t("none"),
                0.0,
                percent_text(0.0, self.lang),
                0.0,
                percent_text(0.0, self.lang),
                True,
                (),
                "",
            )
        return DomainRow(
            id=domain.id,
            name=self.pick(domain.name),
            weight=weight,
            level=result.level,
            level_name=self.level_name(result.level),
            level_text=self.level_text(result.level),
            score=result.score,
            score_text=score_text(result.score, self.lang, self.labels),
            completeness=result.completeness,
            completeness_text=percent_text(result.completeness, self.lang),
            dont_know=result.dont_know,
            dont_know_text=percent_text(result.dont_know, self.lang),
            provisional=result.provisional,
            capped_by=tuple(result.capped_by),
            capped_by_text=", ".join(result.capped_by),
            uncapped_score=lowered_from(result),
        )

    def domain_section(self, domain: Domain, rows: Mapping[str, IndicatorRow]) -> DomainSection:
        result = self.snap.score.domains.get(domain.id)
        row = self.domain_row(domain, result)
        indicators = tuple(rows[ind.id] for ind in domain.indicators)
        capped: list[str] = []
        pending: list[str] = []
        gates = {g.id: g for g in self.q.gates}
        for judged in result.gates if result else ():
            gate = gates.get(judged.gate_id)
            if gate is None:
                continue
            message = self.pick(gate.message) or gate.id
            cap = gate.caps.get(domain.id, judged.cap)
            uncapped = result.uncapped_level if result else None
            if judged.fired and uncapped is not None and cap < uncapped:
                ids = ", ".join(judged.indicators or gate.indicators)
                capped.append(
                    self.t("capped_note", cap=cap, uncapped=uncapped, message=f"{message} ({ids})")
                )
            elif judged.pending:
                pending.append(
                    self.t("pending_gate_note", ids=", ".join(gate.indicators), message=message)
                )
        level = row.level
        steps: tuple[StepRow, ...] = ()
        note = ""
        if level is None:
            title, note = self.t("path_to_next"), self.t("path_none")
        elif level >= 5:
            title, note = self.t("path_to_next"), self.t("path_top")
        else:
            title = self.t("path_to_level", level=level + 1)
            steps = tuple(
                self.step_row(
                    domain,
                    s.indicator_id,
                    s.reason,
                    s.current_level,
                    s.target_level or level + 1,
                    s.action,
                    target_value=self.pick(s.target_value),
                    projected=s.projected_score,
                    measure=s.measure,
                )
                for s in (result.next_level if result else ())
            )
        if row.level is None:
            headline = self.t("domain_no_level")
        else:
            headline = self.t("domain_level", level=row.level, name=row.level_name)
        return DomainSection(
            row=row,
            description=self.pick(domain.description),
            headline=headline,
            score_line=self.score_line(result, row.score_text),
            completeness_line=self.t(
                "completeness_line", answered=row.completeness_text, dont_know=row.dont_know_text
            ),
            capped_notes=tuple(capped),
            pending_notes=tuple(pending),
            path_title=title,
            path_note=note,
            steps=steps,
            indicators=indicators,
            gaps=tuple(r for r in indicators if r.data_gap),
            unanswered=tuple(
                r.id
                for r in indicators
                if r.state == AnswerState.UNANSWERED
                and self.q.indicator(r.id).type is not AnswerType.COMPUTED
            ),
        )

    def score_line(self, result: DomainResult | None, shown: str) -> str:
        """The counting (capped) score; the score before gates beside it only if a gate lowered it."""
        uncapped = lowered_from(result) if result else None
        if uncapped is None:
            return self.t("domain_score", score=shown)
        before = score_text(uncapped, self.lang, self.labels)
        return self.t("domain_score_capped", score=shown, uncapped=before)

    def step_row(
        self,
        domain: Domain,
        indicator_id: str,
        reason: str,
        current: int,
        target: int,
        action: Mapping[str, str],
        target_value: str = "",
        projected: float | None = None,
        measure: bool = False,
    ) -> StepRow:
        question = ""
        if self.q.has_indicator(indicator_id):
            question = self.pick(self.q.indicator(indicator_id).label)
        return StepRow(
            domain_id=domain.id,
            domain_name=self.pick(domain.name),
            indicator_id=indicator_id,
            question=question,
            reason=reason,
            reason_label=self.labels.get(f"reason_{reason}", reason),
            current_level=current,
            target_level=target,
            action=self.pick(action) or self.t("none"),
            target_value=target_value,
            projected_score=projected,
            measure=measure,
        )

    # -- summary

    def summary(self, sections: tuple[DomainSection, ...]) -> Summary:
        score = self.snap.score
        bottleneck = next((s for s in sections if s.row.id == score.bottleneck), None)
        if bottleneck is not None:
            bottleneck_text = self.t(
                "bottleneck_note", name=bottleneck.row.name, level=bottleneck.row.level_text
            )
        else:
            bottleneck_text = self.t("no_bottleneck")
        priorities: list[StepRow] = list(bottleneck.steps[:BOTTLENECK_STEPS]) if bottleneck else []
        others = sorted(
            (s for s in sections if s is not bottleneck and s.steps),
            key=lambda s: (s.row.level or 0, s.row.score or 0.0),
        )
        priorities.extend(s.steps[0] for s in others)
        return Summary(
            domains=tuple(s.row for s in sections),
            overall_score=score.overall_score,
            overall_text=score_text(score.overall_score, self.lang, self.labels),
            bottleneck_id=score.bottleneck,
            bottleneck_text=bottleneck_text,
            priorities=tuple(priorities[:MAX_PRIORITIES]),
            warnings=tuple(
                f"{self.pick(check.message) or check.check_id} ({', '.join(check.indicators)})"
                for check in score.checks
            ),
        )
