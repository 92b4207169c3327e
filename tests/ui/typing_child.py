"""Run as a program by test_kill.py: the real window (its own database thread, offscreen) on a data
folder; it opens an assessment, types a note into a question the way a keyboard does, prints
"typed" and goes on running until it is killed."""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    data_dir, assessment_id, indicator_id, text = sys.argv[1:5]
    from PySide6.QtCore import QTimer
    from PySide6.QtTest import QTest

    from app.ui.app import application, create_window

    app = application()
    window = create_window(data_dir)
    window.show()
    window.activateWindow()
    state = {"asked": False}

    def step() -> None:
        if window.session.assessment_id != assessment_id:
            if not state["asked"] and not window.runner.busy:
                state["asked"] = True
                window.open_assessment(assessment_id)
            QTimer.singleShot(20, step)
            return
        question = window.fill.question(indicator_id)
        assert question is not None
        question.note.setFocus()
        QTest.keyClicks(question.note, text)
        print("typed", flush=True)

    window.first_painted.connect(lambda: QTimer.singleShot(0, step))
    return int(app.exec())


if __name__ == "__main__":
    sys.exit(main())
