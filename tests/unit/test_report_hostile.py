"""Hostile text in answers, notes, names and headers (RELIABILITY.md tests 22 and 23).

Markup must come back as literal text and never act (no image opened or embedded, no link);
formula payloads must stay text in the workbook; control characters, huge notes and scripts the
font cannot draw must not break either file.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.common.paths import resources_dir
from app.domain import AnswerState
from app.reports import texts
from app.reports.build import build_report
from app.reports.pdf import write_pdf
from app.reports.xlsx import write_xlsx
from tests.unit.test_report_samples import (
    a,
    make_snapshot,
    pdf_text,
    qpdf_check,
    rich_answers,
    sample_questionnaire,
    squeeze,
)

CANARY = "readiness-canary.png"
MARKUP = [
    '<img src="{canary}"/>',
    '<a href="http://example.invalid">click</a>',
    "<font size=80>big",
    "<b>unclosed",
    "</para>",
    "&bogus;",
    "<font name=NoSuchFont>x</font>",
]
FORMULAS = [
    "=1+1",
    '=HYPERLINK("http://example.invalid","y")',
    "+1",
    "-1",
    "@SUM(A1)",
    "\t=1+2",
    "\r=3+4",
    "=cmd|' /C calc'!A0",
]
SCRIPTS = [
    "emoji 😀",
    "RTL العربية עברית",
    "Georgian თბილისი",
    "Khmer ភ្នំពេញ",
    "Burmese ရန်ကုန်",
    "Cyrillic Тбилиси",
]
CONTROLS = "ctl\x00\x01\x07\x1b end"
HUGE = 200_000


_opened: list[str] = []
_recording: list[bool] = [False]


def _audit(event: str, args: tuple[object, ...]) -> None:
    if _recording[0] and event == "open" and args and isinstance(args[0], str | bytes):
        _opened.append(os.fsdecode(args[0]))


sys.addaudithook(_audit)  # hooks cannot be removed; it records only while _recording is set


def hostile_snapshot(canary: Path):  # type: ignore[no-untyped-def]
    markup = [m.format(canary=canary) for m in MARKUP]
    ana = rich_answers()["Ana Gómez"]
    ana["GOV-01"] = a("yes", note=" | ".join(markup))
    ana["GOV-03"] = a("\n".join(FORMULAS))
    ana["PATH-06"] = a("2026-01-01", note=CONTROLS)
    ana["QA-02"] = a("partial", note=" | ".join(SCRIPTS))
    ana["QA-03"] = a("yes", note="n" * HUGE)
    people = {"Ana <b>Gómez</b> =1+1": ana, "ნინო =SUM(1)": {"GOV-01": a("no", note="=2+2")}}
    return make_snapshot(sample_questionnaire(), people, city="Cali <img src=x>", period="=2026")


@pytest.fixture
def canary(tmp_path: Path) -> Path:
    # A real, readable PNG: if markup were not escaped, reportlab would open and embed it.
    path = tmp_path / CANARY
    from PIL import Image

    Image.new("RGB", (4, 4), "red").save(path)
    return path


def test_pdf_shows_hostile_text_literally_and_opens_nothing(tmp_path: Path, canary: Path) -> None:
    data = build_report(hostile_snapshot(canary), "en")
    target = tmp_path / "hostile.pdf"
    _opened.clear()
    _recording[0] = True
    started = time.perf_counter()
    try:
        write_pdf(data, target)
    finally:
        _recording[0] = False
    elapsed = time.perf_counter() - started
    assert elapsed < 30, f"the hostile report took {elapsed:.1f} s"

    assert not [p for p in _opened if CANARY in p], "the canary image was opened"
    allowed = (
        str(resources_dir()),
        str(tmp_path),
        tempfile.gettempdir(),
        sys.prefix,
        sys.base_prefix,
        str(Path(__file__).resolve().parents[2] / "app"),
    )
    outside = [p for p in _opened if not os.path.abspath(p).startswith(allowed)]
    assert outside == []

    raw = target.read_bytes()
    assert b"/Subtype /Image" not in raw and b"/Annots" not in raw and b"/URI" not in raw
    qpdf_check(target)
    flat = squeeze(pdf_text(target))
    # pdftotext joins a line broken after "-" without the hyphen: compare without hyphens.
    loose = flat.replace("-", "")
    for payload in [m.format(canary=canary) for m in MARKUP]:
        assert squeeze(payload).replace("-", "") in loose, payload
    for payload in ("=1+1", "@SUM(A1)", "=cmd|'/Ccalc'!A0", "Cali<imgsrc=x>", "=2026"):
        assert payload in flat, payload
    assert "ctl[U+0000][U+0001][U+0007][U+001B]end" in flat
    assert "თბილისი" in flat and "Тбилиси" in flat and "😀" in flat
    marker = texts.text("truncated_pdf_export", "en").format(n=HUGE)
    assert squeeze(marker) in flat


def test_xlsx_keeps_hostile_text_as_text(tmp_path: Path, canary: Path) -> None:
    snap = hostile_snapshot(canary)
    data = build_report(snap, "en")
    path = write_xlsx(data, tmp_path / "hostile.xlsx")
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/sheet"):
                assert not re.search(rb"<f[ >]", archive.read(name)), name

    wb = load_workbook(path)
    ws = wb["answers"]
    col = {c.value: c.column for c in ws[2]}
    rows = {r[1].value: r for r in ws.iter_rows(min_row=3) if r[1].value}
    ana = "Ana <b>Gómez</b> =1+1"
    assert ana in col and "ნინო =SUM(1)" in col  # contributor names as literal headers

    formulas = rows["GOV-03"][col["Answer code"] - 1]
    assert formulas.data_type == "s"
    assert formulas.value == "\n".join(FORMULAS).replace("\r", "\n")
    markup = rows["GOV-01"][col[f"{ana}: Note"] - 1].value
    assert markup == " | ".join(m.format(canary=canary) for m in MARKUP)
    scripts = rows["QA-02"][col[f"{ana}: Note"] - 1].value
    assert scripts == " | ".join(SCRIPTS)
    controls = rows["PATH-06"][col[f"{ana}: Note"] - 1].value
    assert controls == "ctl[U+0000][U+0001][U+0007][U+001B] end"
    assert rows["GOV-01"][col["ნინო =SUM(1)"] + 1 - 1].value == "=2+2"

    huge = rows["QA-03"][col[f"{ana}: Note"] - 1]
    assert len(huge.value) == 32_767
    assert huge.value.endswith(texts.text("truncated_cell", "en").format(n=HUGE))
    assert huge.comment is not None
    notes = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert texts.text("truncated_sheet_note", "en") in notes
    assert texts.text("control_sheet_note", "en") in notes

    summary = wb["summary"]
    values = [c.value for row in summary.iter_rows() for c in row]
    assert "Cali <img src=x>" in values and "=2026" in values
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate)


def test_scripts_needing_shaping_still_build(tmp_path: Path) -> None:
    q = sample_questionnaire()
    answers = {"GOV-03": a("ភ្នំពេញ ရန်ကုန် القاهرة"), "GOV-01": a("yes", note="ខ្មែរ")}
    snap = make_snapshot(q, {"សុខ": answers}, city="ភ្នំពេញ", country="ကမ္ဘာ")
    data = build_report(snap, "fr")
    qpdf_check(write_pdf(data, tmp_path / "km.pdf"))
    wb = load_workbook(write_xlsx(data, tmp_path / "km.xlsx"))
    values = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert "ភ្នំពេញ ရန်ကုန် القاهرة" in values and "ភ្នំពេញ" in values


def test_dont_know_everywhere_with_hostile_notes(tmp_path: Path) -> None:
    q = sample_questionnaire()
    answers = {
        i.id: a(None, AnswerState.DONT_KNOW, note="</para><b>")
        for i in q.indicators
        if i.scored and i.type != "computed"
    }
    data = build_report(make_snapshot(q, {"Ana": answers}), "es")
    path = write_pdf(data, tmp_path / "dk.pdf")
    assert squeeze("</para><b>") in squeeze(pdf_text(path))


def test_control_characters_in_headers_keep_both_files_valid(tmp_path: Path) -> None:
    import xml.dom.minidom

    people = {"A\x01na": {"GOV-01": a("yes")}}
    snap = make_snapshot(sample_questionnaire(), people, city="Ca\x00li\x1b", period="20\x0726")
    data = build_report(snap, "en")
    qpdf_check(write_pdf(data, tmp_path / "ctl.pdf"))
    path = write_xlsx(data, tmp_path / "ctl.xlsx")
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                xml.dom.minidom.parseString(archive.read(name))  # raises when not well-formed
    assert (
        load_workbook(path).properties.title
        == "Readiness report: Ca[U+0000]li[U+001B] (20[U+0007]26)"
    )
