"""One answer's history: who changed it, when, from what, to what, and why."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.common.i18n import pick
from app.domain import CityAnswer, Indicator, Revision
from app.reports.provenance import provenance, provenance_text
from app.ui.answer_text import describe_answer
from app.ui.i18n import N_, _, format_timestamp

COLUMNS = (N_("When"), N_("Who"), N_("Answer of"), N_("From"), N_("To"), N_("Why"))


def history_rows(
    indicator: Indicator, revisions: Sequence[Revision], lang: str
) -> list[tuple[str, ...]]:
    """One row per revision, newest first: when, who, whose answer, from, to, why."""
    by_id = {r.id: r for r in revisions}
    rows: list[tuple[str, ...]] = []
    for revision in sorted(revisions, key=lambda r: r.hlc, reverse=True):
        parents = [by_id[p] for p in revision.parents if p in by_id]
        before = "; ".join(describe_answer(indicator, p.answer, lang) for p in parents)
        subject = _("City answer") if revision.subject == "city" else _("Own answer")
        why = revision.rationale or revision.answer.note
        rows.append(
            (
                format_timestamp(revision.created_at),
                revision.author.name if revision.author else "",
                subject,
                before or "—",
                describe_answer(indicator, revision.answer, lang),
                why,
            )
        )
    return rows


class HistoryDialog(QDialog):
    def __init__(
        self,
        indicator: Indicator,
        revisions: Sequence[Revision],
        lang: str,
        parent: QWidget | None = None,
        city: CityAnswer | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("history_dialog")
        self.setWindowTitle(_("History of {id}").format(id=indicator.id))
        title = QLabel(f"{indicator.id}  {pick(indicator.label, lang)}", self)
        title.setWordWrap(True)
        # How the city answer now stands, in the words the PDF and the Excel export use.
        how = provenance_text(provenance(indicator, city), lang) if city is not None else ""
        self.how_set = QLabel(how, self)
        self.how_set.setObjectName("how_set")
        self.how_set.setWordWrap(True)
        self.how_set.setVisible(bool(how))
        rows = history_rows(indicator, revisions, lang)
        self.table = QTableWidget(len(rows), len(COLUMNS), self)
        self.table.setObjectName("history")
        self.table.setAccessibleName(_("Changes of this answer"))
        self.table.setHorizontalHeaderLabels([_(c) for c in COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        for row, cells in enumerate(rows):
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        empty = QLabel(_("This answer has not been changed yet."), self)
        empty.setVisible(not rows)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.how_set)
        layout.addWidget(self.table, 1)
        layout.addWidget(empty)
        layout.addWidget(buttons)
        self.resize(760, 360)
