"""`readiness assess ...`, `readiness demo` and `readiness backup ...` through app.cli.main (CLI.md)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main

ROOT = Path(__file__).resolve().parents[2]
FORM = ROOT / "tests" / "data" / "sample-form.yaml"


@pytest.fixture
def run(tmp_path: Path, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    data = tmp_path / "data"

    def invoke(*args: str, before: bool = True) -> tuple[int, str, str]:
        argv = ["--data-dir", str(data), *args] if before else [*args, "--data-dir", str(data)]
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
        out, err = capsys.readouterr()
        return code, out, err

    invoke.data = data  # type: ignore[attr-defined]
    return invoke


def new_assessment(run, *extra: str) -> str:  # type: ignore[no-untyped-def]
    code, out, err = run(
        "assess",
        "new",
        "--city",
        "Tbilisi",
        "--country",
        "Georgia",
        "--period",
        "2026",
        "--form",
        str(FORM),
        *extra,
    )
    assert code == 0, err
    ident = out.strip().splitlines()[-1]
    assert len(ident) == 36 and ident.count("-") == 4
    return ident


def test_new_list_and_show_json_shapes(run) -> None:  # type: ignore[no-untyped-def]
    ident = new_assessment(run, "--lang", "es", "--contributor", "Ana", "--role", "pathologist")
    code, out, _ = run("assess", "list", "--json")
    assert code == 0
    [item] = json.loads(out)
    assert {"id", "city", "country", "period", "status", "progress", "questionnaire"} <= set(item)
    assert item["id"] == ident and item["status"] == "draft" and item["progress"] == 0.0
    assert set(item["questionnaire"]) == {"id", "version", "hash"}
    assert item["questionnaire"]["id"] == "sample-readiness"

    assert (
        run(
            "assess",
            "answer",
            ident[:6],
            "PATH-04",
            "yes",
            "--note",
            "SOP seen",
            "--evidence",
            "document",
        )[0]
        == 0
    )
    assert run("assess", "answer", ident[:6], "BIO-01", "egfr,alk")[0] == 0
    assert run("assess", "answer", ident[:6], "PATH-05", "4.5", "--contributor", "Bob")[0] == 0
    assert run("assess", "answer", ident[:6], "QA-01", "--state", "dont_know")[0] == 0

    code, out, _ = run("assess", "show", ident[:8], "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["id"] == ident and doc["language"] == "es" and doc["status"] == "draft"
    assert set(doc["questionnaire"]) == {"id", "version", "hash"}
    questionnaire_ids = {
        "PATH-01",
        "PATH-02",
        "PATH-03",
        "PATH-04",
        "PATH-05",
        "PATH-06",
        "PATH-07",
        "BIO-01",
        "BIO-02",
        "BIO-03",
        "BIO-04",
        "BIO-05",
        "QA-01",
        "QA-02",
        "QA-03",
        "QA-04",
        "QA-05",
    }
    assert set(doc["answers"]) == questionnaire_ids  # every indicator, answered or not
    path04 = doc["answers"]["PATH-04"]
    assert path04["value"] == "yes" and path04["state"] == "answered"
    assert path04["note"] == "SOP seen" and path04["evidence"] == "document"
    assert path04["level"] == 4 and path04["derived"] is True
    assert path04["disagreement"] is False and path04["conflict"] is False
    [contributor] = path04["contributors"]
    assert contributor["contributor"] == "Ana" and contributor["value"] == "yes"
    assert contributor["changed_at"].endswith("Z")
    assert doc["answers"]["BIO-01"]["value"] == ["egfr", "alk"]
    assert doc["answers"]["PATH-05"]["value"] == 4.5
    assert doc["answers"]["QA-01"]["state"] == "dont_know"
    assert doc["answers"]["QA-03"]["state"] == "unanswered"
    assert doc["answers"]["QA-03"]["value"] is None
    score = doc["score"]
    # CLI.md's keys plus the documented extensions (docs/cli.md): warnings and the domains that
    # withhold the overall.
    assert set(score) == {"domains", "overall", "checks"}
    assert set(score["overall"]) == {"score", "bottleneck", "insufficient_data"}
    assert {
        "name",
        "level",
        "score",
        "capped_by",
        "completeness",
        "dont_know",
        "provisional",
        "next_level",
    } <= set(score["domains"]["PATH"])

    code, out, _ = run("assess", "list", "--json")
    assert 0 < json.loads(out)[0]["progress"] <= 1


def test_disagreement_and_resolve(run) -> None:  # type: ignore[no-untyped-def]
    ident = new_assessment(run)
    run("assess", "answer", ident, "PATH-04", "yes", "--contributor", "Ana")
    run("assess", "answer", ident, "PATH-04", "no", "--contributor", "Bob")
    doc = json.loads(run("assess", "show", ident, "--json")[1])
    answer = doc["answers"]["PATH-04"]
    assert answer["disagreement"] is True and answer["value"] == "no" and answer["level"] == 1
    assert [c["contributor"] for c in answer["contributors"]] == ["Ana", "Bob"]
    code, _out, err = run("assess", "resolve", ident, "PATH-04", "partial")
    assert code == 2 and "--rationale" in err  # usage error
    code, _out, _err = run(
        "assess", "resolve", ident, "PATH-04", "partial", "--rationale", "two of four labs"
    )
    assert code == 0
    answer = json.loads(run("assess", "show", ident, "--json")[1])["answers"]["PATH-04"]
    assert answer["derived"] is False and answer["disagreement"] is False
    assert answer["value"] == "partial" and answer["level"] == 2
    code, out, _ = run("assess", "history", ident, "PATH-04", "--json")
    entries = json.loads(out)
    assert [e["subject_name"] for e in entries] == ["Ana", "Bob", "city"]
    assert entries[-1]["rationale"] == "two of four labs"
    code, out, _ = run("assess", "contributors", ident, "--json")
    assert {p["name"] for p in json.loads(out)} >= {"Ana", "Bob"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["PATH-04", "maybe"], "PATH-04: unknown option 'maybe'"),
        (["PATH-05", "4,5"], "PATH-05: expected a number with a dot"),
        (["NOPE-1", "yes"], "unknown indicator 'NOPE-1'"),
        (["PATH-04"], "give a value or --state"),
        (["PATH-04", "--state", "not_applicable"], "not allowed"),
    ],
)
def test_bad_answers_exit_1_with_one_line_and_save_nothing(run, args, message) -> None:  # type: ignore[no-untyped-def]
    ident = new_assessment(run)
    code, out, err = run("assess", "answer", ident, *args)
    assert code == 1 and out == ""
    assert message in err and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err
    doc = json.loads(run("assess", "show", ident, "--json")[1])
    assert all(a["state"] == "unanswered" for a in doc["answers"].values())


def test_unknown_and_ambiguous_ids(run) -> None:  # type: ignore[no-untyped-def]
    new_assessment(run)
    code, _out, err = run("assess", "show", "zzzz")
    assert code == 1 and "no assessment" in err
    code, _out, err = run("assess", "show", "")
    assert code == 1


def test_data_dir_after_the_subcommand(run) -> None:  # type: ignore[no-untyped-def]
    ident = new_assessment(run)
    code, out, _ = run("assess", "list", "--json", before=False)
    assert code == 0 and json.loads(out)[0]["id"] == ident


def test_import_all_or_nothing(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ident = new_assessment(run)
    good = tmp_path / "good.json"
    good.write_text(
        json.dumps(
            {
                "PATH-04": "yes",
                "BIO-01": ["egfr"],
                "QA-01": {"state": "dont_know"},
                "PATH-05": {"value": 3, "note": "2025", "evidence": "register"},
            }
        )
    )
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"PATH-04": "yes", "QA-03": "platinum"}))
    code, _out, err = run("assess", "import", ident, str(bad))
    assert code == 1 and "QA-03" in err
    broken = tmp_path / "broken.json"
    broken.write_text('{"PATH-04": "yes",\n "QA-03": }')
    code, _out, err = run("assess", "import", ident, str(broken))
    assert code == 1 and f"{broken}:2:" in err
    doc = json.loads(run("assess", "show", ident, "--json")[1])
    assert doc["answers"]["PATH-04"]["state"] == "unanswered"
    code, out, _ = run("assess", "import", ident, str(good), "--contributor", "Luis")
    assert code == 0 and "4" in out
    doc = json.loads(run("assess", "show", ident, "--json")[1])
    assert doc["answers"]["PATH-05"]["note"] == "2025"
    assert doc["answers"]["PATH-04"]["contributors"][0]["contributor"] == "Luis"


def test_status_transitions(run) -> None:  # type: ignore[no-untyped-def]
    ident = new_assessment(run)
    assert run("assess", "status", ident, "in_review")[0] == 0
    assert run("assess", "status", ident, "final")[0] == 0
    code, _out, err = run("assess", "answer", ident, "PATH-04", "yes")
    assert code == 1 and "final" in err
    code, _out, err = run("assess", "status", ident, "draft")
    assert code == 1 and "reason" in err
    assert run("assess", "status", ident, "draft", "--reason", "new data")[0] == 0
    assert json.loads(run("assess", "list", "--json")[1])[0]["status"] == "draft"
    assert run("assess", "status", ident, "archived")[0] == 2


def test_next_round(run) -> None:  # type: ignore[no-untyped-def]
    ident = new_assessment(run)
    run("assess", "answer", ident, "PATH-04", "yes")
    code, out, _ = run("assess", "next", ident[:8], "--period", "2027")
    assert code == 0
    new = out.strip().splitlines()[-1]
    doc = json.loads(run("assess", "show", new, "--json")[1])
    assert doc["period"] == "2027" and doc["answers"]["PATH-04"]["value"] == "yes"
    assert doc["answers"]["PATH-04"]["contributors"][0]["to_confirm"] is True


def test_demo_is_idempotent(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    demo = tmp_path / "demo-answers.json"
    demo.write_text(
        json.dumps(
            {
                "city": "Demo City",
                "country": "Demoland",
                "period": "2026",
                "language": "fr",
                "form": str(FORM),
                "contributors": [
                    {
                        "name": "Amara",
                        "role": "pathologist",
                        "institution": "CHU",
                        "answers": {"PATH-04": "yes", "QA-01": {"state": "dont_know"}},
                    }
                ],
                "city_answers": {"PATH-04": {"value": "partial", "rationale": "half the labs"}},
            }
        ),
        encoding="utf-8",
    )
    code, out, _ = run("demo", "--answers", str(demo))
    assert code == 0
    first = out.strip().splitlines()[-1]
    code, out, _ = run("demo", "--answers", str(demo))
    assert out.strip().splitlines()[-1] == first
    assert len(json.loads(run("assess", "list", "--json")[1])) == 1


def test_backup_create_list_restore(run) -> None:  # type: ignore[no-untyped-def]
    ident = new_assessment(run)
    run("assess", "answer", ident, "PATH-04", "yes")
    code, out, _ = run("backup", "create")
    assert code == 0
    name = out.strip().splitlines()[-1]
    assert name.endswith("-manual.sqlite3")
    run("assess", "answer", ident, "PATH-04", "no")
    code, out, _ = run("backup", "list", "--json")
    assert name in [b["name"] for b in json.loads(out)]
    code, out, _ = run("backup", "restore", name)
    assert code == 0 and "restored" in out
    doc = json.loads(run("assess", "show", ident, "--json")[1])
    assert doc["answers"]["PATH-04"]["value"] == "yes"
    code, _out, err = run("backup", "restore", "no-such-backup")
    assert code == 1 and "no backup" in err


def test_once_through_a_real_process(tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    data = str(tmp_path / "data")

    def readiness(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "app", *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            timeout=120,
            encoding="utf-8",
        )

    created = readiness(
        "assess",
        "new",
        "--city",
        "Córdoba",
        "--country",
        "Argentina",
        "--period",
        "2026",
        "--form",
        str(FORM),
        "--data-dir",
        data,
    )
    assert created.returncode == 0, created.stderr
    ident = created.stdout.strip().splitlines()[-1]
    answered = readiness("--data-dir", data, "assess", "answer", ident[:5], "PATH-04", "partial")
    assert answered.returncode == 0, answered.stderr
    shown = readiness("--data-dir", data, "assess", "show", ident[:5], "--json")
    assert shown.returncode == 0
    doc = json.loads(shown.stdout)
    assert doc["city"] == "Córdoba" and doc["answers"]["PATH-04"]["value"] == "partial"
    wrong = readiness("--data-dir", data, "assess", "answer", ident, "PATH-04", "maybe")
    assert wrong.returncode == 1 and "Traceback" not in wrong.stderr
    assert len(wrong.stderr.strip().splitlines()) == 1


def test_shipped_demo_builds(run) -> None:  # type: ignore[no-untyped-def]
    from app.services.demo import demo_file

    assert demo_file().exists()
    code, out, err = run("demo")
    assert code == 0, err
    ident = out.strip().splitlines()[-1]
    doc = json.loads(run("assess", "show", ident, "--json")[1])
    answered = [a for a in doc["answers"].values() if a["state"] != "unanswered"]
    assert len(answered) > len(doc["answers"]) // 2
    assert any(not a["derived"] and a["state"] != "unanswered" for a in doc["answers"].values())
    assert run("demo")[1].strip().splitlines()[-1] == ident
