"""RELIABILITY.md tests 2-4 with a fault-injecting SQLite VFS (APSW): power cut, disk full, I/O errors.

A VFS only sees APSW connections, so the SQL that the real save path emits is recorded with
SQLAlchemy's `before_cursor_execute` event (plus the COMMIT) during a real `save_answer`, and then
replayed on APSW under the faulty VFS, each replay with fresh ids chained to the previous save
exactly as the product would chain them.

- Power cut (test 2): a child replays saves and acknowledges each COMMIT; the parent kills it at a
  random moment and throws away every byte not covered by a completed xSync (SQLite's test6.c
  idea). With WAL + synchronous=FULL no acknowledged save may be lost; the control run with NORMAL
  loses some (which is why the product uses FULL); the file is never corrupt.
- Disk full (test 3) and I/O errors (test 4): the k-th write (or read, sync, truncate) fails, for
  every k across one save, once (transient) or from then on (persistent). Every time the error
  reaches the caller, and the database holds the whole save or none of it.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

apsw = pytest.importorskip("apsw")

from sqlalchemy import event  # noqa: E402

from app.domain import Answer  # noqa: E402
from app.services.answers import save_answer  # noqa: E402
from app.services.assessments import create_assessment  # noqa: E402
from app.services.workspace import Workspace  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
FORM = ROOT / "tests" / "data" / "sample-form.yaml"
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@dataclass
class SaveTemplate:
    """The statements of one real save, and the ids in them that each replay must renew."""

    statements: list[tuple[str, list[Any]]]
    revision_id: str
    parent_id: str
    op_id: str
    hlc: str

    def replay_params(
        self, params: list[Any], new_revision: str, new_parent: str, new_op: str, new_hlc: str
    ) -> list[Any]:
        mapping = {self.revision_id: new_revision, self.parent_id: new_parent, self.op_id: new_op}
        result = []
        for value in params:
            if value == self.hlc:
                value = new_hlc
            elif isinstance(value, str):
                value = UUID.sub(lambda m: mapping.get(m.group(0), m.group(0)), value)
            result.append(value)
        return result


def record_a_real_save(folder: Path) -> tuple[Path, SaveTemplate]:
    """A data folder with a few answers, and the SQL of one more save recorded on the way."""
    with Workspace.open(folder, daily_backup=False) as ws:
        aid = create_assessment(ws, "Tbilisi", "Georgia", "2026", FORM)
        save_answer(ws, aid, "QA-03", Answer(value="accredited"))
        save_answer(ws, aid, "BIO-01", Answer(value=("egfr", "alk")))
        previous = save_answer(ws, aid, "PATH-04", Answer(value="no"))
        recorded: list[tuple[str, list[Any]]] = []

        def on_execute(_conn, _cursor, statement, parameters, _context, _many):  # type: ignore[no-untyped-def]
            recorded.append((statement, list(parameters or ())))

        def on_commit(_conn):  # type: ignore[no-untyped-def]
            recorded.append(("COMMIT", []))

        event.listen(ws.db.engine, "before_cursor_execute", on_execute)
        event.listen(ws.db.engine, "commit", on_commit)
        saved = save_answer(ws, aid, "PATH-04", Answer(value="yes", note="ნიმუში — عينة"))
        event.remove(ws.db.engine, "before_cursor_execute", on_execute)
        event.remove(ws.db.engine, "commit", on_commit)
        with ws.read() as conn:
            op_id = conn.exec_driver_sql(
                "SELECT op_id FROM outbox WHERE record_id = ?", (saved.id,)
            ).scalar()
    database = folder / "readiness.sqlite3"
    with sqlite3.connect(database) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert recorded[0][0] == "BEGIN IMMEDIATE" and recorded[-1][0] == "COMMIT"
    assert any(s.startswith("INSERT INTO revision") for s, _p in recorded)
    assert any(s.startswith("INSERT INTO outbox") for s, _p in recorded)
    return database, SaveTemplate(recorded, saved.id, previous.id, op_id, saved.hlc)


def check_saves(database: Path, acknowledged: list[str], head: str | None = None) -> set[str]:
    """Integrity, no acknowledged save lost, every revision with its outbox row, one head per key.
    Returns the revision ids present."""
    with sqlite3.connect(database) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        present = {r[0] for r in conn.execute("SELECT id FROM revision")}
        lost = [r for r in acknowledged if r not in present]
        assert not lost, f"{len(lost)} of {len(acknowledged)} acknowledged saves lost"
        assert (
            conn.execute(
                "SELECT count(*) FROM revision r WHERE NOT EXISTS "
                "(SELECT 1 FROM outbox o WHERE o.record_id = r.id)"
            ).fetchone()[0]
            == 0
        )
        assert (
            conn.execute(
                "SELECT count(*) FROM outbox o WHERE o.record_kind = 'revision' AND NOT EXISTS "
                "(SELECT 1 FROM revision r WHERE r.id = o.record_id)"
            ).fetchone()[0]
            == 0
        )
        heads = conn.execute(
            "SELECT revision_id FROM answer_head WHERE indicator_id = 'PATH-04'"
        ).fetchall()
        assert len(heads) == 1
        if head is not None:
            assert heads[0][0] == head
    return present


# ---------------------------------------------------------------------------------------------
# Test 2: power cut

REPLAYER = r"""
import json, os, shutil, sys, uuid
import apsw

class PowerLossFile(apsw.VFSFile):
    def __init__(self, inherit, filename, flags):
        super().__init__(inherit, filename, flags)
        self.path = filename.filename() if hasattr(filename, "filename") else filename

    def xSync(self, flags):
        super().xSync(flags)
        if self.path:  # what survives a power cut: the file as it was at its last sync
            shutil.copyfile(self.path, self.path + ".durable.tmp")
            os.replace(self.path + ".durable.tmp", self.path + ".durable")

class PowerLossVFS(apsw.VFS):
    def __init__(self):
        super().__init__("powerloss", "")

    def xOpen(self, name, flags):
        return PowerLossFile("", name, flags)

database, template_file, synchronous = sys.argv[1], sys.argv[2], sys.argv[3]
template = json.load(open(template_file, encoding="utf-8"))
vfs = PowerLossVFS()
conn = apsw.Connection(database, vfs="powerloss")
for pragma in ("busy_timeout = 10000", "journal_mode = WAL", f"synchronous = {synchronous}",
               "foreign_keys = ON"):
    conn.execute(f"PRAGMA {pragma}").fetchall()
parent = conn.execute(
    "SELECT revision_id FROM answer_head WHERE indicator_id = 'PATH-04'").fetchall()[0][0]
mapping_re = __import__("re").compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
n = 0
print("ready", flush=True)
while True:
    n += 1
    new = str(uuid.uuid4())
    mapping = {template["revision_id"]: new, template["parent_id"]: parent,
               template["op_id"]: str(uuid.uuid4())}
    hlc = f"{9000000000000 + n:013d}-00000-replay"
    for statement, params in template["statements"]:
        if statement == "COMMIT":
            conn.execute("COMMIT")
            continue
        values = []
        for value in params:
            if value == template["hlc"]:
                value = hlc
            elif isinstance(value, str):
                value = mapping_re.sub(lambda m: mapping.get(m.group(0), m.group(0)), value)
            values.append(value)
        conn.execute(statement, values).fetchall()
    print(new, flush=True)  # acknowledged: COMMIT returned
    parent = new
"""


def cut_power(database: Path) -> None:
    """Keep only what was synced: each file becomes its last synced copy, or disappears."""
    for suffix in ("", "-wal", "-journal"):
        path = Path(f"{database}{suffix}")
        durable = Path(f"{path}.durable")
        if durable.exists():
            os.replace(durable, path)
        elif path.exists():
            path.unlink()
    Path(f"{database}-shm").unlink(missing_ok=True)
    for stray in database.parent.glob("*.durable.tmp"):
        stray.unlink()


def run_power_cuts(tmp_path: Path, synchronous: str, cuts: int, seed: int) -> tuple[int, int]:
    """Returns (acknowledged saves, acknowledged saves lost)."""
    database, template = record_a_real_save(tmp_path / synchronous)
    template_file = tmp_path / f"template-{synchronous}.json"
    template_file.write_text(json.dumps(template.__dict__), encoding="utf-8")
    script = tmp_path / "replayer.py"
    script.write_text(REPLAYER, encoding="utf-8")
    rng = random.Random(seed)
    total = lost = 0
    for _cut in range(cuts):
        shutil.copyfile(database, f"{database}.durable")  # closed cleanly: all of it is durable
        child = subprocess.Popen(
            [sys.executable, str(script), str(database), str(template_file), synchronous],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready", child.stderr.read()  # type: ignore[union-attr]
        time.sleep(rng.uniform(0.02, 0.12))
        child.send_signal(signal.SIGKILL)
        out, _err = child.communicate()
        acknowledged = [line for line in out.split("\n")[:-1] if line]
        cut_power(database)
        with sqlite3.connect(database) as conn:  # power back on: the default VFS recovers
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            present = {r[0] for r in conn.execute("SELECT id FROM revision")}
            heads = conn.execute(
                "SELECT count(*) FROM answer_head WHERE indicator_id = 'PATH-04'"
            ).fetchone()[0]
        assert heads == 1
        total += len(acknowledged)
        lost += sum(1 for rid in acknowledged if rid not in present)
    return total, lost


@pytest.mark.slow
def test_power_cut_loses_no_acknowledged_save_with_full(tmp_path: Path) -> None:
    total, lost = run_power_cuts(tmp_path, "FULL", cuts=25, seed=2)
    assert total > 50
    assert lost == 0


@pytest.mark.slow
def test_power_cut_control_with_normal_loses_saves_but_not_consistency(tmp_path: Path) -> None:
    total, lost = run_power_cuts(tmp_path, "NORMAL", cuts=8, seed=3)
    assert total > 20
    assert lost > 0, "synchronous=NORMAL should lose unsynced commits (why the product uses FULL)"


# ---------------------------------------------------------------------------------------------
# Tests 3 and 4: disk full and I/O errors at the k-th file operation of one save


class Faults:
    """Which file operation fails: the k-th counted call, once or from then on."""

    counted = ("xRead", "xWrite", "xSync", "xTruncate")

    def __init__(self) -> None:
        self.calls = 0
        self.fail_at = 0  # 0: never
        self.persistent = False
        self.only: tuple[str, ...] = self.counted
        self.error: type[Exception] = apsw.IOError
        self.fired = 0
        self.armed = False  # counting starts at the first statement of the save

    def check(self, operation: str) -> None:
        if not self.armed or operation not in self.only or self.fail_at == 0:
            return
        self.calls += 1
        if self.calls == self.fail_at or (self.persistent and self.calls > self.fail_at):
            self.fired += 1
            raise self.error(f"injected fault at {operation} #{self.calls}")


FAULTS = Faults()


class FaultFile(apsw.VFSFile):
    def xRead(self, amount: int, offset: int) -> bytes:
        FAULTS.check("xRead")
        return super().xRead(amount, offset)

    def xWrite(self, data: bytes, offset: int) -> None:
        FAULTS.check("xWrite")
        super().xWrite(data, offset)

    def xSync(self, flags: int) -> None:
        FAULTS.check("xSync")
        super().xSync(flags)

    def xTruncate(self, size: int) -> None:
        FAULTS.check("xTruncate")
        super().xTruncate(size)


class FaultVFS(apsw.VFS):
    def __init__(self) -> None:
        super().__init__("faulty", "")

    def xOpen(self, name: Any, flags: Any) -> FaultFile:
        return FaultFile("", name, flags)


@pytest.fixture(scope="module")
def fault_vfs():  # type: ignore[no-untyped-def]
    vfs = FaultVFS()
    yield vfs
    vfs.unregister()


def replay_once(database: Path, template: SaveTemplate, new_revision: str) -> None:
    FAULTS.armed, FAULTS.calls = False, 0
    conn = apsw.Connection(str(database), vfs="faulty")
    try:
        for pragma in (
            "busy_timeout = 1000",
            "journal_mode = WAL",
            "synchronous = FULL",
            "foreign_keys = ON",
        ):
            conn.execute(f"PRAGMA {pragma}").fetchall()
        FAULTS.armed = True  # count from the first statement of the save
        try:
            for statement, params in template.statements:
                if statement == "COMMIT":
                    conn.execute("COMMIT")
                    continue
                values = template.replay_params(
                    params,
                    new_revision,
                    template.revision_id,
                    "op-" + new_revision,
                    "9999999999999-00000-replay",
                )
                conn.execute(statement, values).fetchall()
        except BaseException:
            # What the product's engine does: roll back (which may itself fail on a bad disk).
            try:
                if not conn.get_autocommit():
                    conn.execute("ROLLBACK")
            except apsw.Error:
                pass
            raise
    finally:
        FAULTS.armed = False
        try:
            conn.close()
        except apsw.Error:
            pass


@pytest.mark.parametrize(
    ("only", "error", "persistent"),
    [
        (("xWrite",), "FullError", True),  # disk full: every write from the k-th on fails
        (("xWrite",), "FullError", False),  # a write fails once (space freed meanwhile)
        (Faults.counted, "IOError", False),  # transient I/O error anywhere
        (Faults.counted, "IOError", True),  # the disk goes away
    ],
    ids=["disk-full", "write-fails-once", "io-error-once", "io-error-persistent"],
)
def test_fault_at_every_step_of_a_save_is_all_or_nothing(
    tmp_path: Path, fault_vfs: Any, only: tuple[str, ...], error: str, persistent: bool
) -> None:
    base, template = record_a_real_save(tmp_path / "base")
    earlier = check_saves(base, [template.revision_id], head=template.revision_id)
    # Count the file operations of one clean save.
    probe = tmp_path / "probe.sqlite3"
    shutil.copyfile(base, probe)
    FAULTS.only, FAULTS.persistent, FAULTS.error = only, persistent, getattr(apsw, error)
    FAULTS.fail_at, FAULTS.fired = 10**9, 0
    replay_once(probe, template, "00000000-0000-4000-8000-000000000000")
    operations = FAULTS.calls
    assert operations > 3
    reported = 0
    for k in range(1, operations + 2):
        database = tmp_path / f"k{k}.sqlite3"
        shutil.copyfile(base, database)
        new = f"00000000-0000-4000-8000-{k:012d}"
        FAULTS.fail_at, FAULTS.fired = k, 0
        FAULTS.only, FAULTS.persistent, FAULTS.error = only, persistent, getattr(apsw, error)
        try:
            replay_once(database, template, new)
            failed = False
        except apsw.Error:
            failed = True
        if FAULTS.fired and not failed:
            # SQLite may retry a failed read; a failed write or sync must surface.
            assert only == Faults.counted, f"k={k}: a failed write was swallowed"
        reported += failed
        present = check_saves(database, [], head=new if not failed else None)
        assert earlier <= present, f"k={k}: earlier answers lost"
        if failed:
            assert new not in present, f"k={k}: the save failed but was (partly) written"
            assert check_saves(database, [], head=template.revision_id)
        else:
            assert new in present
        for side in tmp_path.glob(f"k{k}.sqlite3*"):
            side.unlink(missing_ok=True)
    assert reported >= operations // 2
    # After the last operation nothing fails: the save goes through.
    assert not failed
