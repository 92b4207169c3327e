"""The home page's assessments table: a thin Qt adapter over plain `AssessmentRow` values."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from app.ui.i18n import N_, _, format_number

Index = QModelIndex | QPersistentModelIndex
IdRole = Qt.ItemDataRole.UserRole + 1
SortRole = Qt.ItemDataRole.UserRole + 2

STATUS_LABELS = {
    "draft": N_("Draft"),
    "in_review": N_("In review"),
    "final": N_("Final"),
}
SYNC_LABELS = {
    "local": N_("On this computer only"),
    "pending": N_("Changes waiting to sync"),
    "synced": N_("Synced"),
    "conflicts": N_("Conflicts to resolve"),
}


@dataclass(frozen=True)
class AssessmentRow:
    id: str
    city: str
    country: str
    period: str
    status: str
    progress: float  # 0.0-1.0
    levels: tuple[tuple[str, int | None], ...] = ()  # (domain id, level) in questionnaire order
    sync_state: str = "local"
    questionnaire: str = ""  # "id version"
    language: str = "en"


COLUMNS = (
    N_("City"),
    N_("Country"),
    N_("Period"),
    N_("Progress"),
    N_("Levels"),
    N_("Status"),
    N_("Sync"),
    N_("Questionnaire"),
)
SHIPPED_FORM = "precision-oncology-readiness"


class AssessmentTableModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: tuple[AssessmentRow, ...] = ()

    def set_rows(self, rows: Sequence[AssessmentRow]) -> None:
        self.beginResetModel()
        self._rows = tuple(rows)
        self.endResetModel()

    def rows(self) -> tuple[AssessmentRow, ...]:
        return self._rows

    def row_of(self, assessment_id: str) -> int:
        for row, item in enumerate(self._rows):
            if item.id == assessment_id:
                return row
        return -1

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, len(COLUMNS) - 1)
            )

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return _(COLUMNS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == IdRole:
            return row.id
        if role == Qt.ItemDataRole.DisplayRole or role == Qt.ItemDataRole.AccessibleTextRole:
            return self._display(row, column)
        if role == SortRole:
            return self._sort_key(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == 4:
            return ", ".join(f"{d}: {lvl if lvl is not None else '-'}" for d, lvl in row.levels)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, row: AssessmentRow, column: int) -> str:
        if column == 0:
            return row.city
        if column == 1:
            return row.country
        if column == 2:
            return row.period
        if column == 3:
            return f"{format_number(round(row.progress * 100))} %"
        if column == 4:
            return " ".join(
                f"{domain} {level if level is not None else '–'}" for domain, level in row.levels
            )
        if column == 5:
            return _(STATUS_LABELS.get(row.status, row.status))
        if column == 6:
            return _(SYNC_LABELS.get(row.sync_state, row.sync_state))
        if column == 7:
            return _questionnaire_text(row.questionnaire)
        return ""

    def _sort_key(self, row: AssessmentRow, column: int) -> Any:
        if column == 3:
            return row.progress
        return self._display(row, column).casefold()


def _questionnaire_text(value: str) -> str:
    """The shipped questionnaires as "full 1.0" / "core 1.0"; any other by its id and version."""
    form_id, _sep, version = value.rpartition(" ")
    if form_id == SHIPPED_FORM:
        return _("full {version}").format(version=version)
    if form_id == f"{SHIPPED_FORM}-core":
        return _("core {version}").format(version=version)
    return value
