"""A report that is not final says so on every page, in its language; a final one never does."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from app.common.i18n import LANGUAGES
from app.reports import texts
from app.reports.build import build_report
from app.reports.pdf import write_pdf
from tests.unit.test_report_samples import need, rich_snapshot


def page_texts(path: Path) -> list[str]:
    done = subprocess.run(
        [need("pdftotext"), "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    )
    return [p for p in done.stdout.decode("utf-8").split("\f") if p.strip()]


@pytest.mark.parametrize(
    ("lang", "status"), [(lang, "draft") for lang in LANGUAGES] + [("fr", "in_review")]
)
def test_every_page_of_a_report_not_final_is_marked(tmp_path: Path, lang: str, status: str) -> None:
    data = build_report(rich_snapshot(status=status), lang)
    mark = texts.text("not_final_mark", lang).format(status=texts.text(f"status_{status}", lang))
    found = page_texts(write_pdf(data, tmp_path / "r.pdf"))
    assert len(found) > 3
    # pdftotext may give a no-break space as a plain one
    assert all(mark.replace("\xa0", " ") in page.replace("\xa0", " ") for page in found)


def test_a_final_report_carries_no_draft_mark(tmp_path: Path) -> None:
    data = build_report(rich_snapshot(status="final"), "en")
    found = page_texts(write_pdf(data, tmp_path / "r.pdf"))
    assert not any("not final" in page for page in found)
