"""Files another program holds: Windows refuses to replace a file that is open (a PDF in a
viewer, an XLSX in Excel), and another program can hold the database's write lock. Each case is
a message the person can act on, with nothing half-written left behind.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from app.cli import main
from app.common import fileio
from app.common.errors import UserError

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_FORM = ROOT / "tests" / "data" / "sample-form.yaml"


def test_replacing_a_file_open_in_another_program_keeps_the_old_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    report = tmp_path / "Informe São Paulo.pdf"
    report.write_bytes(b"%PDF- the copy the viewer has open")

    def sharing_violation(_src: object, _dst: object) -> None:
        # What os.replace raises on Windows while a viewer holds the target open.
        raise PermissionError(13, "The process cannot access the file")

    monkeypatch.setattr(fileio.os, "replace", sharing_violation)
    with pytest.raises(UserError) as caught:
        with fileio.atomic_write(report) as handle:
            handle.write(b"%PDF- the new report")
    assert str(report) in str(caught.value)
    assert report.read_bytes() == b"%PDF- the copy the viewer has open"
    assert sorted(p.name for p in tmp_path.iterdir()) == [report.name]  # no temporary left


def test_a_folder_that_cannot_be_synced_does_not_fail_the_write(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Windows (and some network drives) cannot open a folder to flush it; the file still lands."""
    real_open = os.open

    def no_folder_handles(path: object, flags: int, *args: object) -> int:
        if Path(str(path)).is_dir():
            raise PermissionError(13, "Access is denied")
        return real_open(path, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(fileio.os, "open", no_folder_handles)
    target = tmp_path / "export.xlsx"
    fileio.write_atomically(target, lambda handle: handle.write(b"PK\x03\x04"))
    assert target.read_bytes() == b"PK\x03\x04"


def test_a_protected_folder_is_a_message(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Saving a report into a folder the user may not write (C:\\Program Files, a CD)."""

    def access_denied(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(13, "Access is denied")

    monkeypatch.setattr(fileio.tempfile, "mkstemp", access_denied)
    target = tmp_path / "report.pdf"
    with pytest.raises(UserError) as caught:
        fileio.write_atomically(target, lambda handle: handle.write(b"%PDF-"))
    assert str(caught.value) == fileio.cannot_write(target, tmp_path, PermissionError(13, "x"))
    assert not target.exists()


@pytest.mark.parametrize("platform", ["win32", "darwin", "linux"])
def test_access_denied_says_what_to_do(platform: str, tmp_path: Path) -> None:
    """Windows' Controlled Folder Access refuses Documents with "Access is denied": the message
    names the folder and a way out, on every system."""
    target = tmp_path / "Documents" / "report.pdf"
    denied = fileio.cannot_write(
        target, target.parent, PermissionError(13, "Access is denied"), platform
    )
    assert str(target.parent) in denied and str(target) in denied
    if platform == "win32":
        assert "Controlled Folder Access" in denied and "another folder" in denied
    else:
        assert "Controlled Folder Access" not in denied and "a folder you may write to" in denied
    full = fileio.cannot_write(
        target, target.parent, OSError(28, "No space left on device"), platform
    )
    assert "No space left on device" in full and "Controlled Folder Access" not in full


def test_a_database_locked_by_another_program_is_a_message_and_nothing_is_lost(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from app.storage import engine

    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 300)  # instead of waiting 10 s here
    data = str(tmp_path / "data")
    assert (
        main(
            [
                "--data-dir",
                data,
                "assess",
                "new",
                "--city",
                "Cusco",
                "--country",
                "Peru",
                "--period",
                "2026",
                "--form",
                str(SAMPLE_FORM),
                "--contributor",
                "Ana",
                "--role",
                "Lab",
            ]
        )
        == 0
    )
    assessment = capsys.readouterr().out.strip().splitlines()[-1]

    other = sqlite3.connect(Path(data) / "readiness.sqlite3", isolation_level=None, timeout=0)
    other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        status = main(["--data-dir", data, "assess", "answer", assessment, "PATH-04", "yes"])
        error = capsys.readouterr().err
        assert status == 1
        assert "busy in another program" in error
        assert "Traceback" not in error
    finally:
        other.execute("ROLLBACK")
        other.close()

    assert main(["--data-dir", data, "assess", "answer", assessment, "PATH-04", "yes"]) == 0
    capsys.readouterr()
    assert main(["--data-dir", data, "assess", "show", assessment, "--json"]) == 0
    import json

    shown = json.loads(capsys.readouterr().out)
    assert shown["answers"]["PATH-04"]["value"] == "yes"
