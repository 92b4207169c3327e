"""A note typed and left for a moment survives `kill -9` of the real window.

The window runs in a child process (offscreen, its own database thread, nothing shortened): it
types a note, the test waits 1.5 s and kills it with SIGKILL, then reopens the data folder: the
note is in the database and the window shows it again.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from app.domain import Answer
from tests.ui.conftest import SAMPLE_FORM, wait_idle

ROOT = Path(__file__).resolve().parents[2]
NOTE = "SOP 12 in the main laboratory"


def _wait_for_line(process: subprocess.Popen[str], wanted: str, seconds: float) -> None:
    assert process.stdout is not None
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if line.strip() == wanted:
            return
        if not line and process.poll() is not None:
            break
    process.kill()
    _out, err = process.communicate()
    pytest.fail(f"the window did not get to type the note: {err[-2000:]}")


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is a POSIX signal")
def test_a_note_left_for_a_second_survives_kill_9(
    qtbot: Any, open_window: Any, data_dir: Path
) -> None:
    from app.services import answers, assessments
    from app.services.workspace import Workspace

    with Workspace.open(data_dir) as ws:
        assessment_id = assessments.create_assessment(
            ws, "Testville", "Testland", "2026", str(SAMPLE_FORM), "en", "Ana", "Pathologist"
        )
        answers.save_answer(ws, assessment_id, "PATH-04", Answer("yes"))

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.ui.typing_child",
            str(data_dir),
            assessment_id,
            "PATH-04",
            NOTE,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for_line(child, "typed", 120)
        time.sleep(1.5)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(30)
    finally:
        if child.poll() is None:
            child.kill()
        child.communicate()
    assert child.returncode == -signal.SIGKILL

    with Workspace.open(data_dir) as ws:
        snapshot = assessments.load_snapshot(ws, assessment_id, with_revisions=False)
    given = snapshot.answers["PATH-04"].contributors
    assert [c.answer for c in given] == [Answer("yes", note=NOTE)]

    window = open_window()
    window.open_assessment(assessment_id)
    wait_idle(qtbot, window)
    assert window.fill.question("PATH-04").note.toPlainText() == NOTE
