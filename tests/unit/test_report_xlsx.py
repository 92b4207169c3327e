"""The Excel export, read back with openpyxl and from the raw sheet XML."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.common.i18n import LANGUAGES
from app.reports import texts, xlsx_sheets
from app.reports.build import build_report
from app.reports.xlsx import write_xlsx
from tests.unit.test_report_samples import make_snapshot, rich_snapshot, sample_questionnaire

# Stable sheet codes -> the key of the localised title written in row 1.
SHEETS = {
    "summary": "sheet_summary",
    "answers": "sheet_answers",
    "path": "sheet_path",
    "dictionary": "sheet_dictionary",
    "audit": "sheet_audit",
    "contributors": "sheet_contributors",
}
TIDY = ("answers_tidy", "contributor_answers", "domains", "choices", "version")


def header_index(ws: object) -> dict[str, int]:
    return {cell.value: cell.column for cell in ws[2]}  # type: ignore[index]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_sheets_have_stable_codes_localised_titles_frozen_ids_and_print_setup(
    tmp_path: Path, lang: str
) -> None:
    path = write_xlsx(build_report(rich_snapshot(), lang), tmp_path / "r.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == [*SHEETS, *TIDY]
    for code, key in SHEETS.items():
        ws = wb[code]
        assert ws["A1"].value == texts.text(key, lang), code
        assert ws["A1"].font.b and ws["A2"].font.b and ws["A2"].font.name == "Calibri", code
        assert ws.freeze_panes == ("C3" if code == "answers" else "B3"), code
        assert ws.auto_filter.ref is None or ws.auto_filter.ref.startswith("A2:"), code
        assert ws.print_title_rows == "$2:$2", code
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert wb["answers"].page_setup.orientation == "landscape"
    for code in TIDY:
        ws = wb[code]
        assert ws.freeze_panes == "B2" and ws.auto_filter.ref.startswith("A1:"), code
        assert ws["A1"].font.b and ws.print_title_rows == "$1:$1", code
    assert wb.properties.language == lang


def test_answers_sheet_matches_the_snapshot(tmp_path: Path) -> None:
    snap = rich_snapshot()
    data = build_report(snap, "en")
    ws = load_workbook(write_xlsx(data, tmp_path / "r.xlsx"))["answers"]
    col = header_index(ws)
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    by_id = {row[col["Id"] - 1]: row for row in rows if row[col["Id"] - 1]}
    assert list(by_id) == [i.id for i in snap.questionnaire.indicators]
    for indicator_id, city in snap.answers.items():
        row = by_id[indicator_id]
        result = snap.score.indicator(indicator_id)
        assert row[col["Level"] - 1] == (result.level if result else None)
        if city.answer.state == "answered" and not isinstance(city.answer.value, tuple):
            assert row[col["Answer code"] - 1] == city.answer.value
        assert row[col["Note"] - 1] == (city.answer.note or None)
        assert row[col["Unresolved disagreement"] - 1] == ("yes" if city.disagreement else "no")
        assert row[col["Sync conflict"] - 1] == ("yes" if city.conflict else "no")
    assert by_id["QA-01"][col["Answer code"] - 1] == "her2,egfr"
    assert by_id["QA-02"][col["Luis Pérez"] - 1] == "No"
    assert by_id["QA-02"][col["Luis Pérez: Note"] - 1] == "Accreditation lapsed in 2025"
    assert by_id["PATH-05"][col["Rationale"] - 1] == "Registry audit of 2026"


def test_summary_numbers_formats_and_native_chart(tmp_path: Path) -> None:
    data = build_report(rich_snapshot(), "en")
    path = write_xlsx(data, tmp_path / "r.xlsx")
    ws = load_workbook(path)["summary"]
    col = header_index(ws)
    path_row = next(r for r in ws.iter_rows(min_row=3) if r[0].value == "PATH")
    score = path_row[col["Score"] - 1]
    share = path_row[col["Completeness"] - 1]
    assert score.value == pytest.approx(data.domains[1].row.score)
    assert score.number_format == "0.00" and share.number_format == "0%"
    assert path_row[col["Capped by"] - 1].value == "PATH-04"
    values = [c.value for row in ws.iter_rows() for c in row]
    assert "Overall score" in values and "Bottleneck" in values and "Cali" in values
    with zipfile.ZipFile(path) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        assert charts
        chart = archive.read(charts[0])
        assert b"<radarChart>" in chart  # default namespace
        assert b'<min val="1"' in chart and b'<max val="5"' in chart  # levels run 1 to 5


def test_path_dictionary_audit_and_contributors(tmp_path: Path) -> None:
    snap = rich_snapshot()
    data = build_report(snap, "en")
    wb = load_workbook(write_xlsx(data, tmp_path / "r.xlsx"))
    path_rows = list(wb["path"].iter_rows(min_row=3, values_only=True))
    expected = [(s.row.id, st.indicator_id) for s in data.domains for st in s.steps]
    assert [(r[0], r[5]) for r in path_rows if r[5]] == expected
    dictionary = list(wb["dictionary"].iter_rows(min_row=3, values_only=True))
    assert len([r for r in dictionary if r[2]]) == len(snap.questionnaire.indicators)
    gov2 = next(r for r in dictionary if r[2] == "GOV-02")
    assert "approved_costed: Approved and costed → 4" in gov2[12]
    audit = [r for r in wb["audit"].iter_rows(min_row=3, values_only=True) if r[0]]
    assert len(audit) == len(snap.revisions)
    people = [r for r in wb["contributors"].iter_rows(min_row=3, values_only=True) if r[0]]
    assert [(r[0], r[4]) for r in people] == [("Ana Gómez", 14), ("Luis Pérez", 3)]


def test_no_formula_anywhere(tmp_path: Path) -> None:
    path = write_xlsx(build_report(rich_snapshot(), "es"), tmp_path / "r.xlsx")
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(rb"<f[ >]", archive.read(name)), name


def test_empty_assessment_still_exports(tmp_path: Path) -> None:
    data = build_report(make_snapshot(sample_questionnaire(), {}), "pt")
    wb = load_workbook(write_xlsx(data, tmp_path / "empty.xlsx"))
    assert wb["contributors"].max_row == 2  # title and header


def test_a_failing_render_leaves_no_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = build_report(rich_snapshot(), "en")

    def broken(*_args: object) -> None:
        raise RuntimeError("audit sheet failed")

    monkeypatch.setattr(xlsx_sheets, "audit", broken)
    with pytest.raises(RuntimeError):
        write_xlsx(data, tmp_path / "r.xlsx")
    assert list(tmp_path.iterdir()) == []
