"""The city answer of each indicator, derived when read from the head revisions (never stored).

Per indicator:
- a coordinator-set city answer (subject "city") wins: `derived=False`;
- else one contributor answered, or all contributors' answers agree (value and state): that answer,
  `derived=True`;
- else contributors differ: `disagreement=True`, and scoring counts the lowest of their answers;
- `conflict=True` while a key that decides the answer has several heads with different values
  (concurrent edits from sync); the provisional head is the max of (hlc, device id, revision id).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from app.domain import (
    UNANSWERED,
    Answer,
    AnswerState,
    AnswerType,
    CityAnswer,
    Contributor,
    ContributorAnswer,
    Questionnaire,
    ScoreResult,
)
from app.storage.records import CITY, RevisionRecord


@dataclass(frozen=True)
class KeyState:
    """The heads of one answer key, reduced to what a reader needs."""

    winner: RevisionRecord
    conflict: bool


def same_answer(a: Answer, b: Answer) -> bool:
    return a.state == b.state and a.value == b.value


def key_state(heads: Sequence[RevisionRecord]) -> KeyState:
    if len(heads) == 1:  # the usual case: no concurrent edits
        return KeyState(heads[0], False)
    winner = max(heads, key=lambda r: r.order_key)
    conflict = any(not same_answer(h.answer, winner.answer) for h in heads)
    return KeyState(winner, conflict)


@dataclass(frozen=True)
class Derivation:
    answers: dict[str, CityAnswer]  # every indicator of the questionnaire
    scoring_answers: dict[str, Answer]  # the city answer per indicator, for app.scoring.score
    disputed: dict[str, list[Answer]]  # contributors' differing answers


def derive(
    questionnaire: Questionnaire,
    heads: Iterable[RevisionRecord],
    contributors: Mapping[str, Contributor],
) -> Derivation:
    by_indicator: dict[str, dict[str, list[RevisionRecord]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for head in heads:
        by_indicator[head.indicator_id][head.subject].append(head)
    # Contributors are listed by name; sort the subjects once, not per indicator.
    people = {
        s: contributors.get(s) or Contributor(id=s, name=s)
        for subjects in by_indicator.values()
        for s in subjects
        if s != CITY
    }
    rank = {s: n for n, s in enumerate(sorted(people, key=lambda s: (people[s].name, s)))}

    answers: dict[str, CityAnswer] = {}
    scoring: dict[str, Answer] = {}
    disputed: dict[str, list[Answer]] = {}
    for indicator in questionnaire.indicators:
        subjects = by_indicator.get(indicator.id)
        if not subjects:
            answers[indicator.id] = CityAnswer(indicator.id, UNANSWERED, False, False, False)
            continue
        city = key_state(subjects[CITY]) if CITY in subjects else None
        own = sorted(
            ((s, key_state(h)) for s, h in subjects.items() if s != CITY),
            key=lambda item: rank[item[0]],
        )
        entries = tuple(
            ContributorAnswer(
                contributor=people[subject],
                answer=state.winner.answer,
                changed_at=state.winner.created_at,
                to_confirm=state.winner.to_confirm,
            )
            for subject, state in own
            if state.winner.answer.state is not AnswerState.UNANSWERED
        )
        contributor_conflict = any(state.conflict for _subject, state in own)
        if city is not None and city.winner.answer.state is not AnswerState.UNANSWERED:
            winner = city.winner
            answers[indicator.id] = CityAnswer(
                indicator_id=indicator.id,
                answer=winner.answer,
                derived=False,
                disagreement=False,
                conflict=city.conflict,
                contributors=entries,
                rationale=winner.rationale,
                changed_at=winner.created_at,
                changed_by=_name(contributors, winner.author_id),
            )
            scoring[indicator.id] = winner.answer
            continue
        if not entries:
            answers[indicator.id] = CityAnswer(
                indicator_id=indicator.id,
                answer=UNANSWERED,
                derived=False,
                disagreement=False,
                conflict=contributor_conflict,
            )
            continue
        latest = max(entries, key=lambda e: e.changed_at)
        distinct = _distinct([e.answer for e in entries])
        if len(distinct) == 1:
            answers[indicator.id] = CityAnswer(
                indicator_id=indicator.id,
                answer=latest.answer,
                derived=True,
                disagreement=False,
                conflict=contributor_conflict,
                contributors=entries,
                changed_at=latest.changed_at,
                changed_by=latest.contributor.name,
            )
            scoring[indicator.id] = latest.answer
        else:
            answers[indicator.id] = CityAnswer(
                indicator_id=indicator.id,
                answer=distinct[0],  # replaced by the one scoring counts (settle_disputes)
                derived=True,
                disagreement=True,
                conflict=contributor_conflict,
                contributors=entries,
                changed_at=latest.changed_at,
                changed_by=latest.contributor.name,
            )
            disputed[indicator.id] = distinct
    return Derivation(answers, scoring, disputed)


def settle(
    questionnaire: Questionnaire, derivation: Derivation, result: ScoreResult
) -> dict[str, CityAnswer]:
    """Complete the city answers with what scoring found: for each disagreement the answer that
    counted (the lowest), and the value of each computed indicator."""
    answers = dict(derivation.answers)
    for indicator in questionnaire.indicators:
        if indicator.type is not AnswerType.COMPUTED:
            continue
        computed = result.indicator(indicator.id)
        if computed is not None and computed.value is not None:
            answers[indicator.id] = replace(
                answers[indicator.id], answer=Answer(value=computed.value), derived=True
            )
    for indicator_id, alternatives in derivation.disputed.items():
        counted = result.indicator(indicator_id)
        if counted is None:
            continue
        for alternative in alternatives:
            if alternative.state == counted.state and (
                alternative.state is not AnswerState.ANSWERED or alternative.value == counted.value
            ):
                answers[indicator_id] = replace(answers[indicator_id], answer=alternative)
                break
    return answers


def _distinct(items: Sequence[Answer]) -> list[Answer]:
    found: list[Answer] = []
    for item in items:
        if not any(same_answer(item, other) for other in found):
            found.append(item)
    return found


def _name(contributors: Mapping[str, Contributor], contributor_id: str | None) -> str:
    if contributor_id is None:
        return ""
    found = contributors.get(contributor_id)
    return found.name if found else contributor_id
