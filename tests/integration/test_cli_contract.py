"""The command-line contract of /work/shared/CLI.md, checked the way an outside checker drives it.

Most checks call `app.cli.main` in-process (fast); a handful run the real `readiness` command in a
subprocess, where exit status, stdout purity and the absence of tracebacks are what a script sees.
Every check starts from a fresh data folder.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from app.cli import build_parser, main
from tests.tools import tool_path

ROOT = Path(__file__).resolve().parents[2]
FULL_FORM = ROOT / "forms" / "precision-oncology-readiness" / "readiness-v1.0.yaml"
SAMPLE_FORM = ROOT / "tests" / "data" / "sample-form.yaml"
BROKEN_FORM = ROOT / "tests" / "data" / "broken" / "cycle.yaml"

# The answers file shown in CLI.md, verbatim.
CLI_MD_ANSWERS = {
    "PATH-03": 72,
    "BIO-01": ["er_pr_her2", "egfr"],
    "QA-03": {"state": "dont_know"},
    "GOV-01": {"value": "approved", "note": "Plan approved in 2024", "evidence": "document"},
}
SCORE_DOMAIN_KEYS = {
    "name",
    "level",
    "score",
    "capped_by",
    "completeness",
    "dont_know",
    "provisional",
    "next_level",
}
ANSWER_KEYS = {
    "value",
    "state",
    "note",
    "evidence",
    "level",
    "derived",
    "disagreement",
    "conflict",
    "contributors",
}
CONTRIBUTOR_KEYS = {"contributor", "value", "state", "note", "changed_at"}
GEORGIAN = "თბილისი"
ARABIC = "ملاحظة من المختبر"

Result = tuple[int, str, str]


# ---------------------------------------------------------------------------------------------
# Drivers


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def cli(data: Path, capsys: pytest.CaptureFixture[str]) -> Callable[..., Result]:
    """`readiness --data-dir DATA ARGS...` in-process; `after=True` puts --data-dir last."""

    def invoke(*args: str, after: bool = False, raw: bool = False) -> Result:
        argv = [*args, "--data-dir", str(data)] if after else ["--data-dir", str(data), *args]
        if raw:  # exactly these arguments
            argv = list(args)
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
        out, err = capsys.readouterr()
        return code, out, err

    return invoke


def readiness_command() -> list[str]:
    script = Path(sys.executable).parent / ("readiness.exe" if os.name == "nt" else "readiness")
    return [str(script)] if script.exists() else [sys.executable, "-m", "app"]


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """The real `readiness` command; stdout and stderr as bytes."""
    return subprocess.run(
        [*readiness_command(), *args],
        capture_output=True,
        timeout=120,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
    )


def one_clear_line(err: str) -> str:
    """A user problem: exactly one line on stderr, no traceback."""
    assert "Traceback" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def new(cli: Callable[..., Result], form: Path = SAMPLE_FORM, *extra: str) -> str:
    code, out, err = cli(
        "assess", "new", "--city", GEORGIAN, "--country", "საქართველო", "--period", "2026",
        "--form", str(form), *extra,
    )  # fmt: skip
    assert code == 0, err
    ident = out.splitlines()[-1]
    assert len(ident) == 36 and ident.count("-") == 4, out
    return ident


def show(cli: Callable[..., Result], ident: str) -> dict[str, Any]:
    code, out, err = cli("assess", "show", ident, "--json")
    assert code == 0, err
    document: dict[str, Any] = json.loads(out)
    return document


def write_json(path: Path, document: Any) -> Path:
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------------
# General rules


def _parsers(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> Iterator[Any]:
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield from _parsers(child, (*path, name))


def test_every_command_and_group_takes_data_dir() -> None:
    parsers = list(_parsers(build_parser()))
    names = {" ".join(path) for path, _ in parsers}
    expected = {
        "forms validate", "forms show", "score", "assess new", "assess list", "assess answer",
        "assess resolve", "assess import", "assess status", "assess show", "demo", "report",
        "backup list", "backup create", "backup restore", "gui",
    }  # fmt: skip
    assert expected <= names
    for path, parser in parsers:
        options = {o for action in parser._actions for o in action.option_strings}
        assert "--data-dir" in options, f"readiness {' '.join(path)} lacks --data-dir"
    top = {o for action in build_parser()._actions for o in action.option_strings}
    assert {"--self-test", "--data-dir"} <= top


def test_data_dir_before_after_and_between(cli: Any, data: Path, tmp_path: Path) -> None:
    ident = new(cli)  # --data-dir before the subcommand
    for argv in (
        ["assess", "list", "--json", "--data-dir", str(data)],
        ["assess", "--data-dir", str(data), "list", "--json"],
        ["--data-dir", str(tmp_path / "elsewhere"), "assess", "list", "--json", "--data-dir",
         str(data)],
    ):  # fmt: skip
        code, out, err = cli(*argv, raw=True)
        assert code == 0, err
        assert [item["id"] for item in json.loads(out)] == [ident]
    code, out, _ = cli("assess", "list", "--json", after=True)
    assert [item["id"] for item in json.loads(out)] == [ident]
    code, out, _ = cli("assess", "show", ident[:8], "--json", after=True)
    assert code == 0 and json.loads(out)["id"] == ident
    assert cli("backup", "create", after=True)[0] == 0
    code, out, _ = cli("backup", "list", "--json", after=True)
    assert code == 0 and "manual" in [b["kind"] for b in json.loads(out)]
    # The other folder stays untouched by the commands that named this one last.
    assert not (tmp_path / "elsewhere" / "readiness.sqlite3").exists()


def test_prefixes_unique_ambiguous_unknown(cli: Any) -> None:
    ids = [new(cli) for _ in range(17)]  # 17 ids over 16 hex digits: two share a first digit
    firsts = [i[0] for i in ids]
    shared = next(c for c in firsts if firsts.count(c) > 1)
    code, _, err = cli("assess", "show", shared, "--json")
    assert code == 1 and "more than one" in one_clear_line(err)
    unique = ids[0]
    prefix = next(
        unique[:n] for n in range(1, 37) if sum(i.startswith(unique[:n]) for i in ids) == 1
    )
    code, out, _ = cli("assess", "show", prefix.upper(), "--json")
    assert code == 0 and json.loads(out)["id"] == unique
    for wrong in ("zzzz", "%", unique + "0"):
        code, out, err = cli("assess", "show", wrong, "--json")
        assert code == 1 and out == ""
        assert "no assessment" in one_clear_line(err)


def test_group_without_action_and_unknown_option_are_usage_errors(cli: Any) -> None:
    for argv in (("forms",), ("assess",), ("backup",), ("assess", "list", "--bogus")):
        code, out, err = cli(*argv)
        assert code == 2, argv
        assert out == "" and "usage" in err


def test_value_may_follow_options(cli: Any) -> None:
    ident = new(cli)
    code, _, err = cli("assess", "answer", ident[:8], "PATH-04", "--note", "n", "partial")
    assert code == 0, err
    code, _, err = cli("assess", "answer", ident[:8], "PATH-05", "--evidence", "audit", "12.5")
    assert code == 0, err
    answers = show(cli, ident)["answers"]
    assert answers["PATH-04"]["value"] == "partial" and answers["PATH-04"]["note"] == "n"
    assert answers["PATH-05"]["value"] == 12.5 and answers["PATH-05"]["evidence"] == "audit"
    code, _, err = cli("assess", "answer", ident[:8], "QA-04", "--note", "n", "--", "-dash")
    assert code == 0, err
    assert show(cli, ident)["answers"]["QA-04"]["value"] == "-dash"
    code, _, err = cli("assess", "answer", ident[:8], "PATH-04", "--note", "n", "yes", "extra")
    assert code == 2 and "unrecognized arguments" in err
    code, _, err = cli("assess", "answer", ident[:8], "PATH-06", "--note", "n", "-1.5")
    assert code == 1 and "below the minimum" in one_clear_line(err)


def test_unexpected_errors_are_one_line_with_the_log(
    cli: Any, data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import app.services.assessment_list as assessment_list

    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(assessment_list, "list_assessments", broken)
    code, out, err = cli("assess", "list")
    assert code == 1 and out == ""
    line = one_clear_line(err)
    assert "RuntimeError: boom" in line and str(data / "logs") in line
    assert "Traceback" in (data / "logs" / "readiness.log").read_text(encoding="utf-8")


def test_json_stays_pure_through_an_upgrade_and_a_damaged_database(cli: Any, data: Path) -> None:
    data.mkdir()
    shutil.copy(
        ROOT / "tests" / "data" / "fixtures" / "schema-0001.sqlite3", data / "readiness.sqlite3"
    )
    code, out, err = cli("assess", "list", "--json")
    assert code == 0 and err == ""
    assert [item["city"] for item in json.loads(out)][:1] == ["Тбилиси"]
    kinds = [b["kind"] for b in json.loads(cli("backup", "list", "--json")[1])]
    assert "pre-migration" in kinds

    (data / "readiness.sqlite3").write_bytes(b"this is not a database" * 300)
    code, out, err = cli("assess", "list", "--json")
    assert code == 1 and out == ""
    assert "damaged" in one_clear_line(err)
    code, out, _ = cli("backup", "list", "--json")
    assert code == 0 and "pre-migration" in [b["kind"] for b in json.loads(out)]


# ---------------------------------------------------------------------------------------------
# Real processes: exit status, one line on stderr, pure JSON on stdout


def test_subprocess_json_is_pure_utf8_and_created_ids_are_last(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    created = run("assess", "new", "--city", GEORGIAN, "--country", "საქართველო", "--period",
                  "2026", "--form", "precision-oncology-readiness", "--data-dir", data)  # fmt: skip
    assert created.returncode == 0, created.stderr
    ident = created.stdout.decode("utf-8").splitlines()[-1]
    answered = run("assess", "answer", ident[:6], "GOV-01", "approved", "--note", ARABIC,
                   "--data-dir", data)  # fmt: skip
    assert answered.returncode == 0 and answered.stderr == b""

    # A separate process reads back what the answering process committed.
    listed = run("--data-dir", data, "assess", "list", "--json")
    shown = run("assess", "show", ident[:6], "--json", "--data-dir", data)
    demo = run("demo", "--data-dir", data)
    for done in (listed, shown, demo):
        assert done.returncode == 0 and done.stderr == b"", done.stderr
    [item] = json.loads(listed.stdout.decode("utf-8"))
    assert item["city"] == GEORGIAN and item["id"] == ident
    document = json.loads(shown.stdout.decode("utf-8"))
    assert document["answers"]["GOV-01"]["value"] == "approved"
    assert document["answers"]["GOV-01"]["note"] == ARABIC
    demo_id = demo.stdout.decode("utf-8").splitlines()[-1]
    assert len(demo_id) == 36 and demo_id != ident


def test_subprocess_user_problems_exit_1_with_one_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    bad_json = tmp_path / "bad.json"
    bad_json.write_text('{"PATH-03": 72,', encoding="utf-8")
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder", encoding="utf-8")
    form = str(FULL_FORM)
    cases: list[tuple[list[str], str]] = [
        (["assess", "show", "0000", "--data-dir", str(data)], "no assessment"),
        (["score", str(bad_json), "--form", form, "--json"], "bad.json:1: error: invalid JSON"),
        (["score", str(tmp_path / "missing.json"), "--form", form], "missing.json: no such file"),
        (["score", str(bad_json), "--form", str(BROKEN_FORM)], "cycle.yaml:25: error:"),
        (["assess", "list", "--data-dir", str(a_file)], "is a file, not a folder"),
    ]
    for argv, expected in cases:
        done = run(*argv)
        err = done.stderr.decode("utf-8")
        assert done.returncode == 1, (argv, err)
        assert done.stdout == b"", argv
        assert expected in one_clear_line(err), (argv, err)
    usage = run("report", "0000", "--data-dir", str(data))
    assert usage.returncode == 2 and b"Traceback" not in usage.stderr


def test_subprocess_text_output_survives_a_non_utf8_stdout(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    ident = run("assess", "new", "--city", GEORGIAN, "--country", "K", "--period", "1",
                "--form", str(SAMPLE_FORM), "--data-dir", data).stdout.split()[-1]  # fmt: skip
    done = run("assess", "list", "--data-dir", data, env={"PYTHONIOENCODING": "ascii"})
    assert done.returncode == 0, done.stderr
    assert ident.decode()[:8] in done.stdout.decode("utf-8")
    assert b"Traceback" not in done.stderr


@pytest.mark.qt
def test_subprocess_self_test_passes() -> None:
    done = run("--self-test", env={"QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")[-2000:]
    assert b"all checks passed" in done.stdout


# ---------------------------------------------------------------------------------------------
# JSON shapes


def test_forms_show_json(cli: Any) -> None:
    code, out, err = cli("forms", "show", str(FULL_FORM), "--json")
    assert code == 0, err
    document = json.loads(out)
    assert set(document) == {"id", "version", "hash", "title", "domains", "indicators", "languages"}
    assert document["id"] == "precision-oncology-readiness" and document["version"] == "1.0"
    assert document["hash"] == hashlib.sha256(FULL_FORM.read_bytes()).hexdigest()
    assert set(document["title"]) == {"en", "es", "fr", "pt"}
    assert set(document["languages"]) == {"en", "es", "fr", "pt"}
    assert all(0.0 <= share <= 1.0 for share in document["languages"].values())
    for domain in document["domains"]:
        assert set(domain) == {"id", "name", "indicators"}
        assert isinstance(domain["indicators"], int) and domain["indicators"] > 0
    assert document["indicators"] == sum(d["indicators"] for d in document["domains"])
    # id@version resolves to the same file; the bare id to the newest shipped version.
    pinned = cli("forms", "show", "precision-oncology-readiness@1.0", "--json")[1]
    assert json.loads(pinned) == document
    newest = json.loads(cli("forms", "show", "precision-oncology-readiness", "--json")[1])
    assert newest["version"] == "1.1" and newest["hash"] != document["hash"]


def check_score_object(score: dict[str, Any], domain_ids: list[str]) -> None:
    # CLI.md's keys plus the consistency warnings (`checks`, documented in docs/cli.md).
    assert set(score) == {"domains", "overall", "checks"}
    assert list(score["domains"]) == domain_ids
    for domain in score["domains"].values():
        assert SCORE_DOMAIN_KEYS <= set(domain)
        assert domain["level"] is None or domain["level"] in range(1, 6)
        assert domain["score"] is None or 1.0 <= domain["score"] <= 5.0
        assert (domain["level"] is None) == (domain["score"] is None)
        assert isinstance(domain["capped_by"], list)
        assert 0.0 <= domain["completeness"] <= 1.0 and 0.0 <= domain["dont_know"] <= 1.0
        assert isinstance(domain["provisional"], bool)
        for step in domain["next_level"]:
            assert {"indicator", "reason", "action"} <= set(step)
            assert step["reason"] in {"gate", "gain"}
    assert set(score["overall"]) >= {"score", "bottleneck"}


def test_score_json_with_the_cli_md_answers_file(cli: Any, tmp_path: Path) -> None:
    answers = write_json(tmp_path / "answers.json", CLI_MD_ANSWERS)
    code, out, err = cli("score", str(answers), "--form", str(FULL_FORM), "--json")
    assert code == 0, err
    score = json.loads(out)
    code, forms_out, _ = cli("forms", "show", str(FULL_FORM), "--json")
    check_score_object(score, [d["id"] for d in json.loads(forms_out)["domains"]])
    domains = score["domains"]
    # Four answers are far from half of any domain: every domain has insufficient data (a
    # single answer used to give PATH and GOV a level), and the overall is withheld.
    assert all(d["level"] is None and d["insufficient_data"] for d in domains.values())
    assert all(d["score"] is None for d in domains.values())
    assert any(d["dont_know"] > 0 for d in domains.values())  # QA-03 don't know
    assert score["overall"]["score"] is None and score["overall"]["bottleneck"] is None
    assert sorted(score["overall"]["insufficient_data"]) == sorted(domains)

    # The same answers imported into an assessment score the same.
    ident = new(cli, FULL_FORM)
    code, _, err = cli("assess", "import", ident, str(answers))
    assert code == 0, err
    assert show(cli, ident)["score"] == score


def test_assess_list_json(cli: Any) -> None:
    assert json.loads(cli("assess", "list", "--json")[1]) == []
    ident = new(cli, SAMPLE_FORM, "--lang", "es")
    assert cli("assess", "answer", ident, "PATH-04", "yes")[0] == 0
    code, out, _ = cli("assess", "list", "--json")
    [item] = json.loads(out)
    assert {"id", "city", "country", "period", "status", "progress", "questionnaire"} <= set(item)
    assert item["id"] == ident and item["city"] == GEORGIAN and item["status"] == "draft"
    assert 0.0 < item["progress"] <= 1.0
    assert item["questionnaire"] == {
        "id": "sample-readiness",
        "version": "0.1",
        "hash": hashlib.sha256(SAMPLE_FORM.read_bytes()).hexdigest(),
    }


def test_assess_show_json(cli: Any) -> None:
    ident = new(cli, SAMPLE_FORM, "--lang", "fr", "--contributor", "Nino", "--role", "lab")
    assert cli("assess", "answer", ident, "PATH-04", "yes", "--note", GEORGIAN)[0] == 0
    assert cli("assess", "answer", ident, "PATH-04", "no", "--contributor", "Luis")[0] == 0
    assert cli("assess", "answer", ident, "QA-03", "accredited")[0] == 0
    document = show(cli, ident)
    assert set(document) >= {"id", "city", "country", "period", "language", "status",
                             "questionnaire", "answers", "score"}  # fmt: skip
    assert document["language"] == "fr" and document["status"] == "draft"
    assert set(document["questionnaire"]) == {"id", "version", "hash"}
    from app.forms import load_questionnaire

    questionnaire = load_questionnaire(SAMPLE_FORM)
    assert list(document["answers"]) == [i.id for i in questionnaire.indicators]
    for entry in document["answers"].values():
        assert ANSWER_KEYS <= set(entry)
        for contributor in entry["contributors"]:
            assert CONTRIBUTOR_KEYS <= set(contributor)
    check_score_object(document["score"], [d.id for d in questionnaire.domains])

    answers = document["answers"]
    assert answers["PATH-01"]["state"] == "unanswered" and answers["PATH-01"]["value"] is None
    assert answers["PATH-01"]["contributors"] == []
    disputed = answers["PATH-04"]
    assert disputed["disagreement"] is True and disputed["derived"] is True
    assert disputed["conflict"] is False
    assert disputed["value"] == "no"  # the lowest level counts while they disagree
    by_name = {c["contributor"]: c for c in disputed["contributors"]}
    assert by_name["Nino"]["value"] == "yes" and by_name["Nino"]["note"] == GEORGIAN
    assert by_name["Luis"]["state"] == "answered" and by_name["Luis"]["changed_at"].endswith("Z")
    agreed = answers["QA-03"]
    assert agreed["derived"] is True and agreed["disagreement"] is False
    assert agreed["level"] == 5

    code, _, err = cli("assess", "resolve", ident, "PATH-04", "partial", "--rationale", "audit")
    assert code == 0, err
    resolved = show(cli, ident)["answers"]["PATH-04"]
    assert resolved["value"] == "partial" and resolved["derived"] is False
    assert resolved["disagreement"] is False and len(resolved["contributors"]) == 2


# ---------------------------------------------------------------------------------------------
# Answer values on the command line


def test_answer_value_encodings_round_trip(cli: Any) -> None:
    ident = new(cli)
    given = [
        ("BIO-01", ["egfr,alk"], ["egfr", "alk"], "answered"),
        ("PATH-05", ["12.5"], 12.5, "answered"),
        ("PATH-04", ["partial"], "partial", "answered"),
        ("PATH-06", ["45.5"], 45.5, "answered"),
        ("PATH-07", ["2026-03-01"], "2026-03-01", "answered"),
        ("QA-03", ["accredited"], "accredited", "answered"),
        ("QA-04", [f"{GEORGIAN} — {ARABIC}"], f"{GEORGIAN} — {ARABIC}", "answered"),
        ("BIO-05", [ARABIC], ARABIC, "answered"),
        ("QA-01", ["--state", "not_applicable"], None, "not_applicable"),
        ("BIO-02", ["--state", "dont_know"], None, "dont_know"),
        ("PATH-01", ["--state", "unanswered"], None, "unanswered"),
    ]
    for indicator, args, _, _ in given:
        code, out, err = cli("assess", "answer", ident[:5], indicator, *args)
        assert code == 0, (indicator, err)
        assert "revision" in out
    answers = show(cli, ident)["answers"]
    for indicator, _, value, state in given:
        assert answers[indicator]["state"] == state, indicator
        assert answers[indicator]["value"] == value, indicator
    code, _, err = cli("assess", "answer", ident[:5], "PATH-06", "--state", "not_measured")
    assert code == 0, err
    assert show(cli, ident)["answers"]["PATH-06"]["state"] == "not_measured"


BAD_ANSWERS = [
    (["NOPE-01", "yes"], "unknown indicator 'NOPE-01'"),
    (["PATH-01", "abc"], "expected a number"),
    (["PATH-05", "12,5"], "dot as decimal separator"),
    (["PATH-02", "1.5"], "whole number"),
    (["PATH-01", "100000"], "above the maximum"),
    (["PATH-06", "-1"], "below the minimum"),
    (["PATH-06", "101"], "above the maximum"),
    (["PATH-04", "maybe"], "unknown option 'maybe'"),
    (["BIO-01", "egfr,nope"], "unknown option 'nope'"),
    (["PATH-07", "2026-13-01"], "YYYY-MM-DD"),
    (["PATH-04", "--state", "bogus"], "unknown state 'bogus'"),
    (["PATH-04", "--state", "not_applicable"], "not allowed"),
    (["PATH-04", "yes", "--state", "dont_know"], "cannot carry a value"),
    (["PATH-04", "yes", "--evidence", "rumour"], "unknown evidence type"),
    (["PATH-04"], "give a value or --state"),
    (["PATH-03", "5"], "computed"),
    (["PATH-04", "yes", "--attach", "/no/such/file.pdf"], "no such file"),
]


def test_bad_answers_exit_1_and_write_nothing(cli: Any) -> None:
    ident = new(cli)
    assert cli("assess", "answer", ident, "PATH-04", "no")[0] == 0
    before = show(cli, ident)
    for args, expected in BAD_ANSWERS:
        for command in (["answer"], ["resolve", "--rationale", "why"]):
            if command[0] == "resolve" and "--attach" in args:
                continue
            code, out, err = cli("assess", command[0], ident, *args, *command[1:])
            assert code == 1, (command, args, err)
            assert out == ""
            line = one_clear_line(err)
            assert line.startswith("readiness: ") and expected in line, (args, line)
    assert show(cli, ident) == before
    code, out, _ = cli("assess", "history", ident, "PATH-04", "--json")
    assert code == 0 and len(json.loads(out)) == 1
    code, _, err = cli("assess", "answer", "ffff0000", "PATH-04", "yes")
    assert code == 1 and "no assessment" in one_clear_line(err)


def test_import_checks_every_entry_first(cli: Any, tmp_path: Path) -> None:
    ident = new(cli, FULL_FORM)
    bad_json = tmp_path / "bad.json"
    bad_json.write_text('{"PATH-03": 72,\n', encoding="utf-8")
    cases = [
        (tmp_path / "missing.json", "no such file"),
        (bad_json, "bad.json:2: error: invalid JSON"),
        (write_json(tmp_path / "list.json", [1]), "expected a JSON object"),
        (write_json(tmp_path / "unknown.json", {"PATH-03": 50, "NOPE": 1}), "unknown indicator"),
        (write_json(tmp_path / "range.json", {"PATH-03": 50, "PATH-04": 172}), "maximum"),
        (write_json(tmp_path / "type.json", {"PATH-03": "50"}), "expected a number"),
        (write_json(tmp_path / "state.json", {"PATH-03": 50, "QA-03": {"state": "x"}}), "state"),
        (
            write_json(
                tmp_path / "na.json", {"PATH-03": 50, "GOV-01": {"state": "not_applicable"}}
            ),
            "not allowed",
        ),
    ]
    for path, expected in cases:
        code, out, err = cli("assess", "import", ident, str(path))
        assert code == 1 and out == "", path
        assert expected in one_clear_line(err), (path, err)
    for entry in show(cli, ident)["answers"].values():
        assert entry["state"] == "unanswered"


def test_score_bad_inputs(cli: Any, tmp_path: Path) -> None:
    answers = write_json(tmp_path / "answers.json", CLI_MD_ANSWERS)
    code, out, err = cli("score", str(answers), "--form", str(BROKEN_FORM), "--json")
    assert code == 1 and out == ""
    assert err.startswith(f"{BROKEN_FORM}:25: error: ")
    code, out, err = cli("score", str(answers), "--form", "no-such-questionnaire", "--json")
    assert code == 1 and out == "" and "no-such-questionnaire" in one_clear_line(err)
    code, out, err = cli("score", str(answers), "--form", str(SAMPLE_FORM), "--json")
    line = one_clear_line(err)  # the full form's answers against the sample form
    assert code == 1 and out == "" and "PATH-03" in line and "computed" in line


def test_new_with_bad_input_creates_nothing(cli: Any) -> None:
    base = ["assess", "new", "--country", "K", "--period", "2026"]
    for args, expected in (
        (["--city", "X", "--form", str(BROKEN_FORM)], "cycle.yaml:25: error:"),
        (["--city", "X", "--form", "no-such-form"], "no-such-form"),
        (["--city", " ", "--form", str(SAMPLE_FORM)], "city"),
        (["--city", "X", "--form", "precision-oncology-readiness@9.9"], "9.9"),
    ):
        code, out, err = cli(*base, *args)
        assert code == 1 and out == "", args
        assert expected in err, err
    assert json.loads(cli("assess", "list", "--json")[1]) == []


# ---------------------------------------------------------------------------------------------
# Created ids, demo, status, reports, backups


def test_created_ids_are_alone_on_the_last_line(cli: Any) -> None:
    code, out, _ = cli("demo")
    demo_id = out.splitlines()[-1]
    assert code == 0 and len(demo_id) == 36
    code, out, _ = cli("demo", after=True)
    assert code == 0 and out.splitlines()[-1] == demo_id
    code, out, _ = cli("assess", "next", demo_id[:8], "--period", "2027")
    next_id = out.splitlines()[-1]
    assert code == 0 and len(next_id) == 36 and next_id != demo_id
    code, out, _ = cli("backup", "create")
    name = out.splitlines()[-1]
    assert code == 0 and name.endswith(".sqlite3") and " " not in name
    listed = json.loads(cli("assess", "list", "--json")[1])
    assert {item["id"] for item in listed} == {demo_id, next_id}


def test_status_moves_and_final_blocks_answers(cli: Any) -> None:
    ident = new(cli)
    assert cli("assess", "status", ident[:8], "final")[0] == 0
    code, _, err = cli("assess", "answer", ident[:8], "PATH-04", "yes")
    assert code == 1 and "final" in one_clear_line(err)
    code, _, err = cli("assess", "status", ident[:8], "draft")
    assert code == 1 and "--reason" in one_clear_line(err)
    assert cli("assess", "status", ident[:8], "draft", "--reason", "new data")[0] == 0
    assert show(cli, ident)["status"] == "draft"
    assert cli("assess", "status", ident[:8], "bogus")[0] == 2


def test_report_writes_pdf_and_xlsx_in_the_language(cli: Any, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    ident = new(cli, SAMPLE_FORM, "--lang", "en")
    assert cli("assess", "answer", ident, "PATH-04", "yes", "--note", GEORGIAN)[0] == 0
    sheets, titles = {}, {}
    for lang in ("en", "es"):
        pdf, xlsx = tmp_path / f"r-{lang}.pdf", tmp_path / f"r-{lang}.xlsx"
        code, out, err = cli("report", ident[:6], "--pdf", str(pdf), "--xlsx", str(xlsx),
                             "--lang", lang)  # fmt: skip
        assert code == 0, err
        assert out.splitlines() == [str(pdf), str(xlsx)]
        assert pdf.read_bytes().startswith(b"%PDF-")
        workbook = load_workbook(xlsx, read_only=True)
        sheets[lang] = workbook.sheetnames
        titles[lang] = workbook["summary"]["A1"].value
        assert len(sheets[lang]) == 11  # six for people, five tidy tables
    # Sheet names are stable codes in every language; the localised title is inside the sheet.
    assert sheets["en"][0] == "summary" and sheets["es"] == sheets["en"]
    assert titles["en"] == "Summary" and titles["es"] == "Resumen"
    text = subprocess.run(
        [tool_path("pdftotext"), "-enc", "UTF-8", str(tmp_path / "r-es.pdf"), "-"],
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    assert GEORGIAN in "".join(text.split())
    code, _, err = cli("report", ident, "--pdf", str(tmp_path / "only.pdf"))
    assert code == 0 and (tmp_path / "only.pdf").exists()

    assert cli("report", ident)[0] == 2  # neither file
    for args, expected in (
        (["zzzz", "--pdf", str(tmp_path / "x.pdf")], "no assessment"),
        ([ident, "--pdf", str(tmp_path / "no" / "x.pdf")], "does not exist"),
        ([ident, "--pdf", str(tmp_path / "s"), "--xlsx", str(tmp_path / "s")], "different"),
    ):
        code, out, err = cli("report", *args)
        assert code == 1 and out == "" and expected in one_clear_line(err)
    assert not (tmp_path / "x.pdf").exists() and not (tmp_path / "s").exists()


def test_backup_list_create_restore_latest(cli: Any) -> None:
    code, out, _ = cli("backup", "list", "--json")
    assert code == 0 and json.loads(out) == []
    code, _, err = cli("backup", "restore", "latest")
    assert code == 1 and "no backups" in one_clear_line(err)
    ident = new(cli)
    code, out, _ = cli("backup", "create")
    name = out.splitlines()[-1]
    assert cli("assess", "answer", ident, "PATH-04", "yes")[0] == 0
    code, out, _ = cli("backup", "list", "--json")
    backups = json.loads(out)
    assert name in [b["name"] for b in backups]
    for backup in backups:
        assert set(backup) >= {"name", "kind", "created_at", "size"} and backup["size"] > 0
    code, out, err = cli("backup", "restore", "latest", after=True)
    assert code == 0, err
    assert "pre-restore" in out
    # The answer made after the newest backup is gone from the database, kept in the pre-restore.
    restored = show(cli, ident)["answers"]["PATH-04"]
    assert restored["state"] == "unanswered"
    kinds = [b["kind"] for b in json.loads(cli("backup", "list", "--json")[1])]
    assert "pre-restore" in kinds
    code, _, err = cli("backup", "restore", "../../etc/passwd")
    assert code == 1 and "no backup named" in one_clear_line(err)
