"""Broken and hostile definition files: each gives a clear `FILE:LINE: error:` line, never a crash.

Each fixture in tests/data/broken/ ends with `# expect: LINE: error: MESSAGE` lines naming the
problems it must produce (empty.yaml, which must stay empty, is listed here instead).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.common.errors import DefinitionError
from app.forms import check_bytes, load_questionnaire, load_questionnaire_bytes, validate_file
from app.forms.loader import INTERNAL_ERROR

DATA = Path(__file__).resolve().parents[1] / "data"
BROKEN = sorted((DATA / "broken").glob("*.yaml"))
SAMPLE_BYTES = (DATA / "sample-form.yaml").read_bytes()
PROBLEM_LINE = re.compile(r"^(?P<file>.+):(?P<line>[1-9][0-9]*): (error|warning): \S.*$", re.S)
SPECIAL = {"empty.yaml": ["1: error: the file is empty"]}


def expectations(path: Path) -> list[str]:
    if path.name in SPECIAL:
        return SPECIAL[path.name]
    text = path.read_text(encoding="utf-8", errors="replace")
    return [
        line.removeprefix("# expect: ")
        for line in text.splitlines()
        if line.startswith("# expect: ")
    ]


def test_every_fixture_states_what_it_expects() -> None:
    assert len(BROKEN) >= 40
    for path in BROKEN:
        assert expectations(path), path.name


@pytest.mark.parametrize("path", BROKEN, ids=[p.stem for p in BROKEN])
def test_broken_fixture_gives_the_expected_lines(path: Path) -> None:
    problems = [str(p) for p in validate_file(path)]
    for expected in expectations(path):
        assert f"{path}:{expected}" in problems
    assert any(": error: " in p for p in problems)
    with pytest.raises(DefinitionError) as caught:
        load_questionnaire(path)
    assert [str(p) for p in caught.value.problems] == problems


def test_alias_bomb_is_refused_at_once() -> None:
    layers = "".join(f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 10)}]\n" for n in range(1, 30))
    data = ("l0: &l0 [x]\n" + layers).encode()
    problems = check_bytes(data, "bomb.yaml")[1]
    assert [str(p) for p in problems] == ["bomb.yaml:1: error: anchors (&l0) are not allowed"]
    # an alias without its anchor is a plain YAML error, also on its line
    assert str(check_bytes(b"a: 1\nb: *nothing\n", "x.yaml")[1][0]).startswith("x.yaml:2: error:")


def test_large_file_is_refused_without_parsing(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"# padding\n" * (3 * 1024 * 1024 // 10))
    assert [str(p) for p in validate_file(big)] == [
        f"{big}:1: error: the file is larger than 2 MiB"
    ]


def test_binary_and_non_utf8_files(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.yaml"
    garbage.write_bytes(bytes(range(256)) * 40)
    assert [str(p) for p in validate_file(garbage)] == [
        f"{garbage}:1: error: the file is not text (it contains binary data)"
    ]
    latin = tmp_path / "latin1.yaml"
    latin.write_bytes(SAMPLE_BYTES.replace("Patología".encode(), "Patología".encode("latin-1")))
    problems = [str(p) for p in validate_file(latin)]
    line = SAMPLE_BYTES[: SAMPLE_BYTES.index("Patología".encode())].count(b"\n") + 1
    assert problems == [f"{latin}:{line}: error: the file is not UTF-8 text"]
    utf16 = tmp_path / "utf16.yaml"
    utf16.write_bytes(SAMPLE_BYTES.decode().encode("utf-16"))
    assert len(validate_file(utf16)) == 1


def test_bom_is_accepted() -> None:
    questionnaire = load_questionnaire_bytes(b"\xef\xbb\xbf" + SAMPLE_BYTES, "bom.yaml")
    assert questionnaire.id == "sample-readiness"


@pytest.mark.parametrize(
    "data",
    [b"[" * 100_000, b"a:\n" + b"".join(b"  " * i + b"- \n" for i in range(1, 60))],
    ids=["flow", "block"],
)
def test_deep_nesting_is_refused(data: bytes, tmp_path: Path) -> None:
    # Whichever parser stops it first (ours at 40 levels, or libyaml's own limit), the file is
    # refused with one error that names the file and a line, and nothing is built.
    questionnaire, problems = check_bytes(data, "deep.yaml")
    assert questionnaire is None
    errors = [p for p in problems if p.severity == "error"]
    assert len(errors) == 1
    assert re.match(r"deep\.yaml:\d+: error: ", str(errors[0]))
    assert INTERNAL_ERROR not in str(errors[0])
    path = tmp_path / "deep.yaml"
    path.write_bytes(data)
    result = subprocess.run(
        [sys.executable, "-m", "app", "forms", "validate", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert re.search(r"deep\.yaml:\d+: error: ", result.stdout + result.stderr)
    assert "Traceback" not in result.stdout + result.stderr


def sample_with(old: str, new: str) -> bytes:
    text = SAMPLE_BYTES.decode()
    assert old in text, old
    return text.replace(old, new, 1).encode()


def line_in_sample(fragment: str) -> int:
    text = SAMPLE_BYTES.decode()
    return text[: text.index(fragment)].count("\n") + 1


WRONG_TYPES = [
    ("            weight: 2\n", "            weight: heavy\n", "            weight:",
     "indicator PATH-04, weight: expected a number, got text"),
    ("            core: true\n", "            core: sometimes\n", "            core: true",
     "indicator PATH-03, core: expected true or false, got text"),
    ("            min: 0\n            max: 10000\n", "            min: [0]\n            max: 10000\n",
     "            min: 0\n            max: 10000", "indicator PATH-01, min: expected a number, got a list"),
    ("    sections:\n      - id: QA-A", "    sections: QA-A\n    unused:\n      - id: QA-A",
     "    sections:\n      - id: QA-A", "domain QA, sections: expected a list, got text"),
    ("    indicators: [QA-01, QA-02]", "    indicators: QA-01", "    indicators: [QA-01, QA-02]",
     "gate eqa-missing, indicators: expected a list, got text"),
    ("    caps: {QA: 2, BIO: 2}", "    caps: [QA, BIO]", "    caps: {QA: 2, BIO: 2}",
     "gate eqa-missing, caps: expected a mapping, got a list"),
    ("    caps: {PATH: 2}", "    caps: {PATH: high}", "    caps: {PATH: 2}",
     "gate fixation-undocumented, caps: PATH: expected a level 1-5, got text"),
    ("  - level: 1\n    name: {en: Absent / ad hoc, es: Ausente / ad hoc, fr: Absent / ad hoc, pt: Ausente / ad hoc}\n",
     "  - 1\n", "  - level: 1", "levels: expected a mapping of fields, got a number"),
    ("              1: {en: Fund pathology posts.", "              one: {en: Fund pathology posts.",
     "              1: {en: Fund pathology posts.", "indicator PATH-03, actions: 'one' is not a level 1-4"),
    ("              en: How many pathologists work in the city?",
     "              en: {text: How many pathologists work in the city?}",
     "              en: How many pathologists", "indicator PATH-01, label: 'en' must be text, not a mapping"),
    ("            compute: \"PATH-01 / PATH-02 * 1000000\"", "            compute: 12",
     "            compute:", "indicator PATH-03, compute: expected text, got a number (put it in quotes)"),
    ("              - {min: 0, level: 1}", "              - {min: zero, level: 1}",
     "              - {min: 0, level: 1}", "indicator PATH-03, band 1, min: expected a number, got text"),
    ("              - {min: 1, level: 2}", "              - {min: 1, level: 2.5}",
     "              - {min: 1, level: 2}", "indicator PATH-03, band 2, level: expected a whole number, got a number"),
    ("    name: {en: Pathology, es: Patología, fr: Pathologie, pt: Patologia}",
     "    name: {en: Pathology, de: Pathologie, es: Patología, fr: Pathologie, pt: Patologia}",
     "    name: {en: Pathology", "domain PATH, name: unknown language 'de' (use en, es, fr, pt)"),
    ('version: "0.1"', "version: [0, 1]", 'version: "0.1"', "version: expected text, got a list"),
    ("format: 1", "format: one", "format: 1", "format: expected a whole number, got text"),
    ("          - id: PATH-01\n", "          - id: path-01\n", "          - id: PATH-01",
     "indicator path-01, id: 'path-01' is not valid: ids look like PATH-04"),
    ("            not_applicable: true\n            options:", "            not_applicable: 1\n            options:",
     "            not_applicable: true\n            options:", "indicator BIO-02, not_applicable: expected true or false, got a number"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("old", "new", "at", "message"), WRONG_TYPES, ids=[w[3][:40] for w in WRONG_TYPES]
)
def test_wrong_types_are_named_with_their_line(old: str, new: str, at: str, message: str) -> None:
    questionnaire, problems = check_bytes(sample_with(old, new), "form.yaml")
    assert questionnaire is None
    lines = [str(p) for p in problems]
    assert f"form.yaml:{line_in_sample(at)}: error: {message}" in lines, lines


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b"- a\n- b\n",
            "form.yaml:1: error: the file must hold a mapping (format, id, version, ...)",
        ),
        (
            b"just text\n",
            "form.yaml:1: error: the file must hold a mapping (format, id, version, ...)",
        ),
        (
            b"format: 1\nid: x\nversion: '1'\n---\nid: y\n",
            "form.yaml:4: error: the file holds more than one YAML document",
        ),
        (b"format: 1\n!!binary a: 1\n", "form.yaml:2: error: tags (!!binary) are not allowed"),
        (b"format: 1\nid: !custom x\n", "form.yaml:2: error: tags (!custom) are not allowed"),
        (
            b"format: 1\n? [a, b]\n: 1\n",
            "form.yaml:2: error: a field name must be plain text, not a list or mapping",
        ),
        (b"format: 1\nid: x\nid: y\n", "form.yaml:3: error: field 'id' is given twice"),
        (b"format: .nan\n", "form.yaml:1: error: '.nan' is not a usable number"),
        (
            b"format: 1\ntitle: {en: \x07}\n",
            "form.yaml:2: error: not valid YAML: control characters are not allowed",
        ),
    ],
)
def test_hostile_or_odd_yaml(data: bytes, message: str) -> None:
    assert message in [str(p) for p in check_bytes(data, "form.yaml")[1]]


def assert_clean_problems(data: bytes) -> None:
    questionnaire, problems = check_bytes(data, "fuzz.yaml")
    for problem in problems:
        assert PROBLEM_LINE.match(str(problem)), str(problem)
        assert problem.file == "fuzz.yaml"
        assert INTERNAL_ERROR not in problem.message
    assert (questionnaire is None) == any(p.severity == "error" for p in problems)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_random_bytes_never_raise(data: bytes) -> None:
    assert_clean_problems(data)


SAMPLE_LINES = SAMPLE_BYTES.decode().splitlines(keepends=True)


@st.composite
def mutated_sample(draw: st.DrawFn) -> bytes:
    """The sample with a few lines dropped, repeated, swapped or edited: YAML-ish text."""
    lines = list(SAMPLE_LINES)
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        if not lines:
            break
        at = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        action = draw(st.sampled_from(["drop", "repeat", "swap", "edit", "indent", "truncate"]))
        if action == "drop":
            del lines[at]
        elif action == "repeat":
            lines.insert(at, lines[at])
        elif action == "swap":
            other = draw(st.integers(min_value=0, max_value=len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif action == "edit":
            junk = draw(st.sampled_from(["", "0", "-1", "9", "true", "~", "[]", "{}", "'x'", "&a x",
                                         "*a", "!t x", "value > (", "PATH-99", "- x", ": :", "\t"]))  # fmt: skip
            head, _, _ = lines[at].partition(":")
            lines[at] = f"{head}: {junk}\n"
        elif action == "indent":
            lines[at] = "  " + lines[at]
        else:
            lines = lines[:at]
    return "".join(lines).encode()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_sample())
def test_mutated_definitions_never_raise(data: bytes) -> None:
    assert_clean_problems(data)


yaml_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=10)),
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.one_of(
                st.sampled_from(
                    [
                        "format",
                        "id",
                        "version",
                        "title",
                        "levels",
                        "domains",
                        "gates",
                        "sections",
                        "indicators",
                        "type",
                        "options",
                        "bands",
                        "level",
                        "min",
                        "code",
                        "en",
                        "caps",
                        "actions",
                        "label",
                        "name",
                    ]
                ),  # fmt: skip
                st.text(max_size=5),
            ),
            children,
            max_size=5,
        ),
    ),
    max_leaves=30,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(yaml_values, st.booleans())
def test_random_yaml_documents_never_raise(document: object, with_format: bool) -> None:
    if with_format and isinstance(document, dict):
        document = {"format": 1, **document}
    assert_clean_problems(yaml.safe_dump(document, allow_unicode=True).encode())


def test_validate_file_never_raises_on_odd_paths(tmp_path: Path) -> None:
    fifo_free = [tmp_path, tmp_path / "missing.yaml", tmp_path / "dir.yaml"]
    (tmp_path / "dir.yaml").mkdir()
    for path in fifo_free:
        problems = validate_file(path)
        assert len(problems) == 1 and problems[0].severity == "error"
    unreadable = tmp_path / "locked.yaml"
    unreadable.write_bytes(SAMPLE_BYTES)
    unreadable.chmod(0)
    try:
        if os.geteuid() != 0:  # root reads anything
            assert "cannot be read" in str(validate_file(unreadable)[0])
    finally:
        unreadable.chmod(0o644)
