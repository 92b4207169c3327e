"""GUI tests: offscreen, isolated data folder and settings, strict about Qt warnings.

Every test here fails on a Qt warning (pytest-qt's qt_log_level_fail, applied as a marker), except
for the few lines the offscreen platform itself prints (QT_LOG_IGNORE). No dialog ever blocks:
errors, confirmations and file choices go through hooks the tests answer.
"""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from collections.abc import Callable, Iterator  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import pytest  # noqa: E402

from app.common.errors import UserError  # noqa: E402

SAMPLE_FORM = Path(__file__).resolve().parents[1] / "data" / "sample-form.yaml"

# What the offscreen platform prints by itself, not our code's doing.
QT_LOG_IGNORE = [
    r"This plugin does not support propagateSizeHints\(\)",  # offscreen has no window manager
    r"This plugin does not support raise\(\)",
    r"This plugin does not support grabbing the keyboard",
    r"QFont::fromString: Invalid description",  # offscreen has no system font database
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.qt_log_level_fail("WARNING"))
            item.add_marker(pytest.mark.qt_log_ignore(*QT_LOG_IGNORE))


class Reported:
    """Errors the window would have shown (message boxes and crash dialogs)."""

    def __init__(self) -> None:
        self.items: list[BaseException] = []

    def __call__(self, _parent: Any, exc: BaseException) -> None:
        self.items.append(exc)

    @property
    def bugs(self) -> list[BaseException]:
        return [e for e in self.items if not isinstance(e, UserError)]

    @property
    def messages(self) -> list[str]:
        return [str(e) for e in self.items if isinstance(e, UserError)]


class Answers:
    """Scripted answers to the window's questions (confirmations, file names, text)."""

    def __init__(self) -> None:
        self.confirm: list[bool] = []
        self.files: list[str | None] = []
        self.texts: list[str | None] = []
        self.items: list[int | None] = []
        self.asked: list[str] = []

    def _take(self, queue: list[Any], what: str) -> Any:
        self.asked.append(what)
        if not queue:
            pytest.fail(f"the window asked an unexpected question: {what}")
        return queue.pop(0)

    def confirmer(self, _parent: Any, title: str, question: str) -> bool:
        return bool(self._take(self.confirm, f"{title}: {question}"))

    def file_chooser(self, _parent: Any, title: str, _filter: str, _save: bool) -> str | None:
        return self._take(self.files, title)  # type: ignore[no-any-return]

    def text_asker(self, _parent: Any, title: str, _label: str, _default: str) -> str | None:
        return self._take(self.texts, title)  # type: ignore[no-any-return]

    def item_chooser(self, _parent: Any, title: str, _label: str, _items: list[str]) -> int | None:
        return self._take(self.items, title)  # type: ignore[no-any-return]


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Per-user settings and the default data folder point into the test's own folder."""
    from PySide6.QtCore import QSettings

    monkeypatch.setenv("READINESS_DATA_DIR", str(tmp_path / "default-data"))
    # Tests expect English unless they choose otherwise, whatever the machine's locale.
    monkeypatch.setattr("app.ui.i18n.system_locale_name", lambda: "en-GB")
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "cfg"))
    yield
    from app.ui import i18n

    i18n.set_language("en")


@pytest.fixture
def reported() -> Iterator[Reported]:
    from app.ui import errors

    collected = Reported()
    errors.set_shower(collected)
    yield collected
    errors.set_shower(None)


@pytest.fixture
def answers() -> Iterator[Answers]:
    from app.ui import prompts

    scripted = Answers()
    prompts.set_hooks(scripted.confirmer, scripted.file_chooser, scripted.text_asker)
    prompts.set_item_chooser(scripted.item_chooser)
    yield scripted
    prompts.set_hooks()
    prompts.set_item_chooser(None)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    return folder


@pytest.fixture
def make_assessment(data_dir: Path) -> Callable[..., str]:
    """Create an assessment of the sample questionnaire through the services."""

    def make(city: str = "Testville", contributor: str = "Ana", role: str = "Pathologist") -> str:
        from app.services import assessments
        from app.services.workspace import Workspace

        with Workspace.open(data_dir) as ws:
            return assessments.create_assessment(
                ws, city, "Testland", "2026", str(SAMPLE_FORM), "en", contributor, role
            )

    return make


@pytest.fixture
def open_window(
    qtbot: Any, data_dir: Path, reported: Reported, answers: Answers
) -> Iterator[Callable[..., Any]]:
    """Opens the real main window on the test's data folder (synchronous task runner)."""
    from app.ui.app import create_window, shutdown

    made: list[Any] = []

    def open_(synchronous: bool = True, folder: Path | None = None) -> Any:
        window = create_window(folder or data_dir, synchronous=synchronous)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitActive(window)
        qtbot.waitUntil(lambda: not window.runner.busy, timeout=10_000)
        made.append(window)
        return window

    yield open_
    for window in made:
        if window.isVisible():
            window.close()
        shutdown(window)
    assert not reported.bugs, f"unexpected errors: {reported.bugs!r}"


def wait_idle(qtbot: Any, window: Any, timeout: int = 10_000) -> None:
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=timeout)
