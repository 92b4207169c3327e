"""The window's log file, kept under a size limit with a few older files beside it.

`logging.handlers.RotatingFileHandler` does this, but importing `logging.handlers` also imports
socket, pickle and queue for its other handlers: ~17 ms of every start, before the window can
appear. This handler rotates the same way (`readiness.log`, then `.1` the newest older file up to
`.<backup_count>`), and nothing else.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path


class RotatingLogFile(logging.FileHandler):
    """Records appended to `path`; a record that would take the file to `max_bytes` or more
    first moves it to `path.1` (and `.1` to `.2`, ... dropping the oldest)."""

    def __init__(self, path: Path, max_bytes: int, backup_count: int) -> None:
        super().__init__(path, encoding="utf-8", delay=True)
        # The names RotatingFileHandler uses, so both read alike.
        self.maxBytes = max_bytes
        self.backupCount = backup_count

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self._should_rotate(record):
                self._rotate()
        except Exception:
            self.handleError(record)
            return
        super().emit(record)

    def _should_rotate(self, record: logging.LogRecord) -> bool:
        if self.maxBytes <= 0:
            return False
        if self.stream is None:
            self.stream = self._open()
        size = self.stream.seek(0, os.SEEK_END)  # append mode's position is not always the end
        if size == 0:
            return False  # a single record larger than the limit still gets written
        written = len((self.format(record) + self.terminator).encode("utf-8"))
        return size + written >= self.maxBytes

    def _rotate(self) -> None:
        if self.stream is not None:
            self.stream.close()
            self.stream = None
        base = self.baseFilename
        if self.backupCount > 0:
            for number in range(self.backupCount - 1, 0, -1):
                older = f"{base}.{number}"
                if os.path.exists(older):
                    os.replace(older, f"{base}.{number + 1}")
            if os.path.exists(base):
                os.replace(base, f"{base}.1")
        else:
            open(base, "w", encoding="utf-8").close()  # noqa: SIM115 - truncate only
        self.stream = self._open()
