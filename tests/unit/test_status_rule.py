"""One rule for status changes: the service and the command line ask `needs_reason`, and
agree with it for every pair of statuses. (The status dialog's half is in tests/ui.)"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from app.cli import main
from app.domain import Answer, AssessmentLocked, AssessmentStatus, ReasonRequired, needs_reason
from app.services import answers as answer_service
from app.services.assessments import create_assessment, load_snapshot, set_status
from app.services.workspace import Workspace

FORM = Path(__file__).resolve().parents[1] / "data" / "sample-form.yaml"
PAIRS = [(a, b) for a, b in itertools.permutations(AssessmentStatus.ALL, 2)]


def test_every_move_back_needs_a_reason_and_no_move_forward_does() -> None:
    back = {
        ("in_review", "draft"),
        ("final", "draft"),
        ("final", "in_review"),  # unlocks answers someone signed off
    }
    for current, target in PAIRS:
        assert needs_reason(current, target) is ((current, target) in back), (current, target)
    for status in AssessmentStatus.ALL:
        assert not needs_reason(status, status)


def _bring_to(ws: Workspace, aid: str, status: str) -> None:
    if status != AssessmentStatus.DRAFT:
        set_status(ws, aid, status)


@pytest.fixture
def ws(data_dir: Path):
    workspace = Workspace.open(data_dir)
    yield workspace
    workspace.close()


@pytest.mark.parametrize(("current", "target"), PAIRS)
def test_the_service_applies_the_rule(ws: Workspace, current: str, target: str) -> None:
    aid = create_assessment(ws, "Tbilisi", "Georgia", "2026", FORM, "en", "Ana", "pathologist")
    _bring_to(ws, aid, current)
    if needs_reason(current, target):
        with pytest.raises(ReasonRequired) as refused:
            set_status(ws, aid, target, "   ")  # blank is no reason
        # the window shows this message too: it must not name a command-line option
        assert "--" not in str(refused.value) and "readiness " not in str(refused.value)
        assert load_snapshot(ws, aid).header.status == current
        set_status(ws, aid, target, "new laboratory data")
    else:
        set_status(ws, aid, target)
    assert load_snapshot(ws, aid).header.status == target


def test_a_final_assessment_refuses_answers_without_naming_options(ws: Workspace) -> None:
    aid = create_assessment(ws, "Tbilisi", "Georgia", "2026", FORM, "en", "Ana", "pathologist")
    set_status(ws, aid, AssessmentStatus.FINAL)
    with pytest.raises(AssessmentLocked) as refused:
        answer_service.save_answer(ws, aid, "PATH-04", Answer(value="yes"))
    assert "reopen" in str(refused.value) and "--" not in str(refused.value)


@pytest.mark.parametrize(("current", "target"), PAIRS)
def test_the_command_line_applies_the_rule_and_says_how(
    data_dir: Path, capsys: pytest.CaptureFixture[str], current: str, target: str
) -> None:
    with Workspace.open(data_dir) as ws:
        aid = create_assessment(ws, "Lima", "Peru", "2026", FORM, "en", "Ana", "pathologist")
        _bring_to(ws, aid, current)
    capsys.readouterr()
    code = main(["--data-dir", str(data_dir), "assess", "status", aid[:8], target])
    err = capsys.readouterr().err
    if needs_reason(current, target):
        assert code == 1 and "--reason TEXT" in err and len(err.strip().splitlines()) == 1
        code = main(["--data-dir", str(data_dir), "assess", "status", aid[:8], target,
                     "--reason", "new laboratory data"])  # fmt: skip
    assert code == 0
    with Workspace.open(data_dir) as ws:
        assert load_snapshot(ws, aid).header.status == target


def test_the_command_line_says_how_to_reopen_a_final_assessment(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Workspace.open(data_dir) as ws:
        aid = create_assessment(ws, "Lima", "Peru", "2026", FORM, "en", "Ana", "pathologist")
        set_status(ws, aid, AssessmentStatus.FINAL)
    capsys.readouterr()
    code = main(["--data-dir", str(data_dir), "assess", "answer", aid[:8], "PATH-04", "yes"])
    err = capsys.readouterr().err
    assert code == 1 and f"readiness assess status {aid[:8]} draft --reason TEXT" in err
