"""Two data folders in one city, through a real hub on loopback (SQLite, and PostgreSQL when
READINESS_TEST_PG_URL is set), and through bundle files with no hub at all.

RELIABILITY.md tests 13 (same answer, two laptops) and 14 (different answers, same value).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.services import sync
from app.services.answers import save_answer, set_city_answer
from tests.sync_support import (
    HubThread,
    answer,
    city_answer,
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


@pytest.fixture
def two_laptops(hub: Any, tmp_path: Path) -> Iterator[tuple[Any, Any]]:
    a = laptop(tmp_path / "ana", hub.url, new_code(hub.db_url, hub.city, "Ana"))
    b = laptop(tmp_path / "bruno", hub.url, new_code(hub.db_url, hub.city, "Bruno"))
    yield a, b
    a.close()
    b.close()


def run(ws: Any) -> dict[str, int]:
    return sync.sync_now(ws, policy=fast_policy()).to_json()


def hub_revisions(hub: Any) -> list[dict[str, Any]]:
    from sqlalchemy import select

    from app.hub import tables as ht
    from app.hub.db import HubDB

    db = HubDB(hub.db_url)
    try:
        with db.read() as conn:
            rows = conn.execute(
                select(ht.record.c.body).where(ht.record.c.kind == "revision")
            ).all()
    finally:
        db.close()
    return [json.loads(r[0]) for r in rows]


def test_each_laptop_sees_the_others_answers(two_laptops: tuple[Any, Any]) -> None:
    a, b = two_laptops
    assessment = new_assessment(a, "Ana")
    save_answer(a, assessment, "PATH-04", answer("yes"), "Ana")
    first = run(a)
    assert first["pushed"] >= 4 and first["quarantined"] == 0

    pulled = run(b)
    assert pulled["pulled"] >= 4
    save_answer(b, assessment, "QA-01", answer("partial"), "Bruno")
    assert run(b)["pushed"] >= 2  # Bruno as a contributor, and his answer
    assert run(a)["pulled"] >= 2

    for ws in (a, b):
        assert city_answer(ws, assessment, "PATH-04").answer.value == "yes"
        assert city_answer(ws, assessment, "QA-01").answer.value == "partial"
        assert not city_answer(ws, assessment, "QA-01").conflict
    # A sync with nothing new moves nothing.
    assert run(a) == {"pushed": 0, "pulled": 0, "conflicts": 0, "quarantined": 0}


def test_same_answer_on_two_laptops_conflicts_on_both_until_one_resolves(
    hub: Any, two_laptops: tuple[Any, Any]
) -> None:
    a, b = two_laptops
    assessment = new_assessment(a, "Ana")
    set_city_answer(a, assessment, "QA-01", answer("partial"), "base")
    run(a)
    run(b)  # both now hold the same base revision

    mine = set_city_answer(a, assessment, "QA-01", answer("yes"), "audit report seen")
    theirs = set_city_answer(b, assessment, "QA-01", answer("no"), "scheme lapsed")
    assert mine.parents == theirs.parents  # same base
    run(a)
    assert run(b)["conflicts"] == 1
    assert run(a)["conflicts"] == 1

    shown = [city_answer(ws, assessment, "QA-01") for ws in (a, b)]
    assert all(s.conflict for s in shown)
    assert shown[0].answer == shown[1].answer  # the same provisional winner everywhere
    bodies = {r["id"]: r for r in hub_revisions(hub)}
    assert mine.id in bodies and theirs.id in bodies  # the hub kept both

    resolution = set_city_answer(a, assessment, "QA-01", answer("partial"), "agreed in meeting")
    assert set(resolution.parents) == {mine.id, theirs.id}
    run(a)
    assert run(b)["conflicts"] == 0
    for ws in (a, b):
        final = city_answer(ws, assessment, "QA-01")
        assert not final.conflict and final.answer.value == "partial"
    assert set(hub_revisions(hub)[-1]["parents"]) == {mine.id, theirs.id} or any(
        set(r["parents"]) == {mine.id, theirs.id} for r in hub_revisions(hub)
    )


def test_different_answers_never_conflict_and_equal_values_keep_both_revisions(
    hub: Any, two_laptops: tuple[Any, Any]
) -> None:
    a, b = two_laptops
    assessment = new_assessment(a, "Ana")
    run(a)
    run(b)
    set_city_answer(a, assessment, "QA-01", answer("yes"), "seen")
    set_city_answer(b, assessment, "QA-02", answer("yes"), "seen")  # same section, other question
    same_a = set_city_answer(a, assessment, "PATH-04", answer("yes"), "seen")
    same_b = set_city_answer(b, assessment, "PATH-04", answer("yes"), "also seen")
    for ws in (a, b, a):
        run(ws)
    for ws in (a, b):
        for indicator in ("QA-01", "QA-02", "PATH-04"):
            shown = city_answer(ws, assessment, indicator)
            assert shown.answer.value == "yes" and not shown.conflict, indicator
    ids = {r["id"] for r in hub_revisions(hub)}
    assert {same_a.id, same_b.id} <= ids


def test_sync_cli_prints_counts_and_exits_3_when_the_hub_is_unreachable(
    two_laptops: tuple[Any, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    from app.cli import main
    from app.services.sync import CITY_ID, HUB_URL
    from app.storage import catalog

    a, _b = two_laptops
    new_assessment(a, "Ana")
    folder = str(a.paths.root)
    a.close()
    assert main(["--data-dir", folder, "sync", "now", "--json"]) == 0
    counts = json.loads(capsys.readouterr().out)
    assert set(counts) == {"pushed", "pulled", "conflicts", "quarantined"} and counts["pushed"] >= 4

    assert main(["sync", "status", "--json", "--data-dir", folder]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["enrolled"] and status["pending"] == 0 and status["hub"]["token_store"] == "file"

    from tests.sync_support import free_port, laptop

    ws = laptop(Path(folder))
    with ws.write() as conn:
        catalog.set_setting(conn, HUB_URL, f"http://127.0.0.1:{free_port()}")
        city = catalog.get_setting(conn, CITY_ID)
    ws.close()
    assert city
    assert main(["--data-dir", folder, "sync", "now"]) == 3
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1 and "could not be reached" in err


def checksum(path: Path) -> dict[str, str]:
    from app.storage.migrate import data_checksums

    with sqlite3.connect(path) as conn:
        return data_checksums(conn)


def test_bundles_carry_answers_and_conflicts_between_laptops_without_a_hub(tmp_path: Path) -> None:
    a = laptop(tmp_path / "ana")
    b = laptop(tmp_path / "bruno")
    try:
        assessment = new_assessment(a, "Ana")
        set_city_answer(a, assessment, "QA-01", answer("partial"), "base")
        save_answer(a, assessment, "PATH-04", answer("yes"), "Ana")
        sync.export_bundle(a, assessment, tmp_path / "a1.readiness")
        first = sync.import_bundle(b, tmp_path / "a1.readiness")
        assert first.assessment_id == assessment and first.added >= 6 and not first.already_present

        before = checksum(b.paths.database)
        again = sync.import_bundle(b, tmp_path / "a1.readiness")
        assert again.already_present and again.added == 0
        assert checksum(b.paths.database) == before  # importing twice changes nothing

        save_answer(b, assessment, "QA-02", answer("no"), "Bruno")
        set_city_answer(a, assessment, "QA-01", answer("yes"), "audit")
        set_city_answer(b, assessment, "QA-01", answer("no"), "lapsed")
        sync.export_bundle(a, assessment, tmp_path / "a2.readiness")
        sync.export_bundle(b, assessment, tmp_path / "b1.readiness")
        assert sync.import_bundle(a, tmp_path / "b1.readiness").conflicts == 1
        assert sync.import_bundle(b, tmp_path / "a2.readiness").conflicts == 1
        shown = [city_answer(ws, assessment, "QA-01") for ws in (a, b)]
        assert all(s.conflict for s in shown) and shown[0].answer == shown[1].answer
        assert city_answer(a, assessment, "QA-02").answer.value == "no"

        set_city_answer(b, assessment, "QA-01", answer("partial"), "agreed")
        sync.export_bundle(b, assessment, tmp_path / "b2.readiness")
        assert sync.import_bundle(a, tmp_path / "b2.readiness").conflicts == 0
        for ws in (a, b):
            final = city_answer(ws, assessment, "QA-01")
            assert final.answer.value == "partial" and not final.conflict
    finally:
        a.close()
        b.close()


def test_bundle_cli_exports_and_imports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from app.cli import main

    a = laptop(tmp_path / "ana")
    assessment = new_assessment(a, "Ana")
    a.close()
    target = tmp_path / "lima.readiness"
    assert (
        main(
            [
                "--data-dir",
                str(tmp_path / "ana"),
                "bundle",
                "export",
                assessment[:8],
                "-o",
                str(target),
            ]
        )
        == 0
    )
    assert capsys.readouterr().out.strip().splitlines()[-1] == str(target)
    assert main(["--data-dir", str(tmp_path / "other"), "bundle", "import", str(target)]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == assessment
    target.write_bytes(b"PK\x03\x04 broken")
    assert main(["--data-dir", str(tmp_path / "other"), "bundle", "import", str(target)]) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "nothing was imported" in err


def test_attachments_travel_by_hub_and_by_bundle(
    hub: Any, two_laptops: tuple[Any, Any], tmp_path: Path
) -> None:
    from app.services.answers import add_attachment, answer_history

    a, b = two_laptops
    assessment = new_assessment(a, "Ana")
    evidence = tmp_path / "EQA certificate 2026.pdf"
    content = b"%PDF-1.4 certificate \x00\xff" * 2000
    evidence.write_bytes(content)
    sha = add_attachment(a, evidence)
    saved = save_answer(a, assessment, "QA-01", answer("yes"), "Ana", attachments=[sha])
    run(a)
    run(b)
    assert (b.paths.attachments / sha).read_bytes() == content
    (history,) = [r for r in answer_history(b, assessment, "QA-01") if r.id == saved.id]
    assert history.answer.value == "yes"

    other = laptop(tmp_path / "carla")
    try:
        sync.export_bundle(a, assessment, tmp_path / "with-file.readiness")
        sync.import_bundle(other, tmp_path / "with-file.readiness")
        assert (other.paths.attachments / sha).read_bytes() == content
    finally:
        other.close()


def test_enrollment_failures_are_one_clear_line(
    hub: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from app.cli import main
    from tests.sync_support import free_port

    folder = str(tmp_path / "ana")
    assert (
        main(["--data-dir", folder, "sync", "enroll", hub.url, "WRONG-CODE", "--token-file"]) == 1
    )
    err = capsys.readouterr().err
    assert "enrollment code" in err and len(err.strip().splitlines()) == 1
    closed = f"http://127.0.0.1:{free_port()}"
    code = new_code(hub.db_url, hub.city)
    assert main(["--data-dir", folder, "sync", "enroll", closed, code, "--token-file"]) == 3
    assert "not used" in capsys.readouterr().err
    assert main(["--data-dir", folder, "sync", "enroll", "http://hub.example.org", code]) == 1
    assert "https" in capsys.readouterr().err
    assert main(["--data-dir", folder, "sync", "now"]) == 1
    assert "not enrolled" in capsys.readouterr().err
    assert main(["--data-dir", folder, "sync", "enroll", hub.url, code, "--token-file"]) == 0


def test_a_name_from_another_laptop_answers_as_this_laptops_own_registration(
    hub: Any, two_laptops: tuple[Any, Any]
) -> None:
    """The hub takes a revision only from the device its author is registered on. Answering on
    laptop B as a person first registered on laptop A (by name, by the window's contributor
    list, or as whoever answers by default) must attribute the answer to B's own registration of
    that name, so nothing B saves is ever refused."""
    from app.services import contributors

    a, b = two_laptops
    assessment = new_assessment(a, "Ana")
    save_answer(a, assessment, "QA-01", answer("yes"), "Ana")
    assert run(a)["quarantined"] == 0
    run(b)
    ana_on_a = next(c for c in contributors.contributors_of(a, assessment) if c.name == "Ana")
    # by name, by the record of A's registration, and by default
    save_answer(b, assessment, "QA-02", answer("no"), "Ana")
    save_answer(b, assessment, "QA-03", answer("in_progress"), ana_on_a)
    save_answer(b, assessment, "QA-01", answer("partial"))
    picked = {c.device_id for c in contributors.contributors_of(b, assessment)}
    assert picked == {b.device_id}  # only B's own people can be picked on B
    result = run(b)
    assert result["quarantined"] == 0
    run(a)
    assert city_answer(a, assessment, "QA-02").answer.value == "no"
    from_b = [r for r in hub_revisions(hub) if r["device_id"] == b.device_id]
    assert len(from_b) == 3
