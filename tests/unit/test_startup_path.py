"""The start-up path (docs/architecture.md, "Start-up path"): the schema check without Alembic,
the assessment list read with plain sqlite3 and listed scores, and what each of them imports.

Every case runs on a real data folder; the "imports nothing heavy" checks run in a fresh Python
process, where `sys.modules` says exactly what a start would load.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from app.common.errors import StorageError
from app.common.paths import DataPaths
from app.domain import Answer
from app.services import answers as answer_service
from app.services import assessment_list
from app.services.assessment_list import list_assessments
from app.services.assessments import (
    create_assessment,
    load_snapshot,
    progress_of,
    set_status,
)
from app.services.cache_folder import cache_dir
from app.services.workspace import Workspace
from app.storage import assessments_repo, list_reader, migrate, outbox, schema

ROOT = Path(__file__).resolve().parents[2]
FORM = ROOT / "tests" / "data" / "sample-form.yaml"
GOLDEN_0001 = ROOT / "tests" / "data" / "fixtures" / "schema-0001.sqlite3"
HEAVY = ("sqlalchemy", "alembic", "yaml", "app.forms", "reportlab", "openpyxl", "httpx")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with two assessments (answers, a status change) made once per module."""
    folder = tmp_path_factory.mktemp("template") / "data"
    with Workspace.open(folder, daily_backup=False) as ws:
        first = create_assessment(ws, "Tbilisi", "Georgia", "2026", FORM, "es", "Ana", "lab")
        second = create_assessment(ws, "Yerevan", "Armenia", "2027", FORM)
        answer_service.save_answer(ws, first, "PATH-04", Answer("partial"))
        answer_service.save_answer(ws, first, "PATH-04", Answer("yes"), contributor="Bea")
        answer_service.save_answer(ws, second, "PATH-04", Answer("no"))
        set_status(ws, second, "in_review")
    return folder


@pytest.fixture
def data(tmp_path: Path, template: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(template, folder)
    return folder


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_python(code: str) -> list[str]:
    """Run `code` in a fresh interpreter; its printed lines."""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


# ---------------------------------------------------------------------------------------------
# The schema check


def test_schema_revisions_are_alembics_own() -> None:
    """The constants the start-up check uses cannot drift from the migrations folder."""
    assert schema.HEAD == migrate.alembic_head()
    assert set(schema.REVISIONS) == migrate.alembic_revisions()
    _config, script = migrate._script()
    oldest_first = [str(rev.revision) for rev in reversed(list(script.walk_revisions()))]
    assert list(schema.REVISIONS) == oldest_first
    assert migrate.schema_head() == schema.HEAD
    assert migrate.known_revisions() == set(schema.REVISIONS)


def test_opening_an_up_to_date_database_imports_no_alembic(data: Path) -> None:
    lines = run_python(
        "import sys\n"
        "from pathlib import Path\n"
        "from app.storage.database import Database\n"
        f"db = Database.open(Path({str(data / 'readiness.sqlite3')!r}), Path({str(data)!r}))\n"
        "with db.read() as conn:\n"
        "    conn.exec_driver_sql('SELECT 1').scalar()\n"
        "db.close()\n"
        "print('alembic' in sys.modules, 'app.storage.migrate' in sys.modules)\n"
    )
    assert lines == ["False", "False"]


def test_an_older_database_is_still_backed_up_and_migrated(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copyfile(GOLDEN_0001, folder / "readiness.sqlite3")
    paths = DataPaths.resolve(folder)
    before = digest(paths.database)
    assert assessment_list.quick_list(paths) is None  # a migration is due: the full path
    assert digest(paths.database) == before  # ... and the quick look wrote nothing
    with Workspace.open(folder, daily_backup=False) as ws:
        assert "Тбилиси" in [s.city for s in list_assessments(ws)]
    with sqlite3.connect(paths.database) as conn:
        assert schema.read_revision(conn) == schema.HEAD
    assert [p for p in paths.backups.iterdir() if "pre-migration" in p.name]


def test_the_quick_list_refuses_a_newer_database_and_leaves_it_alone(data: Path) -> None:
    paths = DataPaths.resolve(data)
    with sqlite3.connect(paths.database) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffff_from_the_future'")
    before = digest(paths.database)
    with pytest.raises(StorageError, match="newer version of Readiness"):
        assessment_list.quick_list(paths)
    assert digest(paths.database) == before


def test_a_damaged_database_is_left_to_opening(data: Path) -> None:
    """The quick look only reads; opening checks the file, moves it aside and says so."""
    paths = DataPaths.resolve(data)
    paths.database.write_bytes(b"SQLite format 3\x00" + b"\x07" * 8192)
    before = digest(paths.database)
    assert assessment_list.quick_list(paths) is None
    assert digest(paths.database) == before
    with pytest.raises(StorageError, match="damaged"):
        Workspace.open(data, daily_backup=False)
    assert not paths.database.exists()
    assert [p for p in data.iterdir() if ".damaged-" in p.name]


def test_a_database_damaged_past_its_header_is_left_to_opening(data: Path) -> None:
    paths = DataPaths.resolve(data)
    with open(paths.database, "r+b") as handle:  # keep the header, ruin the pages after it
        handle.seek(4096)
        handle.write(b"\xff" * 8192)
    assert assessment_list.quick_list(paths) is None
    with pytest.raises(StorageError, match="damaged"):
        Workspace.open(data, daily_backup=False)


def test_no_database_yet_means_the_full_path(tmp_path: Path) -> None:
    assert assessment_list.quick_list(DataPaths.resolve(tmp_path / "new")) is None


# ---------------------------------------------------------------------------------------------
# The list


def test_plain_sql_reads_what_the_repositories_read(data: Path) -> None:
    with Workspace.open(data, daily_backup=False) as ws, ws.read() as conn:
        raw = conn.connection.dbapi_connection
        listed = list_reader.list_assessments(raw)
        records = assessments_repo.list_assessments(conn)
        assert [item.id for item in listed] == [r.id for r in records]
        for item, record in zip(listed, records, strict=True):
            for name in (f.name for f in dataclasses.fields(item)):
                assert getattr(item, name) == getattr(record, name), name
        assert list_reader.pending_by_assessment(raw) == outbox.pending_by_assessment(conn)
        assert list_reader.pending_by_assessment(raw)  # there is something to compare


def test_the_quick_list_is_the_full_list(data: Path) -> None:
    paths = DataPaths.resolve(data)
    with Workspace.open(data, daily_backup=False) as ws:
        full = list_assessments(ws)  # scores and fills the cache
    quick = assessment_list.quick_list(paths)
    assert quick == full
    assert all(item.scored for item in quick)
    assert {item.status for item in quick} == {"draft", "in_review"}
    assert any(item.progress > 0 for item in quick)
    assert all(item.levels for item in quick)


def test_listed_scores_follow_every_answer_change(data: Path) -> None:
    paths = DataPaths.resolve(data)
    with Workspace.open(data, daily_backup=False) as ws:
        before = {s.id: s for s in list_assessments(ws)}
        changed = next(s.id for s in before.values() if s.city == "Yerevan")
        answer_service.save_answer(ws, changed, "PATH-04", Answer("yes"))
        answer_service.save_answer(ws, changed, "PATH-01", Answer(3))
    quick = {s.id: s for s in assessment_list.quick_list(paths) or []}
    # Another program changed the answers: its last listed score, marked as not current.
    assert not quick[changed].scored
    assert (quick[changed].progress, quick[changed].levels) == (
        before[changed].progress,
        before[changed].levels,
    )
    assert all(s.scored for key, s in quick.items() if key != changed)
    with Workspace.open(data, daily_backup=False) as ws:
        after = {s.id: s for s in list_assessments(ws)}
        exact = load_snapshot(ws, changed).score
    assert (after[changed].progress, after[changed].levels) != (
        before[changed].progress,
        before[changed].levels,
    )
    assert after[changed].progress == progress_of(exact)
    assert after[changed].levels == {d: r.level for d, r in exact.domains.items()}
    again = {s.id: s for s in assessment_list.quick_list(paths) or []}
    assert again == after


def test_a_scores_file_from_elsewhere_is_never_trusted(data: Path) -> None:
    paths = DataPaths.resolve(data)
    with Workspace.open(data, daily_backup=False) as ws:
        full = list_assessments(ws)
    scores = cache_dir(paths) / assessment_list.SCORES_FILE
    document = json.loads(scores.read_text(encoding="utf-8"))
    scores.write_text(json.dumps({**document, "version": "0.0.1-other"}), encoding="utf-8")
    assert not any(item.scored for item in assessment_list.quick_list(paths) or [])
    scores.write_bytes(b"\x00{not json")
    listed = assessment_list.quick_list(paths) or []
    assert [item.id for item in listed] == [item.id for item in full]
    assert not any(item.scored for item in listed)
    with Workspace.open(data, daily_backup=False) as ws:
        assert list_assessments(ws) == full  # rebuilt from the database
    assert assessment_list.quick_list(paths) == full


def test_the_quick_list_loads_no_database_stack(data: Path) -> None:
    with Workspace.open(data, daily_backup=False) as ws:
        list_assessments(ws)
    lines = run_python(
        "import sys\n"
        "from app.common.paths import DataPaths\n"
        "from app.services.assessment_list import quick_list\n"
        f"rows = quick_list(DataPaths.resolve({str(data)!r}))\n"
        "print(len(rows), all(r.scored for r in rows))\n"
        f"print(*[m for m in {HEAVY!r} if m in sys.modules] or ['none'])\n"
    )
    assert lines == ["2", "True", "none"]
