"""Loading and validating definition files: bytes -> problems and, when there is no error, a
`Questionnaire` pinned by the SHA-256 of the exact bytes."""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from pathlib import Path

from app.common.errors import DefinitionError, Problem
from app.domain.questionnaire import Questionnaire
from app.forms.builder import build_questionnaire
from app.forms.fields import Report
from app.forms.yamltree import MAX_BYTES, TreeError, read_tree

log = logging.getLogger("readiness.forms")

INTERNAL_ERROR = "internal error while checking this file"
_CACHE_SIZE = 16
_cache: OrderedDict[tuple[str, int, int], Questionnaire] = OrderedDict()
_cache_lock = threading.Lock()


def check_bytes(data: bytes, name: str) -> tuple[Questionnaire | None, list[Problem]]:
    """Every problem in `data` (errors and warnings, in line order) and the questionnaire built.

    The questionnaire is None when the file has errors. Never raises.
    """
    report = Report(name)
    questionnaire: Questionnaire | None = None
    try:
        root = read_tree(data)
        questionnaire = build_questionnaire(root, report)
    except TreeError as err:
        report.error(err.line, "", err.message)
    except RecursionError:
        report.error(1, "", "the file is nested too deeply")
    except Exception:  # a bug in the checks must not hide the file's other problems
        log.exception("checking %s failed", name)
        report.error(1, "", INTERNAL_ERROR)
    problems = report.in_order()
    if questionnaire is None or report.has_errors:
        return None, problems
    digest = hashlib.sha256(data).hexdigest()
    return dataclasses.replace(questionnaire, sha256=digest, source_path=name), problems


def load_questionnaire_bytes(data: bytes, name: str) -> Questionnaire:
    """The questionnaire in `data` (`name` is used in messages and as `source_path`).

    Raises DefinitionError with every problem when the definition has an error.
    """
    questionnaire, problems = check_bytes(data, name)
    if questionnaire is None:
        raise DefinitionError(problems)
    return questionnaire


def load_questionnaire(path: str | os.PathLike[str]) -> Questionnaire:
    """The questionnaire in the file at `path`; parsed once per file version (cached)."""
    file = Path(path)
    name = str(path)
    try:
        stat = file.stat()
    except OSError as exc:
        raise DefinitionError([_unreadable(name, exc)]) from None
    key = (str(file.resolve()), stat.st_mtime_ns, stat.st_size)
    with _cache_lock:
        cached = _cache.get(key)
        if cached is not None:
            _cache.move_to_end(key)
            return cached if cached.source_path == name else _renamed(cached, name)
    data = _read(file, name)
    questionnaire = load_questionnaire_bytes(data, name)
    with _cache_lock:
        _cache[key] = questionnaire
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return questionnaire


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()


def validate_file(path: str | os.PathLike[str]) -> list[Problem]:
    """Every problem in one file, errors and warnings. Never raises."""
    name = str(path)
    try:
        data = _read(Path(path), name)
    except DefinitionError as err:
        return err.problems
    return check_bytes(data, name)[1]


def validate_paths(paths: Iterable[str | os.PathLike[str]]) -> list[Problem]:
    """Every problem in the given files; a folder stands for its *.yaml files, recursively."""
    problems: list[Problem] = []
    for item in definition_files(paths):
        if isinstance(item, Problem):
            problems.append(item)
        else:
            problems.extend(validate_file(item))
    return problems


def definition_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path | Problem]:
    """The files named, in order, folders expanded to their *.yaml files (outside `src/`).

    A path that does not exist, or a folder without definition files, yields an error instead.
    """
    for item in paths:
        path = Path(item)
        if path.is_dir():
            found = yaml_files(path)
            if not found:
                yield Problem(str(item), 1, "error", "no definition files (*.yaml) here")
            yield from found
        elif path.exists():
            yield path
        else:
            yield Problem(str(item), 1, "error", "no such file or folder")


def yaml_files(folder: Path) -> list[Path]:
    """The *.yaml files under `folder`, sorted, leaving out `src/` folders (source material)."""
    return sorted(
        path
        for path in folder.rglob("*.yaml")
        if path.is_file() and "src" not in path.relative_to(folder).parts[:-1]
    )


def _read(file: Path, name: str) -> bytes:
    try:
        with file.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)  # the size check needs no more than this
    except OSError as exc:
        raise DefinitionError([_unreadable(name, exc)]) from None
    return data


def _unreadable(name: str, exc: OSError) -> Problem:
    if isinstance(exc, FileNotFoundError):
        return Problem(name, 1, "error", "no such file")
    if isinstance(exc, IsADirectoryError):
        return Problem(name, 1, "error", "is a folder, not a definition file")
    return Problem(name, 1, "error", f"cannot be read: {exc.strerror or exc}")


def _renamed(questionnaire: Questionnaire, name: str) -> Questionnaire:
    return dataclasses.replace(questionnaire, source_path=name)
