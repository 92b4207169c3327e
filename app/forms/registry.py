"""The questionnaires shipped in `forms/`, and finding one by path, id or id@version."""

from __future__ import annotations

import threading
from pathlib import Path

from app.common.errors import NotFoundError, Problem
from app.common.paths import forms_dir
from app.domain.version_order import version_key
from app.forms.loader import yaml_files
from app.forms.yamltree import TreeError, read_tree

_headers: dict[tuple[str, int, int], tuple[str, str] | None] = {}
_headers_lock = threading.Lock()


def shipped_forms() -> list[Path]:
    """Every definition file under the shipped `forms/` folder (not its `src/` folders)."""
    folder = forms_dir()
    if not folder.is_dir():
        return []
    return yaml_files(folder)


def shipped_definition_files() -> list[Path | Problem]:
    """The shipped definition files, or one error when there are none: an installation without
    its questionnaires is broken, and checking "0 files" must not pass as a success."""
    found: list[Path | Problem] = list(shipped_forms())
    if not found:
        found.append(
            Problem(
                str(forms_dir()),
                1,
                "error",
                "no shipped questionnaire definition files (*.yaml) here: "
                "the installation is incomplete",
            )
        )
    return found


def find_form(path_or_id: str) -> Path:
    """An existing definition file, or the shipped one with this id (newest version) or id@version.

    Raises NotFoundError naming what was looked for and what exists.
    """
    text = str(path_or_id).strip()
    candidate = Path(text)
    if text and candidate.is_file():
        return candidate
    if not text or "/" in text or "\\" in text or text.endswith((".yaml", ".yml")):
        raise NotFoundError(f"no such questionnaire file: {text or '(empty)'}")
    wanted_id, _, wanted_version = text.partition("@")
    found: list[tuple[str, Path]] = []
    available: set[str] = set()
    for path in shipped_forms():
        header = form_header(path)
        if header is None:
            continue
        available.add(header[0])
        if header[0] == wanted_id:
            found.append((header[1], path))
    if not found:
        known = ", ".join(sorted(available)) or "none"
        raise NotFoundError(
            f"no questionnaire file or shipped questionnaire '{wanted_id}' "
            f"(shipped in {forms_dir()}: {known})"
        )
    if wanted_version:
        for version, path in found:
            if version == wanted_version:
                return path
        versions = ", ".join(sorted((v for v, _ in found), key=version_key))
        raise NotFoundError(
            f"questionnaire '{wanted_id}' has no version '{wanted_version}' (shipped: {versions})"
        )
    return max(found, key=lambda item: version_key(item[0]))[1]


def form_header(path: Path) -> tuple[str, str] | None:
    """(id, version) of a definition file, read without the full checks; None if unreadable."""
    try:
        stat = path.stat()
    except OSError:
        return None
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    with _headers_lock:
        if key in _headers:
            return _headers[key]
    header = _read_header(path)
    with _headers_lock:
        _headers[key] = header
    return header


def _read_header(path: Path) -> tuple[str, str] | None:
    try:
        root = read_tree(path.read_bytes())
    except (OSError, TreeError, RecursionError):
        return None
    if root.kind != "map":
        return None
    fields = {key.value: value.value for key, value in root.items if value.kind == "scalar"}
    form_id, version = fields.get("id"), fields.get("version")
    if isinstance(form_id, str) and isinstance(version, str):
        return form_id, version
    return None
