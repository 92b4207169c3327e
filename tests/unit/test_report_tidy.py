"""The tidy tables: stackable across cities and languages, typed, safe as CSV, same in XLSX."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from app.common.i18n import LANGUAGES
from app.reports import tidy
from app.reports.build import build_report
from app.reports.csv_export import csv_cell, write_csv
from app.reports.safe import csv_text
from app.reports.xlsx import write_xlsx
from tests.unit.test_report_samples import (
    a,
    make_snapshot,
    rich_answers,
    rich_snapshot,
    sample_questionnaire,
)

TABLES = ("answers_tidy", "contributor_answers", "domains", "choices", "version")


def lima() -> object:
    answers = rich_answers()
    answers["Ana Gómez"]["GOV-03"] = a('=HYPERLINK("http://x")')
    answers["Luis Pérez"]["QA-01"] = a(("egfr",), note="@SUM(A1)")
    return make_snapshot(
        sample_questionnaire(),
        {"Marta Ruiz": answers["Ana Gómez"], "Pedro Sol": answers["Luis Pérez"]},
        city="Lima",
        country="Perú",
        id="11111111-0000-4000-8000-000000000001",
    )


def read(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def test_two_cities_in_two_languages_stack_table_by_table(tmp_path: Path) -> None:
    cali = build_report(rich_snapshot(), "en")
    other = build_report(lima(), "es")  # type: ignore[arg-type]
    write_csv(cali, tmp_path)
    write_csv(other, tmp_path)
    for name in TABLES:
        first = read(tmp_path / f"{cali.cover.assessment_id}_{name}.csv")
        second = read(tmp_path / f"{other.cover.assessment_id}_{name}.csv")
        assert first[0] == second[0], name  # same columns, same order, whatever the language
        assert all(len(row) == len(first[0]) for row in first + second), name
    stacked = [
        dict(zip(header, row, strict=True))
        for data in (cali, other)
        for header, *rows in [read(tmp_path / f"{data.cover.assessment_id}_answers_tidy.csv")]
        for row in rows
    ]
    assert {r["city"] for r in stacked} == {"Cali", "Lima"}
    assert {r["language"] for r in stacked} == {"en", "es"}
    gov1 = [r for r in stacked if r["indicator_id"] == "GOV-01"]
    assert [r["value_code"] for r in gov1] == ["yes", "yes"]  # codes, not "Yes"/"Sí"
    assert [r["value_label"] for r in gov1] == ["Yes", "Sí"]  # labels beside them
    assert {r["state"] for r in stacked} <= {
        "answered",
        "dont_know",
        "not_measured",
        "not_applicable",
        "unanswered",
        "not_relevant",
    }


def test_every_row_identifies_its_assessment_and_people_are_rows_not_columns() -> None:
    data = build_report(rich_snapshot(), "fr")
    names = {p.name for p in data.contributors}
    for table in tidy.tables(data)[:3]:
        assert not names & set(table.columns), table.name
        for row in table.rows:
            assert row[: len(tidy.KEY_COLUMNS)] == tidy.key(data), table.name
    people = tidy.contributor_answers_table(data)
    col = {c: i for i, c in enumerate(people.columns)}
    qa2 = {r[col["contributor_id"]]: r for r in people.rows if r[col["indicator_id"]] == "QA-02"}
    assert {k: r[col["value_code"]] for k, r in qa2.items()} == {"c0": "partial", "c1": "no"}
    assert qa2["c1"][col["role"]] == "Pathologist"
    assert isinstance(qa2["c1"][col["changed_at_utc"]], datetime)


def test_multiple_choice_is_a_code_list_and_one_0_1_column_per_option() -> None:
    data = build_report(rich_snapshot(), "en")
    table = tidy.answers_table(data)
    col = {c: i for i, c in enumerate(table.columns)}
    rows = {r[col["indicator_id"]]: r for r in table.rows}
    qa1 = rows["QA-01"]
    assert qa1[col["value_code"]] == "her2,egfr"
    options = [c for c in table.columns if c.startswith("QA-01__")]
    assert options and {c: qa1[col[c]] for c in options} == {
        c: int(c.split("__")[1] in ("her2", "egfr")) for c in options
    }
    assert all(rows["GOV-01"][col[c]] is None for c in options)  # only on the indicator's row


def test_values_land_in_typed_columns() -> None:
    data = build_report(rich_snapshot(), "pt")
    table = tidy.answers_table(data)
    col = {c: i for i, c in enumerate(table.columns)}
    rows = {r[col["indicator_id"]]: r for r in table.rows}
    assert rows["PATH-02"][col["value_number"]] == 2_300_000
    assert rows["PATH-06"][col["value_date"]] == date(2026, 3, 14)
    assert rows["GOV-03"][col["value_text"]].startswith("The plan was approved")
    assert rows["PATH-05"][col["how_set"]] == "coordinator"
    assert rows["PATH-05"][col["set_at_utc"]] == datetime(2026, 11, 22, 9, 0)
    assert rows["QA-02"][col["disagreement"]] == 1 and rows["GOV-01"][col["disagreement"]] == 0


def test_xlsx_tidy_sheets_hold_the_same_table_with_real_date_times(tmp_path: Path) -> None:
    data = build_report(rich_snapshot(), "es")
    wb = load_workbook(write_xlsx(data, tmp_path / "r.xlsx"))
    for table in tidy.tables(data):
        ws = wb[table.name]
        assert [c.value for c in ws[1]] == list(table.columns)
        assert ws.max_row == len(table.rows) + 1  # no notes below the data
    ws = wb["answers_tidy"]
    col = {c.value: c.column for c in ws[1]}
    stamps = [r[col["set_at_utc"] - 1] for r in ws.iter_rows(min_row=2) if r[1].value]
    assert any(isinstance(c.value, datetime) for c in stamps)
    assert all(c.is_date for c in stamps if c.value is not None)


def test_choices_label_every_code_in_every_language() -> None:
    data = build_report(rich_snapshot(), "en")
    table = tidy.choices_table(data)
    assert table.columns == ("list_name", "code", *(f"label_{lang}" for lang in LANGUAGES))
    lists = {(r[0], r[1]): r[2:] for r in table.rows}
    assert lists[("state", "dont_know")] == ("Don't know", "No sabe", "Ne sait pas", "Não sabe")
    assert ("QA-01", "her2") in lists and ("how_set", "disagreement") in lists
    codes_used = {r.how_set_code for r in data.answers} | {r.state for r in data.answers}
    assert codes_used <= {code for (_list, code) in lists}


ACTIVE = ("=", "+", "-", "@", "\t", "\r")


@given(st.text())
def test_no_csv_text_cell_can_start_a_formula(text: str) -> None:
    cell = csv_cell(text)
    assert not cell.startswith(ACTIVE)
    if text.startswith(ACTIVE):
        assert cell.startswith("'")
    assert csv_text(text).removeprefix("'" if text.startswith(ACTIVE) else "") == text


def test_numbers_stay_numbers_in_csv() -> None:
    assert csv_cell(-3) == "-3" and csv_cell(2.746) == "2.746"
    assert csv_cell(datetime(2026, 11, 22, 9, 0)) == "2026-11-22T09:00:00Z"
    assert csv_cell(None) == ""


def test_hostile_text_in_csv_files_is_inert(tmp_path: Path) -> None:
    data = build_report(lima(), "es")  # type: ignore[arg-type]
    write_csv(data, tmp_path)
    for path in tmp_path.iterdir():
        for row in read(path):
            for value in row:
                assert not value.startswith(ACTIVE), (path.name, value)
    answers = read(tmp_path / f"{data.cover.assessment_id}_answers_tidy.csv")
    assert any(v == '\'=HYPERLINK("http://x")' for row in answers for v in row)
