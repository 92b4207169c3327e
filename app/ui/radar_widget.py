"""A radar chart of domain scores (1-5), drawn with QPainter."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.ui.i18n import format_number

LEVELS = 5


@dataclass(frozen=True)
class RadarAxis:
    label: str
    score: float | None  # the counting (capped) score 1.0-5.0; None: insufficient data
    provisional: bool = False


class RadarWidget(QWidget):
    """Draws one axis per domain; a missing score is drawn at the centre with a hollow mark."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._axes: tuple[RadarAxis, ...] = ()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(240, 220)
        self.setAccessibleName("radar chart")

    def set_axes(self, axes: Sequence[RadarAxis]) -> None:
        self._axes = tuple(axes)
        parts = [
            f"{a.label}: {'-' if a.score is None else format_number(a.score, 1)}"
            for a in self._axes
        ]
        self.setAccessibleDescription("; ".join(parts))
        self.update()

    def axes(self) -> tuple[RadarAxis, ...]:
        return self._axes

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(420, 360)

    def point_for(self, index: int, value: float) -> QPointF:
        """Where `value` (0-5) on axis `index` is drawn in widget coordinates."""
        centre, radius = self._geometry()
        angle = -math.pi / 2 + 2 * math.pi * index / max(1, len(self._axes))
        distance = radius * max(0.0, min(value, LEVELS)) / LEVELS
        return QPointF(
            centre.x() + distance * math.cos(angle), centre.y() + distance * math.sin(angle)
        )

    def _geometry(self) -> tuple[QPointF, float]:
        metrics = QFontMetricsF(self.font())
        margin = metrics.height() * 2.2 + 8
        side_margin = min(self.width() * 0.22, metrics.averageCharWidth() * 14)
        usable_w = self.width() - 2 * side_margin
        usable_h = self.height() - 2 * margin
        radius = max(10.0, min(usable_w, usable_h) / 2)
        return QPointF(self.width() / 2, self.height() / 2), radius

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text_colour = palette.windowText().color()
        grid = QColor(text_colour)
        grid.setAlpha(70)
        count = len(self._axes)
        if count < 3:
            self._paint_too_few(painter, text_colour)
            return
        centre, _radius = self._geometry()
        # Rings for levels 1..5.
        painter.setPen(QPen(grid, 1))
        for level in range(1, LEVELS + 1):
            ring = QPolygonF([self.point_for(i, level) for i in range(count)])
            painter.drawPolygon(ring)
        small = QFont(self.font())
        small.setPointSizeF(max(6.0, self.font().pointSizeF() * 0.8))
        painter.setFont(small)
        for level in range(1, LEVELS + 1):
            point = self.point_for(0, level)
            painter.drawText(point + QPointF(4, 4), str(level))
        painter.setFont(self.font())
        for i in range(count):
            painter.drawLine(centre, self.point_for(i, LEVELS))
        # The profile.
        accent = palette.highlight().color()
        fill = QColor(accent)
        fill.setAlpha(70)
        points = [self.point_for(i, a.score or 0.0) for i, a in enumerate(self._axes)]
        painter.setPen(QPen(accent, 2))
        painter.setBrush(fill)
        painter.drawPolygon(QPolygonF(points))
        for axis, point in zip(self._axes, points, strict=True):
            painter.setBrush(accent if axis.score is not None else Qt.BrushStyle.NoBrush)
            painter.drawEllipse(point, 3.5, 3.5)
        # Labels outside the outer ring.
        painter.setPen(text_colour)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        metrics = QFontMetricsF(self.font())
        for i, axis in enumerate(self._axes):
            score = "-" if axis.score is None else format_number(axis.score, 1)
            text = f"{axis.label}{' *' if axis.provisional else ''}\n{score}"
            self._draw_label(painter, metrics, self.point_for(i, LEVELS + 0.45), text, centre)
        painter.end()

    def _draw_label(
        self,
        painter: QPainter,
        metrics: QFontMetricsF,
        anchor: QPointF,
        text: str,
        centre: QPointF,
    ) -> None:
        lines = text.split("\n")
        width = max(metrics.horizontalAdvance(line) for line in lines) + 4
        height = metrics.height() * len(lines)
        x = anchor.x() - width / 2
        if anchor.x() > centre.x() + 2:
            x = anchor.x()
        elif anchor.x() < centre.x() - 2:
            x = anchor.x() - width
        y = anchor.y() - height / 2
        x = max(0.0, min(x, self.width() - width))
        y = max(0.0, min(y, self.height() - height))
        painter.drawText(QRectF(x, y, width, height), Qt.AlignmentFlag.AlignCenter, text)

    def _paint_too_few(self, painter: QPainter, colour: QColor) -> None:
        painter.setPen(colour)
        lines = [
            f"{a.label}: {'-' if a.score is None else format_number(a.score, 1)}"
            for a in self._axes
        ]
        painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "\n".join(lines))
        painter.end()
