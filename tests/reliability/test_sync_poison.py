"""Form-version drift and poison ops: RELIABILITY.md test 17.

A laptop still on questionnaire 0.1 pushes after the hub published 0.2, which retired a question:
its valid-but-old answer is stored and flagged `retired`, not lost. Ops with a wrong value type, an
unknown question or another city's assessment are quarantined with a reason, are not sent again,
are visible to the user, and do not block the rest of the batch.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.common.clock import new_id
from app.domain import Answer, AnswerState
from app.hub import admin
from app.hub import tables as ht
from app.hub.db import HubDB
from app.services import sync
from app.services.answers import save_answer
from app.storage import answers_repo
from app.storage.records import RevisionRecord
from tests.sync_support import (
    SAMPLE_FORM,
    HubThread,
    db_params,
    fast_policy,
    hub_database,
    laptop,
    make_city,
    new_assessment,
    new_code,
)


def retired_version(tmp_path: Path) -> Path:
    """Version 0.2 of the sample questionnaire, without question QA-04."""
    text = SAMPLE_FORM.read_text(encoding="utf-8")
    start = text.index("          - id: QA-04")
    end = text.index("          - id: QA-05")
    changed = (text[:start] + text[end:]).replace('version: "0.1"', 'version: "0.2"', 1)
    assert changed != text and "QA-04" not in changed
    path = tmp_path / "sample-0.2.yaml"
    path.write_text(changed, encoding="utf-8")
    return path


@pytest.fixture(params=db_params())
def hub(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    from app.hub.server import create_app

    with hub_database(request.param, tmp_path) as url:
        app = create_app(url)
        with HubThread(app) as server:
            server.db_url = url  # type: ignore[attr-defined]
            server.city = make_city(url)  # type: ignore[attr-defined]
            server.other = make_city(url, "Quito", "Ecuador")  # type: ignore[attr-defined]
            yield server
        app.state.db.close()


def poison(ws: Any, assessment: str, indicator: str, value: Any, author: str) -> str:
    """A revision written past validation (as a buggy or older client might have done)."""
    record = RevisionRecord(
        id=new_id(),
        assessment_id=assessment,
        indicator_id=indicator,
        subject="city",
        answer=Answer(value=value, state=AnswerState.ANSWERED),
        parents=(),
        author_id=author,
        device_id=ws.device_id,
        hlc=ws.clock.now(),
        created_at=ws.now(),
    )
    with ws.write() as conn:
        answers_repo.save_local_revision(conn, record, new_id(), ws.now())
    return record.id


def hub_records(url: str, kind: str) -> dict[str, tuple[dict[str, Any], str | None]]:
    db = HubDB(url)
    try:
        with db.read() as conn:
            rows = conn.execute(
                select(ht.record.c.record_id, ht.record.c.body, ht.record.c.flags).where(
                    ht.record.c.kind == kind
                )
            ).all()
    finally:
        db.close()
    return {r[0]: (json.loads(r[1]), r[2]) for r in rows}


def test_old_answers_are_kept_and_flagged_and_poison_is_quarantined_with_reasons(
    hub: Any, tmp_path: Path
) -> None:
    admin.publish_form(hub.db_url, SAMPLE_FORM)
    ws = laptop(tmp_path / "ana", hub.url, new_code(hub.db_url, hub.city))
    other = laptop(tmp_path / "giorgi", hub.url, new_code(hub.db_url, hub.other, "Giorgi"))
    try:
        assessment = new_assessment(ws)
        foreign = new_assessment(other, "Giorgi")
        sync.sync_now(ws, policy=fast_policy())
        sync.sync_now(other, policy=fast_policy())
        admin.publish_form(hub.db_url, retired_version(tmp_path))  # the hub moves to 0.2

        author = ws.contributor.id
        old = save_answer(ws, assessment, "QA-04", Answer(value="National accreditation body"))
        good = save_answer(ws, assessment, "QA-02", Answer(value="yes"))
        wrong_type = poison(ws, assessment, "QA-05", "many", author)
        unknown = poison(ws, assessment, "NOPE-01", "yes", author)

        first = sync.sync_now(ws, policy=fast_policy())
        assert first.quarantined == 2 and first.flagged == 1
        stored = hub_records(hub.db_url, "revision")
        assert stored[old.id][1] == "retired"  # kept, and flagged
        assert good.id in stored and stored[good.id][1] is None
        assert wrong_type not in stored and unknown not in stored

        status = sync.sync_status(ws)
        reasons = {q["record_id"]: q["reason"] for q in status.quarantined}
        assert set(reasons) == {wrong_type, unknown}
        assert "QA-05" in reasons[wrong_type] and "number" in reasons[wrong_type]
        assert "NOPE-01" in reasons[unknown]
        assert status.pending == 0
        assert sync.sync_now(ws, policy=fast_policy()).pushed == 0  # not sent again

        # Another city's assessment named in this city's push: quarantined, nothing leaks.
        reply = _push_revision_of(hub, ws, foreign)
        assert reply["status"] == "quarantined" and "unknown in this city" in reply["reason"]
        assert foreign not in json.dumps(reply)
    finally:
        ws.close()
        other.close()


def _push_revision_of(hub: Any, ws: Any, foreign_assessment: str) -> dict[str, Any]:
    from app.services.sync import _token, current_enrollment
    from app.sync.client import HubClient
    from app.sync.engine import OutBatch, OutOp
    from app.sync.wire import check_record

    enrollment = current_enrollment(ws)
    assert enrollment is not None
    rid = str(uuid.uuid4())
    body = {
        "id": rid,
        "assessment_id": foreign_assessment,
        "indicator_id": "QA-01",
        "subject": "city",
        "value": "yes",
        "state": "answered",
        "note": "",
        "evidence": None,
        "attachments": [],
        "parents": [],
        "author_id": None,
        "device_id": ws.device_id,
        "hlc": ws.clock.now(),
        "created_at": ws.now(),
        "rationale": "",
        "to_confirm": False,
    }
    batch = OutBatch(
        new_id(),
        enrollment.city_id,
        (OutOp(new_id(), check_record({"kind": "revision", "id": rid, "body": body})),),
    )
    with HubClient(enrollment.hub_url, _token(ws, enrollment), enrollment.city_id) as client:
        result = client.push(batch)[0]
    return result.to_json()
