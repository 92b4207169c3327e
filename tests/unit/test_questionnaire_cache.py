"""Parsed questionnaires cached on disk (app.services.questionnaire_cache): used only when they
are exactly the bytes asked for, from this version, and nothing but questionnaire classes."""

from __future__ import annotations

import dataclasses
import hashlib
import pickle
from pathlib import Path
from typing import Any

import pytest

from app.forms import load_questionnaire_bytes
from app.services import questionnaire_cache, workspace
from app.services.assessments import create_assessment, load_snapshot
from app.services.workspace import Workspace

FORM = Path(__file__).resolve().parents[1] / "data" / "sample-form.yaml"


@pytest.fixture
def body() -> bytes:
    return FORM.read_bytes()


def no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("the questionnaire was parsed again")

    monkeypatch.setattr("app.forms.load_questionnaire_bytes", refuse)


def test_a_parse_is_kept_and_read_back_equal(
    tmp_path: Path, body: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed = questionnaire_cache.load(body, "sample", tmp_path)
    digest = hashlib.sha256(body).hexdigest()
    assert parsed.sha256 == digest
    assert questionnaire_cache.cache_file(tmp_path, digest).is_file()
    no_parsing(monkeypatch)
    again = questionnaire_cache.load(body, "sample again", tmp_path)
    assert again == load_questionnaire_bytes(body, "sample again")
    assert again.source_path == "sample again"
    assert again.indicator("PATH-04").options[0].code == "yes"  # the lookup index rebuilds


def test_a_damaged_cache_file_is_parsed_again_and_replaced(tmp_path: Path, body: bytes) -> None:
    digest = hashlib.sha256(body).hexdigest()
    questionnaire_cache.load(body, "sample", tmp_path)
    file = questionnaire_cache.cache_file(tmp_path, digest)
    file.write_bytes(file.read_bytes()[:200])
    assert questionnaire_cache.read(tmp_path, digest) is None
    assert questionnaire_cache.load(body, "sample", tmp_path).sha256 == digest
    assert questionnaire_cache.read(tmp_path, digest) is not None


def test_a_cache_file_from_another_version_is_not_used(
    tmp_path: Path, body: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    digest = hashlib.sha256(body).hexdigest()
    questionnaire_cache.load(body, "sample", tmp_path)
    monkeypatch.setattr(questionnaire_cache, "__version__", "99.0")
    assert questionnaire_cache.read(tmp_path, digest) is None
    monkeypatch.undo()
    monkeypatch.setattr(questionnaire_cache, "FORMAT", questionnaire_cache.FORMAT + 1)
    assert questionnaire_cache.read(tmp_path, digest) is None


def test_a_file_under_another_digest_is_not_used(tmp_path: Path, body: bytes) -> None:
    digest = hashlib.sha256(body).hexdigest()
    questionnaire_cache.load(body, "sample", tmp_path)
    other = "0" * 64
    questionnaire_cache.cache_file(tmp_path, digest).rename(
        questionnaire_cache.cache_file(tmp_path, other)
    )
    assert questionnaire_cache.read(tmp_path, other) is None


class _Planted:
    """Unpickling this would create a file: what a planted cache file could try."""

    def __init__(self, target: Path) -> None:
        self.target = target

    def __reduce__(self) -> tuple[Any, ...]:
        return (Path.touch, (self.target,))


def test_a_planted_cache_file_cannot_run_code(tmp_path: Path, body: bytes) -> None:
    digest = hashlib.sha256(body).hexdigest()
    target = tmp_path / "ran"
    stamp = questionnaire_cache._stamp(digest)
    payload = pickle.dumps((stamp, _Planted(target)))
    questionnaire_cache.cache_file(tmp_path, digest).write_bytes(payload)
    assert questionnaire_cache.read(tmp_path, digest) is None
    assert not target.exists()
    assert questionnaire_cache.load(body, "sample", tmp_path).sha256 == digest


def test_an_unwritable_cache_folder_only_costs_the_parse(tmp_path: Path, body: bytes) -> None:
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the folder should be", encoding="utf-8")
    assert (
        questionnaire_cache.load(body, "sample", blocked).sha256 == hashlib.sha256(body).hexdigest()
    )


def test_the_workspace_reads_pinned_questionnaires_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Workspace.open(tmp_path / "data", daily_backup=False) as ws:
        assessment_id = create_assessment(ws, "Lima", "Peru", "2026", FORM)
        expected = load_snapshot(ws, assessment_id)
    assert list(workspace.cache_dir(ws.paths).glob(f"*{questionnaire_cache.SUFFIX}"))
    # A new process: nothing parsed in memory, and neither the parser nor the stored bytes used.
    monkeypatch.setattr(workspace, "_QUESTIONNAIRES", {})
    no_parsing(monkeypatch)

    def no_body(*_args: Any) -> None:
        raise AssertionError("the stored bytes were read")

    monkeypatch.setattr("app.storage.catalog.questionnaire_body", no_body)
    with Workspace.open(tmp_path / "data", daily_backup=False) as ws:
        snapshot = load_snapshot(ws, assessment_id)
    assert (
        snapshot.questionnaire.source_path == f"questionnaire {snapshot.questionnaire.sha256[:12]}"
    )
    assert snapshot.questionnaire == dataclasses.replace(
        expected.questionnaire, source_path=snapshot.questionnaire.source_path
    )
    assert snapshot.score == expected.score
