"""Assessment snapshot -> ReportData: every text in the chosen language, nothing re-scored."""

from __future__ import annotations

import string
import subprocess
import sys
from pathlib import Path

import pytest

from app.common.i18n import LANGUAGES, pick
from app.domain import AnswerState
from app.reports import texts
from app.reports.build import build_report
from tests.unit.test_report_samples import (
    DOMAIN_NAMES,
    a,
    make_snapshot,
    rich_snapshot,
    sample_questionnaire,
)


def test_every_fixed_text_exists_in_four_languages_with_the_same_placeholders() -> None:
    formatter = string.Formatter()
    for key in texts.keys():
        fields = [
            {name for _, name, _, _ in formatter.parse(texts.text(key, lang)) if name}
            for lang in LANGUAGES
        ]
        assert all(f == fields[0] for f in fields), key
        assert all(texts.text(key, lang).strip() for lang in LANGUAGES), key


@pytest.mark.parametrize("lang", LANGUAGES)
def test_domain_names_levels_and_labels_follow_the_language(lang: str) -> None:
    data = build_report(rich_snapshot(), lang)
    index = LANGUAGES.index(lang)
    assert [d.name for d in data.summary.domains] == [
        DOMAIN_NAMES[d][index] for d in ("GOV", "PATH", "QA", "BIO", "DATA")
    ]
    path = next(d for d in data.domains if d.row.id == "PATH")
    assert path.row.level == 2
    assert path.headline == texts.text("domain_level", lang).format(
        level=2, name=data.method.levels[1].name
    )
    assert data.labels["summary"] == texts.text("summary", lang)
    assert data.cover.self_assessed == texts.text("self_assessed", lang)


def test_levels_gates_and_steps_come_from_the_score_result() -> None:
    snap = rich_snapshot()
    data = build_report(snap, "en")
    for section in data.domains:
        result = snap.score.domains[section.row.id]
        assert section.row.level == result.level
        assert section.row.score == result.score
        assert section.row.provisional == result.provisional
        assert [s.indicator_id for s in section.steps] == [
            s.indicator_id for s in result.next_level
        ]
        assert [s.action for s in section.steps] == [
            pick(s.action, "en") for s in result.next_level
        ]
    path = next(d for d in data.domains if d.row.id == "PATH")
    assert len(path.capped_notes) == 1
    assert "No documented fixation control" in path.capped_notes[0]
    assert "PATH-04" in path.capped_notes[0]
    assert path.steps[0].reason == "gate" and path.steps[0].indicator_id == "PATH-04"
    assert data.summary.bottleneck_id == snap.score.bottleneck


def test_answers_cover_every_indicator_with_words_codes_and_flags() -> None:
    snap = rich_snapshot()
    data = build_report(snap, "es")
    assert [r.id for r in data.answers] == [i.id for i in snap.questionnaire.indicators]
    rows = {r.id: r for r in data.answers}
    assert rows["GOV-01"].code == "yes" and rows["GOV-01"].label == "Sí"
    assert rows["QA-01"].code == "her2,egfr"
    assert rows["PATH-03"].label == "21,7"  # computed, shown with one decimal and a comma
    assert rows["PATH-05"].label == "97\u00a0%" and not rows["PATH-05"].derived
    assert rows["PATH-05"].rationale == "Registry audit of 2026"
    assert rows["BIO-02"].state == AnswerState.NOT_MEASURED and rows["BIO-02"].data_gap
    assert rows["QA-02"].disagreement and rows["QA-02"].flags
    assert rows["GOV-02"].conflict
    # one entry per contributor, aligned with data.contributors
    assert [c.name for c in data.contributors] == ["Ana Gómez", "Luis Pérez"]
    qa2 = rows["QA-02"].contributors
    assert qa2[0] is not None and qa2[0].label == "En parte"
    assert qa2[1] is not None and qa2[1].note == "Accreditation lapsed in 2025"
    assert rows["PATH-01"].contributors[1] is None
    assert data.contributors[1].answers == 3


def test_audit_trail_lists_every_revision_with_from_and_to() -> None:
    snap = rich_snapshot()
    data = build_report(snap, "en")
    assert len(data.audit) == len(snap.revisions)
    city = [r for r in data.audit if r.indicator_id == "PATH-05" and r.rationale]
    assert city and city[0].from_text == "62.5%" and city[0].to_text == "97%"


def test_method_lists_levels_gates_weights_and_judgement_sources() -> None:
    data = build_report(rich_snapshot(), "fr")
    assert [lv.level for lv in data.method.levels] == [1, 2, 3, 4, 5]
    assert data.method.levels[0].name == "Absent / ponctuel"
    assert {g.id for g in data.method.gates} == {"fixation", "no-eqa"}
    assert ("PATH", "Services d'anatomopathologie", 2.0) in data.method.weights
    assert data.method.judgement == (("GOV-02", "National plan review (jugement du produit)"),)


def test_no_answers_at_all() -> None:
    snap = make_snapshot(sample_questionnaire(), {})
    data = build_report(snap, "pt")
    assert all(d.level is None for d in data.summary.domains)
    assert data.summary.bottleneck_text == texts.text("no_bottleneck", "pt")
    assert all(s.headline == texts.text("domain_no_level", "pt") for s in data.domains)
    assert data.summary.priorities == ()
    assert data.contributors == () and data.audit == ()


def test_every_answer_dont_know() -> None:
    q = sample_questionnaire()
    typed = [i.id for i in q.indicators if i.scored and i.type != "computed"]
    answers = {indicator_id: a(None, AnswerState.DONT_KNOW) for indicator_id in typed}
    data = build_report(make_snapshot(q, {"Ana": answers}), "en")
    # Nothing known: insufficient data instead of a level (skipping would give the same).
    assert all(d.level is None for d in data.summary.domains)
    assert sorted(r.id for s in data.domains for r in s.gaps) == sorted(typed)
    assert all(r.state_label == "Don't know" for s in data.domains for r in s.gaps)


def test_a_domain_with_every_indicator_not_applicable() -> None:
    q = sample_questionnaire()
    answers = {
        "DATA-01": a(None, AnswerState.NOT_APPLICABLE),
        "DATA-02": a(None, AnswerState.NOT_APPLICABLE),
        "GOV-01": a("yes"),
    }
    data = build_report(make_snapshot(q, {"Ana": answers}), "en")
    section = next(s for s in data.domains if s.row.id == "DATA")
    assert section.row.level is None and section.row.score is None
    assert section.headline == texts.text("domain_no_level", "en")
    assert {r.state_label for r in section.indicators} == {"Not applicable"}


def test_unknown_language_falls_back_to_the_assessment_language() -> None:
    assert build_report(rich_snapshot(language="fr")).lang == "fr"
    assert build_report(rich_snapshot(), "xx").lang == "en"


@pytest.mark.qt_sensitive
def test_building_imports_neither_reportlab_nor_openpyxl() -> None:
    code = (
        "import sys; sys.path.insert(0, '.');"
        "from tests.unit.test_report_samples import rich_snapshot;"
        "from app.reports.build import build_report; build_report(rich_snapshot(), 'es');"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('reportlab', 'openpyxl', 'PySide6')];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("lang", LANGUAGES)
def test_judgement_mark_and_gate_names_follow_the_language(lang: str) -> None:
    data = build_report(rich_snapshot(), lang)
    mark = texts.text("product_judgement", lang)
    assert all(mark in source for _id, source in data.method.judgement)
    gov2 = next(r for r in data.dictionary if r.id == "GOV-02")
    assert mark in gov2.source
    if lang != "en":
        assert "product judgement" not in texts.text("judgement_note", lang)
