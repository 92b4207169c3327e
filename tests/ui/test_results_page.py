"""The results page shows what scoring decided: the counting (capped) score on the radar and in
the text, the score before gates beside it, insufficient data, step targets and warnings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.domain import Answer
from app.forms import load_questionnaire
from app.logic.answers_file import load_answers_file
from app.scoring import score
from app.ui.results_page import ResultsPage

ROOT = Path(__file__).resolve().parents[2]
FULL = ROOT / "forms" / "precision-oncology-readiness" / "readiness-v1.0.yaml"
NO_EQA = ROOT / "tests" / "data" / "profiles" / "06-no-eqa.json"


def test_radar_and_text_show_the_capped_score(qtbot: Any) -> None:
    q = load_questionnaire(FULL)
    result = score(q, load_answers_file(q, NO_EQA))
    page = ResultsPage()
    qtbot.addWidget(page)
    page.set_result(q, result)
    bio = result.domains["BIO"]
    assert bio.level == 2 and bio.score == 2.0 and (bio.uncapped_score or 0) > 3
    radar = {axis.label: axis.score for axis in page.radar._axes}
    assert radar["BIO"] == 2.0  # not the score before gates
    text = page.domain_text("BIO")
    assert "Level 2" in text and "before gates" in text
    steps = [s for s in bio.next_level]
    assert steps[0].indicator_id == "QA-03" and f"level 1 → {steps[0].target_level}" in text


def test_insufficient_data_withheld_overall_and_warnings(qtbot: Any) -> None:
    q = load_questionnaire(FULL)
    answers = {"TX-05": Answer("yes"), "FIN-08": Answer(("price_negotiation",))}
    page = ResultsPage()
    qtbot.addWidget(page)
    page.set_result(q, score(q, answers))
    assert "insufficient data" in page.domain_text("GOV")
    assert "no overall" in page.headline.text()
    assert "FIN-08" in page.details.toPlainText()  # the biosimilar tender warning
