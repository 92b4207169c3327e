"""How a city answer was set, decided once and worded once for the PDF, the XLSX and the GUI.

A city answer comes about in exactly one of these ways (see `app.services.city_answers`):
one contributor answered; several answered the same; the coordinator set it; contributors differ
and nobody settled it (scoring counts the lowest level); or it is computed from other indicators.
The name shown is the person whose value counts, never merely the last one who edited something.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.domain import AnswerState, AnswerType, CityAnswer, Indicator
from app.reports import texts
from app.reports.values import timestamp_text


class HowSet(StrEnum):
    """Stable codes (used as such in the tidy export); the words come from `provenance_text`."""

    UNANSWERED = "unanswered"
    ONE_CONTRIBUTOR = "one_contributor"
    AGREED = "agreed"
    COORDINATOR = "coordinator"
    DISAGREEMENT = "disagreement"
    COMPUTED = "computed"


@dataclass(frozen=True)
class Provenance:
    how: HowSet
    names: tuple[str, ...] = ()  # whose value counts (coordinator: who set it)
    when: str = ""  # ISO UTC of the decisive change ("" when unknown or computed)
    rationale: str = ""  # the coordinator's reason
    sources: tuple[str, ...] = ()  # computed: the indicator ids it is computed from


def provenance(indicator: Indicator, city: CityAnswer) -> Provenance:
    """How `city` (a city answer as derived and settled by the services) was set."""
    if indicator.type is AnswerType.COMPUTED:
        if city.answer.state is AnswerState.UNANSWERED:
            return Provenance(HowSet.UNANSWERED)
        return Provenance(HowSet.COMPUTED, sources=_sources(indicator))
    given = [ca for ca in city.contributors if ca.answer.state is not AnswerState.UNANSWERED]
    if city.disagreement and given:
        # Once settled, the city answer is the alternative scoring counted: name its authors.
        counted = [ca for ca in given if _same(ca.answer.state, ca.answer.value, city)]
        latest = max((ca.changed_at for ca in counted), default="")
        return Provenance(HowSet.DISAGREEMENT, tuple(ca.contributor.name for ca in counted), latest)
    if city.answer.state is AnswerState.UNANSWERED:
        return Provenance(HowSet.UNANSWERED)
    if not city.derived:
        who = (city.changed_by,) if city.changed_by else ()
        return Provenance(HowSet.COORDINATOR, who, city.changed_at or "", city.rationale)
    latest = max((ca.changed_at for ca in given), default=city.changed_at or "")
    names = tuple(ca.contributor.name for ca in given)
    how = HowSet.ONE_CONTRIBUTOR if len(given) <= 1 else HowSet.AGREED
    if not names and city.changed_by:
        names = (city.changed_by,)
    return Provenance(how, names, latest)


def provenance_text(found: Provenance, lang: str) -> str:
    """One sentence in `lang` saying how the answer was set; "" for an unanswered indicator."""
    if found.how is HowSet.UNANSWERED:
        return ""
    names = ", ".join(found.names)
    when = timestamp_text(found.when)
    if found.how is HowSet.COMPUTED:
        return texts.text("how_computed", lang).format(ids=", ".join(found.sources) or "—")
    if found.how is HowSet.COORDINATOR:
        key = "how_coordinator" if names else "how_coordinator_unnamed"
        return texts.text(key, lang).format(name=names, when=when or "—")
    if found.how is HowSet.DISAGREEMENT:
        key = "how_disagreement" if names else "how_disagreement_unnamed"
        return texts.text(key, lang).format(names=names)
    key = "how_one" if found.how is HowSet.ONE_CONTRIBUTOR else "how_agreed"
    return texts.text(key, lang).format(names=names or "—")


def _same(state: AnswerState, value: object, city: CityAnswer) -> bool:
    if state != city.answer.state:
        return False
    return state is not AnswerState.ANSWERED or value == city.answer.value


def _sources(indicator: Indicator) -> tuple[str, ...]:
    if not indicator.compute:
        return ()
    from app.logic.expressions import parse

    try:
        return tuple(sorted(parse(indicator.compute).references()))
    except ValueError:  # a definition that loaded has a valid expression; stay readable anyway
        return ()
