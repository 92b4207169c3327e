"""The window comes first: what a start imports before the first paint, the first list, the work
left for after it (database stack, the other pages), and PySide6's import scan."""

from __future__ import annotations

import subprocess
import sys
import types
from pathlib import Path
from typing import Any

from app.common.paths import DataPaths
from app.domain import Answer
from tests.ui.conftest import wait_idle

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("sqlalchemy", "alembic", "yaml", "app.forms", "reportlab", "openpyxl", "httpx")


def run_python(code: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_the_first_paint_needs_no_database_stack(make_assessment: Any, data_dir: Path) -> None:
    """The window is built and painted, and the first list read, with none of the heavy
    packages loaded (they come after, on the database thread)."""
    make_assessment()
    lines = run_python(
        "import sys\n"
        "from app.ui.app import application, create_window\n"
        "app = application()\n"
        f"window = create_window({str(data_dir)!r}, load_list=False)\n"
        "window.show()\n"
        "app.processEvents()\n"
        "rows, exact = window.backend.initial_list()\n"
        "print(len(rows), window.backend.is_open, window.pages_built)\n"
        f"print(*[m for m in {HEAVY!r} if m in sys.modules] or ['none'])\n"
        "import os; os._exit(0)\n"
    )
    assert lines == ["1", "False", "False", "none"]


def test_after_the_first_paint_the_rest_is_built(qtbot: Any, open_window: Any) -> None:
    window = open_window()
    qtbot.waitUntil(lambda: window.pages_built, timeout=10_000)
    assert window.backend.is_open  # the database stack, opened once the window was painted
    assert window.tabs.widget(1) is window.fill and window.tabs.widget(3) is window.results
    assert not window.tabs.isTabEnabled(1)  # nothing open yet: still disabled


def test_pages_are_built_on_first_use(qtbot: Any, data_dir: Path) -> None:
    from app.ui.app import create_window, shutdown

    window = create_window(data_dir, synchronous=True, load_list=False)
    qtbot.addWidget(window)
    try:
        assert not window.pages_built
        stand_in = window.tabs.widget(2)
        merge = window.merge
        assert window.pages_built and window.tabs.widget(2) is merge is not stand_in
        assert window.tabs.count() == 4 and window.tabs.currentIndex() == 0
        assert not window.tabs.isTabEnabled(2)
        assert window.tabs.tabText(2).replace("&", "") == "Merge"
    finally:
        shutdown(window)


def test_a_list_with_old_scores_is_read_again(
    qtbot: Any, open_window: Any, make_assessment: Any, data_dir: Path
) -> None:
    from app.services import answers
    from app.services.assessment_list import list_assessments
    from app.services.workspace import Workspace
    from app.ui.app import shutdown
    from app.ui.backend import Backend

    assessment_id = make_assessment()
    first = open_window()
    before = first.home.model.rows()[0]
    first.close()
    shutdown(first)
    with Workspace.open(data_dir) as ws:  # another program changes an answer
        answers.save_answer(ws, assessment_id, "PATH-04", Answer("yes"), contributor="Ana")
    rows, exact = Backend(data_dir).initial_list()
    assert not exact and rows[0].progress == before.progress  # the last listed score, at first
    window = open_window()
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: window.home.model.rows()[0].progress != before.progress)
    with Workspace.open(data_dir) as ws:
        assert window.home.model.rows()[0].progress == list_assessments(ws)[0].progress


def test_a_damaged_database_is_reported_once(
    qtbot: Any, open_window: Any, data_dir: Path, reported: Any, make_assessment: Any
) -> None:
    make_assessment()
    paths = DataPaths.resolve(data_dir)
    paths.database.write_bytes(b"SQLite format 3\x00" + b"\x07" * 8192)
    window = open_window()
    wait_idle(qtbot, window)
    assert len(reported.messages) == 1 and "damaged" in reported.messages[0]
    assert not window.backend.is_open  # nothing more was tried behind the person's back
    assert window.home.model.rowCount() == 0
    from app.ui.app import shutdown

    window.close()
    shutdown(window)
    assert not paths.database.exists()  # closing does not make a new, empty one either


def test_pyside_no_longer_reads_every_imported_module(tmp_path: Path) -> None:
    from app.ui import qt_setup

    plain = types.ModuleType("plain")
    exec("import json\nclass Thing: pass\n", plain.__dict__)
    qt = types.ModuleType("qt_user")
    exec("from PySide6.QtCore import QObject\nimport PySide6.QtGui\n", qt.__dict__)
    assert not qt_setup.uses_qt(plain) and qt_setup.uses_qt(qt)
    lines = run_python(
        "import linecache, sys\n"
        "import app.ui.qt_setup\n"
        f"sys.path.insert(0, {str(tmp_path)!r})\n"
        "open(sys.path[0] + '/freshly_imported.py', 'w').write('VALUE = 1\\n')\n"
        "import freshly_imported\n"
        "print(any(k.endswith('freshly_imported.py') for k in linecache.cache))\n"
    )
    assert lines == ["False"]


def test_the_log_file_rotates_like_the_standard_handler(tmp_path: Path) -> None:
    import logging

    from app.ui.log_file import RotatingLogFile

    path = tmp_path / "readiness.log"
    handler = RotatingLogFile(path, max_bytes=1000, backup_count=2)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("readiness.test-rotation")
    logger.propagate = False
    logger.addHandler(handler)
    try:
        for number in range(60):
            logger.warning("record %02d %s", number, "x" * 40)
    finally:
        logger.removeHandler(handler)
        handler.close()
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["readiness.log", "readiness.log.1", "readiness.log.2"]
    assert all(p.stat().st_size < 1000 for p in tmp_path.iterdir())
    newest = path.read_text(encoding="utf-8").splitlines()
    assert newest[-1].startswith("record 59")
    older = (tmp_path / "readiness.log.1").read_text(encoding="utf-8").splitlines()
    assert int(older[-1].split()[1]) + 1 == int(newest[0].split()[1])  # nothing lost between
