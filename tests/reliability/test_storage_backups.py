"""RELIABILITY.md tests 5 and 6: backup under load, and a corrupt database at start.

Test 5: while a writer thread saves answers through the real path, a backup (VACUUM INTO) is
taken; it opens, passes integrity_check and holds a prefix of the acknowledged saves, each with its
head and outbox row. Negative control: copying the .db file alone misses committed answers.

Test 6: a damaged file (bad page, truncated, zeroed header) is detected at open, moved aside with
its bytes untouched, the newest good backup is named, and restoring it brings the answers back.
"""

from __future__ import annotations

import hashlib
import random
import shutil
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from app.common.errors import StorageError
from app.domain import Answer
from app.services import backups as backup_service
from app.services.answers import save_answer
from app.services.assessments import create_assessment, load_snapshot
from app.services.workspace import Workspace

FORM = Path(__file__).resolve().parents[1] / "data" / "sample-form.yaml"
VALUES = ["yes", "partial", "no"]


def revision_ids(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [r[0] for r in conn.execute("SELECT id FROM revision")]


def assert_consistent(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        orphans = conn.execute(
            "SELECT count(*) FROM revision r LEFT JOIN outbox o ON o.record_id = r.id "
            "WHERE r.origin = 'local' AND o.op_id IS NULL"
        ).fetchone()[0]
        assert orphans == 0
        dangling = conn.execute(
            "SELECT count(*) FROM outbox o WHERE o.record_kind = 'revision' "
            "AND NOT EXISTS (SELECT 1 FROM revision r WHERE r.id = o.record_id)"
        ).fetchone()[0]
        assert dangling == 0
        headless = conn.execute(
            "SELECT count(*) FROM (SELECT DISTINCT assessment_id, indicator_id, subject "
            "FROM revision) k WHERE NOT EXISTS (SELECT 1 FROM answer_head h WHERE "
            "h.assessment_id = k.assessment_id AND h.indicator_id = k.indicator_id "
            "AND h.subject = k.subject)"
        ).fetchone()[0]
        assert headless == 0


def test_backup_under_load_is_a_consistent_prefix(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path / "data", daily_backup=False)
    try:
        aid = create_assessment(ws, "Tbilisi", "Georgia", "2026", FORM)
        with sqlite3.connect(ws.paths.database) as conn:  # start the WAL from empty
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        acked: list[str] = []
        stop = threading.Event()

        def writer() -> None:
            n = 0
            while not stop.is_set():
                revision = save_answer(ws, aid, "PATH-04", Answer(value=VALUES[n % 3], note=str(n)))
                acked.append(revision.id)
                n += 1

        thread = threading.Thread(target=writer)
        thread.start()
        try:
            while len(acked) < 20:
                time.sleep(0.01)
            plain_copy = tmp_path / "plain-copy.sqlite3"
            shutil.copyfile(ws.paths.database, plain_copy)  # what the product must never do
            committed_at_copy = len(acked)
            backup = backup_service.create_backup(ws, "manual")
            while len(acked) < committed_at_copy + 20:
                time.sleep(0.01)
        finally:
            stop.set()
            thread.join()
        in_backup = set(revision_ids(backup))
        assert len(in_backup) >= committed_at_copy
        assert in_backup == set(acked[: len(in_backup)]), "the backup is not a prefix"
        assert len(in_backup) < len(acked)
        assert_consistent(backup)
        # Negative control: the .db alone lacks what still sits in the -wal.
        assert len(revision_ids(plain_copy)) < committed_at_copy
    finally:
        ws.close()


def _answered_workspace(tmp_path: Path) -> tuple[Path, str, str]:
    data = tmp_path / "data"
    with Workspace.open(data) as ws:
        aid = create_assessment(ws, "Tbilisi", "Georgia", "2026", FORM)
        save_answer(ws, aid, "PATH-04", Answer(value="partial"))
        save_answer(ws, aid, "QA-03", Answer(value="accredited"))
        good = backup_service.create_backup(ws, "manual")
        save_answer(ws, aid, "BIO-02", Answer(value="pcr"))  # not in the backup
    return data, aid, good.name


def _zero_header(path: Path, _rng: random.Random) -> None:
    with path.open("r+b") as handle:
        handle.write(b"\0" * 100)


def _truncate(path: Path, _rng: random.Random) -> None:
    with path.open("r+b") as handle:
        handle.truncate(path.stat().st_size // 2 + 1234)


def _overwrite_a_page(path: Path, rng: random.Random) -> None:
    with sqlite3.connect(path) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        roots = [
            r[0]
            for r in conn.execute(
                "SELECT rootpage FROM sqlite_master WHERE type = 'table' AND rootpage > 1 "
                "AND name IN ('revision', 'assessment', 'answer_head', 'outbox')"
            )
        ]
    page = rng.choice(roots)
    with path.open("r+b") as handle:
        handle.seek((page - 1) * page_size)
        handle.write(rng.randbytes(page_size))


@pytest.mark.parametrize("damage", [_zero_header, _truncate, _overwrite_a_page])
def test_damaged_database_is_moved_aside_and_a_backup_offered(tmp_path: Path, damage) -> None:  # type: ignore[no-untyped-def]
    data, aid, good = _answered_workspace(tmp_path)
    database = data / "readiness.sqlite3"
    with sqlite3.connect(database) as conn:  # everything in the main file, no -wal
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    damage(database, random.Random(7))
    damaged_bytes = hashlib.sha256(database.read_bytes()).hexdigest()

    with pytest.raises(StorageError) as caught:
        Workspace.open(data)
    message = str(caught.value)
    assert "damaged" in message and good in message and "backup restore" in message
    assert not database.exists()
    [moved] = [
        p
        for p in data.iterdir()
        if p.name.startswith("readiness.sqlite3.damaged-") and not p.name.endswith(("-wal", "-shm"))
    ]
    assert hashlib.sha256(moved.read_bytes()).hexdigest() == damaged_bytes

    from app.cli import main

    assert main(["backup", "restore", "latest", "--data-dir", str(data)]) == 0
    with Workspace.open(data) as ws:
        answers = load_snapshot(ws, aid).answers
        assert answers["PATH-04"].answer.value == "partial"
        assert answers["QA-03"].answer.value == "accredited"
        assert answers["BIO-02"].answer.state.value == "unanswered"  # saved after the backup
    assert moved.exists()


def test_restore_keeps_the_replaced_database(tmp_path: Path) -> None:
    data, aid, good = _answered_workspace(tmp_path)
    with Workspace.open(data) as ws:
        restored, saved = backup_service.restore_backup(ws, good)
        assert restored.name == good and saved is not None and saved.kind == "pre-restore"
        assert load_snapshot(ws, aid).answers["BIO-02"].answer.state.value == "unanswered"
        # Undo: the pre-restore copy still has the later answer.
        backup_service.restore_backup(ws, saved.name)
        assert load_snapshot(ws, aid).answers["BIO-02"].answer.value == "pcr"
        kinds = [b.kind for b in backup_service.list_backups(ws)]
        assert kinds.count("pre-restore") == 2 and "manual" in kinds


def test_daily_backups_rotate_but_others_are_kept(tmp_path: Path) -> None:
    from app.storage import backup

    data, _aid, _good = _answered_workspace(tmp_path)
    folder = data / "backups"
    source = next(folder.glob("*-manual.sqlite3"))
    already = len(list(folder.glob("*-daily.sqlite3")))
    for day in range(1, 11):
        shutil.copyfile(source, folder / f"readiness-202601{day:02d}T000000000Z-daily.sqlite3")
    shutil.copyfile(source, folder / "readiness-20250101T000000000Z-pre-migration.sqlite3")
    removed = backup.rotate(folder)
    kept = backup.list_backups(folder)
    daily = [b.name for b in kept if b.kind == "daily"]
    assert len(daily) == 7 and len(removed) == 10 + already - 7
    assert "readiness-20260101T000000000Z-daily.sqlite3" not in daily
    assert any(b.kind == "pre-migration" for b in kept) and any(b.kind == "manual" for b in kept)
