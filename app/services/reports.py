"""Exporting an assessment as the PDF report and/or the Excel workbook.

Both files are rendered in memory first and written only when every requested rendering worked
(each through `atomic_write`), so a failure or a cancel never leaves a half-written or stray file.
Runs off the GUI thread: `progress(fraction, message)` reports steps, `cancel()` returning True
stops before anything is written.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.common.errors import UserError, ValidationError
from app.common.fileio import atomic_write
from app.common.i18n import check_language

Progress = Callable[[float, str], None]
Cancel = Callable[[], bool]


def export_report(
    ws: Any,
    assessment_id: str,
    pdf: str | os.PathLike[str] | None = None,
    xlsx: str | os.PathLike[str] | None = None,
    lang: str | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> list[Path]:
    """Write the requested files for one assessment; returns their paths (PDF first)."""
    from app.reports import ReportCancelled
    from app.reports.build import build_report
    from app.services.assessments import load_snapshot

    targets = _targets(pdf, xlsx)
    if lang is not None:
        check_language(lang)

    def step(fraction: float, message: str) -> None:
        if cancel is not None and cancel():
            raise ReportCancelled()
        if progress is not None:
            progress(fraction, message)

    step(0.0, "Reading the assessment")
    data = build_report(load_snapshot(ws, assessment_id), lang)
    rendered: list[tuple[Path, bytes]] = []
    if pdf is not None:
        step(0.15, "Writing the PDF report")
        from app.reports.pdf import render_pdf

        buffer = io.BytesIO()
        render_pdf(data, buffer, cancel)
        rendered.append((targets[0], buffer.getvalue()))
    if xlsx is not None:
        step(0.75, "Writing the Excel workbook")
        from app.reports.xlsx import render_xlsx

        buffer = io.BytesIO()
        render_xlsx(data, buffer)
        rendered.append((targets[-1], buffer.getvalue()))
    step(0.95, "Saving the files")
    for path, content in rendered:
        with atomic_write(path) as handle:
            handle.write(content)
    if progress is not None:
        progress(1.0, "Done")
    return [path for path, _content in rendered]


def _targets(pdf: str | os.PathLike[str] | None, xlsx: str | os.PathLike[str] | None) -> list[Path]:
    """The output paths, checked before any work starts."""
    if pdf is None and xlsx is None:
        raise ValidationError("give a PDF file, an Excel file, or both")
    paths = [Path(p) for p in (pdf, xlsx) if p is not None]
    if len(paths) == 2 and paths[0].absolute() == paths[1].absolute():
        raise ValidationError(f"{paths[0]}: the PDF and the Excel file need different names")
    for path in paths:
        if path.is_dir():
            raise UserError(f"{path}: is a folder; give a file name")
        folder = path.parent if str(path.parent) else Path(".")
        if not folder.is_dir():
            raise UserError(f"{path}: the folder {folder} does not exist")
    return paths
