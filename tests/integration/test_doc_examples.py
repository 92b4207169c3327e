"""Every command example in docs/cli.md and the README runs, against the shipped questionnaire.

The examples are read from the documents themselves (a `$ readiness ...` line in a fenced block
of docs/cli.md, a `readiness ...` line in the README's command block), run in the order a reader
would type them, and must exit as the document shows: 0, or 1 when the document shows an error
line, or the number an `echo $?` line shows. Only what cannot exist on a test machine is replaced:
the example hub address and enrollment code (by a real hub on loopback and a real code), a USB stick folder, and the example
assessment id 4180 (by the id the `assess new` example printed).
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import re
import shlex
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import keyring
import pytest
from keyring.backend import KeyringBackend

from app.cli import main
from tests.sync_support import free_port

ROOT = Path(__file__).resolve().parents[2]
HUB_EXAMPLE_URL = "https://hub.example.org"
HUB_EXAMPLE_CODE = "K7QM-2XWD-P9HT-4RJN"
USB_FOLDER = "/media/usb/other"
EXAMPLE_ID = "4180"


@dataclass
class Example:
    source: str  # "docs/cli.md:126"
    argv: list[str]
    env: dict[str, str]
    shown: list[str] = field(default_factory=list)  # the lines the document shows after it
    exit_code: int | None = None  # from an `echo $?` line

    def expected_exit(self) -> int:
        if self.exit_code is not None:
            return self.exit_code
        if any(line.startswith("readiness: ") or ": error: " in line for line in self.shown):
            return 1
        return 0


def read_examples(path: Path, prompt: str) -> list[Example]:
    """The commands of every fenced block in `path`; `prompt` is what starts a command line."""
    found: list[Example] = []
    in_block = False
    lines = path.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if line.startswith("```"):
            in_block = not in_block
            continue
        if not in_block:
            continue
        stripped = line.split("  #")[0].rstrip() if prompt == "" else line
        if stripped.startswith(f"{prompt}echo $?") and found:
            found[-1].exit_code = int(lines[i].strip())
            i += 1
            continue
        if not stripped.startswith(prompt) or (
            prompt == "" and not stripped.startswith("readiness")
        ):
            if found and found[-1].source.startswith(path.name) and prompt:
                found[-1].shown.append(line)
            continue
        start = i
        command = stripped[len(prompt) :]
        while command.endswith("\\"):
            command = command[:-1] + " " + lines[i].strip()
            i += 1
        words = shlex.split(command)
        env = {}
        while words and re.match(r"^[A-Z_]+=", words[0]):
            key, value = words.pop(0).split("=", 1)
            env[key] = value
        found.append(Example(f"{path.name}:{start}", words, env))
    return found


class MemoryKeyring(KeyringBackend):
    """Stands for the system keyring a laptop has (a test machine has none)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.items.pop((service, username), None)


@pytest.fixture
def system_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    yield
    keyring.set_keyring(previous)


class Reader:
    """Runs examples as a reader would, in one working folder and one data folder."""

    def __init__(self, work: Path, data: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.work = work
        self.data = data
        self.capsys = capsys
        self.values: dict[str, str] = {USB_FOLDER: str(work / "usb-other")}
        self.hub: subprocess.Popen[bytes] | None = None

    def substitute(self, word: str) -> str:
        for old, new in self.values.items():
            if word == old or (old == EXAMPLE_ID and word == EXAMPLE_ID):
                return new
        return word

    def run(self, example: Example) -> tuple[int, str, str]:
        argv = [self.substitute(word) for word in example.argv]
        assert argv[0] == "readiness", example.source
        if argv[1:3] == ["hub", "serve"]:
            return self.serve(argv[1:])
        if any("could not be reached" in line for line in example.shown):
            self.stop()  # the example shows what happens when the hub is down
        if argv[1:2] == ["--self-test"]:
            return self.self_test(argv[1:], example.env)
        try:
            code = main(argv[1:])
        except SystemExit as exc:
            code = int(exc.code or 0)
        out, err = self.capsys.readouterr()
        return code, out, err

    def serve(self, args: list[str]) -> tuple[int, str, str]:
        port = free_port()
        args = [a if a != "8765" else str(port) for a in args]
        self.hub = subprocess.Popen(
            [sys.executable, "-m", "app", "--data-dir", str(self.data), *args],
            cwd=self.work,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and self.hub.poll() is None:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(url + "/v1/health", timeout=1).status_code == 200:
                    self.values[HUB_EXAMPLE_URL] = url
                    return 0, url, ""
            time.sleep(0.1)
        return 1, "", "the hub did not start"

    def self_test(self, args: list[str], env: dict[str, str]) -> tuple[int, str, str]:
        done = subprocess.run(
            [sys.executable, "-m", "app", *args],
            capture_output=True,
            text=True,
            timeout=300,
            cwd=self.work,
            env={**os.environ, **env},
        )
        return done.returncode, done.stdout, done.stderr

    def stop(self) -> None:
        if self.hub is not None:
            self.hub.kill()
            self.hub.wait(10)
            self.hub = None


def answers_file_shown(examples: list[Example]) -> dict[str, Any]:
    cat = next(e for e in examples if e.argv == ["cat", "answers.json"])
    return dict(json.loads("\n".join(cat.shown)))


def order_for_a_reader(examples: list[Example]) -> list[Example]:
    """The hub's administration comes first: a laptop enrolls with a code the hub gave."""
    hub = [e for e in examples if e.argv[1:2] == ["hub"]]
    return hub + [e for e in examples if e not in hub]


@pytest.mark.qt_sensitive  # the self-test example needs PySide6; without it, it must say so
def test_every_documented_command_runs(
    tmp_path: Path,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    system_keyring: None,
) -> None:
    cli_examples = read_examples(ROOT / "docs" / "cli.md", "$ ")
    readme_examples = read_examples(ROOT / "README.md", "")
    assert len(cli_examples) > 30 and len(readme_examples) >= 5

    work = tmp_path / "work"
    work.mkdir()
    (work / "tests").symlink_to(ROOT / "tests")  # examples name files of the repository
    answers = answers_file_shown(cli_examples)
    (work / "answers.json").write_text(json.dumps(answers), encoding="utf-8")
    typo = {**answers, "PATH-03": 172}
    (work / "answers-with-a-typo.json").write_text(json.dumps(typo), encoding="utf-8")
    monkeypatch.chdir(work)

    reader = Reader(work, data_dir, capsys)
    has_qt = importlib.util.find_spec("PySide6") is not None
    failures = []
    try:
        for example in order_for_a_reader([e for e in cli_examples if e.argv[0] != "cat"]):
            code, out, err = reader.run(example)
            expected = example.expected_exit()
            if example.argv[1:2] == ["--self-test"] and not has_qt:
                expected = 1  # this environment has no window toolkit: one clear line
            if code != expected or "Traceback" in err:
                failures.append(f"{example.source}: {shlex.join(example.argv)} -> {code}: {err}")
                continue
            last = out.strip().splitlines()[-1] if out.strip() else ""
            if example.argv[1:3] == ["assess", "new"]:
                reader.values[EXAMPLE_ID] = last
            elif example.argv[1:2] == ["hub"] and example.argv[2:3] == ["enroll-code"]:
                reader.values[HUB_EXAMPLE_CODE] = last
        for example in readme_examples:
            if example.argv[1:2] == ["demo"]:
                code, out, err = reader.run(example)
                reader.values["<id>"] = out.strip().splitlines()[-1]
            else:
                code, out, err = reader.run(example)
            if code != example.expected_exit() or "Traceback" in err:
                failures.append(f"{example.source}: {shlex.join(example.argv)} -> {code}: {err}")
    finally:
        reader.stop()
    assert not failures, "\n".join(failures)


def test_history_example_shows_what_the_examples_before_it_did() -> None:
    """The history example must tell the story of the answer examples above it."""
    examples = read_examples(ROOT / "docs" / "cli.md", "$ ")
    history = next(e for e in examples if e.argv[1:3] == ["assess", "history"])
    answers = [
        e for e in examples
        if e.argv[1:3] in (["assess", "answer"], ["assess", "resolve"]) and e.argv[4] == history.argv[4]
    ]  # fmt: skip
    shown_values = [re.search(r"-> (\S+)", line).group(1) for line in history.shown if "->" in line]  # type: ignore[union-attr]
    assert shown_values == [e.argv[5] for e in answers]
