"""One number formatter for the reports: language separators, one rounding rule, no breaks."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from app.common.i18n import LANGUAGES
from app.common.numbers import format_number, format_percent, plural_category
from app.reports.build import build_report
from app.reports.xlsx import write_xlsx
from app.scoring.json import score_to_json
from tests.unit.test_report_samples import rich_snapshot

DECIMAL = {"en": ".", "es": ",", "fr": ",", "pt": ","}


def parse_back(text: str, lang: str) -> float:
    group = {"en": ",", "es": ".", "fr": "\u00a0", "pt": "."}[lang]
    return float(text.replace(group, "").replace(DECIMAL[lang], "."))


@given(
    st.floats(min_value=-1e9, max_value=1e9, allow_nan=False),
    st.sampled_from(LANGUAGES),
    st.integers(min_value=0, max_value=3),
)
def test_a_formatted_number_reads_back_as_the_rounded_value(
    value: float, lang: str, decimals: int
) -> None:
    text = format_number(value, lang, decimals)
    assert "\u202f" not in text and " " not in text  # only no-break spaces inside a number
    assert parse_back(text, lang) == pytest.approx(round(value, decimals), abs=10**-decimals)
    if decimals:
        assert len(text.rsplit(DECIMAL[lang], 1)[1]) == decimals


@given(st.integers(min_value=-(10**12), max_value=10**12), st.sampled_from(LANGUAGES))
def test_integers_are_grouped_and_exact(value: int, lang: str) -> None:
    assert parse_back(format_number(value, lang), lang) == value


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en", "2,400,000"), ("es", "2.400.000"), ("fr", "2\u00a0400\u00a0000"), ("pt", "2.400.000")],
)
def test_grouping_per_language(lang: str, expected: str) -> None:
    assert format_number(2_400_000, lang) == expected


@pytest.mark.parametrize(
    ("lang", "expected"), [("en", "35%"), ("es", "35\u00a0%"), ("fr", "35\u00a0%"), ("pt", "35%")]
)
def test_one_percent_style_per_language(lang: str, expected: str) -> None:
    assert format_percent(0.35, lang) == expected


def test_plural_categories_follow_cldr() -> None:
    assert [plural_category(n, "en") for n in (0, 1, 2)] == ["other", "one", "other"]
    assert [plural_category(n, "fr") for n in (0, 1, 2)] == ["one", "one", "other"]


def test_scores_read_the_same_in_pdf_text_xlsx_and_json(tmp_path: Path) -> None:
    snap = rich_snapshot()
    json_scores = {k: v["score"] for k, v in score_to_json(snap.score)["domains"].items()}
    data = build_report(snap, "en")
    for row in data.summary.domains:
        if row.score is not None:
            assert float(row.score_text) == json_scores[row.id], row.id
    ws = load_workbook(write_xlsx(data, tmp_path / "r.xlsx"))["summary"]
    cells = [r[4] for r in ws.iter_rows(min_row=3) if r[0].value in json_scores]
    assert cells and all(c.number_format == "0.00" for c in cells)
