"""How each city answer was set: one decision, one wording, the same in PDF, XLSX and GUI history."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from app.common.i18n import LANGUAGES
from app.domain import Answer, AnswerState, CityAnswer, Contributor, ContributorAnswer
from app.reports import texts
from app.reports.build import build_report
from app.reports.data import IndicatorRow
from app.reports.pdf import write_pdf
from app.reports.provenance import HowSet, Provenance, provenance, provenance_text
from app.reports.xlsx import write_xlsx
from tests.unit.test_report_samples import (
    make_snapshot,
    pdf_text,
    rich_snapshot,
    sample_questionnaire,
    squeeze,
)


def rows(lang: str = "en") -> dict[str, IndicatorRow]:
    return {r.id: r for r in build_report(rich_snapshot(), lang).answers}


def test_one_contributor_names_that_contributor() -> None:
    row = rows()["DATA-02"]  # only Luis answered (don't know)
    assert row.how_set_code == HowSet.ONE_CONTRIBUTOR
    assert row.how_set == "Answered by one contributor: Luis Pérez"
    assert row.changed_by == "Luis Pérez"


def test_agreement_names_every_contributor_not_the_last_editor() -> None:
    row = rows()["GOV-01"]  # Ana and Luis both said yes
    assert row.how_set_code == HowSet.AGREED
    assert row.how_set == "All contributors agreed: Ana Gómez, Luis Pérez"


def test_coordinator_answer_names_the_coordinator_and_date_and_keeps_the_rationale() -> None:
    row = rows()["PATH-05"]
    assert row.how_set_code == HowSet.COORDINATOR
    assert row.how_set == "Set by the coordinator Ana Gómez on 2026-11-22 09:00 UTC"
    assert row.rationale == "Registry audit of 2026"


def test_unresolved_disagreement_never_says_agreed_and_names_whose_value_counts() -> None:
    row = rows()["QA-02"]  # Ana partial, Luis no: the lowest level (no) counts
    assert row.how_set_code == HowSet.DISAGREEMENT
    assert row.code == "no"
    assert row.how_set == (
        "Unresolved disagreement: the lowest level counts, the answer of Luis Pérez"
    )
    assert "agreed" not in row.how_set.lower()


def test_computed_answer_names_the_indicators_it_is_computed_from() -> None:
    row = rows()["PATH-03"]
    assert row.how_set_code == HowSet.COMPUTED
    assert row.computed_from == ("PATH-01", "PATH-02")
    assert row.how_set == "Computed from PATH-01, PATH-02"
    assert row.changed_by == ""


def test_unanswered_says_nothing() -> None:
    data = build_report(make_snapshot(sample_questionnaire(), {"Ana Gómez": {}}), "en")
    unanswered = [r for r in data.answers if r.state == "unanswered"]
    assert len(unanswered) == len(data.answers)
    assert all(r.how_set == "" and r.how_set_code == HowSet.UNANSWERED for r in unanswered)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_wording_exists_in_every_language(lang: str) -> None:
    for key in ("how_one", "how_agreed", "how_coordinator", "how_disagreement", "how_computed"):
        assert texts.text(key, lang) != ""
    row = rows(lang)["QA-02"]
    assert row.how_set == texts.text("how_disagreement", lang).format(names="Luis Pérez")


def test_pdf_and_xlsx_carry_the_same_sentence(tmp_path: Path) -> None:
    data = build_report(rich_snapshot(), "en")
    by_id = {r.id: r for r in data.answers}
    pdf = write_pdf(data, tmp_path / "r.pdf")
    text = squeeze(pdf_text(pdf))
    wb = load_workbook(write_xlsx(data, tmp_path / "r.xlsx"))
    ws = wb["answers"]
    heads = {c.value: c.column for c in ws[2]}
    column = heads[data.labels["col_source_of_answer"]]
    in_sheet = {
        ws.cell(row=r, column=2).value: ws.cell(row=r, column=column).value
        for r in range(3, ws.max_row + 1)
    }
    for indicator_id in ("DATA-02", "GOV-01", "PATH-05", "QA-02", "PATH-03"):
        sentence = by_id[indicator_id].how_set
        assert squeeze(sentence) in text, indicator_id
        assert in_sheet[indicator_id] == sentence, indicator_id


# -- the class of bug: whatever the contributors answered, the wording tells the truth

PEOPLE = [Contributor(id=f"c{i}", name=f"Person {i}") for i in range(4)]
VALUES = st.sampled_from(["yes", "partial", "no"])


@given(st.lists(VALUES, min_size=1, max_size=4), st.booleans())
def test_provenance_follows_the_contributors_answers(values: list[str], coordinator: bool) -> None:
    q = sample_questionnaire()
    indicator = q.indicator("GOV-01")
    given_answers = tuple(
        ContributorAnswer(PEOPLE[i], Answer(v), f"2026-11-21T08:0{i}:00Z")
        for i, v in enumerate(values)
    )
    distinct = set(values)
    order = {"no": 0, "partial": 1, "yes": 2}
    if coordinator:
        city = CityAnswer(
            "GOV-01",
            Answer("yes"),
            False,
            False,
            False,
            given_answers,
            "why",
            "2026-11-22T09:00:00Z",
            "Coord",
        )
    elif len(distinct) == 1:
        city = CityAnswer("GOV-01", Answer(values[0]), True, False, False, given_answers)
    else:
        lowest = min(distinct, key=order.__getitem__)
        city = CityAnswer("GOV-01", Answer(lowest), True, True, False, given_answers)
    found = provenance(indicator, city)
    words = provenance_text(found, "en")
    if coordinator:
        assert found == Provenance(HowSet.COORDINATOR, ("Coord",), "2026-11-22T09:00:00Z", "why")
    elif len(distinct) > 1:
        assert found.how is HowSet.DISAGREEMENT and "agreed" not in words
        lowest = min(distinct, key=order.__getitem__)
        assert found.names == tuple(PEOPLE[i].name for i, v in enumerate(values) if v == lowest)
    elif len(values) == 1:
        assert found.how is HowSet.ONE_CONTRIBUTOR and found.names == ("Person 0",)
    else:
        assert found.how is HowSet.AGREED
        assert found.names == tuple(p.name for p in PEOPLE[: len(values)])
    # The name shown is always someone whose value counts (or the coordinator).
    assert all(name in words for name in found.names)


def test_unanswered_contributors_do_not_count_as_agreeing() -> None:
    q = sample_questionnaire()
    given_answers = (
        ContributorAnswer(PEOPLE[0], Answer("yes"), "2026-11-21T08:00:00Z"),
        ContributorAnswer(PEOPLE[1], Answer(state=AnswerState.UNANSWERED), "2026-11-21T08:01:00Z"),
    )
    city = CityAnswer("GOV-01", Answer("yes"), True, False, False, given_answers)
    assert provenance(q.indicator("GOV-01"), city).how is HowSet.ONE_CONTRIBUTOR
