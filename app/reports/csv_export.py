"""The tidy tables as UTF-8 CSV files, one per table, safe to open in a spreadsheet.

Each file is `<assessment id>_<table>.csv`, so the files of many cities can share a folder and
be stacked table by table. UTF-8 with a byte-order mark (spreadsheets then read accents right);
a text cell that starts with `=`, `+`, `-`, `@`, tab or CR is prefixed with `'` so a spreadsheet
never runs it (`safe.csv_text`); date-times are ISO 8601 in UTC with a `Z`.
"""

from __future__ import annotations

import csv
import io
import os
from datetime import date, datetime
from pathlib import Path

from app.common.fileio import atomic_write
from app.reports.data import ReportData
from app.reports.safe import clean, csv_text
from app.reports.tidy import Cell, Table, tables

ENCODING = "utf-8-sig"


def csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):  # never expected: tables hold 0/1
        return str(int(value))
    if isinstance(value, int | float):
        return repr(value)
    return clean(csv_text(value))


def render_csv(table: Table) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.columns)
    writer.writerows([csv_cell(v) for v in row] for row in table.rows)
    return buffer.getvalue().encode(ENCODING)


def csv_files(data: ReportData) -> list[tuple[str, bytes]]:
    """(file name, content) for every tidy table, rendered in memory."""
    return [(f"{data.cover.assessment_id}_{t.name}.csv", render_csv(t)) for t in tables(data)]


def write_csv(data: ReportData, folder: str | os.PathLike[str]) -> list[Path]:
    """Write every table into `folder` (each file atomically); returns the paths."""
    written = []
    for name, content in csv_files(data):
        path = Path(folder) / name
        with atomic_write(path) as handle:
            handle.write(content)
        written.append(path)
    return written
