"""Who is answering, in the window: the README's order (demo, then one's own assessment, then
answers) records the right author; the status bar names who answers; two people sharing the
laptop switch and the history and the merge view name each of them."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QWizard

from app.services.identity_upgrade import demo_names
from app.ui.contributor_switch import NEW, SwitchContributorDialog
from app.ui.history_dialog import history_rows
from tests.ui.conftest import SAMPLE_FORM, wait_idle


def _answer(qtbot: Any, window: Any, indicator_id: str, code: str) -> None:
    editor = window.fill.question(indicator_id).editor
    button = next(b for b in editor.buttons() if b.property("code") == code)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert window.fill.question(indicator_id).save_state() == "saved"


def _switch(qtbot: Any, window: Any, name: str, role: str = "") -> None:
    switch = window.contributor_switch
    switch.action.trigger()
    wait_idle(qtbot, window)
    dialog = switch.dialog
    assert isinstance(dialog, SwitchContributorDialog)
    index = dialog.person.findText(name, Qt.MatchFlag.MatchStartsWith)
    if index >= 0:
        dialog.person.setCurrentIndex(index)
    else:
        dialog.person.setCurrentIndex(dialog.person.findData(NEW))
        qtbot.keyClicks(dialog.name, name)
        qtbot.keyClicks(dialog.role, role)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert switch.dialog is None


def _history(window: Any, indicator_id: str) -> list[str]:
    """The 'Who' column of the history dialog's rows, oldest first."""
    from app.services.answers import answer_history

    loaded = window.session.current
    revisions = answer_history(window.backend.ws, loaded.snapshot.header.id, indicator_id)
    indicator = loaded.snapshot.questionnaire.indicator(indicator_id)
    return [row[1] for row in reversed(history_rows(indicator, revisions, "en"))]


def test_readme_order_then_two_people_sharing_the_laptop(
    qtbot: Any, open_window: Any, monkeypatch: Any
) -> None:
    from app.ui.backend import Backend

    monkeypatch.setattr(
        Backend, "shipped_forms", lambda self: [("Sample questionnaire", str(SAMPLE_FORM))]
    )
    fictional = demo_names()
    window = open_window()
    switch = window.contributor_switch
    assert not switch.label.isVisible() and not switch.action.isEnabled()

    # The demo first, as the README says: it is answered by its own fictional coordinator.
    window.demo_action.trigger()
    wait_idle(qtbot, window)
    assert window.session.current.snapshot.header.city == "Valmira"
    assert any(name in switch.label.text() for name in fictional)

    # Then one's own assessment, with the wizard.
    window.new_action.trigger()
    wait_idle(qtbot, window)
    wizard = window.actions_.dialog
    qtbot.keyClicks(wizard.place.city, "Cusco")
    qtbot.keyClicks(wizard.place.country, "Peru")
    wizard.next()
    wizard.next()
    wizard.person.name.clear()
    qtbot.keyClicks(wizard.person.name, "Rosa Quispe")
    wizard.person.role.setCurrentText("City coordinator")
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert window.session.current.snapshot.header.city == "Cusco"
    assert switch.label.isVisible()
    assert switch.label.text() == "Answering as Rosa Quispe (City coordinator)"
    assert not any(name in switch.label.text() for name in fictional)

    _answer(qtbot, window, "PATH-04", "yes")
    assert _history(window, "PATH-04") == ["Rosa Quispe"]

    # A colleague takes the laptop: a new person, then back and forth.
    _switch(qtbot, window, "Luis Mamani", "Pathologist")
    assert switch.label.text() == "Answering as Luis Mamani (Pathologist)"
    loaded = window.session.current  # the fill view now shows Luis's own answers
    assert loaded.answering.name == "Luis Mamani" and loaded.me == loaded.answering.id
    _answer(qtbot, window, "PATH-04", "no")
    _switch(qtbot, window, "Rosa Quispe")
    assert switch.label.text() == "Answering as Rosa Quispe (City coordinator)"
    _answer(qtbot, window, "PATH-04", "partial")
    assert _history(window, "PATH-04") == ["Rosa Quispe", "Luis Mamani", "Rosa Quispe"]

    # The merge view lists both people's answers under their names.
    city = window.session.current.snapshot.answers["PATH-04"]
    assert city.disagreement
    window.merge.select("PATH-04")
    table = window.merge.table
    names = {table.item(row, 0).text() for row in range(table.rowCount())}
    assert names == {"Rosa Quispe", "Luis Mamani"}

    # The choice is remembered per assessment: the demo still answers as its coordinator, and
    # this one as Rosa after reopening.
    window.demo_action.trigger()
    wait_idle(qtbot, window)
    assert any(name in switch.label.text() for name in fictional)
    window.open_assessment(
        next(r.id for r in window.backend.list_assessments() if r.city == "Cusco")
    )
    wait_idle(qtbot, window)
    assert switch.label.text() == "Answering as Rosa Quispe (City coordinator)"
    window.session.close()
    assert not switch.label.isVisible()
