"""Where the data folder and the shipped files are on each platform, checked here by swapping in
platformdirs' Windows, macOS and Linux rules, and a frozen bundle's layout (`sys._MEIPASS`)."""

from __future__ import annotations

import ntpath
import shutil
import sys
from pathlib import Path

import platformdirs
import pytest
from platformdirs import windows
from platformdirs.macos import MacOS
from platformdirs.unix import Unix
from platformdirs.windows import Windows

from app.common import paths
from app.common.paths import DataPaths, default_data_dir, forms_dir, resources_dir

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def no_override(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test suite points the data folder elsewhere; these tests want the platform's own."""
    monkeypatch.delenv("READINESS_DATA_DIR", raising=False)


def test_windows_keeps_data_in_local_not_roaming_appdata(
    no_override: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    local, roaming = tmp_path / "AppData" / "Local", tmp_path / "AppData" / "Roaming"
    monkeypatch.setattr(platformdirs, "PlatformDirs", Windows)
    monkeypatch.setenv("LOCALAPPDATA", str(local))
    monkeypatch.setenv("APPDATA", str(roaming))
    # Off Windows there is no shell API to ask: read the folders from their environment variables.
    monkeypatch.setattr(windows, "get_win_folder", windows.get_win_folder_from_env_vars)
    # %LOCALAPPDATA%\Readiness: never roaming (a roaming profile copies files mid-write), and no
    # author folder in between.
    assert default_data_dir() == local / "Readiness"


def test_macos_keeps_data_in_application_support(
    no_override: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(platformdirs, "PlatformDirs", MacOS)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    assert default_data_dir() == tmp_path / "Library" / "Application Support" / "Readiness"


def test_linux_follows_xdg_data_home(
    no_override: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(platformdirs, "PlatformDirs", Unix)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    assert default_data_dir() == tmp_path / ".local" / "share" / "Readiness"
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_data_dir() == tmp_path / "xdg" / "Readiness"


def test_the_environment_and_data_dir_option_move_everything(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(platformdirs, "PlatformDirs", Windows)  # whatever the platform says
    monkeypatch.setenv("READINESS_DATA_DIR", str(tmp_path / "from-env"))
    assert DataPaths.resolve().root == tmp_path / "from-env"
    chosen = DataPaths.resolve(tmp_path / "chosen")
    assert chosen.root == tmp_path / "chosen"
    for path in (
        chosen.database,
        chosen.backups,
        chosen.attachments,
        chosen.logs,
        chosen.token_file,
        chosen.hub_database,
    ):
        assert path.parent == chosen.root


def test_a_windows_data_dir_with_spaces_and_accents_is_kept_verbatim(tmp_path: Path) -> None:
    folder = tmp_path / "Users" / "María José" / "AppData" / "Local" / "Readiness"
    made = DataPaths.resolve(folder).ensure()
    assert made.root == folder and made.logs.is_dir() and made.backups.is_dir()
    # What a Windows user types is an absolute path there, whatever this computer makes of it.
    assert ntpath.isabs(r"C:\Users\María José\AppData\Local\Readiness")


def test_a_frozen_bundle_reads_forms_and_resources_beside_the_code(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    bundle = tmp_path / "_internal"
    shutil.copytree(ROOT / "forms", bundle / "forms", ignore=shutil.ignore_patterns("src"))
    shutil.copytree(ROOT / "resources" / "fonts", bundle / "resources" / "fonts")
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    assert resources_dir() == bundle / "resources"
    assert forms_dir() == bundle / "forms"

    from app.forms import find_form, shipped_forms

    shipped = shipped_forms()
    assert shipped and all(bundle in path.parents for path in shipped)
    assert bundle in find_form("precision-oncology-readiness").parents

    from app.reports.fonts import fonts_dir

    assert fonts_dir() == bundle / "resources" / "fonts"
    assert (fonts_dir() / "DejaVuSans.ttf").is_file()


def test_from_the_source_tree_resources_are_the_repository_folders(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delattr(sys, "_MEIPASS", raising=False)
    assert resources_dir() == ROOT / "resources"
    assert forms_dir() == ROOT / "forms"
    assert Path(paths.__file__).resolve().parents[2] == ROOT
