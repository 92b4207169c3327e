"""Outside tools some tests read our files with (pdftotext, qpdf, LibreOffice, ...)."""

from __future__ import annotations

import shutil

import pytest


def tool_path(tool: str) -> str:
    """The tool's path; skips the test when it is missing (a failure in CI: tests/ci_skips.py)."""
    found = shutil.which(tool)
    if found is None:
        pytest.skip(f"{tool} is not installed")
    return found
