"""Exporting an assessment as the PDF report, the Excel workbook and/or the tidy CSV tables.

Every file is rendered in memory first and written only when every requested rendering worked
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
    csv_dir: str | os.PathLike[str] | None = None,
) -> list[Path]:
    """Write the requested files for one assessment; returns their paths (PDF, XLSX, CSV)."""
    from app.reports import ReportCancelled
    from app.reports.build import build_report
    from app.services.assessments import load_snapshot

    targets = _targets(pdf, xlsx, csv_dir)
    if lang is not None:
        check_language(lang)

    def step(fraction: float, message: str) -> None:
        if cancel is not None and cancel():
            raise ReportCancelled()
        if progress is not None:
            progress(fraction, message)

    step(0.0, "Reading the assessment")
    snapshot = load_snapshot(ws, assessment_id)
    data = build_report(
        snapshot, lang, round_of(ws, assessment_id), previous_round(ws, snapshot.header)
    )
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
        rendered.append((Path(xlsx), buffer.getvalue()))
    if csv_dir is not None:
        step(0.9, "Writing the CSV tables")
        from app.reports.csv_export import csv_files

        rendered += [(Path(csv_dir) / name, content) for name, content in csv_files(data)]
    step(0.95, "Saving the files")
    for path, content in rendered:
        with atomic_write(path) as handle:
            handle.write(content)
    if progress is not None:
        progress(1.0, "Done")
    return [path for path, _content in rendered]


def previous_round(ws: Any, header: Any) -> Any:
    """The previous round's snapshot (no history needed), or None when there is none here."""
    from app.services.assessments import load_snapshot
    from app.storage import assessments_repo

    previous_id = header.previous_assessment_id
    if not previous_id:
        return None
    with ws.read() as conn:
        if assessments_repo.get_assessment(conn, previous_id) is None:
            return None  # the earlier round lives in another workspace
    return load_snapshot(ws, previous_id, with_revisions=False)


def round_of(ws: Any, assessment_id: str) -> int:
    """Which round of its city the assessment is: 1 + the number of previous rounds."""
    from app.services.assessments import require_assessment
    from app.storage import assessments_repo

    seen = {assessment_id}
    with ws.read() as conn:
        record = require_assessment(conn, assessment_id)
        while record.previous_assessment_id and record.previous_assessment_id not in seen:
            seen.add(record.previous_assessment_id)
            record = assessments_repo.get_assessment(conn, record.previous_assessment_id)
            if record is None:  # the earlier round is not in this workspace: count what we know
                break
    return len(seen)


def _targets(
    pdf: str | os.PathLike[str] | None,
    xlsx: str | os.PathLike[str] | None,
    csv_dir: str | os.PathLike[str] | None = None,
) -> list[Path]:
    """The output paths, checked before any work starts."""
    if pdf is None and xlsx is None and csv_dir is None:
        raise ValidationError("give a PDF file, an Excel file, a CSV folder, or several")
    if csv_dir is not None and not Path(csv_dir).is_dir():
        folder = Path(csv_dir)
        if folder.exists() or not folder.parent.is_dir():
            raise UserError(
                f"{csv_dir}: is not a folder, and cannot be made one here; give a folder for the "
                "CSV files"
            )
        # a new folder inside an existing one is what `--csv exports/` asks for: make it
        try:
            folder.mkdir()
        except OSError as exc:
            raise UserError(f"{csv_dir}: cannot create this folder ({exc.strerror})") from None
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
