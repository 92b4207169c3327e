"""The tidy tables (`tidy.py`) as sheets: a header row of codes, typed cells, nothing below.

Text cells stay string-typed (never a formula); date-times are real date-times in UTC; over-long
text is cut with a marker and a cell comment only, so the table has no footnote rows.
"""

from __future__ import annotations

from datetime import date, datetime

from openpyxl.comments import Comment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.reports.data import ReportData
from app.reports.safe import excel_text
from app.reports.tidy import Table
from app.reports.xlsx import HEADER_FILL, HEADER_FONT, print_setup

DATETIME = "yyyy-mm-dd hh:mm:ss"
DATE = "yyyy-mm-dd"


def write_table(ws: Worksheet, table: Table, data: ReportData) -> None:
    cut = data.labels["truncated_cell"]
    for index, name in enumerate(table.columns, 1):
        cell = ws.cell(row=1, column=index, value=name)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        ws.column_dimensions[get_column_letter(index)].width = min(max(len(name) + 2, 10), 40)
    for r, values in enumerate(table.rows, 2):
        for c, value in enumerate(values, 1):
            if value is None:
                continue
            cell = ws.cell(row=r, column=c)
            if isinstance(value, str):
                safe = excel_text(value, cut)
                cell.value = safe.text
                cell.data_type = "s"  # a string that starts with "=" must stay a string
                if safe.truncated:
                    cell.comment = Comment(data.labels["truncated_sheet_note"], "Readiness")
            else:
                cell.value = value
                if isinstance(value, datetime):
                    cell.number_format = DATETIME
                elif isinstance(value, date):
                    cell.number_format = DATE
    last = get_column_letter(max(len(table.columns), 1))
    ws.freeze_panes = "B2" if len(table.columns) > 1 else "A2"
    ws.auto_filter.ref = f"A1:{last}{len(table.rows) + 1}"
    print_setup(ws, len(table.columns) > 8, 1)
