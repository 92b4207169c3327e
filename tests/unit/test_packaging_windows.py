"""The Windows installer script and build agree with the app (read as text: no Windows here).

What a Windows machine must still check by hand is in packaging/WINDOWS.md.
"""

from __future__ import annotations

import re
from pathlib import Path

from app.common import app_mutex

ROOT = Path(__file__).resolve().parents[2]
ISS = (ROOT / "packaging" / "windows" / "readiness.iss").read_text(encoding="utf-8")
BUILD = (ROOT / "packaging" / "windows" / "build.ps1").read_text(encoding="utf-8")


def setting(name: str) -> str:
    (value,) = re.findall(rf"^{name}=(.*)$", ISS, flags=re.M)
    return value.strip()


def test_setup_and_uninstaller_wait_for_the_mutex_the_window_holds() -> None:
    assert setting("AppMutex") == app_mutex.NAME
    assert app_mutex.hold("linux") is False  # elsewhere than Windows: nothing to hold


def test_an_upgrade_deletes_nothing_before_the_new_files_are_in_place() -> None:
    assert "[InstallDelete]" not in ISS
    # stale files go only after installation, and only those the new version's list lacks
    assert "ssPostInstall" in ISS and "readiness-files.txt" in ISS
    assert '"readiness-files.txt"' in BUILD


def test_signing_is_conditional_and_in_the_right_order() -> None:
    block = re.search(r"^#ifdef Sign\n(.*?)^#endif", ISS, flags=re.S | re.M)
    assert block and "SignTool=readiness" in block.group(1)
    assert "SignedUninstaller=yes" in block.group(1)
    sign_exes = BUILD.index("& $SignTool @SignArgs @Exes")
    iscc = BUILD.index("& $Iscc @IsccArgs")
    checksums = BUILD.index("checksums.py")
    assert sign_exes < iscc < checksums  # sign, then ISCC (which signs setup), then the sums
    assert '"/Sreadiness=' in BUILD


def test_it_can_install_for_one_person_or_for_everyone() -> None:
    assert setting("PrivilegesRequired") == "lowest"
    assert "commandline" in setting("PrivilegesRequiredOverridesAllowed")
    assert setting("MinVersion") == "10.0"
    assert setting("ArchitecturesAllowed") == "x64compatible"
