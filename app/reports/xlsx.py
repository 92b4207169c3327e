"""The Excel export: `ReportData` -> a workbook of six sheets, written with openpyxl.

Every user string is written as a text cell (never a formula, whatever it starts with); control
characters that Excel cannot store are replaced by visible `[U+0001]` markers, and text over the
32,767-character cell limit is cut with a marker, a cell comment and a note under the table.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app import __version__
from app.common.fileio import atomic_write
from app.reports.data import RawValue, ReportData
from app.reports.safe import excel_text

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="E4E7EB")
NOTE_FONT = Font(italic=True, color="B42318")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
SCORE = "0.0"
SHARE = "0%"
WEIGHT = "0.##"
MAX_WIDTH = 60


@dataclass
class Column:
    header: str
    width: float = 14
    wrap: bool = False
    number_format: str | None = None


@dataclass
class SheetWriter:
    """Writes one table: header row, data rows, and what the sheet must say about its text."""

    ws: Worksheet
    data: ReportData
    columns: list[Column]
    row: int = 1
    truncated: bool = False
    marked: bool = False
    extra_notes: list[str] = field(default_factory=list)

    def header(self) -> None:
        for index, column in enumerate(self.columns, 1):
            cell = self.text(1, index, column.header)
            cell.font = HEADER_FONT
            cell.fill = HEADER_FILL
            cell.alignment = WRAP
            self.ws.column_dimensions[get_column_letter(index)].width = column.width
        self.row = 1

    def text(self, row: int, col: int, value: str) -> Any:
        safe = excel_text(value, self.data.labels["truncated_cell"])
        cell = self.ws.cell(row=row, column=col)
        cell.value = safe.text
        cell.data_type = "s"  # a string that starts with "=" must stay a string
        if safe.truncated:
            self.truncated = True
            cell.comment = Comment(self.data.labels["truncated_sheet_note"], "Readiness")
        self.marked = self.marked or safe.marked_controls
        return cell

    def add(self, values: Sequence[RawValue | bool]) -> None:
        self.row += 1
        for index, value in enumerate(values, 1):
            column = self.columns[index - 1]
            if value == "":
                value = None
            elif isinstance(value, bool):  # words filter and read better than TRUE/FALSE
                value = self.data.labels["yes" if value else "no"]
            if isinstance(value, str):
                cell = self.text(self.row, index, value)
            else:
                cell = self.ws.cell(row=self.row, column=index, value=value)
                if column.number_format and value is not None:
                    cell.number_format = column.number_format
            cell.alignment = WRAP if column.wrap else TOP

    def finish(self, filter_rows: bool = True) -> None:
        last = get_column_letter(len(self.columns))
        self.ws.freeze_panes = "A2"
        if filter_rows:
            self.ws.auto_filter.ref = f"A1:{last}{max(self.row, 1)}"
        notes = list(self.extra_notes)
        if self.truncated:
            notes.append(self.data.labels["truncated_sheet_note"])
        if self.marked:
            notes.append(self.data.labels["control_sheet_note"])
        row = self.row + 2
        for note in notes:
            cell = self.text(row, 1, note)
            cell.font = NOTE_FONT
            row += 1


def render_xlsx(data: ReportData, out: BinaryIO) -> None:
    """Write the workbook into the binary stream `out`."""
    from app.reports import xlsx_sheets as sheets

    wb = Workbook()
    note = data.labels["truncated_cell"]
    wb.properties.title = excel_text(data.title, note).text  # properties are XML text too
    wb.properties.subject = excel_text(data.cover.title, note).text
    wb.properties.creator = f"Readiness {__version__}"
    wb.properties.language = data.lang
    wb.properties.keywords = data.cover.self_assessed
    summary = wb.active
    assert summary is not None
    summary.title = _title(data, "sheet_summary")
    sheets.summary(summary, data)
    sheets.answers(wb.create_sheet(_title(data, "sheet_answers")), data)
    sheets.path(wb.create_sheet(_title(data, "sheet_path")), data)
    sheets.dictionary(wb.create_sheet(_title(data, "sheet_dictionary")), data)
    sheets.audit(wb.create_sheet(_title(data, "sheet_audit")), data)
    sheets.contributors(wb.create_sheet(_title(data, "sheet_contributors")), data)
    wb.save(out)


def write_xlsx(data: ReportData, path: str | os.PathLike[str]) -> Path:
    """Render into a temporary file beside `path` and rename it into place."""
    with atomic_write(path) as handle:
        render_xlsx(data, handle)
    return Path(path)


def _title(data: ReportData, key: str) -> str:
    # Sheet names: at most 31 characters, none of []:*?/\
    name = data.labels[key]
    for char in "[]:*?/\\":
        name = name.replace(char, " ")
    return name[:31]
