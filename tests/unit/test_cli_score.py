"""`readiness score`: an answers file scored against a questionnaire, JSON as CLI.md fixes it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample-form.yaml"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def form_and_ids() -> tuple[Path, dict[str, list[str]]]:
    from app.forms import load_questionnaire

    questionnaire = load_questionnaire(SAMPLE)
    return SAMPLE, {d.id: [i.id for i in d.scored_indicators] for d in questionnaire.domains}


def test_score_json_shape(tmp_path: Path, capsys: pytest.CaptureFixture[str], form_and_ids) -> None:  # type: ignore[no-untyped-def]
    form, ids = form_and_ids
    answers = tmp_path / "answers.json"
    answers.write_text("{}", encoding="utf-8")
    code, out, err = run(capsys, "score", str(answers), "--form", str(form), "--json")
    assert code == 0, err
    document = json.loads(out)
    # CLI.md's keys, plus the consistency warnings (an extension, docs/cli.md).
    assert set(document) == {"domains", "overall", "checks"}
    assert set(document["domains"]) == set(ids)
    for domain in document["domains"].values():
        assert domain["level"] is None and domain["score"] is None
        assert domain["capped_by"] == [] and domain["next_level"] == []
        assert {"name", "completeness", "dont_know", "provisional"} <= set(domain)
        # Nothing answered: every domain is a data gap, so no level instead of level 1.
        assert domain["insufficient_data"] is True
    assert document["overall"]["score"] is None and document["overall"]["bottleneck"] is None
    assert sorted(document["overall"]["insufficient_data"]) == sorted(ids)


def test_every_dont_know_is_insufficient_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], form_and_ids
) -> None:  # type: ignore[no-untyped-def]
    form, ids = form_and_ids
    answers = tmp_path / "answers.json"
    from app.domain import AnswerType
    from app.forms import load_questionnaire

    # Computed indicators follow their inputs: a don't-know input makes them a data gap too.
    everything = {
        i.id: {"state": "dont_know"}
        for i in load_questionnaire(form).indicators
        if i.type is not AnswerType.COMPUTED
    }
    answers.write_text(json.dumps(everything), encoding="utf-8")
    code, out, err = run(capsys, "score", str(answers), "--form", str(form), "--json")
    assert code == 0, err
    # Don't know everywhere is no knowledge at all: "insufficient data", not a level 1 that a
    # team could beat by skipping (skipping gives the very same result).
    for domain in json.loads(out)["domains"].values():
        assert domain["level"] is None and domain["score"] is None and domain["known"] == 0.0
        assert domain["insufficient_data"] is True and domain["dont_know"] > 0


def test_bad_answers_are_clear_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], form_and_ids
) -> None:  # type: ignore[no-untyped-def]
    form, _ids = form_and_ids
    answers = tmp_path / "answers.json"
    answers.write_text('{"NOPE-01": 3}', encoding="utf-8")
    code, _out, err = run(capsys, "score", str(answers), "--form", str(form), "--json")
    assert code == 1 and "unknown indicator 'NOPE-01'" in err and "Traceback" not in err
    answers.write_text("{broken", encoding="utf-8")
    code, _out, err = run(capsys, "score", str(answers), "--form", str(form))
    assert code == 1 and "answers.json:1: error: invalid JSON" in err


def test_score_runs_as_a_program(tmp_path: Path, form_and_ids) -> None:  # type: ignore[no-untyped-def]
    form, _ids = form_and_ids
    answers = tmp_path / "answers.json"
    answers.write_text("[1, 2]", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "app", "score", str(answers), "--form", str(form), "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "expected a JSON object" in result.stderr and "Traceback" not in result.stderr


def test_an_answers_file_of_an_older_version_is_carried_and_what_did_not_carry_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from app.cli import main
    from app.forms import find_form, load_questionnaire

    old = load_questionnaire(find_form("precision-oncology-readiness@1.0"))
    new = load_questionnaire(find_form("precision-oncology-readiness"))
    retired = sorted(i.id for i in old.indicators if not new.has_indicator(i.id))
    assert retired, "the newest version retires at least one indicator of 1.0"
    kept = next(i.id for i in old.indicators if new.has_indicator(i.id) and i.type == "percent")
    answers = {kept: 60, retired[0]: {"state": "dont_know"}}
    path = tmp_path / "v1.0-answers.json"
    path.write_text(json.dumps(answers), encoding="utf-8")
    code = main(["score", str(path), "--form", "precision-oncology-readiness", "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert f"{retired[0]}: not in version {new.version}" in err
    document = json.loads(out)
    assert document["domains"]  # scored with what carried
    # an id that no version knows is still refused, naming it
    path.write_text(json.dumps({"NOPE-99": 1}), encoding="utf-8")
    assert main(["score", str(path), "--form", "precision-oncology-readiness"]) == 1
    assert "NOPE-99" in capsys.readouterr().err
