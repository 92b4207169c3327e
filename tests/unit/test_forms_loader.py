"""Loading the sample questionnaire: the objects built, defaults, hashing, caching, coverage."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from app.common.errors import DefinitionError, NotFoundError
from app.domain import AnswerType, Band, LevelBy, Questionnaire
from app.forms import (
    clear_cache,
    find_form,
    load_questionnaire,
    load_questionnaire_bytes,
    shipped_forms,
    translation_coverage,
    validate_file,
    validate_paths,
)
from app.forms import registry as forms_registry

DATA = Path(__file__).resolve().parents[1] / "data"
SAMPLE = DATA / "sample-form.yaml"


@pytest.fixture
def sample() -> Questionnaire:
    return load_questionnaire(SAMPLE)


def line_of(text: str) -> int:
    """The line of the sample that holds `text` (found independently of the loader)."""
    for number, line in enumerate(SAMPLE.read_text(encoding="utf-8").splitlines(), start=1):
        if text in line:
            return number
    raise AssertionError(text)


def test_sample_identity(sample: Questionnaire) -> None:
    assert sample.id == "sample-readiness"
    assert sample.version == "0.1"
    assert sample.sha256 == hashlib.sha256(SAMPLE.read_bytes()).hexdigest()
    assert sample.source_path == str(SAMPLE)
    assert sample.title["pt"] == "Questionário de prontidão de exemplo"
    assert [d.level for d in sample.levels] == [1, 2, 3, 4, 5]
    assert sample.levels[4].description["fr"].startswith("La ville")
    assert sample.level_name(2, "es") == "Emergente"


def test_sample_structure(sample: Questionnaire) -> None:
    assert [d.id for d in sample.domains] == ["PATH", "BIO", "QA"]
    assert [s.id for s in sample.domain("PATH").sections] == ["PATH-A", "PATH-B"]
    assert sample.domain("BIO").weight == 2.0
    assert sample.domain("QA").weight == 1.0  # default
    assert len(sample.indicators) == 17
    assert [i.id for i in sample.domain("QA").scored_indicators] == [
        "QA-01", "QA-02", "QA-03", "QA-05",
    ]  # fmt: skip
    assert sample.domain_of("BIO-04").id == "BIO"


def test_sample_covers_every_type_state_and_mapping(sample: Questionnaire) -> None:
    assert {i.type for i in sample.indicators} == set(AnswerType)
    assert {i.level_by for i in sample.indicators} == set(LevelBy)
    assert any(i.allow_not_applicable for i in sample.indicators)
    assert any(i.allow_not_measured for i in sample.indicators)
    assert {g.mode for g in sample.gates} == {"any", "all"}
    fields = ("relevance", "constraint", "compute", "level_expression")
    assert all(any(getattr(i, f) for i in sample.indicators) for f in fields)


def test_defaults_follow_the_format(sample: Questionnaire) -> None:
    ypn = sample.indicator("PATH-04")
    assert ypn.level_by is LevelBy.OPTION and ypn.scored and ypn.core and ypn.weight == 2.0
    assert [(o.code, o.level) for o in ypn.options] == [("yes", 4), ("partial", 2), ("no", 1)]
    assert ypn.option("partial") is not None
    assert ypn.option("partial").label == {  # type: ignore[union-attr]
        "en": "Partial", "es": "Parcialmente", "fr": "Partiellement", "pt": "Parcialmente",
    }  # fmt: skip
    assert ypn.option("no").label["pt"] == "Não"  # type: ignore[union-attr]
    assert ypn.option("yes").label["fr"] == "Oui"  # type: ignore[union-attr]
    assert ypn.source.startswith("CAP/ASCO")
    assert ypn.required and not ypn.allow_not_applicable
    assert sorted(ypn.actions) == [1, 2, 3, 4]
    assert ypn.line == line_of("- id: PATH-04")

    percent = sample.indicator("PATH-06")
    assert (percent.minimum, percent.maximum) == (0.0, 100.0)
    assert percent.level_by is LevelBy.BAND and percent.allow_not_measured

    computed = sample.indicator("PATH-03")
    assert computed.compute == "PATH-01 / PATH-02 * 1000000"
    assert computed.bands[:2] == (Band(minimum=0.0, level=1), Band(minimum=1.0, level=2))
    assert computed.decimals == 1 and computed.minimum == 0.0 and computed.maximum is None

    assert sample.indicator("BIO-01").level_by is LevelBy.COUNT
    assert sample.indicator("BIO-01").option("none").exclusive  # type: ignore[union-attr]
    assert sample.indicator("BIO-03").level_by is LevelBy.MAX_OPTION
    assert sample.indicator("QA-05").level_by is LevelBy.EXPRESSION  # implied
    assert sample.indicator("QA-05").level_expression == "min(5, 1 + value)"

    for unscored in ("PATH-01", "PATH-07", "BIO-05", "QA-04"):
        indicator = sample.indicator(unscored)
        assert not indicator.scored and indicator.level_by is LevelBy.NONE
    assert not sample.indicator("PATH-07").required
    assert sample.indicator("BIO-04").constraint_message["es"].startswith("Escriba")


def test_gates(sample: Questionnaire) -> None:
    eqa, fixation = sample.gates
    assert eqa.id == "eqa-missing" and eqa.indicators == ("QA-01", "QA-02")
    assert eqa.mode == "all" and eqa.min_level == 2 and dict(eqa.caps) == {"QA": 2, "BIO": 2}
    assert fixation.mode == "any" and dict(fixation.caps) == {"PATH": 2}
    assert fixation.message["en"] == "Fixation time is not documented."


def test_bytes_and_file_give_the_same_questionnaire(sample: Questionnaire) -> None:
    from_bytes = load_questionnaire_bytes(SAMPLE.read_bytes(), "copy.yaml")
    assert from_bytes.source_path == "copy.yaml"
    assert from_bytes.sha256 == sample.sha256
    assert from_bytes.domains == sample.domains and from_bytes.gates == sample.gates


def test_cache_returns_the_parsed_object_until_the_file_changes(tmp_path: Path) -> None:
    clear_cache()
    copy = tmp_path / "form.yaml"
    shutil.copyfile(SAMPLE, copy)
    first = load_questionnaire(copy)
    assert load_questionnaire(copy) is first
    copy.write_bytes(SAMPLE.read_bytes().replace(b'version: "0.1"', b'version: "0.2"'))
    os.utime(copy, ns=(first_ns := copy.stat().st_mtime_ns + 10**9, first_ns))
    second = load_questionnaire(copy)
    assert second is not first and second.version == "0.2"
    assert second.sha256 == hashlib.sha256(copy.read_bytes()).hexdigest()


def test_load_raises_definition_error_with_every_problem(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    text = SAMPLE.read_text(encoding="utf-8")
    yes = '{code: "yes", level: 4}'
    weight = "            weight: 2\n"  # PATH-04's, not the BIO domain's
    broken = text.replace(weight, weight.replace("2", "-1")).replace(yes, yes.replace("4", "9"), 1)
    bad.write_text(broken, encoding="utf-8")
    with pytest.raises(DefinitionError) as caught:
        load_questionnaire(bad)
    assert [str(p) for p in caught.value.problems] == [
        f"{bad}:{line_of(weight.rstrip())}: error: indicator PATH-04, weight: must be above 0 (got -1)",
        f"{bad}:{line_of(yes)}: error: indicator PATH-04, option 'yes': level 9 is outside 1-5",
    ]
    assert str(caught.value).splitlines() == [str(p) for p in caught.value.problems]


def test_missing_file_is_a_definition_error(tmp_path: Path) -> None:
    with pytest.raises(DefinitionError) as caught:
        load_questionnaire(tmp_path / "nope.yaml")
    assert str(caught.value) == f"{tmp_path / 'nope.yaml'}:1: error: no such file"
    assert [str(p) for p in validate_file(tmp_path)] == [
        f"{tmp_path}:1: error: is a folder, not a definition file"
    ]


def test_missing_translations_are_warnings_and_lower_coverage(
    tmp_path: Path, sample: Questionnaire
) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    label = "              pt: O tempo de fixação em formol é documentado para cada amostra?\n"
    help_pt = "              pt: Parcialmente significa apenas alguns laboratórios ou amostras.\n"
    assert label in text and help_pt in text
    partial = tmp_path / "partial.yaml"
    partial.write_text(text.replace(label, "").replace(help_pt, ""), encoding="utf-8")

    problems = validate_file(partial)
    label_line = _line(partial, "            label:", "PATH-04")
    help_line = _line(partial, "            help:", "PATH-04")
    assert [str(p) for p in problems] == [
        f"{partial}:{label_line}: warning: indicator PATH-04, label: missing translation 'pt'",
        f"{partial}:{help_line}: warning: indicator PATH-04, help: missing translation 'pt'",
    ]
    loaded = load_questionnaire(partial)  # warnings do not stop loading
    assert "pt" not in loaded.indicator("PATH-04").label

    full = translation_coverage(sample)
    assert full == {"en": 1.0, "es": 1.0, "fr": 1.0, "pt": 1.0}
    coverage = translation_coverage(partial)
    total = _count_texts(sample)
    assert coverage["en"] == 1.0 and coverage["es"] == 1.0 and coverage["fr"] == 1.0
    assert coverage["pt"] == round((total - 2) / total, 4)


def _line(path: Path, prefix: str, after_id: str) -> int:
    """The first line starting with `prefix` after the indicator `after_id`."""
    seen = False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        seen = seen or line.strip() == f"- id: {after_id}"
        if seen and line.startswith(prefix):
            return number
    raise AssertionError(prefix)


def _count_texts(q: Questionnaire) -> int:
    """Translatable texts with English, counted here without the loader's own walk."""
    texts = [q.title, q.description]
    texts += [t for level in q.levels for t in (level.name, level.description)]
    for domain in q.domains:
        texts += [domain.name, domain.description]
        for section in domain.sections:
            texts.append(section.name)
            for i in section.indicators:
                texts += [i.label, i.help, i.guidance, i.constraint_message, i.unit]
                texts += [o.label for o in i.options] + list(i.actions.values())
    texts += [g.message for g in q.gates]
    return sum(1 for t in texts if t.get("en"))


def test_validate_paths_expands_folders_and_skips_src(tmp_path: Path) -> None:
    (tmp_path / "forms" / "a" / "src").mkdir(parents=True)
    shutil.copyfile(SAMPLE, tmp_path / "forms" / "a" / "one.yaml")
    (tmp_path / "forms" / "a" / "src" / "part.yaml").write_text("not: a questionnaire\n")
    (tmp_path / "forms" / "bad.yaml").write_text("format: 1\n")
    (tmp_path / "empty").mkdir()
    problems = [str(p) for p in validate_paths([tmp_path / "forms", tmp_path / "empty",
                                                tmp_path / "missing.yaml"])]  # fmt: skip
    bad = tmp_path / "forms" / "bad.yaml"
    assert problems == [
        f"{bad}:1: error: missing required field 'id'",
        f"{bad}:1: error: missing required field 'version'",
        f"{bad}:1: error: missing required field 'title'",
        f"{bad}:1: error: missing required field 'levels'",
        f"{bad}:1: error: missing required field 'domains'",
        f"{tmp_path / 'empty'}:1: error: no definition files (*.yaml) here",
        f"{tmp_path / 'missing.yaml'}:1: error: no such file or folder",
    ]


@pytest.fixture
def forms_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "forms"
    (folder / "sample" / "src").mkdir(parents=True)
    text = SAMPLE.read_text(encoding="utf-8")
    for version in ("1.9", "1.10", "0.5"):
        (folder / "sample" / f"v{version}.yaml").write_text(
            text.replace('version: "0.1"', f'version: "{version}"'), encoding="utf-8"
        )
    (folder / "sample" / "src" / "v9.yaml").write_text(
        text.replace('version: "0.1"', 'version: "9.0"'), encoding="utf-8"
    )
    (folder / "broken.yaml").write_bytes(b"\x00\x01 not yaml")
    monkeypatch.setattr(forms_registry, "forms_dir", lambda: folder)
    return folder


def test_shipped_forms_leave_out_src(forms_folder: Path) -> None:
    assert shipped_forms() == [
        forms_folder / "broken.yaml",
        forms_folder / "sample" / "v0.5.yaml",
        forms_folder / "sample" / "v1.10.yaml",
        forms_folder / "sample" / "v1.9.yaml",
    ]


def test_find_form_by_path_id_and_version(forms_folder: Path) -> None:
    assert find_form(str(SAMPLE)) == SAMPLE
    assert find_form("sample-readiness") == forms_folder / "sample" / "v1.10.yaml"  # newest
    assert find_form("sample-readiness@1.9") == forms_folder / "sample" / "v1.9.yaml"
    with pytest.raises(NotFoundError, match=r"no version '9.0' \(shipped: 0.5, 1.9, 1.10\)"):
        find_form("sample-readiness@9.0")  # only in src/
    with pytest.raises(NotFoundError, match="'other-form'.*sample-readiness"):
        find_form("other-form")
    with pytest.raises(NotFoundError, match="no such questionnaire file: nothing/here.yaml"):
        find_form("nothing/here.yaml")
    with pytest.raises(NotFoundError):
        find_form("")


def test_find_form_with_no_forms_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(forms_registry, "forms_dir", lambda: tmp_path / "absent")
    assert shipped_forms() == []
    with pytest.raises(NotFoundError, match="none"):
        find_form("sample-readiness")
