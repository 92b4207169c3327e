"""The Qt models are thin adapters over plain data; qtmodeltester checks them against Qt's rules."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt

from app.ui.assessment_model import AssessmentRow, AssessmentTableModel, IdRole, SortRole
from app.ui.nav_model import KeyRole, KindRole, NavModel, NavNode


def _nodes(answered: int = 1) -> tuple[NavNode, ...]:
    return (
        NavNode(
            "PATH",
            {"en": "Pathology", "es": "Patología"},
            answered + 2,
            5,
            1,
            0,
            (
                NavNode("PATH-A", {"en": "Workforce"}, answered, 3, 1, 0),
                NavNode("PATH-B", {"en": "Turnaround"}, 2, 2),
            ),
        ),
        NavNode(
            "BIO", {"en": "Biomarkers"}, 0, 4, 0, 2, (NavNode("BIO-A", {"en": "Menu"}, 0, 4, 0, 2),)
        ),
        NavNode("EMPTY", {"en": "No sections"}, 0, 0),
    )


def test_nav_model_passes_the_model_tester(qtmodeltester: Any) -> None:
    model = NavModel()
    model.set_nodes(_nodes())
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(model)


def test_nav_model_shows_completion_and_badges(qtbot: Any) -> None:
    model = NavModel()
    model.set_nodes(_nodes())
    path = model.index(0, 0)
    assert path.data() == "Pathology"
    assert path.siblingAtColumn(1).data() == "3/5 ≠1"
    section = model.index(1, 0, path)
    assert section.data() == "Turnaround"
    assert section.siblingAtColumn(1).data() == "2/2 ✓"
    assert section.data(KeyRole) == "PATH-B"
    assert section.data(KindRole) == "section"
    assert path.data(KindRole) == "domain"
    assert model.index(1, 1).data() == "0/4 ⚡2"
    assert model.index(1, 0).data(Qt.ItemDataRole.ToolTipRole) == (
        "Biomarkers, 0 of 4 answered, 2 conflicts"
    )
    assert model.parent(section) == path
    assert model.index_for_key("BIO-A") == model.index(0, 0, model.index(1, 0))
    assert model.section_keys() == ["PATH-A", "PATH-B", "BIO-A"]
    model.set_language("es")
    assert path.data() == "Patología"
    assert model.index(0, 0, model.index(1, 0)).data() == "Menu"  # falls back to English


def test_nav_model_update_with_same_shape_keeps_indexes(qtbot: Any) -> None:
    model = NavModel()
    model.set_nodes(_nodes(1))
    resets: list[int] = []
    changes: list[tuple[QModelIndex, QModelIndex]] = []
    model.modelReset.connect(lambda: resets.append(1))
    model.dataChanged.connect(lambda a, b, _roles: changes.append((a, b)))
    model.set_nodes(_nodes(2))
    assert resets == [] and changes
    assert model.index(0, 1, model.index(0, 0)).data().startswith("2/3")
    model.set_nodes(_nodes(2)[:2])  # a different shape resets
    assert resets == [1]


def _rows() -> list[AssessmentRow]:
    return [
        AssessmentRow(
            "a1",
            "Tbilisi",
            "Georgia",
            "2026",
            "draft",
            0.25,
            (("PATH", 2), ("QA", None)),
            questionnaire="precision-oncology-readiness-core 1.0",
        ),
        AssessmentRow(
            "b2",
            "Phnom Penh",
            "Cambodia",
            "2025",
            "final",
            1.0,
            (("PATH", 4),),
            questionnaire="other-form 2",
        ),
    ]


def test_assessment_model_passes_the_model_tester(qtmodeltester: Any) -> None:
    model = AssessmentTableModel()
    model.set_rows(_rows())
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(model)


def test_assessment_model_columns(qtbot: Any) -> None:
    model = AssessmentTableModel()
    model.set_rows(_rows())
    row = [model.index(0, c).data() for c in range(model.columnCount())]
    assert row == [
        "Tbilisi",
        "Georgia",
        "2026",
        "25 %",
        "PATH 2 QA –",
        "Draft",
        "On this computer only",
        "core 1.0",
    ]
    assert model.index(1, 7).data() == "other-form 2"  # not a shipped one: as it is
    assert model.index(1, 5).data() == "Final"
    assert model.index(1, 0).data(IdRole) == "b2"
    assert model.index(0, 3).data(SortRole) == 0.25
    assert model.headerData(3, Qt.Orientation.Horizontal) == "Progress"
    assert model.row_of("b2") == 1 and model.row_of("zz") == -1
