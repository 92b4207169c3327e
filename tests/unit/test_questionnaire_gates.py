"""Every gate of the shipped current questionnaire caps exactly what it names.

A city that answers everything at the top (profile 01) is taken as the base; each gate's
indicators are then set to *don't know* (level 1), alone and, for the new v1.1 gates, with a
real answer at level 1. The gate must fire and hold each named domain at or below its cap, and
no other domain may be capped by it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain import Answer, AnswerState, Questionnaire
from app.forms import find_form, load_questionnaire
from app.logic.answers_file import parse_answers
from app.scoring import score

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "tests" / "data" / "profiles" / "01-mature-capital.json"
CURRENT = load_questionnaire(find_form("precision-oncology-readiness"))
GATE_IDS = [gate.id for gate in CURRENT.gates]
# Not applicable is a real answer that takes a question out of the count, so it is not here.
DATA_GAPS = [AnswerState.DONT_KNOW, AnswerState.NOT_MEASURED, AnswerState.UNANSWERED]

# The v1.1 gates with the ordinary answer (not a data gap) that should fire them.
LEVEL_ONE_ANSWERS = {
    "no-targeted-medicine": {"TX-01": ["none"]},
    "no-accredited-lab": {"QA-02": 0},
    "no-quality-system": {"QA-01": "no_qms"},
    "no-pathology-in-city": {"PATH-02": "samples_leave_city"},
}


def base_answers(questionnaire: Questionnaire) -> dict[str, Answer]:
    # The profiles are written for v1.0: keep the answers whose ids v1.1 still asks, and answer
    # FIN-13 (public share of tests, new in v1.1) as a mature city would.
    raw = json.loads(BASE.read_text(encoding="utf-8"))
    kept = {k: v for k, v in raw.items() if questionnaire.has_indicator(k)} | {"FIN-13": 95}
    return dict(parse_answers(questionnaire, kept))


def test_the_current_version_is_1_1_with_the_new_gates() -> None:
    assert CURRENT.version == "1.1"
    assert set(LEVEL_ONE_ANSWERS) <= set(GATE_IDS)
    fixation = next(g for g in CURRENT.gates if g.id == "fixation-undocumented")
    assert fixation.caps == {"PATH": 2, "BIO": 2}


@settings(max_examples=40, deadline=None)
@given(gate_id=st.sampled_from(GATE_IDS), state=st.sampled_from(DATA_GAPS))
def test_a_gate_indicator_at_level_one_caps_every_domain_it_names(
    gate_id: str, state: AnswerState
) -> None:
    gate = next(g for g in CURRENT.gates if g.id == gate_id)
    answers = base_answers(CURRENT)
    for indicator_id in gate.indicators:  # mode "all" needs every one low
        answers[indicator_id] = Answer(state=state)
    result = score(CURRENT, answers)
    for domain_id, cap in gate.caps.items():
        domain = result.domains[domain_id]
        assert domain.level is None or domain.level <= cap, (gate_id, domain_id, domain.level)
        assert set(gate.indicators) & set(domain.capped_by), (gate_id, domain_id)


@pytest.mark.parametrize("gate_id", sorted(LEVEL_ONE_ANSWERS))
def test_a_real_level_one_answer_fires_the_new_gate(gate_id: str) -> None:
    gate = next(g for g in CURRENT.gates if g.id == gate_id)
    raw = dict(base_answers(CURRENT))
    before = score(CURRENT, raw)
    for indicator_id, value in LEVEL_ONE_ANSWERS[gate_id].items():
        raw[indicator_id] = Answer(value=value)
    after = score(CURRENT, raw)
    for indicator_id in LEVEL_ONE_ANSWERS[gate_id]:
        levels = {r.indicator_id: r.level for d in after.domains.values() for r in d.indicators}
        assert levels[indicator_id] == 1, indicator_id
    for domain_id, cap in gate.caps.items():
        assert before.domains[domain_id].level is not None
        assert before.domains[domain_id].level > cap, "the base must sit above the cap"
        assert after.domains[domain_id].level is not None
        assert after.domains[domain_id].level <= cap, (gate_id, domain_id)
        assert set(gate.indicators) & set(after.domains[domain_id].capped_by)
