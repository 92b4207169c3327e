"""RELIABILITY.md tests 7 and 8: crash mid-migration, and the upgrade matrix of golden databases.

Every released schema has a golden database under tests/data/fixtures (schema-<rev>.sqlite3 with
a manifest of row counts and checksums). Each must upgrade to the current head with every row
intact. A crash (exception or SIGKILL) after any statement of a migration must leave the file at
the old revision or the new one, never in between. A database from a newer version is refused
and left byte-for-byte unchanged.

The crash tests run a test-only batch migration ("0099test": "move and copy" rebuilds of
`revision` and `assessment`, the riskiest kind) on top of the real history, from the newest
golden database, so they exercise the runner whatever the latest real migration happens to be.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import sqlite3
from pathlib import Path

import pytest

from app.common.errors import StorageError
from app.storage import migrate
from app.storage.database import Database, prepare
from app.storage.migrate import content_digest, read_revision, table_columns

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "fixtures"
GOLDEN = sorted(FIXTURES.glob("schema-*.sqlite3"))

TEST_REVISION = "0099test"
TEST_MIGRATION = '''
"""Test-only: rebuild two tables the way a real batch migration would."""
import sqlalchemy as sa
from alembic import op

from app.storage.guards import install_guards

revision = "0099test"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("revision", recreate="always") as batch:
        batch.add_column(sa.Column("review_flag", sa.Text(), nullable=True))
    with op.batch_alter_table("assessment", recreate="always") as batch:
        batch.add_column(sa.Column("region", sa.Text(), server_default="", nullable=False))
        batch.create_index("ix_assessment_region", ["region"])
    install_guards(op.execute)


def downgrade():
    pass
'''


def manifest(fixture: Path) -> dict:  # type: ignore[type-arg]
    return json.loads(fixture.with_suffix(".json").read_text(encoding="utf-8"))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def with_test_migration(tmp_path: Path) -> Path:
    location = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, location, ignore=shutil.ignore_patterns("__pycache__"))
    migration = TEST_MIGRATION.replace("{head}", migrate.schema_head())
    (location / "versions" / "0099_test_batch.py").write_text(migration, encoding="utf-8")
    return location


def copy_fixture(fixture: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "readiness.sqlite3"
    shutil.copyfile(fixture, target)
    return target


def digests_over(path: Path, reference: Path) -> dict[str, str]:
    """Checksums of `path` over the tables and columns that `reference` has."""
    with sqlite3.connect(reference) as ref, sqlite3.connect(path) as conn:
        result = {}
        for table in migrate.user_tables(ref):
            result[table] = content_digest(conn, table, table_columns(ref, table))
    return result


def assert_sound(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        leftovers = conn.execute(
            "SELECT name FROM sqlite_master WHERE name LIKE '_alembic_tmp%'"
        ).fetchall()
        assert leftovers == []


# ---------------------------------------------------------------------------------------------
# Test 8: the upgrade matrix


def test_there_is_a_golden_database_for_every_released_schema() -> None:
    """A schema is released once a newer migration exists: its golden database must be here
    (write it with a make_schema_<rev>.py script before adding the next migration)."""
    assert GOLDEN, "no golden databases in tests/data/fixtures"
    schemas = {manifest(f)["schema"] for f in GOLDEN}
    released = migrate.known_revisions() - {migrate.schema_head()}
    assert released <= schemas, f"add golden databases for {sorted(released - schemas)}"
    assert schemas <= migrate.known_revisions()


@pytest.mark.parametrize("fixture", GOLDEN, ids=lambda p: p.stem)
def test_golden_database_is_intact_and_upgrades_with_data(fixture: Path, tmp_path: Path) -> None:
    from app.services.assessments import load_snapshot
    from app.services.workspace import Workspace

    expected = manifest(fixture)
    with sqlite3.connect(fixture) as conn:  # the committed file itself is what the manifest says
        assert migrate.data_checksums(conn) == expected["checksums"]
    path = copy_fixture(fixture, tmp_path / "data")
    with Workspace.open(tmp_path / "data", daily_backup=False) as ws:
        assert digests_over(path, fixture) == expected["checksums"]
        snapshot = load_snapshot(ws, expected["assessment_id"])
    assert_sound(path)
    with sqlite3.connect(path) as conn:
        assert read_revision(conn) == migrate.schema_head()
        for table, count in expected["counts"].items():
            assert conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] == count
    answers = snapshot.answers
    assert answers["PATH-04"].answer.value == "partial" and not answers["PATH-04"].derived
    assert answers["QA-02"].conflict
    assert answers["QA-03"].answer.state.value == "unanswered"
    assert len(answers["PATH-05"].answer.note) == 40_000
    assert snapshot.header.city == "Тбилиси" and snapshot.header.country == "საქართველო"


@pytest.mark.parametrize("fixture", GOLDEN, ids=lambda p: p.stem)
def test_golden_database_survives_a_batch_migration(
    fixture: Path, tmp_path: Path, with_test_migration: Path
) -> None:
    path = copy_fixture(fixture, tmp_path / "data")
    backups = tmp_path / "data" / "backups"
    assert prepare(path, backups, script_location=with_test_migration) == TEST_REVISION
    assert digests_over(path, fixture) == manifest(fixture)["checksums"]
    assert_sound(path)
    with sqlite3.connect(path) as conn:
        columns = table_columns(conn, "revision")
        assert "review_flag" in columns
        triggers = {
            r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'")
        }
        assert "trg_revision_no_update" in triggers
    # The pre-migration backup is the untouched old database.
    [saved] = [p for p in backups.iterdir() if "pre-migration" in p.name]
    assert digests_over(saved, fixture) == manifest(fixture)["checksums"]
    with sqlite3.connect(saved) as conn:
        assert read_revision(conn) == manifest(fixture)["schema"]


def test_newer_database_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = copy_fixture(GOLDEN[-1], tmp_path / "data")
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffff_from_the_future'")
    before = sha256(path)
    with pytest.raises(StorageError, match="newer version of Readiness"):
        Database.open(path, tmp_path / "data" / "backups")
    assert sha256(path) == before
    assert not (tmp_path / "data" / "backups").exists() or not any(
        (tmp_path / "data" / "backups").iterdir()
    )
    from app.cli import main

    assert main(["--data-dir", str(tmp_path / "data"), "assess", "list"]) == 1
    assert sha256(path) == before


# ---------------------------------------------------------------------------------------------
# Test 7: crash at every step of a migration


class Stop(Exception):
    pass


WRITES = ("CREATE", "INSERT", "DROP", "ALTER", "UPDATE", "DELETE", "COMMIT")


def crash_points(fixture: Path, folder: Path, location: Path) -> tuple[int, list[int]]:
    """(number of statements, the 1-based statements to stop before): every statement that
    changes the file, the COMMIT, and the first and the last of the reads."""
    path = copy_fixture(fixture, folder)
    seen: list[str] = []
    migrate.upgrade(path, script_location=location, on_statement=seen.append)
    points = {1, len(seen)}
    points |= {n for n, s in enumerate(seen, 1) if s.lstrip().upper().startswith(WRITES)}
    return len(seen), sorted(points)


def test_exception_after_any_statement_leaves_the_old_schema(
    tmp_path: Path, with_test_migration: Path
) -> None:
    fixture = GOLDEN[-1]
    total, points = crash_points(fixture, tmp_path / "count", with_test_migration)
    assert total > 10 and len(points) > 10
    for k in points:
        path = copy_fixture(fixture, tmp_path / f"k{k}")
        calls = 0

        def fail_at(_statement: str, k: int = k) -> None:
            nonlocal calls
            calls += 1
            if calls == k:
                raise Stop(k)

        with pytest.raises(Stop):
            migrate.upgrade(path, script_location=with_test_migration, on_statement=fail_at)
        with sqlite3.connect(path) as conn:
            assert read_revision(conn) == manifest(fixture)["schema"], f"statement {k}"
            assert "review_flag" not in table_columns(conn, "revision")
        assert digests_over(path, fixture) == manifest(fixture)["checksums"], f"statement {k}"
        assert_sound(path)
        shutil.rmtree(tmp_path / f"k{k}")


@pytest.mark.slow
def test_sigkill_after_any_statement_leaves_old_or_new_schema(
    tmp_path: Path, with_test_migration: Path
) -> None:
    fixture = GOLDEN[-1]
    total, points = crash_points(fixture, tmp_path / "count", with_test_migration)
    outcomes = set()
    for k in [*points, total + 1]:
        folder = tmp_path / f"k{k}"
        path = copy_fixture(fixture, folder)
        pid = os.fork()
        if pid == 0:  # child: migrate and die at statement k (no cleanup of any kind)
            calls = 0

            def die_at(_statement: str, k: int = k) -> None:
                nonlocal calls
                calls += 1
                if calls == k:
                    os.kill(os.getpid(), signal.SIGKILL)

            try:
                migrate.upgrade(path, script_location=with_test_migration, on_statement=die_at)
            finally:
                os._exit(0)
        _pid, status = os.waitpid(pid, 0)
        killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        assert killed == (k <= total)
        # Restart: the product opens it (recovering the WAL) and finishes or redoes the migration.
        with sqlite3.connect(path) as conn:
            revision = read_revision(conn)
        assert revision in {manifest(fixture)["schema"], TEST_REVISION}, f"statement {k}"
        outcomes.add(revision)
        assert digests_over(path, fixture) == manifest(fixture)["checksums"], f"statement {k}"
        assert_sound(path)
        if k % 3 == 0 or k > total - 2:  # restart and finish the migration (a sample: it is slow)
            assert (
                prepare(path, folder / "backups", script_location=with_test_migration)
                == TEST_REVISION
            )
            assert digests_over(path, fixture) == manifest(fixture)["checksums"]
        shutil.rmtree(folder)
    assert outcomes == {manifest(fixture)["schema"], TEST_REVISION}


def test_exception_during_the_first_migration_leaves_no_half_schema(tmp_path: Path) -> None:
    seen: list[str] = []
    migrate.upgrade(tmp_path / "count.sqlite3", on_statement=seen.append)
    for k in range(1, len(seen) + 1, 3):
        path = tmp_path / f"new-{k}.sqlite3"
        calls = 0

        def fail_at(_statement: str, k: int = k) -> None:
            nonlocal calls
            calls += 1
            if calls == k:
                raise Stop(k)

        with pytest.raises(Stop):
            migrate.upgrade(path, on_statement=fail_at)
        with sqlite3.connect(path) as conn:
            assert conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
        assert prepare(path, tmp_path / "backups") == migrate.schema_head()
