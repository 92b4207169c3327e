"""The one-time notice about answers earlier versions gave to the demo's people: shown once
after start-up, and its Reassign records the correction as new revisions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from app.services.identity_upgrade import misattributed
from app.services.workspace import Workspace
from app.storage import answers_repo
from app.ui.demo_answers_notice import DemoAnswersNotice
from tests.identity_support import old_data
from tests.ui.conftest import wait_idle


def test_notice_once_and_reassign(qtbot: Any, open_window: Any, data_dir: Path) -> None:
    _demo, real, marta = old_data(data_dir, {"PATH-04": "yes", "QA-02": "no"}, {})
    with Workspace.open(data_dir, daily_backup=False) as ws, ws.read() as conn:
        before = {r.id for r in answers_repo.revisions_for_assessment(conn, real)}
    window = open_window()
    qtbot.waitUntil(lambda: window.findChild(DemoAnswersNotice) is not None, timeout=10_000)
    notice = window.findChild(DemoAnswersNotice)
    assert notice.table.rowCount() == 1
    assert notice.table.item(0, 2).text() == "2"
    assert notice.names[0].text() == "Rosa Quispe"  # who answers that assessment here
    qtbot.mouseClick(notice.buttons[0], Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert "Rosa Quispe" in notice.message.text()
    assert not notice.buttons[0].isEnabled()
    notice.close()
    with Workspace.open(data_dir, daily_backup=False) as ws:
        assert misattributed(ws) == []
        with ws.read() as conn:
            revisions = answers_repo.revisions_for_assessment(conn, real)
        assert before <= {r.id for r in revisions}  # the originals are kept
        assert any(r.subject == marta and r.author_id != marta for r in revisions)

    # Once only: a second start shows nothing.
    again = open_window()
    wait_idle(qtbot, again)
    qtbot.wait(50)
    wait_idle(qtbot, again)
    assert again.findChild(DemoAnswersNotice) is None
