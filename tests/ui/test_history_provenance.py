"""The history dialog says how the city answer was set, in the words of the PDF and the XLSX."""

from __future__ import annotations

from typing import Any

import pytest

from app.common.i18n import LANGUAGES
from app.reports.build import build_report
from app.ui.history_dialog import HistoryDialog
from tests.unit.test_report_samples import rich_snapshot


@pytest.mark.parametrize("lang", LANGUAGES)
def test_history_dialog_shows_the_report_provenance(qtbot: Any, lang: str) -> None:
    snap = rich_snapshot()
    rows = {r.id: r for r in build_report(snap, lang).answers}
    for indicator_id in ("GOV-01", "QA-02", "PATH-05", "PATH-03", "DATA-02"):
        indicator = snap.questionnaire.indicator(indicator_id)
        revisions = [r for r in snap.revisions if r.indicator_id == indicator_id]
        dialog = HistoryDialog(indicator, revisions, lang, city=snap.answers[indicator_id])
        qtbot.addWidget(dialog)
        assert dialog.how_set.text() == rows[indicator_id].how_set != ""
        assert not dialog.how_set.isHidden()


def test_history_dialog_without_a_city_answer_shows_no_provenance(qtbot: Any) -> None:
    snap = rich_snapshot()
    dialog = HistoryDialog(snap.questionnaire.indicator("GOV-01"), [], "en")
    qtbot.addWidget(dialog)
    assert dialog.how_set.isHidden() and dialog.how_set.text() == ""
