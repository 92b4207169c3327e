"""The demo stays on the laptop: an enrolled laptop that opens the demo and syncs leaves nothing of
it on the hub; it enters a bundle only when exported as a demo; the hub refuses demo records."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.common.errors import UserError
from app.domain import Answer
from app.services import sync
from app.services.answers import save_answer
from app.services.assessment_list import list_assessments
from app.services.assessments import load_snapshot
from app.services.demo import create_demo
from app.services.identity_upgrade import demo_names
from app.storage import sync_repo
from tests.sync_support import (
    HubThread,
    db_params,
    fast_policy,
    hub_database,
    laptop,
    make_city,
    new_assessment,
    new_code,
)


@pytest.fixture(params=db_params())
def hub(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    from app.hub.server import create_app

    with hub_database(request.param, tmp_path) as url:
        app = create_app(url)
        with HubThread(app) as server:
            server.db_url = url  # type: ignore[attr-defined]
            server.city = make_city(url)  # type: ignore[attr-defined]
            yield server
        app.state.db.close()


def hub_records(db_url: str) -> list[tuple[str, str, dict[str, Any]]]:
    """Every record the hub stores: (kind, id, body)."""
    from sqlalchemy import select

    from app.hub import tables as ht
    from app.hub.db import HubDB

    db = HubDB(db_url)
    try:
        with db.read() as conn:
            rows = conn.execute(
                select(ht.record.c.kind, ht.record.c.record_id, ht.record.c.body)
            ).all()
    finally:
        db.close()
    return [(r[0], r[1], json.loads(r[2])) for r in rows]


def _nothing_of_the_demo(records: list[tuple[str, str, dict[str, Any]]], demo: str) -> None:
    fictional = demo_names()
    assert fictional
    for kind, record_id, body in records:
        assert record_id != demo and body.get("assessment_id") != demo, (kind, record_id)
        if kind == "contributor":
            assert body["name"] not in fictional
        if kind == "assessment":
            assert body["city"] != "Valmira"


def test_enroll_open_the_demo_sync_and_the_hub_has_nothing_of_it(hub: Any, tmp_path: Path) -> None:
    ws = laptop(tmp_path / "rosa", hub.url, new_code(hub.db_url, hub.city, "Rosa"))
    other = laptop(tmp_path / "luis", hub.url, new_code(hub.db_url, hub.city, "Luis"))
    try:
        demo = create_demo(ws)
        save_answer(ws, demo, "GOV-01", Answer(value="approved"))  # playing in the demo
        real = new_assessment(ws, "Rosa")
        save_answer(ws, real, "PATH-04", Answer(value="yes"))
        # Nothing of the demo waits to be sent, so nothing says it does.
        assert sync.sync_status(ws).pending > 0
        waiting = {s.id: s.pending_sync for s in list_assessments(ws)}
        assert waiting[demo] == 0 and waiting[real] > 0
        result = sync.sync_now(ws, policy=fast_policy())
        assert result.quarantined == 0
        assert sync.sync_status(ws).pending == 0
        records = hub_records(hub.db_url)
        assert any(record_id == real for _k, record_id, _b in records)  # the real one went
        _nothing_of_the_demo(records, demo)
        # Another laptop of the city sees the real assessment and no demo.
        sync.sync_now(other, policy=fast_policy())
        assert [s.id for s in list_assessments(other)] == [real]
        # A later change in the demo stays home too.
        save_answer(ws, demo, "GOV-01", Answer(value="draft"))
        sync.sync_now(ws, policy=fast_policy())
        _nothing_of_the_demo(hub_records(hub.db_url), demo)
    finally:
        ws.close()
        other.close()


def test_the_demo_enters_a_bundle_only_as_a_demo_and_the_hub_refuses_it(
    hub: Any, tmp_path: Path
) -> None:
    from app.hub import admin

    ws = laptop(tmp_path / "rosa", hub.url, new_code(hub.db_url, hub.city, "Rosa"))
    elsewhere = laptop(tmp_path / "elsewhere")
    try:
        demo = create_demo(ws)
        with pytest.raises(UserError, match="--demo"):
            sync.export_bundle(ws, demo, tmp_path / "demo.readiness")
        assert not (tmp_path / "demo.readiness").exists()
        real = new_assessment(ws, "Rosa")
        with pytest.raises(UserError):
            sync.export_bundle(ws, real, tmp_path / "real.readiness", as_demo=True)
        sync.export_bundle(ws, demo, tmp_path / "demo.readiness", as_demo=True)

        with pytest.raises(UserError, match="demo"):
            admin.import_bundle(hub.db_url, tmp_path / "demo.readiness")
        _nothing_of_the_demo(hub_records(hub.db_url), demo)

        # Imported on another laptop, it is a demo there too: never sent, never re-bundled.
        sync.import_bundle(elsewhere, tmp_path / "demo.readiness")
        assert load_snapshot(elsewhere, demo, with_revisions=False).header.city == "Valmira"
        with elsewhere.read() as conn:  # only the (real, shipped) questionnaire may travel
            sendable = sync_repo.unbatched(conn, 1000)
        assert {row.record_kind for row in sendable} <= {"questionnaire"}
        assert sync.sync_status(elsewhere).pending == len(sendable)
        with pytest.raises(UserError, match="--demo"):
            sync.export_bundle(elsewhere, demo, tmp_path / "again.readiness")
    finally:
        ws.close()
        elsewhere.close()


def test_the_hub_refuses_a_pushed_demo_record(hub: Any, tmp_path: Path) -> None:
    """Even if a laptop sent one (an older version, a bug): demo records never join the feed."""
    from app.sync.wire import check_record

    ws = laptop(tmp_path / "rosa", hub.url, new_code(hub.db_url, hub.city, "Rosa"))
    try:
        demo = create_demo(ws)
        sync.export_bundle(ws, demo, tmp_path / "demo.readiness", as_demo=True)
    finally:
        ws.close()
    from app.sync import bundle

    received = bundle.read_bundle_file(tmp_path / "demo.readiness")
    marked = [r for r in received.records if r.body.get("demo") is True]
    assert {r.kind for r in marked} == {"assessment", "contributor"}
    for record in marked:  # the mark is part of the checked wire form
        assert check_record(record.envelope()).body["demo"] is True
    with pytest.raises(Exception, match="expected true"):
        check_record({**marked[0].envelope(), "body": {**marked[0].body, "demo": False}})

    from app.hub.db import HubDB
    from app.hub.store import HubStore

    db = HubDB(hub.db_url)
    try:
        results = HubStore(db).import_records(hub.city, marked)
    finally:
        db.close()
    assert {r.status for r in results} == {"quarantined"}
    assert all("demo" in (r.reason or "") for r in results)


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    steps=st.lists(
        st.tuples(
            st.sampled_from(["demo", "real", "next-demo", "status-demo", "status-real"]),
            st.sampled_from(["yes", "partial", "no"]),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_outbox_selection_never_holds_a_demo_record(
    tmp_path_factory: pytest.TempPathFactory, steps: list[tuple[str, str]]
) -> None:
    """Whatever is done in the demo (answers, status changes, its next round) and around it, the
    rows sync would send are exactly the non-demo ones, and the counts shown agree."""
    from app.services.assessments import create_assessment, set_status
    from app.services.rounds import start_next_round
    from app.storage import demo_marks, outbox
    from tests.sync_support import SAMPLE_FORM

    with laptop(tmp_path_factory.mktemp("l")) as ws:
        demo = create_demo(ws)
        real = create_assessment(ws, "Lima", "Peru", "2026", SAMPLE_FORM, contributor="Ana")
        demos = [demo]
        for what, value in steps:
            if what == "demo":
                shipped = {"yes": "approved", "partial": "draft", "no": "draft"}[value]
                save_answer(ws, demos[-1], "GOV-01", Answer(value=shipped))
            elif what == "real":
                save_answer(ws, real, "PATH-04", Answer(value=value))
            elif what == "next-demo":
                demos.append(start_next_round(ws, demos[-1], f"20{27 + len(demos)}"))
            else:
                target = demos[-1] if what == "status-demo" else real
                set_status(ws, target, "in_review")
                set_status(ws, target, "draft", reason="more to do")
        with ws.read() as conn:
            demo_ids = {str(v) for v in conn.execute(demo_marks.demo_record_ids()).scalars()}
            assert set(demos) <= demo_marks.demo_assessments(conn)
            every = {r.record_id: r for r in outbox.by_state(conn, outbox.PENDING)}
            selected = sync_repo.unbatched(conn, 100_000)
            assert {r.record_id for r in selected} == set(every) - demo_ids
            assert sync_repo.pending_count(conn) == len(selected)
            assert outbox.count_by_state(conn).get("pending", 0) == len(selected)
            assert not set(outbox.pending_by_assessment(conn)) & set(demos)
            # Everything of the demos is among the left-out rows, and their people too.
            demo_people = demo_marks.demo_people(conn)
            assert demo_people and demo_people <= demo_ids
