"""The PDF says its language and title to readers and viewers, and the chart has a text version."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
from pdfminer.pdftypes import resolve1

from app.common.i18n import LANGUAGES
from app.reports.build import build_report
from app.reports.pdf import write_pdf
from app.reports.safe import plain
from tests.unit.test_report_samples import pdf_text, rich_snapshot, squeeze


@pytest.mark.parametrize("lang", LANGUAGES)
def test_language_title_and_chart_text(tmp_path: Path, lang: str) -> None:
    data = build_report(rich_snapshot(), lang)
    path = write_pdf(data, tmp_path / "r.pdf")
    with pdfplumber.open(path) as pdf:
        catalog = pdf.doc.catalog
        assert resolve1(catalog["Lang"]) == lang.encode()
        preferences = resolve1(catalog["ViewerPreferences"])
        assert resolve1(preferences["DisplayDocTitle"]) is True
        raw = resolve1(pdf.doc.info[0]["Title"])
        title = raw.decode("utf-16") if raw.startswith(b"\xfe\xff") else raw.decode("latin-1")
        assert title == plain(data.title)  # metadata is one line of plain text
    flat = squeeze(pdf_text(path))
    for d in data.summary.domains:  # every value the chart draws is also written out
        assert squeeze(f"{d.id} {d.score_text}") in flat
