"""Typography of the demo report in all four languages, read back with pdftotext.

Checks what a reader sees: no sub-heading alone at a page foot, no header word split, no French
"?" or ":" (or a "%") starting a line, long text cut on a word and found whole in the appendix.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from app.common.i18n import LANGUAGES
from app.reports import texts
from app.reports.build import build_report
from app.reports.pdf import write_pdf
from tests.unit.test_report_samples import (
    a,
    make_snapshot,
    need,
    rich_answers,
    sample_questionnaire,
    squeeze,
)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from app.services.assessments import load_snapshot
    from app.services.demo import create_demo
    from app.services.workspace import Workspace

    folder = tmp_path_factory.mktemp("demo-data")
    with Workspace.open(folder) as ws:
        return load_snapshot(ws, create_demo(ws))


def pages(path: Path) -> list[list[str]]:
    import subprocess

    done = subprocess.run(
        [need("pdftotext"), "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    )
    text = done.stdout.decode("utf-8")
    return [[line.strip() for line in p.splitlines() if line.strip()] for p in text.split("\f")]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_demo_report_typography(demo: Any, tmp_path: Path, lang: str) -> None:
    data = build_report(demo, lang)
    found = pages(write_pdf(data, tmp_path / f"demo-{lang}.pdf"))
    lines = [line for page in found for line in page]
    # No high punctuation or percent sign starts a line (the space before it does not break).
    starts = [line for line in lines if re.match(r"[?:;!»]", line)]
    # a percent sign never leaves its number ("%VM", a registry index, may start a line)
    starts += [
        b for a, b in zip(lines, lines[1:], strict=False) if b[:1] == "%" and a[-1:].isdigit()
    ]
    assert not starts, starts[:5]
    # Header words are never split across lines.
    for key in ("col_completeness", "col_provisional", "col_capped_by", "col_level", "col_score"):
        for word in data.label(key).split():
            assert any(word in line.split() for line in lines), (key, word)
    # A section title (domain sections and indicator groups) is never the last line of a page.
    titles = {data.label(k) for k in ("indicators", "data_gaps", "priorities", "levels_by_domain")}
    titles |= {row.section for row in data.answers if row.section}
    footer = texts.text("page_of", lang).split("{")[0].strip()
    for number, page in enumerate(found, 1):
        body = [line for line in page if not line.startswith(footer)]
        if body:
            assert body[-1] not in titles, (number, body[-1])


def test_long_text_is_cut_on_a_word_and_whole_in_the_appendix(tmp_path: Path) -> None:
    words = " ".join(f"word{i}" for i in range(1500))  # about 12,000 characters
    answers = rich_answers()
    answers["Ana Gómez"]["GOV-03"] = a(words)
    data = build_report(make_snapshot(sample_questionnaire(), answers), "en")
    path = write_pdf(data, tmp_path / "long.pdf")
    running = {
        "Cali · 2026 · Self-assessed",
        data.label("not_final_mark", status=data.cover.status),
    }
    body = [
        line
        for page in pages(path)
        for line in page
        if line not in running and not re.fullmatch(r"Page \d+ of \d+", line)
    ]
    flat = squeeze("\n".join(body))
    assert squeeze(words) in flat  # whole in the appendix
    marker = texts.text("truncated_pdf", "en").format(n=len(words))
    assert squeeze(marker) in flat  # the table says where the rest is
    table_cut = flat.split(squeeze(marker))[0]
    last = table_cut[-12:]
    assert re.search(r"word\d+$", last) and squeeze(words).find(last) >= 0
    cut_word = re.search(r"word(\d+)$", table_cut).group(1)  # type: ignore[union-attr]
    assert f"word{cut_word} " in words + " "  # a whole word, not a piece of one
