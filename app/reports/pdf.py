"""The PDF report: `ReportData` -> an A4 document built with reportlab platypus.

Every page has a "page X of Y" footer, and a report of an assessment that is not final says so
in a running header on every page (a draft is never mistaken for the final report) (the total is a form drawn once the page count is known,
so one build pass suffices); each section and domain has a bookmark in the document outline; the
catalog carries the title, subject, author and language. Only the embedded DejaVu fonts are used.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from app import __version__
from app.common.fileio import atomic_write
from app.reports.data import ReportData
from app.reports.fonts import BOLD, REGULAR, register_fonts
from app.reports.pdf_flow import Heading, KeepWithNext
from app.reports.pdf_styles import MUTED, RULE, WARN
from app.reports.safe import plain

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 50.0
MARGIN_TOP = 48.0
MARGIN_BOTTOM = 56.0
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
FOOTER_SIZE = 7.5
HEADER_SIZE = 9.0
_TOTAL_FORM = "page_total"


class _Canvas(Canvas):  # type: ignore[misc]
    """Draws the total page count into the footer form just before the file is written."""

    def save(self) -> None:
        if len(self._code):
            self.showPage()
        total = self.getPageNumber() - 1
        self.beginForm(_TOTAL_FORM)
        self.setFont(REGULAR, FOOTER_SIZE)
        self.setFillColor(MUTED)
        self.drawString(0, 0, str(total))
        self.endForm()
        self.showOutline()
        self.setViewerPreference("DisplayDocTitle", "true")  # viewers show the title, not the file
        super().save()


class _Document(BaseDocTemplate):  # type: ignore[misc]
    def __init__(self, out: Any, data: ReportData, cancel: Callable[[], bool] | None) -> None:
        names = ", ".join(plain(c.name) for c in data.contributors if c.name)[:500]
        super().__init__(
            out,
            pagesize=A4,
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            title=plain(data.title),
            subject=plain(data.cover.title),
            author=names or "Readiness",
            creator=f"Readiness {__version__}",
            keywords=[plain(data.cover.self_assessed), plain(data.cover.questionnaire)],
            lang=data.lang,
            initialFontName=REGULAR,
            keepTogetherClass=KeepWithNext,
        )
        self.data = data
        self.cancel = cancel
        self._serial = 0
        prefix, _, suffix = data.labels["page_of"].partition("{pages}")
        self._page_prefix, self._page_suffix = prefix, suffix
        right = " · ".join(
            part for part in (plain(data.cover.city), plain(data.cover.period)) if part
        )
        self._footer_right = f"{right} · {plain(data.cover.self_assessed)}" if right else ""
        self._not_final = ""
        if data.cover.status_code and data.cover.status_code != "final":
            self._not_final = plain(data.label("not_final_mark", status=data.cover.status))
        frame = Frame(
            MARGIN_X,
            MARGIN_BOTTOM,
            FRAME_WIDTH,
            PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="body",
        )
        self.addPageTemplates([PageTemplate("page", [frame], onPage=self._footer)])

    def _footer(self, canvas: Canvas, _doc: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        y = MARGIN_BOTTOM - 22
        canvas.line(MARGIN_X, y + 10, PAGE_WIDTH - MARGIN_X, y + 10)
        canvas.setFont(REGULAR, FOOTER_SIZE)
        canvas.setFillColor(MUTED)
        left = self._page_prefix.format(page=canvas.getPageNumber())
        canvas.drawString(MARGIN_X, y, left)
        width = stringWidth(left, REGULAR, FOOTER_SIZE)
        canvas.saveState()
        canvas.translate(MARGIN_X + width, y)
        canvas.doForm(_TOTAL_FORM)
        canvas.restoreState()
        if self._page_suffix:
            # The total's width is unknown here; leave room for four digits.
            digits = stringWidth("0000", REGULAR, FOOTER_SIZE)
            canvas.drawString(MARGIN_X + width + digits, y, self._page_suffix)
        text = _fit(self._footer_right, FRAME_WIDTH * 0.6)
        canvas.drawRightString(PAGE_WIDTH - MARGIN_X, y, text)
        if self._not_final:
            canvas.setFont(BOLD, HEADER_SIZE)
            canvas.setFillColor(WARN)
            top = PAGE_HEIGHT - MARGIN_TOP + 18
            canvas.drawRightString(PAGE_WIDTH - MARGIN_X, top, self._not_final)
        canvas.restoreState()

    def afterFlowable(self, flowable: Flowable) -> None:
        if self.cancel is not None and self.cancel():
            from app.reports import ReportCancelled

            raise ReportCancelled()
        if isinstance(flowable, Heading) and flowable.outline_title:
            self._serial += 1
            key = f"h{self._serial}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(
                flowable.outline_title, key, level=flowable.outline_level, closed=True
            )


def _fit(text: str, width: float) -> str:
    """`text`, shortened with an ellipsis until it fits `width` points of footer."""
    if stringWidth(text, REGULAR, FOOTER_SIZE) <= width:
        return text
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits with its ellipsis
        middle = (low + high + 1) // 2
        if stringWidth(text[:middle] + "…", REGULAR, FOOTER_SIZE) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low] + "…"


def render_pdf(data: ReportData, out: BinaryIO, cancel: Callable[[], bool] | None = None) -> int:
    """Write the report as PDF into the binary stream `out`; returns the page count."""
    register_fonts()
    from app.reports.pdf_story import story

    doc = _Document(out, data, cancel)
    doc.build(story(data, FRAME_WIDTH), canvasmaker=_Canvas)
    return int(doc.page)


def write_pdf(
    data: ReportData, path: str | os.PathLike[str], cancel: Callable[[], bool] | None = None
) -> Path:
    """Render into a temporary file beside `path` and rename it into place."""
    with atomic_write(path) as handle:
        render_pdf(data, handle, cancel)
    return Path(path)
