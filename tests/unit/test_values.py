"""Answer values: one encoding, checked with messages that name the indicator."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.common.errors import UserError, ValidationError
from app.domain import (
    Answer,
    AnswerState,
    AnswerType,
    Domain,
    Indicator,
    Option,
    Questionnaire,
    Section,
)
from app.logic.answers_file import load_answers_file, parse_answers
from app.logic.values import answer_from_json, check_answer, coerce_value, parse_text_value

EN = {"en": "x"}
CHOICE = Indicator(
    "GOV-01",
    AnswerType.SINGLE_CHOICE,
    EN,
    options=(Option("none", EN, 1), Option("draft", EN, 2), Option("approved", EN, 3)),
)
MULTI = Indicator(
    "BIO-01",
    AnswerType.MULTIPLE_CHOICE,
    EN,
    options=(
        Option("ihc", EN, 2),
        Option("pcr", EN, 3),
        Option("ngs", EN, 5),
        Option("none", EN, 1, exclusive=True),
    ),
)
PCT = Indicator("QA-03", AnswerType.PERCENT, EN, allow_not_measured=True)
COUNT = Indicator("WF-01a", AnswerType.INTEGER, EN, minimum=0, maximum=10_000)
DAY = Indicator("GOV-09", AnswerType.DATE, EN)
NOTE = Indicator("GOV-10", AnswerType.LONG_TEXT, EN, scored=False)


def test_choice_values() -> None:
    assert coerce_value(CHOICE, "draft") == "draft"
    with pytest.raises(
        ValidationError, match=r"GOV-01: unknown option 'final' \(options: none, draft, approved\)"
    ):
        coerce_value(CHOICE, "final")
    with pytest.raises(ValidationError, match="GOV-01: expected one option code"):
        coerce_value(CHOICE, 3)


def test_multiple_choice_is_ordered_deduplicated_and_exclusive() -> None:
    assert coerce_value(MULTI, ["ngs", "ihc", "ngs"]) == ("ihc", "ngs")
    assert parse_text_value(MULTI, "pcr, ihc") == ("ihc", "pcr")
    with pytest.raises(ValidationError, match="'none' excludes every other option"):
        coerce_value(MULTI, ["none", "ihc"])


def test_numbers_ranges_and_types() -> None:
    assert parse_text_value(PCT, "72.5") == 72.5
    assert parse_text_value(COUNT, "12") == 12
    assert coerce_value(COUNT, 12.0) == 12
    with pytest.raises(ValidationError, match="QA-03: 101 is above the maximum 100"):
        coerce_value(PCT, 101)
    with pytest.raises(ValidationError, match="WF-01a: expected a whole number"):
        coerce_value(COUNT, 2.5)
    with pytest.raises(ValidationError, match="expected a number with a dot"):
        parse_text_value(PCT, "72,5")
    with pytest.raises(ValidationError, match="expected a number"):
        coerce_value(PCT, True)
    with pytest.raises(ValidationError, match="finite"):
        coerce_value(PCT, float("nan"))


def test_dates_and_text() -> None:
    assert coerce_value(DAY, "2026-02-28") == "2026-02-28"
    with pytest.raises(ValidationError, match="expected a date"):
        coerce_value(DAY, "2026-02-30")
    assert coerce_value(NOTE, "ქუთაისი =1+1") == "ქუთაისი =1+1"


def test_states_are_checked_against_the_definition() -> None:
    assert (
        check_answer(PCT, Answer(state=AnswerState.NOT_MEASURED)).state is AnswerState.NOT_MEASURED
    )
    with pytest.raises(ValidationError, match="state 'not_applicable' is not allowed here"):
        check_answer(PCT, Answer(state=AnswerState.NOT_APPLICABLE))
    with pytest.raises(ValidationError, match="cannot carry a value"):
        check_answer(PCT, Answer(50, state=AnswerState.DONT_KNOW))
    with pytest.raises(ValidationError, match="unknown evidence type 'rumour'"):
        check_answer(PCT, Answer(50, evidence="rumour"))
    assert check_answer(MULTI, Answer(("ngs", "ihc"))).value == ("ihc", "ngs")


def test_answers_file_entries() -> None:
    assert answer_from_json(PCT, {"state": "not_measured", "note": "no register"}) == Answer(
        state=AnswerState.NOT_MEASURED, note="no register"
    )
    assert (
        answer_from_json(CHOICE, {"value": "approved", "evidence": "document"}).evidence
        == "document"
    )
    with pytest.raises(ValidationError, match="unknown key"):
        answer_from_json(CHOICE, {"valeur": "approved"})
    with pytest.raises(ValidationError, match="unknown state 'maybe'"):
        answer_from_json(CHOICE, {"state": "maybe"})


def q() -> Questionnaire:
    section = Section("S", EN, (CHOICE, MULTI, PCT))
    return Questionnaire("q", "1", EN, (Domain("D", EN, sections=(section,)),))


def test_answers_file_names_unknown_indicators_and_json_errors(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="unknown indicator 'XX-01'"):
        parse_answers(q(), {"XX-01": 1})
    broken = tmp_path / "answers.json"
    broken.write_text('{\n  "GOV-01": "draft",\n  "QA-03": 50,,\n}', encoding="utf-8")
    with pytest.raises(UserError, match=r"answers.json:3: error: invalid JSON at column 15"):
        load_answers_file(q(), broken)
    good = tmp_path / "good.json"
    good.write_text(
        json.dumps({"GOV-01": "draft", "BIO-01": ["ngs"], "QA-03": {"state": "dont_know"}})
    )
    answers = load_answers_file(q(), good)
    assert answers["BIO-01"].value == ("ngs",)
    with pytest.raises(UserError, match="no such file"):
        load_answers_file(q(), tmp_path / "missing.json")
