"""The status dialog applies the service's rule: OK needs a reason exactly when
`needs_reason(current, chosen)` says so, for every pair of statuses."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from app.domain import AssessmentStatus, needs_reason
from app.ui.status_dialog import StatusDialog


@pytest.mark.parametrize(
    ("current", "target"), list(itertools.permutations(AssessmentStatus.ALL, 2))
)
def test_the_dialog_asks_for_a_reason_when_the_service_will(
    qtbot: Any, current: str, target: str
) -> None:
    dialog = StatusDialog(current)
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    dialog.choices[target].setChecked(True)
    assert ok.isEnabled() is not needs_reason(current, target)
    assert bool(dialog.hint.text()) is needs_reason(current, target)
    dialog.reason.setText("   ")  # blank is no reason, as for the service
    assert ok.isEnabled() is not needs_reason(current, target)
    dialog.reason.setText("EQA results arrived late")
    assert ok.isEnabled()
