"""Change since the last round: previous level and change in the summary, each domain, the export."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.common.i18n import LANGUAGES
from app.reports import texts
from app.reports.build import build_report
from app.reports.pdf import write_pdf
from app.reports.rounds import change_cell, change_sentence, level_change
from app.reports.tidy import tables
from tests.unit.test_report_samples import (
    a,
    make_snapshot,
    pdf_text,
    rich_answers,
    sample_questionnaire,
    squeeze,
)

PREVIOUS_ID = "3f1c2a9e-0000-4000-8000-000000000001"


def two_rounds() -> tuple[object, object]:
    q = sample_questionnaire()
    earlier = rich_answers()
    earlier["Ana Gómez"]["PATH-04"] = a("no")
    earlier["Ana Gómez"]["GOV-01"] = a("no")
    previous = make_snapshot(q, earlier, period="2025", id=PREVIOUS_ID)
    now = rich_answers()
    now["Ana Gómez"]["PATH-04"] = a("yes")  # the gate no longer caps PATH
    current = make_snapshot(q, now, period="2026", previous_assessment_id=PREVIOUS_ID)
    return previous, current


@pytest.mark.parametrize("lang", LANGUAGES)
def test_summary_and_domains_show_the_previous_level_and_the_change(
    tmp_path: Path, lang: str
) -> None:
    previous, current = two_rounds()
    data = build_report(current, lang, 2, previous=previous)  # type: ignore[arg-type]
    assert data.previous is not None and data.previous.cover.round == 1
    changes = {d.id: level_change(data, d.id) for d in data.summary.domains}
    before = {d.id: d.level for d in data.previous.summary.domains}
    for d in data.summary.domains:
        if d.level is not None and before[d.id] is not None:
            assert changes[d.id] == d.level - before[d.id]  # type: ignore[operator]
    assert any(change for change in changes.values())  # the sample does change
    flat = squeeze(pdf_text(write_pdf(data, tmp_path / "r.pdf")))
    assert squeeze(texts.text("col_change", lang).format(period="2025")) in flat
    for d in data.summary.domains:
        assert squeeze(change_cell(data, d.id)) in flat, d.id
        assert squeeze(change_sentence(data, d.id)).replace("\xa0", "") in flat.replace(
            "\xa0", ""
        ), d.id


def test_a_first_round_shows_no_change(tmp_path: Path) -> None:
    _previous, current = two_rounds()
    data = build_report(current, "en")  # type: ignore[arg-type]
    assert data.previous is None
    assert all(change_sentence(data, d.id) == "" for d in data.summary.domains)
    flat = squeeze(pdf_text(write_pdf(data, tmp_path / "r.pdf")))
    assert "Since" not in flat and "Previousround" not in flat


def test_the_export_carries_both_rounds() -> None:
    previous, current = two_rounds()
    data = build_report(current, "es", 2, previous=previous)  # type: ignore[arg-type]
    found = {t.name: t for t in tables(data)}
    for name in ("answers_tidy", "contributor_answers", "domains"):
        table = found[name]
        col = table.columns.index("round")
        assert {r[col] for r in table.rows} == {1, 2}, name
    domains = found["domains"]
    col = {c: i for i, c in enumerate(domains.columns)}
    now = [r for r in domains.rows if r[col["round"]] == 2]
    for row in now:
        before = data.previous_domain(str(row[col["domain_id"]]))
        assert before is not None and row[col["previous_level"]] == before.level
    assert all(r[col["previous_level"]] is None for r in domains.rows if r[col["round"]] == 1)
