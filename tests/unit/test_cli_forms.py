"""`readiness forms validate` and `readiness forms show` (CLI.md contract)."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main
from app.forms import registry as forms_registry

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
SAMPLE = DATA / "sample-form.yaml"
BROKEN = sorted((DATA / "broken").glob("*.yaml"))


def expected_lines(path: Path) -> list[str]:
    if path.name == "empty.yaml":
        return [f"{path}:1: error: the file is empty"]
    text = path.read_text(encoding="utf-8", errors="replace")
    marker = "# expect: "
    return [
        f"{path}:{line[len(marker) :]}" for line in text.splitlines() if line.startswith(marker)
    ]


def test_validate_a_good_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["forms", "validate", str(SAMPLE)]) == 0
    out, err = capsys.readouterr()
    assert out == "1 file(s) checked: 0 error(s), 0 warning(s)\n"
    assert err == ""


@pytest.mark.parametrize("path", BROKEN, ids=[p.stem for p in BROKEN])
def test_validate_a_broken_file(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["forms", "validate", str(path)]) == 1
    out, err = capsys.readouterr()
    lines = err.splitlines()
    for expected in expected_lines(path):
        assert expected in lines
    errors = sum(1 for line in lines if ": error: " in line)
    warnings = sum(1 for line in lines if ": warning: " in line)
    assert out == f"1 file(s) checked: {errors} error(s), {warnings} warning(s)\n"
    assert "Traceback" not in err


def test_warnings_alone_exit_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    form = tmp_path / "form.yaml"
    text = SAMPLE.read_text(encoding="utf-8")
    form.write_text(
        text.replace("  fr: Un court questionnaire utilisé par les tests automatiques.\n", "")
    )
    assert main(["forms", "validate", str(form)]) == 0
    out, err = capsys.readouterr()
    assert err == f"{form}:11: warning: description: missing translation 'fr'\n"
    assert out == "1 file(s) checked: 0 error(s), 1 warning(s)\n"


def test_validate_several_paths_and_folders(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "forms"
    folder.mkdir()
    (folder / "a.yaml").write_bytes(SAMPLE.read_bytes())
    (folder / "b.yaml").write_bytes((DATA / "broken" / "weight-zero.yaml").read_bytes())
    code = main(["forms", "validate", str(folder), str(SAMPLE), str(tmp_path / "nope.yaml")])
    assert code == 1
    out, err = capsys.readouterr()
    assert out == "3 file(s) checked: 2 error(s), 0 warning(s)\n"
    assert err.splitlines() == [
        f"{folder / 'b.yaml'}:32: error: indicator LAB-02, weight: must be above 0 (got 0)",
        f"{tmp_path / 'nope.yaml'}:1: error: no such file or folder",
    ]


def test_validate_defaults_to_the_shipped_forms(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "x" / "src").mkdir(parents=True)
    (tmp_path / "x" / "form.yaml").write_bytes(SAMPLE.read_bytes())
    (tmp_path / "x" / "src" / "part.yaml").write_text("partial: source\n")
    monkeypatch.setattr(forms_registry, "forms_dir", lambda: tmp_path)
    assert main(["forms", "validate", "--data-dir", str(tmp_path / "data")]) == 0
    assert capsys.readouterr().out == "1 file(s) checked: 0 error(s), 0 warning(s)\n"


def test_show_json_has_the_contract_shape(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["forms", "show", str(SAMPLE), "--json"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    document = json.loads(out)
    assert list(document) == [
        "id",
        "version",
        "hash",
        "title",
        "domains",
        "indicators",
        "languages",
    ]
    assert document["id"] == "sample-readiness"
    assert document["version"] == "0.1"
    assert document["hash"] == hashlib.sha256(SAMPLE.read_bytes()).hexdigest()
    assert document["title"] == {
        "en": "Sample readiness questionnaire",
        "es": "Cuestionario de preparación de ejemplo",
        "fr": "Questionnaire de préparation d'exemple",
        "pt": "Questionário de prontidão de exemplo",
    }
    # Inputs of the computed value (scored: false), the date and the texts are not counted.
    assert document["domains"] == [
        {"id": "PATH", "name": "Pathology", "indicators": 4},
        {"id": "BIO", "name": "Biomarker testing", "indicators": 4},
        {"id": "QA", "name": "Quality assurance", "indicators": 4},
    ]
    assert document["indicators"] == 12
    assert document["languages"] == {"en": 1.0, "es": 1.0, "fr": 1.0, "pt": 1.0}


def test_show_by_id_among_shipped_forms(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "f.yaml").write_bytes(SAMPLE.read_bytes())
    monkeypatch.setattr(forms_registry, "forms_dir", lambda: tmp_path)
    assert main(["forms", "show", "sample-readiness@0.1", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == "sample-readiness"
    assert main(["forms", "show", "sample-readiness@7"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == "readiness: questionnaire 'sample-readiness' has no version '7' (shipped: 0.1)\n"


def test_show_text_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["forms", "show", str(SAMPLE)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Sample readiness questionnaire\n  sample-readiness version 0.1\n")
    assert "12 scored indicators (17 questions in all), 2 gate(s)" in out
    assert "BIO" in out and "Biomarker testing" in out
    assert "translations: en 100%, es 100%, fr 100%, pt 100%" in out


def test_show_a_broken_file(capsys: pytest.CaptureFixture[str]) -> None:
    path = DATA / "broken" / "option-level-outside.yaml"
    assert main(["forms", "show", str(path), "--json"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == expected_lines(path)


def test_no_traceback_from_the_real_command() -> None:
    path = DATA / "broken" / "cycle.yaml"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "app",
            "forms",
            "validate",
            str(path),
            str(DATA / "broken" / "empty.yaml"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=60,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == expected_lines(path) + [
        f"{DATA / 'broken' / 'empty.yaml'}:1: error: the file is empty"
    ]
    assert result.stdout == "2 file(s) checked: 2 error(s), 0 warning(s)\n"


@pytest.mark.parametrize("state", ["empty", "missing", "only-sources"])
def test_validate_without_shipped_forms_is_an_error(
    state: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An installation that lost its questionnaires must not pass as "0 files, 0 errors"."""
    folder = tmp_path / "forms"
    if state != "missing":
        folder.mkdir()
    if state == "only-sources":
        (folder / "x" / "src").mkdir(parents=True)
        (folder / "x" / "src" / "part.yaml").write_bytes(SAMPLE.read_bytes())
    monkeypatch.setattr(forms_registry, "forms_dir", lambda: folder)
    assert main(["forms", "validate", "--data-dir", str(tmp_path / "data")]) == 1
    out, err = capsys.readouterr()
    assert out == "0 file(s) checked: 1 error(s), 0 warning(s)\n"
    assert err.startswith(f"{folder}:1: error: ")
    assert "Traceback" not in err
