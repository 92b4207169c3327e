"""Reading an answers file (`{indicator_id: value or {value, state, note, evidence}}`).

Every entry is checked before anything uses it; an error names the file and, for JSON syntax, the
line and column.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from app.common.errors import UserError, ValidationError
from app.domain import Answer, Questionnaire
from app.logic.values import answer_from_json

MAX_ANSWERS_FILE = 20 * 1024 * 1024


def read_json_file(path: str | Path) -> Any:
    """Parse a JSON file with errors that say where."""
    file = Path(path)
    try:
        if file.stat().st_size > MAX_ANSWERS_FILE:
            raise UserError(f"{file}:1: error: file is larger than {MAX_ANSWERS_FILE // 2**20} MiB")
        data = file.read_bytes()
    except FileNotFoundError:
        raise UserError(f"{file}: no such file") from None
    except IsADirectoryError:
        raise UserError(f"{file}: is a folder, not a file") from None
    except OSError as exc:
        raise UserError(f"{file}: cannot read: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UserError(f"{file}:{line}: error: not UTF-8 text") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UserError(
            f"{file}:{exc.lineno}: error: invalid JSON at column {exc.colno}: {exc.msg}"
        ) from None
    except RecursionError:
        raise UserError(f"{file}:1: error: JSON nested too deeply") from None


def parse_answers(
    questionnaire: Questionnaire, data: Any, source: str = "answers"
) -> dict[str, Answer]:
    """Validate every entry of an answers mapping against the questionnaire."""
    if not isinstance(data, dict):
        raise ValidationError(f"{source}: expected a JSON object keyed by indicator id")
    answers: dict[str, Answer] = {}
    for indicator_id, entry in data.items():
        if not questionnaire.has_indicator(indicator_id):
            raise ValidationError(
                f"{source}: unknown indicator {indicator_id!r} in questionnaire "
                f"{questionnaire.id} {questionnaire.version}"
            )
        try:
            answers[indicator_id] = answer_from_json(questionnaire.indicator(indicator_id), entry)
        except ValidationError as err:
            raise ValidationError(f"{source}: {err}") from None
    return answers


def load_answers_file(questionnaire: Questionnaire, path: str | Path) -> dict[str, Answer]:
    return parse_answers(questionnaire, read_json_file(path), source=str(path))


def carry_to_version(
    questionnaire: Questionnaire, data: Any, other_versions_ids: set[str]
) -> tuple[Any, list[str]]:
    """An answers mapping written for another version of `questionnaire`, carried to this one:
    ids this version `replaces` take their new id; ids only other versions have are left out
    and named in the second value ("FIN-10: not in version 1.1"). Ids no version knows stay, so
    `parse_answers` refuses them as before."""
    if not isinstance(data, dict):
        return data, []
    carried: dict[str, Any] = {}
    dropped: list[str] = []
    for indicator_id, entry in data.items():
        if questionnaire.has_indicator(indicator_id):
            carried[indicator_id] = entry
        elif indicator_id in questionnaire.replaces:
            new = questionnaire.replaces[indicator_id]
            if new in data:
                dropped.append(f"{indicator_id}: replaced by {new}, which the file answers too")
            else:
                carried[new] = entry
                dropped.append(f"{indicator_id}: carried as {new}")
        elif indicator_id in other_versions_ids:
            dropped.append(f"{indicator_id}: not in version {questionnaire.version}")
        else:
            carried[indicator_id] = entry
    return carried, dropped
