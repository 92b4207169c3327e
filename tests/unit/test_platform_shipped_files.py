"""Where the shipped `forms/` and `resources/` are found: checkout, frozen bundle, installed wheel."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from app.common import paths

CHECKOUT = Path(paths.__file__).resolve().parents[2]


@pytest.mark.parametrize("name", ["forms", "resources"])
def test_a_checkout_uses_its_own_folders(name: str) -> None:
    assert paths._shipped_folder(name) == CHECKOUT / name


@pytest.mark.parametrize("name", ["forms", "resources"])
def test_a_frozen_bundle_uses_its_own_folders(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert paths._shipped_folder(name) == tmp_path / name


@pytest.mark.parametrize("name", ["forms", "resources"])
def test_an_installed_wheel_uses_the_data_folder_not_a_stray_neighbour(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In site-packages, a `resources/` beside `app/` may belong to any package: the wheel's
    own files under <prefix>/share/readiness win, and the checkout is recognised by its
    pyproject.toml only."""
    site = tmp_path / "site-packages"
    (site / "app" / "common").mkdir(parents=True)
    (site / name).mkdir()  # someone else's folder
    prefix = tmp_path / "prefix"
    installed = prefix / "share" / "readiness" / name
    installed.mkdir(parents=True)
    monkeypatch.setattr(paths, "__file__", str(site / "app" / "common" / "paths.py"))
    monkeypatch.setattr(paths, "_installation_data_roots", lambda: [tmp_path / "none", prefix])
    assert paths._shipped_folder(name) == installed


def test_nothing_installed_names_the_expected_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site-packages"
    (site / "app" / "common").mkdir(parents=True)
    monkeypatch.setattr(paths, "__file__", str(site / "app" / "common" / "paths.py"))
    monkeypatch.setattr(paths, "_installation_data_roots", lambda: [tmp_path / "prefix"])
    assert paths.forms_dir() == site / "forms"
