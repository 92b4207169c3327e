"""Hostile import bundles: RELIABILITY.md test 24.

Every hostile, damaged or foreign bundle is imported through the real service in a child process
whose address space is capped (RLIMIT_AS) and whose run time is bounded. Expect: each is refused
with a message, the files under the data folder are unchanged (snapshot diff), and the database's
content checksums are unchanged.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from app.services import sync
from app.services.sync import CITY_ID, HUB_DEVICE, HUB_URL
from app.storage import catalog
from app.storage.migrate import data_checksums
from tests.sync_support import ROOT, hostile_bundles, laptop, new_assessment

MEMORY_CAP = 1536 * 1024 * 1024
TIME_LIMIT = 120

CHILD = r"""
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (CAP, CAP))
from app.common.errors import UserError
from app.services import sync
from app.services.workspace import Workspace
ws = Workspace.open(sys.argv[1], daily_backup=False)
results = {}
for path in sys.argv[2:]:
    try:
        sync.import_bundle(ws, path)
        results[path] = "accepted"
    except UserError as exc:
        results[path] = "refused: " + str(exc)
    except MemoryError:
        results[path] = "memory"
ws.close()
print(json.dumps(results))
""".replace("CAP", str(MEMORY_CAP))


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under `folder` with its content hash (SQLite's -wal/-shm side files aside)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.name.endswith(("-wal", "-shm")):
            found[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
        elif path.is_symlink():
            found[str(path.relative_to(folder))] = "symlink"
    return found


def enroll_without_hub(ws: object, city: str) -> None:
    with ws.write() as conn:  # type: ignore[attr-defined]
        for key, value in (
            (HUB_URL, "https://hub.example.org"),
            (CITY_ID, city),
            (HUB_DEVICE, "d1"),
        ):
            catalog.set_setting(conn, key, value)


def relocated(valid: bytes, city_key: str) -> bytes:
    """A self-consistent bundle whose assessment claims another city."""
    with zipfile.ZipFile(io.BytesIO(valid)) as zf:
        contents = {info.filename: zf.read(info) for info in zf.infolist()}
    records = json.loads(contents["records.json"])
    for record in records:
        if record["kind"] == "assessment":
            record["body"]["city_key"] = city_key
    contents["records.json"] = json.dumps(records).encode()
    manifest = json.loads(contents["manifest.json"])
    manifest["city"]["city_key"] = city_key
    data = contents["records.json"]
    manifest["entries"]["records.json"] = {
        "sha256": hashlib.sha256(data).hexdigest(),
        "size": len(data),
    }
    contents["manifest.json"] = json.dumps(manifest).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, content in contents.items():
            zf.writestr(name, content)
    return out.getvalue()


@pytest.mark.slow
def test_hostile_bundles_are_refused_before_anything_is_written(tmp_path: Path) -> None:
    source = laptop(tmp_path / "source")
    target_dir = tmp_path / "data" / "target"
    target = laptop(target_dir)
    try:
        enroll_without_hub(source, "city-of-the-source")
        enroll_without_hub(target, "city-of-the-target")
        foreign = new_assessment(source)
        mine = new_assessment(target)
        sync.export_bundle(source, foreign, tmp_path / "foreign.readiness")
        sync.export_bundle(target, mine, tmp_path / "mine.readiness")
    finally:
        source.close()
        target.close()
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    cases = hostile_bundles((tmp_path / "mine.readiness").read_bytes())
    cases["another hub city"] = (tmp_path / "foreign.readiness").read_bytes()
    cases["assessment of another city"] = relocated(
        (tmp_path / "mine.readiness").read_bytes(), "peru/cusco"
    )
    paths = []
    for n, (_name, data) in enumerate(sorted(cases.items())):
        path = incoming / f"{n:02d}.readiness"
        path.write_bytes(data)
        paths.append(str(path))
    names = dict(zip(paths, sorted(cases), strict=True))

    before_files = snapshot(tmp_path / "data")
    import sqlite3

    with sqlite3.connect(target_dir / "readiness.sqlite3") as conn:
        before_db = data_checksums(conn)
    started = time.monotonic()
    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(target_dir), *paths],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=TIME_LIMIT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert child.returncode == 0, child.stderr[-2000:]
    assert time.monotonic() - started < TIME_LIMIT
    results = json.loads(child.stdout.strip().splitlines()[-1])
    for path, outcome in results.items():
        assert outcome.startswith("refused: ") and "nothing was imported" in outcome, (
            names[path],
            outcome,
        )
    assert (
        "another hub city" in results[[p for p, n in names.items() if n == "another hub city"][0]]
    )
    assert snapshot(tmp_path / "data") == before_files
    with sqlite3.connect(target_dir / "readiness.sqlite3") as conn:
        assert data_checksums(conn) == before_db
