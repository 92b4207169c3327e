"""`readiness report` end to end: a real database, the services, the CLI, independent readers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.cli import main
from app.domain import Answer, AnswerState
from app.reports import ReportCancelled
from tests.tools import tool_path
from tests.unit.test_report_samples import pdf_fonts, pdf_text, qpdf_check, squeeze

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_FORM = ROOT / "tests" / "data" / "sample-form.yaml"


@pytest.fixture
def assessment(data_dir: Path) -> str:
    from app.services.answers import import_answers, save_answer, set_city_answer
    from app.services.assessments import create_assessment
    from app.services.workspace import Workspace

    with Workspace.open(data_dir) as ws:
        assessment_id = create_assessment(
            ws,
            "Asunción",
            "Paraguay",
            "2026",
            str(SAMPLE_FORM),
            "es",
            contributor="Rosa",
            role="Lab manager",
        )
        import_answers(
            ws,
            assessment_id,
            {
                "PATH-01": 30,
                "PATH-02": 1_200_000,
                "PATH-04": {"value": "no", "note": "=1+1 <b>sin registro"},
                "QA-03": {"state": "dont_know"},
                "BIO-01": ["er_pr_her2"],
            },
            contributor="Rosa",
        )
        save_answer(ws, assessment_id, "PATH-04", Answer("partial"), contributor="Marco")
        set_city_answer(ws, assessment_id, "PATH-04", Answer("no"), "Audit of 2026 found no log")
        save_answer(ws, assessment_id, "BIO-01", Answer(state=AnswerState.DONT_KNOW), "Marco")
    return assessment_id


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def run(data_dir: Path, *args: str) -> int:
    return main(["--data-dir", str(data_dir), "report", *args])


def test_report_writes_both_files_and_prints_their_paths(
    data_dir: Path, assessment: str, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from app.services.assessments import load_snapshot
    from app.services.workspace import Workspace

    pdf, xlsx = out / "r.pdf", out / "r.xlsx"
    assert (
        run(data_dir, assessment[:8], "--pdf", str(pdf), "--xlsx", str(xlsx), "--lang", "pt") == 0
    )
    assert capsys.readouterr().out.splitlines() == [str(pdf), str(xlsx)]

    with Workspace.open(data_dir) as ws:
        snap = load_snapshot(ws, assessment)
    flat = squeeze(pdf_text(pdf))
    assert "Asunción" in flat
    for domain in snap.questionnaire.domains:
        assert squeeze(domain.name["pt"]) in flat
        result = snap.score.domains[domain.id]
        if result.level is not None:
            name = snap.questionnaire.level_name(result.level, "pt")
            assert squeeze(f"Nível {result.level}: {name}") in flat
        if result.next_level:
            assert squeeze(result.next_level[0].action["pt"]) in flat
    assert "=1+1<b>sinregistro" in flat
    assert all(emb == "yes" for _name, emb in pdf_fonts(pdf))
    qpdf_check(pdf)

    wb = load_workbook(xlsx)
    answers = wb["answers"]
    ids = [row[1] for row in answers.iter_rows(min_row=3, values_only=True) if row[1]]
    assert ids == [i.id for i in snap.questionnaire.indicators]
    header = [c.value for c in answers[2]]
    assert "Rosa" in header and "Marco" in header


def test_the_assessment_language_is_the_default(
    data_dir: Path, assessment: str, tmp_path: Path
) -> None:
    pdf = tmp_path / "es.pdf"
    assert run(data_dir, assessment, "--pdf", str(pdf)) == 0
    assert "Resumenejecutivo" in squeeze(pdf_text(pdf))


def test_usage_and_user_errors(
    data_dir: Path, assessment: str, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tmp_path = out
    with pytest.raises(SystemExit) as usage:
        run(data_dir, assessment)
    assert usage.value.code == 2
    with pytest.raises(SystemExit) as bad_lang:
        run(data_dir, assessment, "--pdf", str(tmp_path / "x.pdf"), "--lang", "de")
    assert bad_lang.value.code == 2
    capsys.readouterr()

    assert run(data_dir, "ffffffff", "--pdf", str(tmp_path / "x.pdf")) == 1
    assert run(data_dir, assessment, "--pdf", str(tmp_path / "missing" / "x.pdf")) == 1
    assert run(data_dir, assessment, "--pdf", str(tmp_path)) == 1
    same = str(tmp_path / "same")
    assert run(data_dir, assessment, "--pdf", same, "--xlsx", same) == 1
    errors = capsys.readouterr().err.splitlines()
    assert len(errors) == 4 and all(line.startswith("readiness: ") for line in errors)
    assert list(tmp_path.iterdir()) == []


def test_cancel_writes_nothing(data_dir: Path, assessment: str, out: Path) -> None:
    tmp_path = out
    from app.services.reports import export_report
    from app.services.workspace import Workspace

    seen: list[float] = []
    with Workspace.open(data_dir) as ws:
        with pytest.raises(ReportCancelled):
            export_report(
                ws,
                assessment,
                pdf=tmp_path / "a.pdf",
                xlsx=tmp_path / "a.xlsx",
                progress=lambda f, _m: seen.append(f),
                cancel=lambda: len(seen) >= 2,
            )
        written = export_report(
            ws, assessment, xlsx=tmp_path / "b.xlsx", progress=lambda f, _m: seen.append(f)
        )
    assert written == [tmp_path / "b.xlsx"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.xlsx"]
    assert seen[-1] == 1.0


def test_libreoffice_opens_the_workbook(data_dir: Path, assessment: str, tmp_path: Path) -> None:
    soffice = tool_path("soffice")
    xlsx = tmp_path / "lo.xlsx"
    assert run(data_dir, assessment, "--xlsx", str(xlsx)) == 0
    out = tmp_path / "converted"
    profile = (tmp_path / "lo-profile").as_uri()
    done = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "csv",
            "--outdir",
            str(out),
            str(xlsx),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    csv = out / "lo.csv"
    assert csv.is_file(), done.stdout + done.stderr
    text = csv.read_text(encoding="utf-8", errors="replace")
    assert "PATH" in text and "BIO" in text  # the Summary sheet, read by LibreOffice


def test_the_command_runs_as_a_program(data_dir: Path, assessment: str, tmp_path: Path) -> None:
    pdf = tmp_path / "sub.pdf"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "app",
            "--data-dir",
            str(data_dir),
            "report",
            assessment[:6],
            "--pdf",
            str(pdf),
            "--lang",
            "fr",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(pdf)
    assert "Synthèse" in pdf_text(pdf)


def test_csv_tables_are_written_safe_and_numbered_by_round(
    data_dir: Path, assessment: str, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import csv

    from app.services.rounds import start_next_round
    from app.services.workspace import Workspace

    assert run(data_dir, assessment[:8], "--csv", str(out)) == 0
    printed = capsys.readouterr().out.splitlines()
    names = ("answers_tidy", "contributor_answers", "domains", "choices", "version")
    assert printed == [str(out / f"{assessment}_{name}.csv") for name in names]
    with open(out / f"{assessment}_contributor_answers.csv", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    notes = {(r["indicator_id"], r["note"]) for r in rows if r["note"]}
    assert ("PATH-04", "'=1+1 <b>sin registro") in notes  # never a formula in a spreadsheet
    assert {r["round"] for r in rows} == {"1"} and {r["city"] for r in rows} == {"Asunción"}
    assert "Rosa" not in rows[0]  # people are rows, not columns

    with Workspace.open(data_dir) as ws:
        second = start_next_round(ws, assessment, "2027")
    assert run(data_dir, second, "--csv", str(out)) == 0
    with open(out / f"{second}_version.csv", encoding="utf-8-sig") as f:
        facts = dict(csv.reader(f))
    assert facts["round"] == "2" and facts["previous_assessment_id"] == assessment
    with open(out / f"{second}_domains.csv", encoding="utf-8-sig") as f:
        domains = list(csv.DictReader(f))
    assert {(r["round"], r["period"]) for r in domains} == {("1", "2026"), ("2", "2027")}


def test_csv_folder_is_made_inside_an_existing_one(
    data_dir: Path, assessment: str, tmp_path: Path
) -> None:
    assert run(data_dir, assessment, "--csv", str(tmp_path / "exports")) == 0
    assert any((tmp_path / "exports").glob("*.csv"))
    assert run(data_dir, assessment, "--csv", str(tmp_path / "no" / "such")) == 1
    assert not (tmp_path / "no").exists()
    (tmp_path / "a-file").write_text("x")
    assert run(data_dir, assessment, "--csv", str(tmp_path / "a-file")) == 1
