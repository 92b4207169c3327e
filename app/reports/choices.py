"""The code lists of the export, each code with its label in every language (the Choices sheet).

Codes are stable and English in every export language, so tables from cities working in
different languages line up; these rows say what each code means in each language.
"""

from __future__ import annotations

from app.common.i18n import LANGUAGES, pick
from app.domain import AnswerState, EvidenceType, Questionnaire
from app.reports import texts
from app.reports.data import ChoiceRow
from app.reports.provenance import HowSet

NOT_RELEVANT = "not_relevant"  # a state code of the export: the indicator does not apply here

_HOW_KEYS = {
    HowSet.UNANSWERED: "state_unanswered",
    HowSet.ONE_CONTRIBUTOR: "how_set_one",
    HowSet.AGREED: "how_set_agreed",
    HowSet.COORDINATOR: "how_set_coordinator",
    HowSet.DISAGREEMENT: "how_set_disagreement",
    HowSet.COMPUTED: "how_set_computed",
}


def _fixed(list_name: str, code: str, key: str) -> ChoiceRow:
    return ChoiceRow(list_name, code, tuple(texts.text(key, lang) for lang in LANGUAGES))


def choice_rows(questionnaire: Questionnaire) -> tuple[ChoiceRow, ...]:
    rows = [_fixed("state", str(s), f"state_{s}") for s in AnswerState]
    rows.append(_fixed("state", NOT_RELEVANT, "state_not_relevant"))
    rows += [_fixed("evidence", str(e), f"evidence_{e}") for e in EvidenceType]
    rows += [_fixed("how_set", str(h), key) for h, key in _HOW_KEYS.items()]
    for indicator in questionnaire.indicators:
        rows += [
            ChoiceRow(indicator.id, o.code, tuple(pick(o.label, lang) for lang in LANGUAGES))
            for o in indicator.options
        ]
    return tuple(rows)
