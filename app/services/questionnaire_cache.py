"""Parsed questionnaires kept on disk, by the SHA-256 of the exact definition bytes.

Parsing and checking the full questionnaire takes ~0.3 s (and importing the parser ~0.1 s and
~7 MiB); reading it back from here ~10 ms. The folder is the data folder's `cache/`. A cached file
is used only when every check passes, else the bytes are parsed again and the file rewritten:
- its name and the digest inside it are the SHA-256 of the bytes asked for (the bytes an
  assessment pinned never change, so the digest says everything about the content);
- it was written by this version of the product, with this shape of the questionnaire classes
  (`shape()`) and this cache format: never trusted across versions;
- it unpickles, into nothing but the questionnaire classes (a restricted unpickler: a file put
  here cannot make the product run code).
Writing is best effort (atomic, never fatal): a read-only or full disk only costs the parse.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import hashlib
import io
import logging
import pickle
from pathlib import Path
from typing import Any

from app import __version__
from app.domain import questionnaire as model
from app.domain.questionnaire import Questionnaire

log = logging.getLogger("readiness.cache")

FORMAT = 1  # bump when the parser gives different objects for the same bytes
SUFFIX = ".questionnaire.pickle"
_MAGIC = "readiness-parsed-questionnaire"


def _model_classes() -> dict[str, type]:
    return {
        name: value
        for name, value in vars(model).items()
        if isinstance(value, type)
        and value.__module__ == model.__name__
        and (dataclasses.is_dataclass(value) or issubclass(value, enum.Enum))
    }


_CLASSES = _model_classes()


@functools.cache
def shape() -> str:
    """A digest of the questionnaire classes' fields and enum values (changes with the code)."""
    parts = []
    for name, cls in sorted(_CLASSES.items()):
        if dataclasses.is_dataclass(cls):
            parts.append(f"{name}({','.join(f.name for f in dataclasses.fields(cls))})")
        elif issubclass(cls, enum.Enum):
            parts.append(f"{name}[{','.join(str(member.value) for member in cls)}]")
    return hashlib.sha256(";".join(parts).encode("utf-8")).hexdigest()


def _stamp(digest: str) -> tuple[str, int, str, str, str]:
    return (_MAGIC, FORMAT, __version__, shape(), digest)


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if module == model.__name__ and name in _CLASSES:
            return _CLASSES[name]
        raise pickle.UnpicklingError(f"{module}.{name} is not a questionnaire class")


def cache_file(folder: Path, digest: str) -> Path:
    return folder / f"{digest}{SUFFIX}"


def read(folder: Path, digest: str) -> Questionnaire | None:
    """The questionnaire cached for these bytes, or None (missing, damaged, another version)."""
    try:
        data = cache_file(folder, digest).read_bytes()
    except OSError:
        return None
    try:
        stamp, questionnaire = _Unpickler(io.BytesIO(data)).load()
    except Exception:  # damaged in any way: parse again
        log.info("ignoring the unreadable cached questionnaire %s", digest[:12])
        return None
    if stamp != _stamp(digest) or not isinstance(questionnaire, Questionnaire):
        return None
    if questionnaire.sha256 != digest:
        return None
    return questionnaire


def write(folder: Path, questionnaire: Questionnaire) -> None:
    """Keep a parsed questionnaire (best effort: a failure is logged, never raised)."""
    from app.common.fileio import atomic_write

    digest = questionnaire.sha256
    # A fresh copy: the lookup index a questionnaire builds on use is not part of its value.
    value = dataclasses.replace(questionnaire)
    try:
        body = pickle.dumps((_stamp(digest), value), protocol=pickle.HIGHEST_PROTOCOL)
        folder.mkdir(parents=True, exist_ok=True)
        with atomic_write(cache_file(folder, digest)) as handle:
            handle.write(body)
    except Exception:  # a cache: never worth failing the caller for
        log.warning("could not cache questionnaire %s", digest[:12], exc_info=True)


def load(body: bytes, name: str, folder: Path | None) -> Questionnaire:
    """The questionnaire in `body`: from `folder` when cached there, else parsed (and cached).

    Raises DefinitionError like `app.forms.load_questionnaire_bytes`; the parser is imported
    only when the cache cannot answer.
    """
    if folder is not None:
        found = read(folder, hashlib.sha256(body).hexdigest())
        if found is not None:
            if found.source_path != name:
                found = dataclasses.replace(found, source_path=name)
            return found
    from app.forms import load_questionnaire_bytes

    questionnaire = load_questionnaire_bytes(body, name)
    if folder is not None:
        write(folder, questionnaire)
    return questionnaire
