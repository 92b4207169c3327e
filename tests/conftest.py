"""Test-wide isolation: every test gets its own data folder; nothing touches the user's files."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data_dir = tmp_path / "readiness-data"
    monkeypatch.setenv("READINESS_DATA_DIR", str(data_dir))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    return data_dir


@pytest.fixture
def data_dir(_isolated_data_dir: Path) -> Path:
    return _isolated_data_dir


@pytest.fixture
def repo_root() -> Path:
    return ROOT


@pytest.fixture
def test_data() -> Path:
    return DATA


pytest_plugins = ["tests.process_guard", "tests.ci_skips"]


@pytest.fixture(autouse=True)
def _hub_processes_reaped() -> Iterator[None]:
    """A hub process a test started never outlives the test, even when the test fails."""
    yield
    from tests.sync_support import stop_all_hub_processes

    stop_all_hub_processes()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests under tests/ui need PySide6: mark them `qt` so CI's Qt-free step deselects them."""
    ui = ROOT / "tests" / "ui"
    for item in items:
        if ui in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.qt)
