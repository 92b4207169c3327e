"""Writing files so that a crash never leaves a half-written one in place."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from app.common.errors import UserError


@contextlib.contextmanager
def atomic_write(target: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """Yield a binary file in the target's folder; on success flush, fsync and rename it into place.

    On any failure the temporary file is removed and the target is left as it was.
    """
    path = Path(target)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UserError(f"{path}: the folder {folder} does not exist")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise UserError(cannot_write(path, folder, exc)) from exc
    tmp = Path(tmp_name)
    try:
        # mkstemp creates the file for its owner only; a report or bundle that people email
        # should get the ordinary permissions a new file gets in that folder.
        if os.name == "posix":
            os.fchmod(fd, 0o666 & ~_current_umask())
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UserError(cannot_write(path, folder, exc)) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_folder(folder)


def write_atomically(target: str | os.PathLike[str], render: Callable[[BinaryIO], None]) -> Path:
    """Call `render(file)` inside `atomic_write` and return the final path."""
    with atomic_write(target) as handle:
        render(handle)
    return Path(target)


def cannot_write(path: Path, folder: Path, exc: OSError, platform: str = sys.platform) -> str:
    """What to tell a person whose file could not be written, with what to do about it."""
    if not isinstance(exc, PermissionError):
        return f"{path}: could not be written in {folder}: {exc.strerror or exc}"
    if platform == "win32":
        # Controlled Folder Access (Windows Security's ransomware protection) refuses writes to
        # Documents, Desktop and Pictures by programs it does not know, with "Access is denied".
        return (
            f"{path}: Windows refused to write in {folder} (access is denied). If Windows "
            "Security's ransomware protection (Controlled Folder Access) is on, save in another "
            "folder such as Downloads, or ask your IT support to allow Readiness.exe through it. "
            "Otherwise check that the file is not open in another program and that the folder is "
            "yours."
        )
    return (
        f"{path}: permission denied in {folder}. Save in a folder you may write to (your home "
        "folder, for example), or ask the folder's owner for access."
    )


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _fsync_folder(folder: Path) -> None:
    # The rename is durable only once the folder entry is on disk (POSIX); Windows has no dir fds.
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
