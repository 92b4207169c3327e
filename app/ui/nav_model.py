"""The fill view's navigation tree: domains -> sections, with completion and badges.

A thin Qt adapter over plain `NavNode` data built by `app.ui.fill_state`. Updating with the same
structure only signals changed data, so the selection and expansion survive every save.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

from app.common.i18n import pick
from app.domain import LocalText
from app.ui.i18n import _, ngettext

Index = QModelIndex | QPersistentModelIndex
KeyRole = Qt.ItemDataRole.UserRole + 1
KindRole = Qt.ItemDataRole.UserRole + 2
BadgeRole = Qt.ItemDataRole.UserRole + 3
COLUMNS = 2


@dataclass(frozen=True)
class NavNode:
    key: str  # domain id or section id
    name: LocalText
    answered: int
    total: int  # relevant, answerable questions
    disagreements: int = 0
    conflicts: int = 0
    children: tuple[NavNode, ...] = ()

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.answered >= self.total


class NavModel(QAbstractItemModel):
    """Top-level rows are domains; their children are sections. Column 0 is the name, column 1
    the completion ("3/5") and badges, so a long name is elided without hiding the counts."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._nodes: tuple[NavNode, ...] = ()
        self._lang = "en"

    # -- data in ---------------------------------------------------------------------------

    def set_nodes(self, nodes: Sequence[NavNode]) -> None:
        nodes = tuple(nodes)
        if _shape(nodes) == _shape(self._nodes):
            self._nodes = nodes
            self._emit_all_changed()
            return
        self.beginResetModel()
        self._nodes = nodes
        self.endResetModel()

    def set_language(self, lang: str) -> None:
        self._lang = lang
        self._emit_all_changed()

    def nodes(self) -> tuple[NavNode, ...]:
        return self._nodes

    def index_for_key(self, key: str) -> QModelIndex:
        for row, domain in enumerate(self._nodes):
            if domain.key == key:
                return self.index(row, 0)
            for child_row, section in enumerate(domain.children):
                if section.key == key:
                    return self.index(child_row, 0, self.index(row, 0))
        return QModelIndex()

    def section_keys(self) -> list[str]:
        return [section.key for domain in self._nodes for section in domain.children]

    # -- QAbstractItemModel ------------------------------------------------------------------

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not 0 <= column < COLUMNS or row < 0:
            return QModelIndex()
        if not parent.isValid():
            if row >= len(self._nodes):
                return QModelIndex()
            return self.createIndex(row, column, 0)
        if parent.internalId() != 0 or parent.column() != 0:
            return QModelIndex()
        domain_row = parent.row()
        if row >= len(self._nodes[domain_row].children):
            return QModelIndex()
        return self.createIndex(row, column, domain_row + 1)

    def parent(self, child: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not child.isValid() or child.internalId() == 0:
            return QModelIndex()
        return self.createIndex(child.internalId() - 1, 0, 0)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        if not parent.isValid():
            return len(self._nodes)
        if parent.internalId() == 0 and parent.column() == 0:
            return len(self._nodes[parent.row()].children)
        return 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return COLUMNS

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            if section == 0:
                return _("Sections")
            if section == 1:
                return _("Answered")
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        node = self._node(index)
        if node is None:
            return None
        is_domain = index.internalId() == 0
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == 0:
                return pick(node.name, self._lang) or node.key
            badge = self._badge_text(node)
            counts = f"{node.answered}/{node.total}"
            return f"{counts} {badge}" if badge else counts
        if role == Qt.ItemDataRole.ToolTipRole or role == Qt.ItemDataRole.AccessibleTextRole:
            return self._description(node)
        if role == KeyRole:
            return node.key
        if role == KindRole:
            return "domain" if is_domain else "section"
        if role == BadgeRole:
            return self._badge_text(node)
        if role == Qt.ItemDataRole.FontRole and is_domain:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and (node.conflicts or node.disagreements):
            return QBrush(QColor("#9a3412"))
        return None

    # -- internals ---------------------------------------------------------------------------

    def _node(self, index: Index) -> NavNode | None:
        if not index.isValid():
            return None
        if index.internalId() == 0:
            return self._nodes[index.row()] if index.row() < len(self._nodes) else None
        domain_row = index.internalId() - 1
        if domain_row >= len(self._nodes):
            return None
        children = self._nodes[domain_row].children
        return children[index.row()] if index.row() < len(children) else None

    def _badge_text(self, node: NavNode) -> str:
        parts = []
        if node.conflicts:
            parts.append(f"⚡{node.conflicts}")
        if node.disagreements:
            parts.append(f"≠{node.disagreements}")
        if node.complete and not parts:
            parts.append("✓")
        return " ".join(parts)

    def _description(self, node: NavNode) -> str:
        parts = [
            pick(node.name, self._lang) or node.key,
            _("{answered} of {total} answered").format(answered=node.answered, total=node.total),
        ]
        if node.disagreements:
            parts.append(
                ngettext("{n} disagreement", "{n} disagreements", node.disagreements).format(
                    n=node.disagreements
                )
            )
        if node.conflicts:
            parts.append(
                ngettext("{n} conflict", "{n} conflicts", node.conflicts).format(n=node.conflicts)
            )
        return ", ".join(parts)

    def _emit_all_changed(self) -> None:
        if not self._nodes:
            return
        last = len(self._nodes) - 1
        self.dataChanged.emit(self.index(0, 0), self.index(last, COLUMNS - 1))
        for row, domain in enumerate(self._nodes):
            if domain.children:
                parent = self.index(row, 0)
                self.dataChanged.emit(
                    self.index(0, 0, parent),
                    self.index(len(domain.children) - 1, COLUMNS - 1, parent),
                )


def _shape(nodes: Sequence[NavNode]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((n.key, tuple(c.key for c in n.children)) for n in nodes)
