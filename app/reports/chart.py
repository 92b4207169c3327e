"""The domain profile chart of the PDF: a radar of domain scores (bars when fewer than three)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.graphics.shapes import Drawing, Line, Polygon, PolyLine, Rect, String
from reportlab.lib import colors

from app.reports.fonts import BOLD, REGULAR

MAX_SCORE = 5.0
GRID = colors.HexColor("#B8C2CC")
INK = colors.HexColor("#1F2933")
MUTED = colors.HexColor("#616E7C")
FILL = colors.HexColor("#2F6FB3")


@dataclass(frozen=True)
class ChartPoint:
    label: str  # short: the domain id
    score: float | None
    score_text: str  # "3,3" or "—"


def domain_chart(points: Sequence[ChartPoint], width: float, height: float) -> Drawing:
    drawing = _radar(points, width, height) if len(points) >= 3 else _bars(points, width, height)
    # Without this the renderer selects Helvetica first, an unembedded font in the PDF.
    drawing.initialFontName = REGULAR
    drawing.initialFontSize = 8
    return drawing


def _radar(points: Sequence[ChartPoint], width: float, height: float) -> Drawing:
    drawing = Drawing(width, height)
    cx, cy = width / 2, height / 2
    radius = min(width, height) / 2 - 34
    count = len(points)
    angles = [math.pi / 2 - 2 * math.pi * i / count for i in range(count)]

    def at(value: float, angle: float) -> tuple[float, float]:
        r = radius * max(0.0, min(value, MAX_SCORE)) / MAX_SCORE
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    for ring in range(1, 6):
        ring_points = [coord for angle in angles for coord in at(ring, angle)]
        drawing.add(Polygon(ring_points, strokeColor=GRID, strokeWidth=0.5, fillColor=None))
        x, y = at(ring, angles[0])
        drawing.add(String(x + 3, y - 3, str(ring), fontName=REGULAR, fontSize=6, fillColor=MUTED))
    for angle in angles:
        x, y = at(MAX_SCORE, angle)
        drawing.add(Line(cx, cy, x, y, strokeColor=GRID, strokeWidth=0.5))

    shape = [
        coord for p, angle in zip(points, angles, strict=True) for coord in at(p.score or 0, angle)
    ]
    drawing.add(Polygon(shape, strokeColor=FILL, strokeWidth=1.5, fillColor=FILL, fillOpacity=0.25))
    for p, angle in zip(points, angles, strict=True):
        if p.score is not None:
            x, y = at(p.score, angle)
            drawing.add(Rect(x - 2, y - 2, 4, 4, fillColor=FILL, strokeColor=None))

    for p, angle in zip(points, angles, strict=True):
        cos, sin = math.cos(angle), math.sin(angle)
        x, y = cx + (radius + 8) * cos, cy + (radius + 8) * sin
        anchor = "start" if cos > 0.25 else "end" if cos < -0.25 else "middle"
        if sin > 0.5:
            y += 9  # above the chart: both lines go up
        elif sin > -0.5:
            y += 3
        drawing.add(
            String(x, y, p.label, fontName=BOLD, fontSize=8, fillColor=INK, textAnchor=anchor)
        )
        drawing.add(
            String(
                x,
                y - 9,
                p.score_text,
                fontName=REGULAR,
                fontSize=7.5,
                fillColor=MUTED,
                textAnchor=anchor,
            )
        )
    return drawing


def _bars(points: Sequence[ChartPoint], width: float, height: float) -> Drawing:
    drawing = Drawing(width, height)
    left, right, top, bottom = 60, 20, 20, 24
    plot_w = width - left - right
    step = (height - top - bottom) / max(1, len(points))
    bar_h = min(22.0, step * 0.6)
    for level in range(0, 6):
        x = left + plot_w * level / MAX_SCORE
        drawing.add(Line(x, bottom, x, height - top, strokeColor=GRID, strokeWidth=0.5))
        drawing.add(
            String(
                x,
                bottom - 10,
                str(level),
                fontName=REGULAR,
                fontSize=6.5,
                fillColor=MUTED,
                textAnchor="middle",
            )
        )
    for i, p in enumerate(points):
        y = height - top - step * (i + 0.5) - bar_h / 2
        length = plot_w * max(0.0, min(p.score or 0.0, MAX_SCORE)) / MAX_SCORE
        drawing.add(Rect(left, y, length, bar_h, fillColor=FILL, strokeColor=None))
        drawing.add(
            String(
                left - 6,
                y + bar_h / 2 - 3,
                p.label,
                fontName=BOLD,
                fontSize=8,
                fillColor=INK,
                textAnchor="end",
            )
        )
        drawing.add(
            String(
                left + length + 4,
                y + bar_h / 2 - 3,
                p.score_text,
                fontName=REGULAR,
                fontSize=7.5,
                fillColor=MUTED,
            )
        )
    drawing.add(PolyLine([left, bottom, left, height - top], strokeColor=INK, strokeWidth=0.7))
    return drawing
