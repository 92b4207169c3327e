"""Paragraph and table styles of the PDF report. Every style uses the embedded DejaVu fonts."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import TableStyle

from app.reports.fonts import BOLD, OBLIQUE, REGULAR
from app.reports.pdf_flow import Para, plain_para
from app.reports.safe import para

INK = colors.HexColor("#1F2933")
MUTED = colors.HexColor("#52606D")
RULE = colors.HexColor("#CBD2D9")
HEAD_BG = colors.HexColor("#E4E7EB")
SECTION_BG = colors.HexColor("#F0F4F8")
ACCENT = colors.HexColor("#2F6FB3")
WARN = colors.HexColor("#B42318")
WARN_BG = colors.HexColor("#FEF3F2")

BODY = ParagraphStyle(
    "body", fontName=REGULAR, fontSize=9.5, leading=12.5, spaceAfter=5, textColor=INK
)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=8, leading=10, spaceAfter=2)
NOTE = ParagraphStyle("note", parent=SMALL, fontName=OBLIQUE, textColor=MUTED)
CELL = ParagraphStyle("cell", parent=BODY, fontSize=8, leading=10, spaceAfter=0)
CELL_BOLD = ParagraphStyle("cell_bold", parent=CELL, fontName=BOLD)
CELL_HEAD = ParagraphStyle("cell_head", parent=CELL, fontName=BOLD, textColor=INK)
CELL_NOTE = ParagraphStyle("cell_note", parent=CELL, fontName=OBLIQUE, textColor=MUTED)
CELL_FLAG = ParagraphStyle("cell_flag", parent=CELL, fontName=OBLIQUE, textColor=WARN)
CELL_WARN = ParagraphStyle("cell_warn", parent=CELL, fontName=BOLD, textColor=WARN)
H1 = ParagraphStyle(
    "h1",
    parent=BODY,
    fontName=BOLD,
    fontSize=16,
    leading=20,
    spaceBefore=4,
    spaceAfter=8,
    textColor=INK,
    keepWithNext=1,
)
H2 = ParagraphStyle(
    "h2",
    parent=BODY,
    fontName=BOLD,
    fontSize=11.5,
    leading=14,
    spaceBefore=10,
    spaceAfter=5,
    textColor=INK,
    keepWithNext=1,
)
H3 = ParagraphStyle(
    "h3",
    parent=BODY,
    fontName=BOLD,
    fontSize=9.5,
    leading=12,
    spaceBefore=8,
    spaceAfter=3,
    keepWithNext=1,
)
HEADLINE = ParagraphStyle(
    "headline", parent=BODY, fontName=BOLD, fontSize=13, leading=17, textColor=ACCENT
)
WARNING = ParagraphStyle(
    "warning",
    parent=BODY,
    textColor=WARN,
    backColor=WARN_BG,
    borderPadding=(3, 4, 3, 4),
    spaceBefore=3,
    spaceAfter=7,
)
COVER_KICKER = ParagraphStyle(
    "kicker", parent=BODY, fontName=BOLD, fontSize=11, leading=14, textColor=ACCENT, spaceAfter=14
)
COVER_CITY = ParagraphStyle(
    "city", parent=BODY, fontName=BOLD, fontSize=30, leading=36, spaceAfter=6
)
COVER_SUB = ParagraphStyle("sub", parent=BODY, fontSize=13, leading=17, textColor=MUTED)
APPX_TITLE = ParagraphStyle(
    "appx_title",
    parent=BODY,
    fontName=BOLD,
    fontSize=8.5,
    leading=11,
    backColor=SECTION_BG,
    borderPadding=(2, 3, 2, 3),
    spaceBefore=9,
    spaceAfter=3,
    keepWithNext=1,
)
APPX_FACT = ParagraphStyle(
    "appx_fact", parent=BODY, fontSize=8, leading=10.5, leftIndent=3, spaceAfter=1.5
)
APPX_FLAG = ParagraphStyle("appx_flag", parent=APPX_FACT, fontName=BOLD, textColor=WARN)
APPX_META = ParagraphStyle("appx_meta", parent=APPX_FACT, fontName=OBLIQUE, textColor=MUTED)
APPX_PERSON = ParagraphStyle("appx_person", parent=APPX_FACT, leftIndent=14, spaceBefore=1)
APPX_PERSON_NOTE = ParagraphStyle(
    "appx_person_note", parent=APPX_PERSON, leftIndent=24, fontName=OBLIQUE, spaceBefore=0
)
PROVISIONAL = ParagraphStyle(
    "provisional", parent=BODY, fontName=BOLD, fontSize=9, textColor=WARN, spaceAfter=2
)
BADGE = ParagraphStyle(
    "badge",
    parent=BODY,
    fontName=BOLD,
    fontSize=12,
    leading=15,
    textColor=colors.white,
    alignment=TA_CENTER,
)


def grid_style(header_rows: int = 1) -> TableStyle:
    """Ruled table with a shaded header; cells hold paragraphs or one-line strings."""
    commands: list[tuple[object, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("LEADING", (0, 0), (-1, -1), 10),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("LINEBELOW", (0, header_rows), (-1, -1), 0.25, RULE),
    ]
    if header_rows:
        commands += [
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEAD_BG),
            ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.8, INK),
        ]
    return TableStyle(commands)


def cell(text: str, style: ParagraphStyle = CELL) -> Para:
    """A paragraph of user text in one style (escaped here: no markup can come in)."""
    escaped = para(text)
    if "<" not in escaped and "&" not in escaped:  # nothing to parse: skip the XML parser
        return plain_para(escaped, style)
    return Para(escaped, style)


def cells(*parts: tuple[str, ParagraphStyle]) -> Para | list[Para]:
    """One table cell made of several single-style paragraphs (empty parts are left out).

    reportlab lays out a paragraph with one style several times faster than one mixing
    styles with inline markup, so styled runs become paragraphs of their own.
    """
    found = [cell(text, style) for text, style in parts if text]
    return found[0] if len(found) == 1 else found
