"""The PDF report, read back with independent tools (pdftotext, pdffonts, qpdf, pdfminer)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.common.i18n import LANGUAGES
from app.domain import AnswerState
from app.reports import ReportCancelled, pdf_story, texts
from app.reports.build import build_report
from app.reports.pdf import write_pdf
from tests.unit.test_report_samples import (
    a,
    make_snapshot,
    pdf_fonts,
    pdf_text,
    qpdf_check,
    rich_snapshot,
    sample_questionnaire,
    squeeze,
)


def outline(path: Path) -> tuple[list[tuple[int, str]], object]:
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    with path.open("rb") as handle:
        doc = PDFDocument(PDFParser(handle))
        entries = [(level, title) for level, title, *_rest in doc.get_outlines()]
        return entries, resolve1(doc.catalog.get("Lang"))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_report_says_what_the_score_says_in_each_language(tmp_path: Path, lang: str) -> None:
    data = build_report(rich_snapshot(), lang)
    path = write_pdf(data, tmp_path / "report.pdf")
    text = pdf_text(path)
    flat = squeeze(text)
    assert "Cali" in text
    for section in data.domains:
        assert squeeze(section.row.name) in flat
        assert squeeze(section.headline) in flat  # "Level 2: Emerging" in the language
        if section.steps:
            assert squeeze(section.steps[0].action) in flat
    assert squeeze(texts.text("self_assessed", lang)) in flat
    pages = text.count("\f")
    last = texts.text("page_of", lang).format(page=pages, pages=pages)
    assert squeeze(last) in flat


def test_fonts_are_all_embedded_and_the_file_is_valid(tmp_path: Path) -> None:
    path = write_pdf(build_report(rich_snapshot(), "es"), tmp_path / "r.pdf")
    fonts = pdf_fonts(path)
    assert fonts, "pdffonts listed no font"
    assert all(emb == "yes" for _name, emb in fonts), fonts
    assert all("DejaVuSans" in name for name, _emb in fonts), fonts
    qpdf_check(path)


def test_outline_metadata_and_language(tmp_path: Path) -> None:
    data = build_report(rich_snapshot(), "fr")
    path = write_pdf(data, tmp_path / "r.pdf")
    entries, lang = outline(path)
    titles = [title for _level, title in entries]
    assert texts.text("summary", "fr") in titles
    assert texts.text("method", "fr") in titles
    for section in data.domains:
        assert f"{section.row.id} · {section.row.name}" in titles
    assert (2, f"PATH · {data.domains[1].row.name}") in entries  # appendix sub-entries
    assert lang in (b"fr", "fr")
    info = path.read_bytes()
    assert b"/Title" in info and b"/Author" in info and b"/Subject" in info


def test_summary_lists_the_bottleneck_and_priorities(tmp_path: Path) -> None:
    data = build_report(rich_snapshot(), "en")
    flat = squeeze(pdf_text(write_pdf(data, tmp_path / "r.pdf")))
    assert squeeze(data.summary.bottleneck_text) in flat
    for step in data.summary.priorities:
        assert squeeze(step.action) in flat
    assert squeeze("Capped at level 2 (the score alone gives level 3)") in flat


@pytest.mark.parametrize("case", ["no_answers", "all_dont_know", "domain_not_applicable"])
def test_edge_cases_build(tmp_path: Path, case: str) -> None:
    q = sample_questionnaire()
    if case == "no_answers":
        people: dict[str, dict[str, object]] = {}
    elif case == "all_dont_know":
        people = {
            "Ana": {
                i.id: a(None, AnswerState.DONT_KNOW)
                for i in q.indicators
                if i.scored and i.type != "computed"
            }
        }
    else:
        people = {
            "Ana": {
                "DATA-01": a(None, AnswerState.NOT_APPLICABLE),
                "DATA-02": a(None, AnswerState.NOT_APPLICABLE),
            }
        }
    data = build_report(make_snapshot(q, people), "en")  # type: ignore[arg-type]
    path = write_pdf(data, tmp_path / "edge.pdf")
    qpdf_check(path)
    flat = squeeze(pdf_text(path))
    # Don't know everywhere is insufficient data: no level, like nothing answered.
    assert squeeze(texts.text("domain_no_level", "en")) in flat


def test_a_failing_render_leaves_no_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = build_report(rich_snapshot(), "en")
    target = tmp_path / "out" / "report.pdf"
    target.parent.mkdir()

    def broken(*_args: object) -> list[object]:
        raise RuntimeError("layout failed")

    monkeypatch.setattr(pdf_story, "story", broken)
    with pytest.raises(RuntimeError):
        write_pdf(data, target)
    assert list(target.parent.iterdir()) == []


def test_an_existing_report_survives_a_failed_render(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.pdf"
    target.write_bytes(b"previous")
    calls = iter([False, False, True])
    with pytest.raises(ReportCancelled):
        write_pdf(build_report(rich_snapshot(), "en"), target, cancel=lambda: next(calls, True))
    assert target.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]
