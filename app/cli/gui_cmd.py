"""`readiness gui` opens the window; `readiness --self-test` proves a build works end to end.

The self-test starts the real window offscreen on a temporary data folder, opens the demo through
the window's own action, checks that its first page of questions is shown, writes a PDF and an
XLSX through the reports service (when the installation has it) and exits 0 when all of that
worked.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "gui",
        parents=[common],
        help="open the window (the default when no command is given)",
        description="Open the Readiness window.",
    )
    parser.add_argument(
        "bundle",
        nargs="?",
        default=None,
        help="a .readiness bundle file to import once the window shows (asks first)",
    )
    parser.set_defaults(handler=run_gui)


def _chosen_data_dir(args: argparse.Namespace) -> str | None:
    if getattr(args, "data_dir", None):
        return str(args.data_dir)
    from app.ui.settings import chosen_data_dir

    return chosen_data_dir()


def run_gui(args: argparse.Namespace) -> int:
    try:
        import PySide6  # noqa: F401
    except ModuleNotFoundError:
        print("readiness: the window needs PySide6 (pip install 'readiness[gui]')", file=sys.stderr)
        return 1
    from app.common.display import display_problem

    problem = display_problem()
    if problem is not None:
        print(f"readiness: {problem}", file=sys.stderr)
        return 1
    from app.common import app_mutex
    from app.ui.app import application, run

    app_mutex.hold()  # setup and the uninstaller wait for the window to close (Windows)
    application()  # QSettings needs the application's names before the data folder is read
    bundle = getattr(args, "bundle", None)
    return run(_chosen_data_dir(args), str(Path(bundle).absolute()) if bundle else None)


def _wait_until(condition: Callable[[], bool], seconds: float) -> bool:
    from PySide6.QtCore import QCoreApplication, QEventLoop

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        if condition():
            return True
        time.sleep(0.01)
    return condition()


def run_self_test(args: argparse.Namespace) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if args.data_dir:
        return _self_test(Path(args.data_dir))
    with tempfile.TemporaryDirectory(prefix="readiness-self-test-") as folder:
        return _self_test(Path(folder))


def _self_test(folder: Path) -> int:
    from app.ui import errors, prompts
    from app.ui.app import application, create_window, install_error_handlers, shutdown

    problems: list[str] = []
    errors.set_shower(lambda _parent, exc: problems.append(f"{type(exc).__name__}: {exc}"))
    prompts.set_hooks(confirmer=lambda *_a: True)

    def step(message: str) -> None:
        print(f"self-test: {message}", flush=True)

    app = application()
    install_error_handlers()
    window = create_window(folder / "data")
    window.show()
    try:
        if not _wait_until(lambda: window.isVisible() and not window.runner.busy, 30):
            step("FAILED: the window did not become ready")
            return 1
        step(f"window shown on {window.backend.paths.root}")
        window.actions_.open_demo()
        opened = _wait_until(lambda: window.session.current is not None or bool(problems), 60)
        if not opened or window.session.current is None:
            step(f"FAILED: the demo did not open {problems}")
            return 1
        header = window.session.current.snapshot.header
        step(f"demo opened: {header.city} {header.period} ({header.id})")
        if not window.fill.questions():
            step("FAILED: the demo's first page shows no question")
            return 1
        step(f"first page shows {len(window.fill.questions())} questions")
        status = _export_reports(window, folder, header.id, step)
        app.processEvents()
        if problems:
            step(f"FAILED: {problems[0]}")
            return 1
        if status == 0:
            step("all checks passed")
        return status
    finally:
        window.close()
        shutdown(window)
        errors.set_shower(None)
        prompts.set_hooks()


def _export_reports(
    window: Any, folder: Path, assessment_id: str, step: Callable[[str], None]
) -> int:
    from app.ui.backend import service_exists

    if not service_exists("reports"):
        step("reports service not installed: PDF and XLSX skipped")
        return 0
    from app.services import reports

    pdf, xlsx = folder / "self-test.pdf", folder / "self-test.xlsx"
    done: list[object] = []
    failed: list[BaseException] = []
    window.runner.db(
        reports.export_report, window.backend.ws, assessment_id, pdf=pdf, xlsx=xlsx, lang="en"
    ).on_success(done.append).on_failure(failed.append).start()
    if not _wait_until(lambda: bool(done or failed), 120) or failed:
        step(f"FAILED: report export: {failed[0] if failed else 'timed out'}")
        return 1
    if not pdf.is_file() or pdf.read_bytes()[:5] != b"%PDF-":
        step("FAILED: the PDF was not written")
        return 1
    if not xlsx.is_file() or xlsx.read_bytes()[:2] != b"PK":
        step("FAILED: the XLSX was not written")
        return 1
    step(f"PDF ({pdf.stat().st_size} bytes) and XLSX ({xlsx.stat().st_size} bytes) written")
    return 0
