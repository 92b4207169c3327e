"""packaging/linux/install.sh on a stand-in bundle, in a temporary home (a user with accents).

It installs, upgrades (the switch is one rename; a partial copy from an interrupted install is
cleared, never merged), keeps the previous version for a running program, warns when
~/.local/bin is not on PATH, and uninstalls everything but the data folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux's installer")


def bundle(where: Path, version: str) -> Path:
    folder = where / f"Readiness-{version}" / "Readiness"
    icons = folder / "_internal" / "resources" / "icons"
    icons.mkdir(parents=True)
    program = folder / "readiness"
    program.write_text(f"#!/bin/sh\necho readiness {version}\n", encoding="utf-8")
    program.chmod(0o755)
    (icons / "readiness-48.png").write_bytes(b"\x89PNG")
    (folder / "_internal" / f"only-in-{version}.txt").write_text(version)
    for name in ("install.sh", "readiness.desktop", "readiness-mime.xml"):
        shutil.copy2(ROOT / "packaging" / "linux" / name, folder / name)
    return folder


def run(folder: Path, home: Path, *args: str, on_path: bool = False) -> str:
    path = os.environ.get("PATH", "/usr/bin:/bin")
    if on_path:
        path = f"{home / '.local' / 'bin'}:{path}"
    env = {"HOME": str(home), "PATH": path, "LC_ALL": "C.UTF-8"}
    done = subprocess.run(
        ["sh", str(folder / "install.sh"), *args], env=env, capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


def installed_version(home: Path) -> str:
    program = home / ".local" / "bin" / "readiness"
    return subprocess.run([str(program)], capture_output=True, text=True, check=True).stdout


def test_install_upgrade_and_uninstall(tmp_path: Path) -> None:
    home = tmp_path / "home" / "José Núñez"
    opt = home / ".local" / "opt"
    data = home / ".local" / "share" / "Readiness"
    data.mkdir(parents=True)
    (data / "readiness.sqlite3").write_bytes(b"answers")

    out = run(bundle(tmp_path, "1"), home)
    assert installed_version(home) == "readiness 1\n"
    assert "is not on your PATH" in out
    assert (home / ".local/share/applications/readiness.desktop").is_file()

    # an install interrupted half-way left a partial copy with a stray file
    stray = opt / ".readiness-partial-99999"
    stray.mkdir()
    (stray / "stray.txt").write_text("half a copy")
    out = run(bundle(tmp_path, "2"), home, on_path=True)
    assert installed_version(home) == "readiness 2\n"
    assert "PATH" not in out
    target = opt / "readiness"
    assert target.is_symlink()
    assert (target / "_internal" / "only-in-2.txt").is_file()
    assert not (target / "_internal" / "only-in-1.txt").exists()  # no files of the old version
    assert not (target / "stray.txt").exists() and not stray.exists()
    versions = sorted(p.name for p in opt.iterdir() if p.name.startswith("readiness-"))
    assert len(versions) == 2  # this one and the previous one (a running program keeps its files)

    third = bundle(tmp_path, "3")
    run(third, home, on_path=True)
    assert installed_version(home) == "readiness 3\n"
    assert len([p for p in opt.iterdir() if p.name.startswith("readiness-")]) == 2

    run(third, home, "--uninstall")
    assert list(opt.iterdir()) == []
    assert not (home / ".local" / "bin" / "readiness").exists()
    assert not (home / ".local/share/applications/readiness.desktop").exists()
    assert (data / "readiness.sqlite3").read_bytes() == b"answers"


def test_an_older_plain_folder_install_is_upgraded(tmp_path: Path) -> None:
    home = tmp_path / "home"
    old = home / ".local" / "opt" / "readiness"
    old.mkdir(parents=True)
    (old / "readiness").write_text("#!/bin/sh\necho old\n")
    (old / "readiness").chmod(0o755)
    run(bundle(tmp_path, "2"), home, on_path=True)
    assert installed_version(home) == "readiness 2\n"
    assert (home / ".local" / "opt" / "readiness").is_symlink()
