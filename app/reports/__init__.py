"""Report data (library-free) and its two renderings: PDF (reportlab) and XLSX (openpyxl).

`build.build_report(snapshot, lang)` gives a `ReportData`; `pdf.write_pdf` and `xlsx.write_xlsx`
render it. reportlab and openpyxl are imported only by the renderer modules, so importing this
package stays cheap.
"""

from __future__ import annotations

from app.common.errors import UserError


class ReportCancelled(UserError):
    """The person cancelled the export; nothing was written."""

    def __init__(self, message: str = "report export cancelled; no file was written") -> None:
        super().__init__(message)
