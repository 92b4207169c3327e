"""Handing a local file or folder to the desktop (file manager, default viewer).

One replaceable opener, so tests see what would have been opened without starting anything.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

Opener = Callable[[QUrl], bool]
_opener: Opener | None = None


def set_opener(opener: Opener | None) -> None:
    """Route openings somewhere other than the desktop (tests). None restores the desktop."""
    global _opener
    _opener = opener


def open_path(path: str | Path) -> bool:
    """Open a folder in the file manager, or a file in its default application."""
    url = QUrl.fromLocalFile(str(path))
    if _opener is not None:
        return _opener(url)
    return bool(QDesktopServices.openUrl(url))
