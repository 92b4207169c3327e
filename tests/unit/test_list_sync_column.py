"""The assessment list says an assessment syncs only when a hub is set up and it is not the demo."""

from __future__ import annotations

from pathlib import Path

from app.services import assessment_list, demo
from app.services.assessments import create_assessment
from app.services.sync_settings import HUB_URL
from app.services.workspace import Workspace
from app.storage import catalog

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample-form.yaml"


def syncs(ws: Workspace) -> dict[str, bool]:
    slow = {s.id: s.syncs for s in assessment_list.list_assessments(ws)}
    quick = assessment_list.quick_list(ws.paths)
    assert quick is not None
    assert {s.id: s.syncs for s in quick} == slow  # both readers apply the same rule
    return slow


def test_nothing_syncs_without_a_hub_and_the_demo_never(data_dir: Path) -> None:
    with Workspace.open(data_dir, daily_backup=False) as ws:
        city = create_assessment(ws, "Lima", "Peru", "2026", SAMPLE, "en", "Ana", "lab lead")
        fictional = demo.create_demo(ws)
        assert syncs(ws) == {city: False, fictional: False}
        with ws.write() as conn:
            catalog.set_setting(conn, HUB_URL, "https://127.0.0.1:9")
        assert syncs(ws) == {city: True, fictional: False}
