"""Data folders as earlier versions left them, for the identity tests (CLI, services, window)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from app.domain import Answer
from app.services.answers import write_revision
from app.services.assessments import create_assessment
from app.services.demo import create_demo
from app.services.identity_upgrade import CHECKED
from app.services.workspace import LOCAL_CONTRIBUTOR, Workspace
from app.storage import answers_repo, catalog
from app.storage.records import CITY

FORM = Path(__file__).resolve().parent / "data" / "sample-form.yaml"


def old_data(folder: Path, own: dict[str, str], city: dict[str, str]) -> tuple[str, str, str]:
    """A data folder as earlier versions left it: the demo, then a real assessment whose answers
    went to the demo's coordinator (she was the laptop's user), and no demo marks yet.
    Returns (demo id, real assessment id, the coordinator's id)."""
    with Workspace.open(folder, daily_backup=False) as ws:
        demo = create_demo(ws)
        real = create_assessment(ws, "Cusco", "Peru", "2026", FORM, contributor="Rosa Quispe")
        with ws.write() as conn:
            # The demo's coordinator: the author of its city answers.
            heads = answers_repo.heads_for_assessment(conn, demo)
            [author] = {h.author_id for h in heads if h.subject == CITY}
            coordinator = catalog.get_contributor(conn, author or "")
            assert coordinator is not None
            catalog.set_setting(conn, LOCAL_CONTRIBUTOR, coordinator.id)
            for indicator, value in own.items():
                write_revision(
                    ws, conn, real, indicator, coordinator.id, Answer(value=value), coordinator
                )
            for indicator, value in city.items():
                write_revision(
                    ws, conn, real, indicator, CITY, Answer(value=value), coordinator,
                    rationale="agreed at the meeting",
                )  # fmt: skip
        coordinator_id = coordinator.id
    with sqlite3.connect(folder / "readiness.sqlite3") as raw:  # the marks did not exist then
        raw.execute("DELETE FROM setting WHERE key LIKE 'demo.mark.%' OR key = ?", (CHECKED,))
        raw.execute("DELETE FROM setting WHERE key LIKE 'answering.%'")
    return demo, real, coordinator_id
