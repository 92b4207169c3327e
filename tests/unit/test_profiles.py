"""Ten contrasting city profiles (tests/data/profiles/, written by make_profiles.py) keep the
levels that docs/questionnaire.md shows, and each tells the story it is there for."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.domain import Answer, AnswerState
from app.forms import load_questionnaire
from app.logic.answers_file import load_answers_file
from app.scoring import score

ROOT = Path(__file__).resolve().parents[2]
PROFILES = ROOT / "tests" / "data" / "profiles"
FORM = ROOT / "forms" / "precision-oncology-readiness" / "readiness-v1.0.yaml"
DOC = ROOT / "docs" / "questionnaire.md"
ORDER = ("GOV", "PATH", "BIO", "QA", "TX", "WF", "FIN", "DATA")

# profile -> (levels in ORDER, "-" for insufficient data; overall; consistency warnings)
EXPECTED = {
    "01-mature-capital": ("5 5 5 5 4 4 4 4", "4.54", ()),
    "02-emerging-everywhere": (
        "2 2 2 2 2 2 2 2",
        "2.05",
        ("citywide-monitoring-without-registry",),
    ),
    "03-nascent": ("1 1 1 1 1 1 1 1", "1.04", ()),
    "04-strong-labs-patients-pay": ("3 4 4 4 3 3 2 3", "3.26", ()),
    "05-medicines-without-tests": ("3 3 3 3 2 3 3 3", "2.89", ()),
    "06-no-eqa": ("4 4 2 2 4 4 4 4", "3.55", ()),
    "07-honest-unknowns": ("3 3 3 3 3 - 3 2", "-", ()),
    "08-fixation-not-recorded": ("3 2 3 3 3 3 3 3", "2.88", ()),
    "09-strong-country-weak-city": ("2 2 2 2 2 2 2 2", "2.03", ()),
    "10-registry-led-data-weak-lab": ("3 2 1 2 2 2 3 5", "2.62", ()),
}


@pytest.fixture(scope="module")
def questionnaire():  # type: ignore[no-untyped-def]
    return load_questionnaire(FORM)


def levels_of(result) -> str:  # type: ignore[no-untyped-def]
    return " ".join(
        "-" if result.domains[d].level is None else str(result.domains[d].level) for d in ORDER
    )


def test_there_are_ten_profiles() -> None:
    assert sorted(p.stem for p in PROFILES.glob("*.json")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_profile_levels_match_the_documented_table(questionnaire, name: str) -> None:  # type: ignore[no-untyped-def]
    result = score(questionnaire, load_answers_file(questionnaire, PROFILES / f"{name}.json"))
    levels, overall, checks = EXPECTED[name]
    assert levels_of(result) == levels
    shown = "-" if result.overall_score is None else f"{result.overall_score:.2f}"
    assert shown == overall
    assert tuple(c.check_id for c in result.checks) == checks
    row = f"| `{name}` | " + " | ".join(levels.split()) + f" | {overall} |"
    assert row in DOC.read_text(encoding="utf-8"), row


def test_national_context_does_not_move_the_strong_country_weak_city(questionnaire) -> None:  # type: ignore[no-untyped-def]
    answers = load_answers_file(questionnaire, PROFILES / "09-strong-country-weak-city.json")
    national = [i.id for i in questionnaire.indicators if i.national]
    assert all(questionnaire.indicator(i).national for i in national) and national
    unknown = {**answers, **{i: Answer(state=AnswerState.DONT_KNOW) for i in national}}
    strong, weak = score(questionnaire, answers), score(questionnaire, unknown)
    for domain_id in ORDER:
        assert strong.domains[domain_id].score == weak.domains[domain_id].score
    assert {r.level for d in strong.domains.values() for r in d.national} == {5}


def test_honest_unknowns_score_as_skipping_them(questionnaire) -> None:  # type: ignore[no-untyped-def]
    answers = load_answers_file(questionnaire, PROFILES / "07-honest-unknowns.json")
    skipped = {k: a for k, a in answers.items() if a.state is not AnswerState.DONT_KNOW}
    honest, skipping = score(questionnaire, answers), score(questionnaire, skipped)
    assert levels_of(honest) == levels_of(skipping)
    assert honest.overall_score == skipping.overall_score is None
