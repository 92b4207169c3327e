"""The admin guide's hub installation: the systemd unit, its environment file, the commands.

The unit in docs/admin-guide.md is the file packaging/hub/readiness-hub.service, systemd accepts
it, it creates its own user and state folder, and its command line (what `ps` shows) holds no
database URL: the URL reaches `hub serve` through READINESS_HUB_DB from the environment file.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import build_parser
from app.cli.hub_cmd import DB_ENV, db_url

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "admin-guide.md"
UNIT = ROOT / "packaging" / "hub" / "readiness-hub.service"


def guide_blocks(language: str) -> list[str]:
    text = GUIDE.read_text(encoding="utf-8")
    return re.findall(rf"^```{language}\n(.*?)^```", text, flags=re.S | re.M)


def unit_settings() -> dict[str, list[str]]:
    settings: dict[str, list[str]] = {}
    for line in UNIT.read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, _, value = line.partition("=")
            settings.setdefault(key, []).append(value)
    return settings


def test_the_guide_shows_the_unit_file_as_it_is() -> None:
    units = [block for block in guide_blocks("ini") if "[Service]" in block]
    assert units == [UNIT.read_text(encoding="utf-8")]


def test_the_unit_creates_its_user_and_state_folder_and_reads_the_url_from_a_file() -> None:
    settings = unit_settings()
    assert settings["DynamicUser"] == ["yes"]
    assert settings["StateDirectory"] == ["readiness"]
    assert (
        "Environment" in settings
        and "READINESS_DATA_DIR=/var/lib/readiness" in settings["Environment"]
    )
    assert settings["EnvironmentFile"] == ["/etc/readiness/hub.env"]
    (command,) = settings["ExecStart"]
    assert "://" not in command and "--db" not in command and "$" not in command


def test_the_documented_environment_file_names_the_variable_the_hub_reads() -> None:
    lines = [
        line for block in guide_blocks("sh") for line in block.splitlines() if "hub.env" in line
    ]
    assert any(f"'{DB_ENV}=postgresql+psycopg://readiness_app:" in line for line in lines)


def test_the_unit_command_is_a_valid_serve_command_that_takes_the_url_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (command,) = unit_settings()["ExecStart"]
    program, *argv = shlex.split(command)
    assert program == "/opt/readiness/bin/readiness"
    args = build_parser().parse_args(argv)
    assert args.handler.__name__ == "run_serve"
    assert (args.host, args.port) == ("127.0.0.1", 8765)
    served = "postgresql+psycopg://readiness_app:secret@127.0.0.1/readiness"
    monkeypatch.setenv(DB_ENV, served)
    assert db_url(args) == served


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze not installed")
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="systemd is Linux's")
def test_systemd_accepts_the_unit(tmp_path: Path) -> None:
    # verify checks that the program exists: point it at one that does, on this machine
    text = UNIT.read_text(encoding="utf-8")
    text = text.replace("/opt/readiness/bin/readiness", shutil.which("true") or "/bin/true")
    text = text.replace("EnvironmentFile=/etc/", f"EnvironmentFile=-{tmp_path}/etc/")
    unit = tmp_path / "readiness-hub.service"
    unit.write_text(text, encoding="utf-8")
    done = subprocess.run(
        ["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "readiness-hub.service" not in done.stderr, done.stderr  # no unknown keys or values
