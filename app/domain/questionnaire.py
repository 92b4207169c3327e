"""A questionnaire definition as plain, immutable data.

`app.forms` builds these from YAML files (see docs/form-format.md); everything else reads them.
Texts are `LocalText` mappings from language code to string; `app.common.i18n.pick` chooses one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

LocalText = Mapping[str, str]


class AnswerType(StrEnum):
    YES_PARTIAL_NO = "yes_partial_no"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    INTEGER = "integer"
    DECIMAL = "decimal"
    PERCENT = "percent"
    DATE = "date"
    TEXT = "text"
    LONG_TEXT = "long_text"
    COMPUTED = "computed"

    @property
    def is_choice(self) -> bool:
        return self in (self.YES_PARTIAL_NO, self.SINGLE_CHOICE, self.MULTIPLE_CHOICE)

    @property
    def is_numeric(self) -> bool:
        return self in (self.INTEGER, self.DECIMAL, self.PERCENT, self.COMPUTED)

    @property
    def is_text(self) -> bool:
        return self in (self.TEXT, self.LONG_TEXT)


class AnswerState(StrEnum):
    ANSWERED = "answered"
    DONT_KNOW = "dont_know"
    NOT_APPLICABLE = "not_applicable"
    NOT_MEASURED = "not_measured"
    UNANSWERED = "unanswered"


class EvidenceType(StrEnum):
    DOCUMENT = "document"
    AUDIT = "audit"
    REGISTER = "register"
    OBSERVATION = "observation"
    ESTIMATE = "estimate"


class LevelBy(StrEnum):
    """How an indicator's answer becomes a level 1-5."""

    OPTION = "option"  # the chosen option's level (single choice, yes/partial/no)
    MAX_OPTION = "max_option"  # the highest level among selected options (multiple choice)
    COUNT = "count"  # bands over the number of options selected (multiple choice)
    BAND = "band"  # bands over the numeric value
    EXPRESSION = "expression"  # an expression that yields the level (e.g. the lower of two)
    NONE = "none"  # not scored (text, dates, inputs of computed values)


@dataclass(frozen=True)
class Option:
    code: str
    label: LocalText
    level: int | None = None
    # A multiple-choice option that means "none of these" and excludes the others.
    exclusive: bool = False


@dataclass(frozen=True)
class Band:
    """Values `>= minimum` (and below the next band's minimum) reach `level`."""

    minimum: float
    level: int


@dataclass(frozen=True)
class Check:
    """A consistency check: `when` is true when the answers contradict each other (a warning)."""

    id: str
    when: str
    indicators: tuple[str, ...]
    message: LocalText = field(default_factory=dict)
    line: int = 0


@dataclass(frozen=True)
class Indicator:
    id: str
    type: AnswerType
    label: LocalText
    help: LocalText = field(default_factory=dict)
    guidance: LocalText = field(default_factory=dict)  # what counts as evidence
    source: str = ""
    required: bool = True
    scored: bool = True
    core: bool = False
    weight: float = 1.0
    options: tuple[Option, ...] = ()
    level_by: LevelBy = LevelBy.NONE
    bands: tuple[Band, ...] = ()
    level_expression: str | None = None
    compute: str | None = None  # expression for computed values
    relevance: str | None = None
    constraint: str | None = None
    constraint_message: LocalText = field(default_factory=dict)
    unit: LocalText = field(default_factory=dict)
    minimum: float | None = None
    maximum: float | None = None
    decimals: int | None = None  # shown precision of computed and decimal values
    allow_not_applicable: bool = False
    allow_not_measured: bool = False
    # actions[n] = what to do to move this indicator from level n to n + 1 (n = 1..4)
    actions: Mapping[int, LocalText] = field(default_factory=dict)
    # "national": the same for every city of a country; reported as context, not in the level.
    scope: str = "city"
    # Indicators whose steps come first on a path to the next level (e.g. EQA before NGS).
    after: tuple[str, ...] = ()
    # Consistency checks declared on this question: warnings when answers contradict each other.
    checks: tuple[Check, ...] = ()
    line: int = 0  # line in the definition file, for messages

    @property
    def national(self) -> bool:
        return self.scope == "national"

    def option(self, code: str) -> Option | None:
        for option in self.options:
            if option.code == code:
                return option
        return None

    @property
    def allowed_states(self) -> tuple[AnswerState, ...]:
        states = [AnswerState.ANSWERED, AnswerState.DONT_KNOW]
        if self.allow_not_applicable:
            states.append(AnswerState.NOT_APPLICABLE)
        if self.allow_not_measured:
            states.append(AnswerState.NOT_MEASURED)
        return tuple(states)


@dataclass(frozen=True)
class Section:
    id: str
    name: LocalText
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True)
class Domain:
    id: str
    name: LocalText
    description: LocalText = field(default_factory=dict)
    weight: float = 1.0
    sections: tuple[Section, ...] = ()

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(ind for section in self.sections for ind in section.indicators)

    @property
    def scored_indicators(self) -> tuple[Indicator, ...]:
        return tuple(ind for ind in self.indicators if ind.scored)


@dataclass(frozen=True)
class Gate:
    """A critical rule: when it fires, each domain in `caps` is held at or below its level.

    It fires when the gate indicators are below `min_level` (don't know and not measured count as
    level 1): all of them (`mode="all"`) or any of them (`mode="any"`).
    """

    id: str
    indicators: tuple[str, ...]
    min_level: int
    caps: Mapping[str, int]
    mode: str = "any"
    message: LocalText = field(default_factory=dict)


@dataclass(frozen=True)
class LevelDefinition:
    level: int
    name: LocalText
    description: LocalText = field(default_factory=dict)


@dataclass(frozen=True)
class Questionnaire:
    id: str
    version: str
    title: LocalText
    domains: tuple[Domain, ...]
    levels: tuple[LevelDefinition, ...] = ()
    gates: tuple[Gate, ...] = ()
    description: LocalText = field(default_factory=dict)
    # Ids from earlier versions that this version's ids replace (old id -> new id).
    replaces: Mapping[str, str] = field(default_factory=dict)
    sha256: str = ""
    source_path: str = ""

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(ind for domain in self.domains for ind in domain.indicators)

    @property
    def checks(self) -> tuple[Check, ...]:
        """Every consistency check, in questionnaire order (each is declared on an indicator)."""
        return tuple(check for ind in self.indicators for check in ind.checks)

    def indicator(self, indicator_id: str) -> Indicator:
        """The indicator with this id; KeyError if none."""
        return self._index()[indicator_id][1]

    def has_indicator(self, indicator_id: str) -> bool:
        return indicator_id in self._index()

    def domain_of(self, indicator_id: str) -> Domain:
        return self._index()[indicator_id][0]

    def domain(self, domain_id: str) -> Domain:
        for domain in self.domains:
            if domain.id == domain_id:
                return domain
        raise KeyError(domain_id)

    def level_name(self, level: int, lang: str) -> str:
        from app.common.i18n import pick

        for definition in self.levels:
            if definition.level == level:
                return pick(definition.name, lang)
        return str(level)

    def _index(self) -> dict[str, tuple[Domain, Indicator]]:
        # Frozen dataclasses cannot hold a cache attribute normally; object.__setattr__ can.
        cached: dict[str, tuple[Domain, Indicator]] | None = self.__dict__.get("_index_cache")
        if cached is None:
            cached = {ind.id: (d, ind) for d in self.domains for ind in d.indicators}
            object.__setattr__(self, "_index_cache", cached)
        return cached
