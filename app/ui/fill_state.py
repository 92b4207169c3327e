"""What the fill view shows, computed from a snapshot as plain data (no Qt).

Which answer each question shows (the person's own answer, else the city answer), who gave it,
which questions are relevant now, which match a filter, and the navigation tree's counts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from app.domain import (
    UNANSWERED,
    Answer,
    AnswerState,
    AnswerType,
    AssessmentSnapshot,
    CityAnswer,
    Indicator,
    IndicatorResult,
    Questionnaire,
)
from app.ui.nav_model import NavNode


@dataclass(frozen=True)
class Attachment:
    """A file attached to an answer: its content hash and the name it was given."""

    sha256: str
    name: str


FILTER_ALL = "all"
FILTER_UNANSWERED = "unanswered"
FILTER_DONT_KNOW = "dont_know"
FILTER_DISAGREEMENTS = "disagreements"
FILTERS = (FILTER_ALL, FILTER_UNANSWERED, FILTER_DONT_KNOW, FILTER_DISAGREEMENTS)
_GAPS = (AnswerState.DONT_KNOW, AnswerState.NOT_MEASURED)


@dataclass
class FillState:
    questionnaire: Questionnaire
    answers: Mapping[str, CityAnswer]
    me: str = ""  # the contributor id of the person at this computer
    attachments: Mapping[str, Sequence[Attachment]] = field(default_factory=dict)
    results: dict[str, IndicatorResult] = field(default_factory=dict)
    drafts: Mapping[str, Answer] = field(default_factory=dict)  # own note without an answer

    @classmethod
    def from_snapshot(
        cls,
        snapshot: AssessmentSnapshot,
        me: str = "",
        attachments: Mapping[str, Sequence[Attachment]] | None = None,
        drafts: Mapping[str, Answer] | None = None,
    ) -> FillState:
        state = cls(snapshot.questionnaire, snapshot.answers, me, attachments or {})
        state.drafts = drafts or {}
        state.rescore()
        return state

    def rescore(self) -> None:
        """Relevance, computed values and constraints for every indicator (scored or not)."""
        from app.scoring import indicator_results  # not needed before an assessment is open

        city = {i: ca.answer for i, ca in self.answers.items()}
        disputed = {
            i: [c.answer for c in ca.contributors]
            for i, ca in self.answers.items()
            if ca.disagreement and ca.derived and ca.contributors
        }
        self.results = indicator_results(self.questionnaire, city, disputed)

    # -- per question --------------------------------------------------------------------------

    def own_answer(self, indicator_id: str) -> Answer | None:
        city = self.answers.get(indicator_id)
        if city is None or not self.me:
            return None
        for given in city.contributors:
            if given.contributor.id == self.me:
                return given.answer
        return None

    def shown_answer(self, indicator_id: str) -> Answer:
        """The person's own answer; else the city answer; else the person's note (an answer
        not given yet); else unanswered."""
        own = self.own_answer(indicator_id)
        if own is not None:
            return own
        city = self.answers.get(indicator_id)
        if city is not None and city.answer.is_answered:
            return city.answer
        return self.drafts.get(indicator_id, UNANSWERED)

    def answered_by(self, indicator_id: str) -> str:
        city = self.answers.get(indicator_id)
        if city is None:
            return ""
        names = [c.contributor.name for c in city.contributors if c.answer.is_answered]
        return ", ".join(dict.fromkeys(names))

    def relevant(self, indicator_id: str) -> bool:
        result = self.results.get(indicator_id)
        return result.relevant if result is not None else True

    def computed_value(self, indicator_id: str) -> object:
        result = self.results.get(indicator_id)
        return result.value if result is not None else None

    def constraint_failed(self, indicator_id: str) -> bool:
        result = self.results.get(indicator_id)
        return bool(result and result.constraint_failed)

    def flags(self, indicator_id: str) -> tuple[bool, bool]:
        """(disagreement, conflict)."""
        city = self.answers.get(indicator_id)
        if city is None:
            return False, False
        return city.disagreement, city.conflict

    def matches(self, indicator: Indicator, which: str) -> bool:
        if not self.relevant(indicator.id):
            return False
        if which == FILTER_ALL:
            return True
        if indicator.type is AnswerType.COMPUTED:
            return False
        state = self.shown_answer(indicator.id).state
        if which == FILTER_UNANSWERED:
            return state is AnswerState.UNANSWERED
        if which == FILTER_DONT_KNOW:
            return state in _GAPS
        if which == FILTER_DISAGREEMENTS:
            return any(self.flags(indicator.id))
        return True

    def disputed_ids(self) -> list[str]:
        """Indicators with a disagreement or a conflict, in questionnaire order."""
        return [i.id for i in self.questionnaire.indicators if any(self.flags(i.id))]

    # -- navigation --------------------------------------------------------------------------

    def nav_nodes(self) -> tuple[NavNode, ...]:
        domains = []
        for domain in self.questionnaire.domains:
            sections = tuple(
                self._section_node(s.id, s.name, s.indicators) for s in domain.sections
            )
            domains.append(
                NavNode(
                    key=domain.id,
                    name=domain.name,
                    answered=sum(s.answered for s in sections),
                    total=sum(s.total for s in sections),
                    disagreements=sum(s.disagreements for s in sections),
                    conflicts=sum(s.conflicts for s in sections),
                    children=sections,
                )
            )
        return tuple(domains)

    def _section_node(
        self, key: str, name: Mapping[str, str], indicators: Sequence[Indicator]
    ) -> NavNode:
        asked = [i for i in indicators if i.type is not AnswerType.COMPUTED and self.relevant(i.id)]
        answered = sum(1 for i in asked if self.shown_answer(i.id).is_answered)
        disagreements = sum(1 for i in asked if self.flags(i.id)[0])
        conflicts = sum(1 for i in asked if self.flags(i.id)[1])
        return NavNode(key, name, answered, len(asked), disagreements, conflicts)
