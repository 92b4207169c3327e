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

SHEETS = (
    "sheet_summary",
    "sheet_answers",
    "sheet_path",
    "sheet_dictionary",
    "sheet_audit",
    "sheet_contributors",
)


def header_index(ws: object) -> dict[str, int]:
    return {cell.value: cell.column for cell in ws[1]}  # type: ignore[index]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_sheets_in_the_language_with_frozen_header_and_filters(tmp_path: Path, lang: str) -> None:
    path = write_xlsx(build_report(rich_snapshot(), lang), tmp_path / "r.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == [texts.text(key, lang)[:31] for key in SHEETS]
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2", ws.title
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), ws.title
    assert wb.properties.language == lang


def test_answers_sheet_matches_the_snapshot(tmp_path: Path) -> None:
    snap = rich_snapshot()
    data = build_report(snap, "en")
    ws = load_workbook(write_xlsx(data, tmp_path / "r.xlsx"))["Answers"]
    col = header_index(ws)
    rows = list(ws.iter_rows(min_row=2, values_only=True))
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
    ws = load_workbook(path)["Summary"]
    col = header_index(ws)
    path_row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "PATH")
    score = path_row[col["Score"] - 1]
    share = path_row[col["Completeness"] - 1]
    assert score.value == pytest.approx(data.domains[1].row.score)
    assert score.number_format == "0.0" and share.number_format == "0%"
    assert path_row[col["Capped by"] - 1].value == "PATH-04"
    values = [c.value for row in ws.iter_rows() for c in row]
    assert "Overall score" in values and "Bottleneck" in values and "Cali" in values
    with zipfile.ZipFile(path) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        assert charts
        assert b"<radarChart>" in archive.read(charts[0])  # default namespace


def test_path_dictionary_audit_and_contributors(tmp_path: Path) -> None:
    snap = rich_snapshot()
    data = build_report(snap, "en")
    wb = load_workbook(write_xlsx(data, tmp_path / "r.xlsx"))
    path_rows = list(wb["Path to next level"].iter_rows(min_row=2, values_only=True))
    expected = [(s.row.id, st.indicator_id) for s in data.domains for st in s.steps]
    assert [(r[0], r[5]) for r in path_rows if r[5]] == expected
    dictionary = list(wb["Data dictionary"].iter_rows(min_row=2, values_only=True))
    assert len([r for r in dictionary if r[2]]) == len(snap.questionnaire.indicators)
    gov2 = next(r for r in dictionary if r[2] == "GOV-02")
    assert "approved_costed: Approved and costed → 4" in gov2[12]
    audit = [r for r in wb["Audit trail"].iter_rows(min_row=2, values_only=True) if r[0]]
    assert len(audit) == len(snap.revisions)
    people = [r for r in wb["Contributors"].iter_rows(min_row=2, values_only=True) if r[0]]
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
    assert wb[texts.text("sheet_contributors", "pt")].max_row == 1


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
