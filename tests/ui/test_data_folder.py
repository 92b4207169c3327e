"""A data folder that cannot be written: the start shows a dialog that names the folder and the
reason and offers another folder or quitting; it never ends without a word, and a log file that
cannot be opened does not stop the app."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.common.paths import DataPaths
from app.ui import data_folder


class Dialogs:
    def __init__(self) -> None:
        self.messages: list[str] = []
        self.answers: list[str] = []
        self.folders: list[str | None] = []

    def ask(self, _parent: Any, message: str) -> str:
        self.messages.append(message)
        return self.answers.pop(0)

    def choose(self, _parent: Any, _title: str, _start: str) -> str | None:
        return self.folders.pop(0)


@pytest.fixture
def dialogs() -> Iterator[Dialogs]:
    hooks = Dialogs()
    data_folder.set_hooks(hooks.ask, hooks.choose)
    yield hooks
    data_folder.set_hooks()


def _blocked(tmp_path: Path, where: str) -> Path:
    """A data folder where `where` (a subfolder) cannot be created: a file is in the way. This
    refuses writing for every user, root included."""
    root = tmp_path / "blocked"
    root.mkdir()
    (root / where).write_text("not a folder", encoding="utf-8")
    return root


@pytest.mark.parametrize("where", ["backups", "logs"])
def test_start_on_an_unwritable_folder_says_which_and_why(
    qtbot: Any, tmp_path: Path, dialogs: Dialogs, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    from app.ui import app as app_module

    monkeypatch.setattr(app_module, "install_error_handlers", lambda: None)
    created: list[Any] = []
    monkeypatch.setattr(app_module, "create_window", lambda *a, **k: created.append(a))
    root = _blocked(tmp_path, where)
    dialogs.answers = [data_folder.QUIT]
    assert app_module.run(root) == 1
    assert created == []  # no window on a folder that cannot be written
    [message] = dialogs.messages
    assert str(root / where) in message
    reason = message.split("Reason: ", 1)[1].split("\n", 1)[0]
    assert reason.strip()  # the system's reason, whatever its words


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_a_read_only_folder_is_reported(tmp_path: Path, dialogs: Dialogs) -> None:
    # A folder with mode 0555 binds everyone but root; as root (CI) the check runs in a child
    # process with the rights of the unprivileged user "nobody", as a real user would have.
    if os.geteuid() != 0:
        root = tmp_path / "read-only"
        root.mkdir()
        root.chmod(0o555)
        try:
            found = data_folder.problem(DataPaths.resolve(root))
        finally:
            root.chmod(0o755)
        assert found is not None
        assert found.folder in (root, root / "backups")
        assert found.reason
        return
    import json
    import shutil
    import subprocess
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="readiness-read-only-"))
    try:
        base.chmod(0o755)  # "nobody" may look inside, not write
        root = base / "read-only"
        root.mkdir(mode=0o555)
        code = (
            "import json, sys; from pathlib import Path;"
            "from app.common.paths import DataPaths; from app.ui import data_folder;"
            "p = data_folder.problem(DataPaths.resolve(Path(sys.argv[1])));"
            "print(json.dumps(None if p is None else [str(p.folder), p.reason]))"
        )
        done = subprocess.run(
            [shutil.which("setpriv") or "setpriv", "--reuid=65534", "--regid=65534",
             "--clear-groups", sys.executable, "-c", code, str(root)],
            capture_output=True, text=True, timeout=120, cwd=Path(__file__).resolve().parents[2],
            env={**os.environ, "HOME": str(base), "QT_QPA_PLATFORM": "offscreen"},
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        found = json.loads(done.stdout.strip().splitlines()[-1])
        assert found is not None
        assert found[0] in (str(root), str(root / "backups"))
        assert found[1]
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_choosing_another_folder_starts_there_and_is_remembered(
    qtbot: Any, tmp_path: Path, dialogs: Dialogs
) -> None:
    from app.ui.settings import chosen_data_dir

    root = _blocked(tmp_path, "backups")
    good = tmp_path / "good"
    good.mkdir()
    dialogs.answers = [data_folder.CHOOSE, data_folder.CHOOSE]
    dialogs.folders = [None, str(good)]  # the first folder dialog was cancelled: asked again
    assert data_folder.writable_data_dir(root) == (True, str(good))
    assert len(dialogs.messages) == 2
    assert chosen_data_dir() == str(good)
    assert (good / "backups").is_dir()


def test_a_log_folder_that_cannot_be_written_does_not_stop_the_app(tmp_path: Path) -> None:
    from app.ui.app import close_logging, setup_logging

    root = _blocked(tmp_path, "logs")
    try:
        assert setup_logging(DataPaths.resolve(root)) is None
        import logging

        logging.getLogger("readiness.test").warning("still running")  # goes somewhere, no error
    finally:
        close_logging()
