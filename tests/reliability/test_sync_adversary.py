"""Attacks from inside a city: clocks, identities, heads and hostile text (docs/admin-guide.md,
"Threat model").

Each test takes the attack as its input, against a real hub on loopback (SQLite, and PostgreSQL
when READINESS_TEST_PG_URL is set) and real data folders:

- a revision whose clock is far in the future (pushed, pulled, in a bundle, after a restart);
- a device writing "as" another device or another device's contributor, and a laptop enrolling
  under another laptop's id;
- 100 concurrent writes to one answer (more heads than one revision may name);
- a lone surrogate in a push and in a bundle; impossible timestamps; a bundle that alters a
  record this laptop already has.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import stat
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest.mock import ANY

import httpx
import pytest
from sqlalchemy import select

from app.common.clock import (
    MAX_SKEW_MS,
    format_hlc,
    new_id,
    parse_hlc,
    physical_ms,
)
from app.common.errors import UserError
from app.domain import Answer, AnswerState
from app.hub import tables as ht
from app.hub.db import HubDB
from app.services import sync
from app.services.answers import save_answer
from app.services.contributors import laptop_user
from app.services.workspace import Workspace
from app.storage import answers_repo
from app.storage.records import RevisionRecord
from app.sync import signing
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

FAR_FUTURE_MS = 9_999_999_999_999


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


def forged_revision(
    ws: Workspace,
    assessment: str,
    *,
    indicator: str = "QA-02",
    value: str = "yes",
    hlc: str | None = None,
    author: str | None = None,
    device: str | None = None,
    note: str = "",
) -> str:
    """A revision written straight into a laptop's database and outbox, past every local check
    (what a modified client would send)."""
    key = (assessment, indicator, "city")
    with ws.write() as conn:
        device = device or ws.device_id
        record = RevisionRecord(
            id=new_id(),
            assessment_id=assessment,
            indicator_id=indicator,
            subject="city",
            answer=Answer(value=value, state=AnswerState.ANSWERED, note=note),
            parents=answers_repo.head_ids(conn, key),
            author_id=author or laptop_user(ws, conn).id,
            device_id=device,
            hlc=hlc or format_hlc(physical_ms(), 0, device),
            created_at=ws.now(),
        )
        answers_repo.save_local_revision(conn, record, new_id(), ws.now())
    return record.id


def hub_record_ids(url: str, kind: str = "revision") -> set[str]:
    db = HubDB(url)
    try:
        with db.read() as conn:
            rows = conn.execute(select(ht.record.c.record_id).where(ht.record.c.kind == kind))
            return {r[0] for r in rows}
    finally:
        db.close()


def wall_ms(hlc: str) -> int:
    return parse_hlc(hlc)[0]


# ---------------------------------------------------------------------------------------------
# 1. Clock poisoning


def test_a_far_future_clock_is_refused_with_a_reason_and_never_adopted(
    hub: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from app.cli import main

    ana = laptop(tmp_path / "ana", hub.url, new_code(hub.db_url, hub.city, "Ana"))
    ben = laptop(tmp_path / "ben", hub.url, new_code(hub.db_url, hub.city, "Ben"))
    try:
        assessment = new_assessment(ana)
        honest = save_answer(ana, assessment, "QA-01", Answer(value="yes"))
        poisoned = forged_revision(
            ana, assessment, hlc=format_hlc(FAR_FUTURE_MS, 99_999, ana.device_id)
        )
        ana.close()
        # The CLI: the hub refuses the poisoned revision, so `sync now` exits 4 and says why.
        assert main(["--data-dir", str(tmp_path / "ana"), "sync", "now"]) == 4
        assert "refused" in capsys.readouterr().err
        assert main(["--data-dir", str(tmp_path / "ana"), "sync", "status", "--json"]) == 0
        status = json.loads(capsys.readouterr().out)
        reasons = {q["record_id"]: q["reason"] for q in status["quarantined"]}
        assert set(reasons) == {poisoned}
        assert "ahead of the hub's clock" in reasons[poisoned]
        stored = hub_record_ids(hub.db_url)
        assert honest.id in stored and poisoned not in stored

        # The poisoned revision is in Ana's own database: reopening must not adopt its clock.
        ana = Workspace.open(tmp_path / "ana", daily_backup=False)
        assert wall_ms(ana.clock.now()) <= physical_ms() + 1000
        assert sync.sync_now(ana, policy=fast_policy()).refused == 0  # not sent again

        result = sync.sync_now(ben, policy=fast_policy())
        assert result.refused == 0
        assert wall_ms(ben.clock.now()) <= physical_ms() + 1000
        with ben.read() as conn:
            assert not answers_repo.has_revision(conn, poisoned)
            assert answers_repo.has_revision(conn, honest.id)
    finally:
        ana.close()
        ben.close()


def test_a_clock_within_the_allowed_skew_is_accepted_and_its_counter_carries(
    hub: Any, tmp_path: Path
) -> None:
    """A peer a little ahead (and at the top of its counter) is honest: stored, adopted, and
    the receiving laptop's next revisions still have a valid clock and are accepted."""
    ana = laptop(tmp_path / "ana", hub.url, new_code(hub.db_url, hub.city, "Ana"))
    ben = laptop(tmp_path / "ben", hub.url, new_code(hub.db_url, hub.city, "Ben"))
    try:
        assessment = new_assessment(ana)
        ahead = physical_ms() + MAX_SKEW_MS // 2
        early = forged_revision(ana, assessment, hlc=format_hlc(ahead, 99_999, ana.device_id))
        assert sync.sync_now(ana, policy=fast_policy()).refused == 0
        assert sync.sync_now(ben, policy=fast_policy()).refused == 0
        after = save_answer(ben, assessment, "QA-02", Answer(value="no"))
        wall, counter, _device = parse_hlc(after.hlc)
        assert (wall, counter) == (ahead + 1, 0)  # adopted, and the full counter carried
        result = sync.sync_now(ben, policy=fast_policy())
        assert result.refused == 0 and result.pushed >= 1
        assert {early, after.id} <= hub_record_ids(hub.db_url)
    finally:
        ana.close()
        ben.close()


def test_a_bundle_with_a_far_future_clock_is_refused_before_anything_is_written(
    tmp_path: Path,
) -> None:
    ana = laptop(tmp_path / "ana")
    ben = laptop(tmp_path / "ben")
    try:
        assessment = new_assessment(ana)
        forged_revision(ana, assessment, hlc=format_hlc(FAR_FUTURE_MS, 0, ana.device_id))
        sync.export_bundle(ana, assessment, tmp_path / "poisoned.readiness")
        before = _database_dump(ben)
        with pytest.raises(UserError) as refused:
            sync.import_bundle(ben, tmp_path / "poisoned.readiness")
        assert "ahead of this computer's clock" in str(refused.value)
        assert "nothing was imported" in str(refused.value)
        assert _database_dump(ben) == before
        assert wall_ms(ben.clock.now()) <= physical_ms() + 1000
    finally:
        ana.close()
        ben.close()


def _database_dump(ws: Workspace) -> list[str]:
    with ws.read() as conn:
        raw = conn.connection.dbapi_connection
        assert raw is not None
        return [line for line in raw.iterdump() if "sync_state" not in line]


# ---------------------------------------------------------------------------------------------
# 2. Identity bound to the token


def test_a_device_cannot_write_as_another_device_or_another_devices_contributor(
    hub: Any, tmp_path: Path
) -> None:
    ana = laptop(tmp_path / "ana", hub.url, new_code(hub.db_url, hub.city, "Ana"))
    eve = laptop(tmp_path / "eve", hub.url, new_code(hub.db_url, hub.city, "Eve"))
    try:
        assessment = new_assessment(ana)
        assert sync.sync_now(ana, policy=fast_policy()).refused == 0
        assert sync.sync_now(eve, policy=fast_policy()).refused == 0
        with ana.read() as conn:
            ana_person = laptop_user(ana, conn).id
        # Eve writes "as" Ana's laptop, and "as" Ana from her own laptop.
        as_device = forged_revision(
            eve,
            assessment,
            author=ana_person,
            device=ana.device_id,
            hlc=format_hlc(physical_ms(), 0, ana.device_id),
        )
        as_author = forged_revision(eve, assessment, indicator="QA-01", author=ana_person)
        result = sync.sync_now(eve, policy=fast_policy())
        assert result.refused == 2
        reasons = {q["record_id"]: q["reason"] for q in sync.sync_status(eve).quarantined}
        assert "another enrolled device" in reasons[as_device]
        assert "not registered on the device" in reasons[as_author]
        assert not {as_device, as_author} & hub_record_ids(hub.db_url)

        # Eve's honest answer goes through, and the feed says who sent each record.
        honest = save_answer(eve, assessment, "QA-02", Answer(value="partial"))
        assert sync.sync_now(eve, policy=fast_policy()).refused == 0
        page = _feed(hub, ana)
        assert page[honest.id]["sent_by"] == eve.device_id
        assert all(
            entry["sent_by"] == entry["body"]["device_id"]
            for entry in page.values()
            if "device_id" in entry["body"]
        )
    finally:
        ana.close()
        eve.close()


def test_records_relayed_for_a_laptop_without_a_hub_are_flagged_with_their_sender(
    hub: Any, tmp_path: Path
) -> None:
    offline = laptop(tmp_path / "offline")
    relay = laptop(tmp_path / "relay", hub.url, new_code(hub.db_url, hub.city, "Rui"))
    try:
        assessment = new_assessment(offline)
        answer = save_answer(offline, assessment, "QA-01", Answer(value="yes"))
        sync.export_bundle(offline, assessment, tmp_path / "offline.readiness")
        sync.import_bundle(relay, tmp_path / "offline.readiness")
        assert sync.sync_now(relay, policy=fast_policy()).refused == 0
        entry = _feed(hub, relay)[answer.id]
        assert entry["sent_by"] == relay.device_id
        assert entry["body"]["device_id"] == offline.device_id
        assert "relayed" in entry["flags"]
    finally:
        offline.close()
        relay.close()


def test_enrolling_under_another_laptops_id_is_refused(hub: Any, tmp_path: Path) -> None:
    from app.sync.client import HubClient
    from app.sync.errors import HubRefused

    ana = laptop(tmp_path / "ana", hub.url, new_code(hub.db_url, hub.city, "Ana"))
    try:
        with HubClient(hub.url) as client, pytest.raises(HubRefused) as refused:
            client.enroll(new_code(hub.db_url, hub.city, "Eve"), "eve-laptop", ana.device_id)
        assert "another contributor" in str(refused.value)
        # Ana herself enrolling again (a lost token) replaces her old token.
        old = sync._token(ana, sync.current_enrollment(ana))  # type: ignore[arg-type]
        sync.enroll(ana, hub.url, new_code(hub.db_url, hub.city, "Ana"), token_file=True)
        response = httpx.get(
            f"{hub.url}/v1/cities/{hub.city}/changes",
            headers={"Authorization": f"Bearer {old}"},
        )
        assert response.status_code == 401
        assert sync.sync_now(ana, policy=fast_policy()).refused == 0
    finally:
        ana.close()


def _feed(hub: Any, ws: Workspace) -> dict[str, dict[str, Any]]:
    enrollment = sync.current_enrollment(ws)
    assert enrollment is not None
    token = sync._token(ws, enrollment)
    response = httpx.get(
        f"{hub.url}/v1/cities/{hub.city}/changes",
        params={"since": 0, "limit": 1000},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200
    return {r["id"]: r for r in response.json()["records"]}


# ---------------------------------------------------------------------------------------------
# 5. Heads


def test_replicas_converge_after_100_concurrent_writes_to_one_answer(
    hub: Any, tmp_path: Path
) -> None:
    from app.services.answers import set_city_answer
    from app.services.sync_replica import count_conflicts
    from app.sync.merge import MAX_PARENTS

    ana = laptop(tmp_path / "ana", hub.url, new_code(hub.db_url, hub.city, "Ana"))
    ben = laptop(tmp_path / "ben", hub.url, new_code(hub.db_url, hub.city, "Ben"))
    try:
        assessment = new_assessment(ana)
        base = set_city_answer(ana, assessment, "QA-02", Answer(value="yes"), "first")
        with ana.write() as conn:  # 100 writes that each saw only `base`
            for n in range(100):
                answers_repo.save_local_revision(
                    conn,
                    RevisionRecord(
                        id=new_id(),
                        assessment_id=assessment,
                        indicator_id="QA-02",
                        subject="city",
                        answer=Answer(value="yes" if n % 2 else "no"),
                        parents=(base.id,),
                        author_id=base.author.id if base.author else None,
                        device_id=ana.device_id,
                        hlc=ana.clock.now(),
                        created_at=ana.now(),
                    ),
                    new_id(),
                    ana.now(),
                )
            answers_repo.recompute_heads(conn, (assessment, "QA-02", "city"))
        assert sync.sync_now(ana, policy=fast_policy()).refused == 0
        assert sync.sync_now(ben, policy=fast_policy()).refused == 0
        key = (assessment, "QA-02", "city")
        for ws in (ana, ben):
            with ws.read() as conn:
                assert len(answers_repo.head_ids(conn, key)) == 100
                assert count_conflicts(conn) == 1

        resolved = set_city_answer(ben, assessment, "QA-02", Answer(value="partial"), "merged")
        assert len(resolved.parents) <= MAX_PARENTS
        assert sync.sync_now(ben, policy=fast_policy()).refused == 0
        assert sync.sync_now(ana, policy=fast_policy()).refused == 0
        for ws in (ana, ben):
            with ws.read() as conn:
                assert answers_repo.head_ids(conn, key) == (resolved.id,)
                assert count_conflicts(conn) == 0
        token = sync._token(ana, sync.current_enrollment(ana))  # type: ignore[arg-type]
        conflicts = httpx.get(
            f"{hub.url}/v1/cities/{hub.city}/conflicts",
            headers={"Authorization": f"Bearer {token}"},
        ).json()["conflicts"]
        assert conflicts == []
    finally:
        ana.close()
        ben.close()


# ---------------------------------------------------------------------------------------------
# 8 and 10. Hostile text, impossible times, altered records


def test_a_lone_surrogate_in_a_push_is_refused_without_a_server_error(
    hub: Any, tmp_path: Path
) -> None:
    ana = laptop(tmp_path / "ana", hub.url, new_code(hub.db_url, hub.city, "Ana"))
    try:
        assessment = new_assessment(ana)
        assert sync.sync_now(ana, policy=fast_policy()).refused == 0
        enrollment = sync.current_enrollment(ana)
        assert enrollment is not None
        rid = new_id()
        with ana.read() as conn:
            author = laptop_user(ana, conn).id
        body = {
            "id": rid,
            "assessment_id": assessment,
            "indicator_id": "QA-02",
            "subject": "city",
            "value": "yes",
            "state": "answered",
            "note": "\ud800",
            "evidence": None,
            "attachments": [],
            "parents": [],
            "author_id": author,
            "device_id": ana.device_id,
            "hlc": ana.clock.now(),
            "created_at": ana.now(),
            "rationale": "",
            "to_confirm": False,
        }
        batch_id = new_id()
        document = {
            "batch_id": batch_id,
            "city_id": hub.city,
            "ops": [
                {
                    "op_id": new_id(),
                    "city_id": hub.city,
                    "record": {"kind": "revision", "id": rid, "body": body},
                }
            ],
        }
        response = httpx.post(
            f"{hub.url}/v1/cities/{hub.city}/push",
            content=json.dumps(document).encode("ascii"),  # "\ud800" travels as an escape
            headers={
                "Authorization": f"Bearer {sync._token(ana, enrollment)}",
                "Idempotency-Key": batch_id,
                "Content-Type": "application/json",
            },
        )
        assert response.status_code == 200, response.text
        result = response.json()["results"][0]
        assert result["status"] == "quarantined" and "note" in result["reason"]
        assert rid not in hub_record_ids(hub.db_url)
    finally:
        ana.close()


def _rebuilt(
    bundle_bytes: bytes,
    records: list[dict[str, Any]] | None = None,
    *,
    key: str | None = None,
    device: str | None = None,
    manifest_device: str | None = None,
) -> bytes:
    """A bundle changed as a forger would: records.json replaced (manifest hashes fixed), the
    manifest's device relabelled, and signed again with `key` as `device` (else the old
    signature is kept, which no longer matches)."""
    from app.sync import signing

    with zipfile.ZipFile(io.BytesIO(bundle_bytes)) as zf:
        entries = {name: zf.read(name) for name in zf.namelist()}
    manifest = json.loads(entries["manifest.json"])
    if records is not None:
        data = json.dumps(records).encode("ascii")
        manifest["entries"]["records.json"] = {
            "sha256": hashlib.sha256(data).hexdigest(),
            "size": len(data),
        }
        entries["records.json"] = data
    if manifest_device or device:
        manifest["device_id"] = manifest_device or device
    entries["manifest.json"] = json.dumps(manifest).encode()
    if key is not None:
        entries["signature.json"] = json.dumps(
            {
                "device_id": device or manifest["device_id"],
                "public_key": signing.public_key_of(key),
                "signature": signing.sign(key, entries["manifest.json"]),
            }
        ).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in entries.items():
            zf.writestr(name, content)
    return out.getvalue()


def _bundle_with_attachment(ws: Workspace, tmp_path: Path) -> tuple[str, bytes, str]:
    from app.services.answers import add_attachment

    assessment = new_assessment(ws)
    source = tmp_path / "evidence.txt"
    source.write_bytes(b"evidence " + uuid.uuid4().bytes)
    sha = add_attachment(ws, source)
    save_answer(ws, assessment, "QA-02", Answer(value="yes"), attachments=[sha])
    target = tmp_path / "with-file.readiness"
    sync.export_bundle(ws, assessment, target)
    return assessment, target.read_bytes(), sha


def test_a_lone_surrogate_in_a_bundle_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    ana = laptop(tmp_path / "ana")
    ben = laptop(tmp_path / "ben")
    try:
        _assessment, data, sha = _bundle_with_attachment(ana, tmp_path)
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            records = json.loads(zf.read("records.json"))
        for record in records:
            if record["kind"] == "revision":
                record["body"]["note"] = "\ud800"
        hostile = tmp_path / "surrogate.readiness"
        hostile.write_bytes(_rebuilt(data, records, key=signing.new_private_key(), device="x"))
        before = _database_dump(ben)
        with pytest.raises(UserError) as refused:
            sync.import_bundle(ben, hostile)
        assert "note" in str(refused.value) and "nothing was imported" in str(refused.value)
        assert _database_dump(ben) == before
        assert not (ben.paths.attachments / sha).exists()
    finally:
        ana.close()
        ben.close()


def test_a_bundle_altering_a_record_already_here_is_a_conflict_of_content(
    tmp_path: Path,
) -> None:
    ana = laptop(tmp_path / "ana")
    ben = laptop(tmp_path / "ben")
    try:
        _assessment, data, _sha = _bundle_with_attachment(ana, tmp_path)
        original = tmp_path / "original.readiness"
        original.write_bytes(data)
        assert not sync.import_bundle(ben, original).already_present
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            records = json.loads(zf.read("records.json"))
        altered = next(r for r in records if r["kind"] == "revision")
        altered["body"]["note"] = "rewritten after the fact"
        forged = tmp_path / "altered.readiness"  # signed again by the forger's own laptop
        forged.write_bytes(
            _rebuilt(data, records, key=signing.new_private_key(), device="forger-laptop")
        )
        before = _database_dump(ben)
        with pytest.raises(UserError) as refused:
            sync.import_bundle(ben, forged)
        assert "conflict of content" in str(refused.value)
        assert altered["id"][:8] in str(refused.value)
        assert _database_dump(ben) == before
        assert sync.import_bundle(ben, original).already_present  # the true copy is still fine
    finally:
        ana.close()
        ben.close()


@pytest.mark.skipif(os.name != "posix", reason="file modes are a POSIX notion")
def test_database_files_and_folders_are_readable_by_their_user_only(tmp_path: Path) -> None:
    from app.hub import admin
    from app.services.backups import create_backup

    ws = laptop(tmp_path / "data")
    try:
        new_assessment(ws)
        backup = create_backup(ws)
        files = [ws.paths.database, Path(f"{ws.paths.database}-wal"), backup]
        for path in files:  # while open: the -wal file exists
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
        for path in (ws.paths.root, ws.paths.backups, ws.paths.attachments):
            assert stat.S_IMODE(path.stat().st_mode) == 0o700, path
    finally:
        ws.close()
    hub_file = tmp_path / "hub.sqlite3"
    admin.init(f"sqlite:///{hub_file}")
    assert stat.S_IMODE(hub_file.stat().st_mode) == 0o600


# ---------------------------------------------------------------------------------------------
# 3. Signed bundles


def test_bundles_are_signed_and_forged_relabelled_or_resigned_ones_are_refused(
    tmp_path: Path,
) -> None:
    ana = laptop(tmp_path / "ana")
    ben = laptop(tmp_path / "ben")
    try:
        _assessment, data, sha = _bundle_with_attachment(ana, tmp_path)
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            records = json.loads(zf.read("records.json"))
        answer = next(r for r in records if r["kind"] == "revision")
        answer["body"]["value"] = "no"
        forger = signing.new_private_key()
        cases = {
            # changed after signing, signature kept
            "forged": (_rebuilt(data, records), "signature does not match"),
            # signed by the forger, but still saying it comes from Ana's laptop
            "relabelled": (
                _rebuilt(data, key=forger, device="forger", manifest_device=ana.device_id),
                "relabelled",
            ),
            "unsigned": (_without_signature(data), "not signed"),
        }
        before = _database_dump(ben)
        for name, (content, expected) in cases.items():
            path = tmp_path / f"{name}.readiness"
            path.write_bytes(content)
            with pytest.raises(UserError) as refused:
                sync.import_bundle(ben, path)
            assert expected in str(refused.value), name
            assert "nothing was imported" in str(refused.value), name
            assert _database_dump(ben) == before, name
            assert not (ben.paths.attachments / sha).exists(), name

        genuine = tmp_path / "genuine.readiness"
        genuine.write_bytes(data)
        first = sync.import_bundle(ben, genuine)
        assert first.first_use and first.signed_by == ana.device_id and first.key_fingerprint
        assert sync.known_device_keys(ben)[ana.device_id]["source"] == "first use"
        assert not sync.import_bundle(ben, genuine).first_use  # known from now on

        # Re-signed with another key under Ana's own device id: not Ana's key any more.
        resigned = tmp_path / "resigned.readiness"
        resigned.write_bytes(_rebuilt(data, records, key=forger, device=ana.device_id))
        with pytest.raises(UserError) as refused:
            sync.import_bundle(ben, resigned)
        assert "another key" in str(refused.value)
    finally:
        ana.close()
        ben.close()


def test_a_bundle_cannot_bring_records_in_the_name_of_the_importing_laptop(
    tmp_path: Path,
) -> None:
    ana = laptop(tmp_path / "ana")
    ben = laptop(tmp_path / "ben")
    try:
        assessment = new_assessment(ana)
        forged = forged_revision(
            ana,
            assessment,
            device=ben.device_id,
            hlc=format_hlc(physical_ms(), 0, ben.device_id),
        )
        sync.export_bundle(ana, assessment, tmp_path / "as-ben.readiness")
        with pytest.raises(UserError) as refused:
            sync.import_bundle(ben, tmp_path / "as-ben.readiness")
        assert forged[:8] in str(refused.value) and "this laptop" in str(refused.value)
    finally:
        ana.close()
        ben.close()


def _without_signature(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            if name != "signature.json":
                target.writestr(name, source.read(name))
    return out.getvalue()


def test_hub_import_takes_the_city_from_the_signing_device_and_checks_its_key(
    hub: Any, tmp_path: Path
) -> None:
    from app.hub import admin

    other_city = make_city(hub.db_url, "Quito", "Ecuador")
    ana = laptop(tmp_path / "ana", hub.url, new_code(hub.db_url, hub.city, "Ana"))
    try:
        assessment = new_assessment(ana)
        answer = save_answer(ana, assessment, "QA-02", Answer(value="yes"))
        path = tmp_path / "ana.readiness"
        sync.export_bundle(ana, assessment, path)
        data = path.read_bytes()
        with pytest.raises(UserError) as refused:
            admin.import_bundle(hub.db_url, path, "Quito")
        assert "signed by a device of Lima" in str(refused.value)
        result = admin.import_bundle(hub.db_url, path)  # no --city: the device's own city
        assert result["city_id"] == hub.city and not result["first_use"]
        assert result["quarantined"] == 0 and answer.id in hub_record_ids(hub.db_url)
        assert other_city != hub.city

        resigned = tmp_path / "resigned.readiness"
        resigned.write_bytes(_rebuilt(data, key=signing.new_private_key(), device=ana.device_id))
        with pytest.raises(UserError) as refused:
            admin.import_bundle(hub.db_url, resigned)
        assert "another key" in str(refused.value)

        # A stolen laptop, once revoked, can no longer bring bundles to the hub.
        enrollment = sync.current_enrollment(ana)
        assert enrollment is not None
        admin.revoke(hub.db_url, enrollment.device_id)
        with pytest.raises(UserError) as refused:
            admin.import_bundle(hub.db_url, path)
        assert "revoked" in str(refused.value)
    finally:
        ana.close()


def test_laptops_learn_the_city_devices_keys_from_the_hub(hub: Any, tmp_path: Path) -> None:
    ana = laptop(tmp_path / "ana", hub.url, new_code(hub.db_url, hub.city, "Ana"))
    ben = laptop(tmp_path / "ben", hub.url, new_code(hub.db_url, hub.city, "Ben"))
    try:
        assert sync.sync_now(ben, policy=fast_policy()).refused == 0
        known = sync.known_device_keys(ben)[ana.device_id]
        assert known == {"key": sync.public_signing_key(ana), "source": "hub", "since": ANY}
        assessment = new_assessment(ana)
        sync.export_bundle(ana, assessment, tmp_path / "ana.readiness")
        assert not sync.import_bundle(ben, tmp_path / "ana.readiness").first_use
    finally:
        ana.close()
        ben.close()
