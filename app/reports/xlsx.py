"""The Excel export: `ReportData` -> a workbook, written with openpyxl.

Six sheets for people (a localised title in row 1, the header in row 2), then the tidy tables for
merging across cities (`tidy.py`, written by `xlsx_tidy.py`). Sheet names are stable codes in
every language, so formulas and scripts that refer to a sheet work on any city's workbook.

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
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from app import __version__
from app.common.fileio import atomic_write
from app.reports.data import RawValue, ReportData
from app.reports.safe import excel_text

# Set explicitly: a workbook opened where the default font differs still reads the same.
HEADER_FONT = Font(name="Calibri", size=11, bold=True)
TITLE_FONT = Font(name="Calibri", size=14, bold=True)
HEADER_FILL = PatternFill("solid", fgColor="E4E7EB")
NOTE_FONT = Font(italic=True, color="B42318")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
SCORE = "0.00"  # as many decimals as the PDF and the JSON output
SHARE = "0%"
WEIGHT = "0.##"
MAX_WIDTH = 60
HEADER_ROW = 2  # row 1 holds the sheet's title in the report language


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
    title: str = ""  # the sheet's localised title, row 1
    frozen_columns: int = 1  # the id columns that stay in view when scrolling right
    row: int = 1
    truncated: bool = False
    marked: bool = False
    extra_notes: list[str] = field(default_factory=list)

    def header(self) -> None:
        self.text(1, 1, self.title).font = TITLE_FONT
        for index, column in enumerate(self.columns, 1):
            cell = self.text(HEADER_ROW, index, column.header)
            cell.font = HEADER_FONT
            cell.fill = HEADER_FILL
            cell.alignment = WRAP
            self.ws.column_dimensions[get_column_letter(index)].width = column.width
        self.row = HEADER_ROW

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
        self.ws.freeze_panes = f"{get_column_letter(self.frozen_columns + 1)}{HEADER_ROW + 1}"
        if filter_rows:
            self.ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{max(self.row, HEADER_ROW)}"
        print_setup(self.ws, sum(c.width for c in self.columns) > 150, HEADER_ROW)
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
    from app.reports.tidy import tables
    from app.reports.xlsx_tidy import write_table

    summary = wb.active
    assert summary is not None
    summary.title = "summary"
    sheets.summary(summary, data)
    sheets.answers(wb.create_sheet("answers"), data)
    sheets.path(wb.create_sheet("path"), data)
    sheets.dictionary(wb.create_sheet("dictionary"), data)
    sheets.audit(wb.create_sheet("audit"), data)
    sheets.contributors(wb.create_sheet("contributors"), data)
    for table in tables(data):
        write_table(wb.create_sheet(table.name), table, data)
    wb.save(out)


def write_xlsx(data: ReportData, path: str | os.PathLike[str]) -> Path:
    """Render into a temporary file beside `path` and rename it into place."""
    with atomic_write(path) as handle:
        render_xlsx(data, handle)
    return Path(path)


def print_setup(ws: Worksheet, wide: bool, header_row: int) -> None:
    """Print on whole pages across: fit to the page width, repeat the header, landscape if wide."""
    ws.page_setup.orientation = "landscape" if wide else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as needed
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = f"{header_row}:{header_row}"
