"""Merging: two contributors disagree; the coordinator sees both answers side by side and sets
the city answer with a rationale, by picking one or by entering another."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.domain import Answer, AnswerState
from app.ui.value_editors import ChoiceEditor
from tests.ui.conftest import wait_idle


@pytest.fixture
def disputed(data_dir: Path, make_assessment: Any) -> str:
    from app.services import answers
    from app.services.workspace import Workspace

    assessment_id = make_assessment(contributor="Coordinator", role="City coordinator")
    with Workspace.open(data_dir) as ws:
        answers.save_answer(ws, assessment_id, "PATH-04", Answer("yes", note="SOP"), "Ana")
        answers.save_answer(ws, assessment_id, "PATH-04", Answer("no"), "Ben")
        answers.save_answer(ws, assessment_id, "QA-01", Answer("partial"), "Ana")
        answers.save_answer(ws, assessment_id, "QA-01", Answer(state=AnswerState.DONT_KNOW), "Ben")
        answers.save_answer(ws, assessment_id, "PATH-01", Answer(4), "Ana")
        answers.save_answer(ws, assessment_id, "PATH-01", Answer(4), "Ben")
    return assessment_id


def test_merge_two_contributors(qtbot: Any, open_window: Any, disputed: str) -> None:
    window = open_window()
    window.open_assessment(disputed)
    wait_idle(qtbot, window)
    merge = window.merge
    assert merge.disputed() == ["PATH-04", "QA-01"]  # PATH-01: both said 4, nothing to merge
    assert window.tabs.tabText(2) == "&Merge (2)"
    # The fill view flags the disagreement too, and scoring counts the lower answer.
    question = window.fill.question("PATH-04")
    assert "Disagreement" in question.badges.text()
    # PATH has too little known data for a level (so nothing is listed as capping it), but the
    # lower answer counts and fires the fixation gate.
    score = window.session.current.snapshot.score
    assert score.indicator("PATH-04").level == 1  # type: ignore[union-attr]
    assert [g.indicators for g in score.domains["PATH"].gates if g.fired] == [("PATH-04",)]
    assert window.fill.nav_model.nodes()[0].disagreements == 1

    window.show_page(2)
    merge.select("PATH-04")
    table = merge.table
    rows = {
        table.item(r, 0).text(): (table.item(r, 2).text(), table.item(r, 3).text())
        for r in range(table.rowCount())
    }
    assert rows == {"Ana": ("Yes", "SOP"), "Ben": ("No", "")}
    assert all(table.item(r, 4).text() for r in range(table.rowCount()))  # when

    # A rationale is required.
    ana_row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == "Ana")
    table.selectRow(ana_row)
    qtbot.mouseClick(merge.use_button, Qt.MouseButton.LeftButton)
    assert "rationale" in merge.message.text()
    assert merge.disputed() == ["PATH-04", "QA-01"]

    merge.rationale.setFocus()
    qtbot.keyClicks(merge.rationale, "Ana checked the SOP register")
    qtbot.mouseClick(merge.use_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    city = window.session.current.snapshot.answers["PATH-04"]
    assert (city.answer.value, city.derived, city.disagreement) == ("yes", False, False)
    assert merge.disputed() == ["QA-01"]
    assert window.tabs.tabText(2) == "&Merge (1)"
    score = window.session.current.snapshot.score
    assert not any(g.fired for g in score.domains["PATH"].gates)

    # Enter a city answer that neither contributor gave.
    merge.select("QA-01")
    editor = merge._editor
    assert isinstance(editor, ChoiceEditor)
    qtbot.mouseClick(
        next(b for b in editor.buttons() if b.property("code") == "yes"), Qt.MouseButton.LeftButton
    )
    merge.rationale.clear()
    qtbot.keyClicks(merge.rationale, "EQA certificate seen by the coordinator")
    qtbot.mouseClick(merge.set_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    city = window.session.current.snapshot.answers["QA-01"]
    assert (city.answer.value, city.derived, city.rationale) == (
        "yes",
        False,
        "EQA certificate seen by the coordinator",
    )
    assert merge.disputed() == []
    assert "Nothing to resolve" in merge.question.text()
    assert window.tabs.tabText(2) == "&Merge"


def test_history_shows_who_when_from_to_why(
    qtbot: Any, open_window: Any, disputed: str, data_dir: Path
) -> None:
    from app.services import answers
    from app.services.workspace import Workspace

    with Workspace.open(data_dir) as ws:
        answers.save_answer(ws, disputed, "PATH-04", Answer("partial", note="only one lab"), "Ana")
        answers.set_city_answer(ws, disputed, "PATH-04", Answer("partial"), "agreed in meeting")
    window = open_window()
    window.open_assessment(disputed)
    wait_idle(qtbot, window)
    qtbot.mouseClick(window.fill.question("PATH-04").history_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    dialog = window.actions_.dialog
    assert dialog is not None and dialog.objectName() == "history_dialog"
    table = dialog.table
    rows = [tuple(table.item(r, c).text() for c in range(6)) for r in range(table.rowCount())]
    assert len(rows) == 4  # newest first
    assert rows[0][1:] == ("Coordinator", "City answer", "—", "Partial", "agreed in meeting")
    assert rows[1][1:] == ("Ana", "Own answer", "Yes", "Partial", "only one lab")
    assert {rows[2][1], rows[3][1]} == {"Ana", "Ben"}
    assert all(r[0] for r in rows)
    dialog.close()


def test_merge_by_keyboard_and_no_reused_rationale(
    qtbot: Any, open_window: Any, disputed: str
) -> None:
    """Tab goes State, the value, Rationale, Set; Enter in Rationale sets the city answer; the
    next disagreement starts with an empty rationale; dates read year-month-day."""
    import re

    from PySide6.QtWidgets import QApplication

    window = open_window()
    window.open_assessment(disputed)
    wait_idle(qtbot, window)
    merge = window.merge
    window.show_page(2)
    merge.select("QA-01")
    table = merge.table
    for row in range(table.rowCount()):
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", table.item(row, 4).text())
    editor = merge._editor
    assert isinstance(editor, ChoiceEditor)
    merge.state.setFocus()
    qtbot.waitUntil(merge.state.hasFocus)
    qtbot.keyClick(merge.state, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() in editor.buttons()  # the value comes after the state
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is merge.rationale  # then the rationale
    qtbot.keyClicks(merge.rationale, "EQA certificate seen")
    qtbot.keyClick(merge.rationale, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is merge.set_button
    merge.rationale.setFocus()
    qtbot.keyClick(merge.rationale, Qt.Key.Key_Return)  # Enter sets the city answer
    wait_idle(qtbot, window)
    city = window.session.current.snapshot.answers["QA-01"]
    assert (city.derived, city.rationale) == (False, "EQA certificate seen")
    assert merge.disputed() == ["PATH-04"]
    assert merge.rationale.text() == ""  # not carried over to the next disagreement


def test_results_name_the_capping_question_and_explain_the_path(
    qtbot: Any, open_window: Any, disputed: str, data_dir: Path
) -> None:
    from app.services import answers
    from app.services.workspace import Workspace

    # enough known PATH answers for a level, so the fired fixation gate shows as what caps it
    with Workspace.open(data_dir) as ws:
        answers.save_answer(ws, disputed, "PATH-02", Answer(2), "Ana")
        answers.save_answer(ws, disputed, "PATH-05", Answer(30.0), "Ana")
    window = open_window()
    window.open_assessment(disputed)
    wait_idle(qtbot, window)
    questionnaire = window.session.current.snapshot.questionnaire
    text = window.results.domain_text("PATH")
    label = questionnaire.indicator("PATH-04").label["en"]
    assert f"Capped by: PATH-04 {label}" in text  # the question, not only its code
    assert "(gate)" not in text and "(gain)" not in text  # plain words instead of jargon
    description = window.results.radar.accessibleDescription()
    for domain in questionnaire.domains:
        assert domain.name["en"] in description
