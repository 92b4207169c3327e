"""Contract tests of the repository API (app.storage.*_repo, catalog, outbox) on a real file.

The contract: revisions are immutable and insert-only; a local save leaves exactly one head per
key whose parents are the previous heads; remote revisions are idempotent and can leave several
heads (a conflict) until a revision names them all as parents; every local record has exactly one
outbox row, in write order.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

from app.domain import Answer, AnswerState, Contributor
from app.storage import answers_repo, assessments_repo, catalog, outbox
from app.storage.database import Database
from app.storage.records import CITY, AssessmentRecord, RevisionRecord, city_key

NOW = "2026-11-22T10:00:00Z"


@pytest.fixture
def db(tmp_path: Path):
    database = Database.open(tmp_path / "r.sqlite3", tmp_path / "backups")
    with database.write() as conn:
        catalog.put_questionnaire(conn, "h" * 64, "q", "1.0", b"body", NOW)
        catalog.insert_contributor(conn, Contributor("ana", "Ana", "pathologist", "", "dev-a"), NOW)
        catalog.insert_contributor(conn, Contributor("bob", "Bob", "", "", "dev-b"), NOW)
        assessments_repo.insert_assessment(
            conn,
            AssessmentRecord(
                id="a1",
                city="Tbilisi",
                country="Georgia",
                period="2026",
                language="en",
                questionnaire_sha256="h" * 64,
                status="draft",
                created_at=NOW,
                created_by="ana",
                previous_assessment_id=None,
                city_key=city_key("Tbilisi", "Georgia"),
                device_id="dev-a",
            ),
        )
    yield database
    database.close()


def revision(
    rid: str,
    value: object,
    parents: tuple[str, ...] = (),
    *,
    subject: str = "ana",
    hlc: str = "0000000000001-00000-dev-a",
    device: str = "dev-a",
) -> RevisionRecord:
    return RevisionRecord(
        id=rid,
        assessment_id="a1",
        indicator_id="PATH-04",
        subject=subject,
        answer=Answer(value=value) if value is not None else Answer(state=AnswerState.DONT_KNOW),
        parents=parents,
        author_id="ana",
        device_id=device,
        hlc=hlc,
        created_at=NOW,
    )


KEY = ("a1", "PATH-04", "ana")


def test_local_saves_chain_and_keep_one_head(db: Database) -> None:
    with db.write() as conn:
        answers_repo.save_local_revision(conn, revision("r1", "no"), "op1", NOW)
    with db.write() as conn:
        parents = answers_repo.head_ids(conn, KEY)
        assert parents == ("r1",)
        answers_repo.save_local_revision(conn, revision("r2", "yes", parents), "op2", NOW)
    with db.read() as conn:
        assert answers_repo.head_ids(conn, KEY) == ("r2",)
        history = answers_repo.revisions_for_key(conn, KEY)
        assert [r.id for r in history] == ["r1", "r2"]
        assert history[1].parents == ("r1",)
        assert [(o.record_kind, o.record_id, o.seq) for o in outbox.pending(conn)] == [
            ("revision", "r1", 1),
            ("revision", "r2", 2),
        ]


def test_values_round_trip_exactly(db: Database) -> None:
    values: list[object] = [("egfr", "alk"), 72, 2.5, "2026-01-31", "ქართული ✓ عربى", None]
    with db.write() as conn:
        for n, value in enumerate(values):
            record = revision(f"v{n}", value, hlc=f"000000000000{n}-00000-dev-a")
            record = RevisionRecord(**{**record.__dict__, "indicator_id": f"X-{n}"})
            answers_repo.save_local_revision(conn, record, f"opv{n}", NOW)
    with db.read() as conn:
        stored = {r.indicator_id: r.answer for r in answers_repo.heads_for_assessment(conn, "a1")}
    for n, value in enumerate(values):
        answer = stored[f"X-{n}"]
        if value is None:
            assert answer.state is AnswerState.DONT_KNOW and answer.value is None
        else:
            assert answer.value == value and type(answer.value) is type(value)


def test_remote_revisions_are_idempotent_and_conflicts_stay(db: Database) -> None:
    with db.write() as conn:
        answers_repo.save_local_revision(conn, revision("base", "no"), "op0", NOW)
    mine = revision("mine", "yes", ("base",), hlc="0000000000002-00000-dev-a")
    theirs = revision(
        "theirs", "partial", ("base",), hlc="0000000000003-00000-dev-b", device="dev-b"
    )
    with db.write() as conn:
        answers_repo.save_local_revision(conn, mine, "op1", NOW)
        assert answers_repo.insert_remote_revisions(conn, [theirs]) == {KEY}
    with db.write() as conn:  # the same page again changes nothing
        assert answers_repo.insert_remote_revisions(conn, [theirs, mine]) == set()
    with db.read() as conn:
        assert answers_repo.head_ids(conn, KEY) == ("mine", "theirs")
        assert len(answers_repo.revisions_for_key(conn, KEY)) == 3
        # Remote revisions are not sent back to the hub.
        assert {o.record_id for o in outbox.pending(conn)} == {"base", "mine"}
    with db.write() as conn:  # resolution: a revision whose parents are all heads
        parents = answers_repo.head_ids(conn, KEY)
        answers_repo.save_local_revision(conn, revision("merge", "partial", parents), "op2", NOW)
    with db.read() as conn:
        assert answers_repo.head_ids(conn, KEY) == ("merge",)


def test_recompute_heads_follows_parents_not_arrival_order(db: Database) -> None:
    child = revision("child", "yes", ("root",), hlc="0000000000002-00000-dev-b", device="dev-b")
    root = revision("root", "no", (), hlc="0000000000001-00000-dev-b", device="dev-b")
    with db.write() as conn:
        answers_repo.insert_remote_revisions(conn, [child])
        assert answers_repo.head_ids(conn, KEY) == ("child",)
        answers_repo.insert_remote_revisions(conn, [root])
        assert answers_repo.head_ids(conn, KEY) == ("child",)


def test_outbox_states_and_pending_counts(db: Database) -> None:
    with db.write() as conn:
        answers_repo.save_local_revision(conn, revision("r1", "no"), "op1", NOW)
        answers_repo.save_local_revision(
            conn, revision("r2", "yes", ("r1",), subject=CITY), "op2", NOW
        )
        assert not outbox.add_outbox(conn, "revision", "r1", "op-again", NOW)
    with db.write() as conn:
        rows = outbox.pending(conn)
        outbox.assign_batch(conn, [r.op_id for r in rows], "batch-1", NOW)
        outbox.mark_acked(conn, ["op1"])
        outbox.mark_quarantined(conn, "op2", "unknown indicator")
    with db.read() as conn:
        assert outbox.count_by_state(conn) == {"acked": 1, "quarantined": 1}
        quarantined = outbox.by_state(conn, "quarantined")[0]
        assert quarantined.last_error == "unknown indicator" and quarantined.batch_id == "batch-1"
        assert quarantined.attempts == 1
        assert outbox.pending_by_assessment(conn) == {}


def test_pull_cursor(db: Database) -> None:
    with db.write() as conn:
        assert outbox.get_cursor(conn, "city-1") == 0
        outbox.set_cursor(conn, "city-1", 42, NOW)
        outbox.set_cursor(conn, "city-1", 43, NOW)
        outbox.note_push_ok(conn, "city-2", NOW)
    with db.read() as conn:
        assert outbox.get_cursor(conn, "city-1") == 43
        assert outbox.get_cursor(conn, "city-2") == 0


def test_assessment_lookup_by_prefix_and_events(db: Database) -> None:
    from app.storage.records import EventRecord

    with db.write() as conn:
        assert assessments_repo.ids_with_prefix(conn, "a") == ["a1"]
        assert assessments_repo.ids_with_prefix(conn, "%") == []  # wildcards are literal
        assessments_repo.insert_event(
            conn,
            EventRecord(
                "e1",
                "a1",
                "status",
                {"from": "draft", "to": "final"},
                "ana",
                "dev-a",
                "0000000000009-00000-dev-a",
                NOW,
            ),
        )
        assessments_repo.set_status(conn, "a1", "final")
    with db.read() as conn:
        record = assessments_repo.get_assessment(conn, "a1")
        assert record is not None and record.status == "final"
        assert record.questionnaire_id == "q" and record.questionnaire_version == "1.0"
        assert assessments_repo.list_events(conn, "a1")[0].payload["to"] == "final"


def test_references_are_enforced(db: Database) -> None:
    bad = RevisionRecord(**{**revision("r9", "no").__dict__, "assessment_id": "missing"})
    with pytest.raises(IntegrityError), db.write() as conn:
        answers_repo.save_local_revision(conn, bad, "op9", NOW)


def test_contributors_found_by_name_prefer_this_device(db: Database) -> None:
    with db.write() as conn:
        catalog.insert_contributor(conn, Contributor("ana2", "Ana", "", "", "dev-b"), NOW)
        assert catalog.find_contributor(conn, "Ana", "dev-b").id == "ana2"  # type: ignore[union-attr]
        assert catalog.find_contributor(conn, "Ana", "dev-x").id == "ana"  # type: ignore[union-attr]
        assert catalog.find_contributor(conn, "Nobody", "dev-a") is None
        assert set(answers_repo.contributor_ids(conn, "a1")) == {"ana"}
