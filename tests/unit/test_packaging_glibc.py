"""packaging/glibc_check.py reads the glibc versions an ELF file needs, as readelf does."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def load() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "glibc_check", ROOT / "packaging" / "glibc_check.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


glibc_check = load()
linux_only = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="ELF files are Linux's"
)


def system_elf_files() -> list[Path]:
    """Some real programs and libraries of this machine, the interpreter's among them."""
    lib_dynload = Path(sys.base_prefix) / "lib" / f"python3.{sys.version_info[1]}" / "lib-dynload"
    candidates = [Path(sys.executable).resolve(), *sorted(lib_dynload.glob("*.so"))[:12]]
    return [p for p in candidates if p.is_file() and p.read_bytes()[:4] == b"\x7fELF"]


def readelf_needs(path: Path) -> set[str]:
    done = subprocess.run(
        ["readelf", "--version-info", "--wide", str(path)],
        capture_output=True, text=True, check=True, env={"LC_ALL": "C"},
    )  # fmt: skip
    needs = done.stdout.split("Version needs section")[-1] if "needs section" in done.stdout else ""
    return set(re.findall(r"Name: (\S+)\s+Flags", needs))


@linux_only
@pytest.mark.skipif(not shutil.which("readelf"), reason="readelf (binutils) not installed")
def test_the_versions_read_are_those_readelf_reads() -> None:
    files = system_elf_files()
    assert files
    for path in files:
        assert glibc_check.needed_versions(path) == readelf_needs(path), path


@linux_only
def test_the_limit_fails_a_bundle_that_needs_a_newer_glibc(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = tmp_path / "Readiness"
    (bundle / "_internal").mkdir(parents=True)
    program = Path(sys.executable).resolve()
    shutil.copy2(program, bundle / "_internal" / "program")
    (bundle / "_internal" / "notes.txt").write_text("not an ELF file")
    versions = [v for v in glibc_check.needed_versions(program) if v.startswith("GLIBC_")]
    newest = max(versions, key=glibc_check.version_key).removeprefix("GLIBC_")

    assert glibc_check.main(["--max", newest, str(bundle)]) == 0
    assert f"needs glibc {newest} or newer (for example program)" in capsys.readouterr().out
    assert glibc_check.main(["--max", "2.0", str(bundle)]) == 1
    assert f"needs glibc {newest}, newer than the supported 2.0" in capsys.readouterr().err


def test_versions_order_numerically() -> None:
    names = ["GLIBC_2.9", "GLIBC_2.34", "GLIBC_2.2.5", "GLIBC_2.17"]
    assert max(names, key=glibc_check.version_key) == "GLIBC_2.34"
    assert sorted(names, key=glibc_check.version_key)[0] == "GLIBC_2.2.5"


def test_a_folder_without_elf_files(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x")
    assert glibc_check.newest_glibc(tmp_path) is None
