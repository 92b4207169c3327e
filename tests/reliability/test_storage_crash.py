"""RELIABILITY.md test 1 (kill -9 during saves) and test 3 on the real path (disk full).

Both run the product's own save path (`app.services.answers.save_answer`, SQLAlchemy, pysqlite) in
a child process that acknowledges each revision id only after the call returned, i.e. after
COMMIT. The kill test forks children from the test process (modules already imported, no database
connection open at the fork) so 40 kills take seconds; the disk-full test starts a fresh
interpreter so the file-size cap applies to nothing else.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.services.assessments import create_assessment
from app.services.workspace import Workspace

ROOT = Path(__file__).resolve().parents[2]
FORM = ROOT / "tests" / "data" / "sample-form.yaml"

SAVER = r"""
import random, sys
from app.domain import Answer, AnswerState
from app.services.answers import save_answer
from app.services.workspace import Workspace

data_dir, aid, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
note_size = int(sys.argv[4]) if len(sys.argv) > 4 else 20
rng = random.Random(seed)
ws = Workspace.open(data_dir, daily_backup=False)
if len(sys.argv) > 5:  # the disk-full variant: cap the size of every file this process writes
    import resource, signal
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the cap fails with EFBIG
    limit = int(sys.argv[5])
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
choices = [
    ("PATH-04", lambda: Answer(value=rng.choice(["yes", "partial", "no"]))),
    ("BIO-01", lambda: Answer(value=tuple(rng.sample(["er_pr_her2", "egfr", "alk", "msi"], 2)))),
    ("PATH-05", lambda: Answer(value=round(rng.uniform(0, 60), 1))),
    ("QA-01", lambda: Answer(state=AnswerState.DONT_KNOW)),
]
print("ready", flush=True)
try:
    while True:
        indicator, make = rng.choice(choices)
        answer = make()
        answer = Answer(answer.value, answer.state, note="n" * note_size)
        revision = save_answer(ws, aid, indicator, answer, contributor=rng.choice(["Ana", "Bob"]))
        print(revision.id, flush=True)
except Exception as exc:
    print(f"ERROR {type(exc).__name__}: {exc}", flush=True)
    sys.exit(0)
"""


def _prepare(tmp_path: Path) -> tuple[Path, str, Path]:
    data = tmp_path / "data"
    with Workspace.open(data, daily_backup=False) as ws:
        aid = create_assessment(ws, "Tbilisi", "Georgia", "2026", FORM)
    script = tmp_path / "saver.py"
    script.write_text(SAVER, encoding="utf-8")
    return data, aid, script


def _child(script: Path, *args: object) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen(
        [sys.executable, str(script), *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )


def _acks(output: str) -> list[str]:
    # Only complete lines count: a line cut by the kill was never acknowledged.
    lines = output.split("\n")[:-1]
    return [line for line in lines if line and line != "ready" and not line.startswith("ERROR")]


def check_database(path: Path, acknowledged: list[str]) -> None:
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        stored = {r[0] for r in conn.execute("SELECT id FROM revision")}
        missing = [rid for rid in acknowledged if rid not in stored]
        assert not missing, f"{len(missing)} acknowledged answers lost"
        # One transaction: never an answer without its outbox row, nor the other way round.
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
        # Each answer key has exactly one head, and it is the revision nobody replaced.
        keys = conn.execute(
            "SELECT assessment_id, indicator_id, subject, count(*) FROM answer_head "
            "GROUP BY 1, 2, 3"
        ).fetchall()
        assert keys and all(row[3] == 1 for row in keys)
        for assessment_id, indicator_id, subject, _n in keys:
            chain = conn.execute(
                "SELECT id, parents_json FROM revision WHERE assessment_id = ? AND "
                "indicator_id = ? AND subject = ?",
                (assessment_id, indicator_id, subject),
            ).fetchall()
            replaced = {p for _id, parents in chain for p in __import__("json").loads(parents)}
            unreplaced = [rid for rid, _p in chain if rid not in replaced]
            head = conn.execute(
                "SELECT revision_id FROM answer_head WHERE assessment_id = ? AND "
                "indicator_id = ? AND subject = ?",
                (assessment_id, indicator_id, subject),
            ).fetchone()[0]
            assert unreplaced == [head]


def _saver_child(data: Path, aid: str, seed: int, ack_fd: int) -> None:
    """In a forked child: open the workspace and save forever, acknowledging after each return."""
    from app.domain import Answer, AnswerState
    from app.services.answers import save_answer

    rng = random.Random(seed)
    ws = Workspace.open(data, daily_backup=False)
    os.write(ack_fd, b"ready\n")
    while True:
        indicator = rng.choice(["PATH-04", "BIO-01", "PATH-05", "QA-01"])
        if indicator == "PATH-04":
            answer = Answer(value=rng.choice(["yes", "partial", "no"]))
        elif indicator == "BIO-01":
            answer = Answer(value=tuple(rng.sample(["er_pr_her2", "egfr", "alk", "msi"], 2)))
        elif indicator == "PATH-05":
            answer = Answer(value=round(rng.uniform(0, 60), 1), note="x" * rng.randrange(2000))
        else:
            answer = Answer(state=AnswerState.DONT_KNOW)
        revision = save_answer(ws, aid, indicator, answer, contributor=rng.choice(["Ana", "Bob"]))
        os.write(ack_fd, revision.id.encode() + b"\n")


@pytest.mark.slow
def test_kill_9_during_saves_loses_no_acknowledged_answer(tmp_path: Path) -> None:
    from app.services import answers as _preload  # noqa: F401  (imported once, before forking)

    data, aid, _script = _prepare(tmp_path)
    with Workspace.open(data, daily_backup=False) as ws:  # parse the questionnaire once, too
        from app.services.assessments import load_questionnaire_for

        load_questionnaire_for(ws, aid)
    rng = random.Random(20261122)
    acknowledged: list[str] = []
    for round_ in range(40):
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child never returns into pytest
            os.close(read_end)
            try:
                _saver_child(data, aid, round_, write_end)
            finally:
                os._exit(1)
        os.close(write_end)
        with os.fdopen(read_end, "rb") as pipe:
            assert pipe.readline() == b"ready\n"
            time.sleep(rng.uniform(0.02, 0.25))
            os.kill(pid, signal.SIGKILL)
            _pid, status = os.waitpid(pid, 0)
            assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
            acknowledged += _acks(pipe.read().decode())
    assert len(acknowledged) > 100, "the children hardly saved anything"
    check_database(data / "readiness.sqlite3", acknowledged)
    # The product opens the database normally afterwards.
    with Workspace.open(data, daily_backup=False) as ws:
        from app.services.assessments import load_snapshot

        assert load_snapshot(ws, aid).answers["PATH-04"].contributors


def test_disk_full_on_the_real_path(tmp_path: Path) -> None:
    data, aid, script = _prepare(tmp_path)
    database = data / "readiness.sqlite3"
    sizes = [database.stat().st_size] + [
        p.stat().st_size for p in data.glob("readiness.sqlite3-*") if p.is_file()
    ]
    limit = max(sizes) + 96 * 1024
    child = _child(script, data, aid, 1, 8000, limit)
    out, err = child.communicate(timeout=120)
    assert child.returncode == 0, err
    last = out.strip().splitlines()[-1]
    assert last.startswith("ERROR StorageError: could not save"), last
    assert "disk" in last
    acknowledged = _acks(out)
    assert acknowledged, "the cap was reached before the first save"
    check_database(database, acknowledged)
    # Once space is back, saving works again and the earlier answers are still there.
    from app.domain import Answer
    from app.services.answers import save_answer

    with Workspace.open(data, daily_backup=False) as ws:
        retry = save_answer(ws, aid, "PATH-04", Answer(value="yes"))
    check_database(database, [*acknowledged, retry.id])
