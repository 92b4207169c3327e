"""packaging/checksums.py: the SHA256SUMS every build writes, read back by the usual tools."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import tempfile
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]


def load() -> ModuleType:
    # by path: `packaging` is also the name of a PyPI library
    spec = importlib.util.spec_from_file_location("checksums", ROOT / "packaging" / "checksums.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


checksums = load()
names = st.sampled_from(
    ["Readiness-0.1.0-setup.exe", "Readiness-0.1.0-linux-x86_64.tar.gz",
     "readiness-0.1.0-py3-none-any.whl", "Readiness-0.1.0-macos-arm64.dmg", "Léeme 1.zip"]
)  # fmt: skip


@settings(max_examples=40, deadline=None)
@given(
    files=st.dictionaries(names, st.binary(max_size=3000), min_size=1),
    tamper=st.data(),
)
def test_written_sums_check_and_any_changed_byte_is_caught(
    files: dict[str, bytes], tamper: st.DataObject
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, content in files.items():
            (folder / name).write_bytes(content)
        (folder / "notes.txt").write_text("not a release file")
        target = checksums.write(folder)
        listed = [line.split("  ", 1)[1] for line in target.read_text().splitlines()]
        assert listed == sorted(files)  # every artefact, nothing else, in a stable order
        assert checksums.check(folder) == []
        if shutil.which("sha256sum"):
            done = subprocess.run(["sha256sum", "--check", "--quiet", "SHA256SUMS"], cwd=folder)
            assert done.returncode == 0

        name = tamper.draw(st.sampled_from(sorted(files)))
        content = bytearray(files[name]) or bytearray(b"\0")
        index = tamper.draw(st.integers(0, len(content) - 1))
        content[index] ^= 0x01
        (folder / name).write_bytes(bytes(content) if files[name] else b"\0")
        assert checksums.check(folder) == [f"{name}: checksum does not match: do not use this file"]


def test_a_folder_without_release_files_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "readme.txt").write_text("x")
    with pytest.raises(SystemExit):
        checksums.write(tmp_path)
    assert not (tmp_path / "SHA256SUMS").exists()


def test_missing_and_malformed_lines_are_named(tmp_path: Path) -> None:
    (tmp_path / "a.whl").write_bytes(b"a")
    checksums.write(tmp_path)
    (tmp_path / "a.whl").unlink()
    with (tmp_path / "SHA256SUMS").open("a") as handle:
        handle.write("nonsense\n")
    assert checksums.check(tmp_path) == [
        "a.whl: listed but missing",
        "SHA256SUMS:2: not a '<sha256>  <file name>' line",
    ]
