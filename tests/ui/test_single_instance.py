"""One window per data folder: a second start brings the running window forward.

The later starts run in real child processes, as they do when a person double-clicks the icon
again; the running window is this test process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QLockFile
from PySide6.QtNetwork import QLocalSocket
from PySide6.QtWidgets import QWidget

from app.ui.single_instance import (
    Claim,
    SingleInstance,
    bring_forward,
    instance_key,
    lock_path,
)

ROOT = Path(__file__).resolve().parents[2]

# A later start: claims the folder and prints what it found. With "--die" it claims and then
# ends without releasing anything, the way a crash or a power cut would leave things.
LATER_START = """
import os, sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
from app.ui.single_instance import SingleInstance
folder, wait_ms, die = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "--die"
guard = SingleInstance(folder, wait_ms=wait_ms)
claim = guard.claim(sys.argv[4:])
print(claim.value, flush=True)
if die:
    os._exit(0)
"""


def later_start(folder: Path | str, *args: str, wait_ms: int = 8000, die: bool = False) -> Any:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [
            sys.executable,
            "-c",
            LATER_START,
            str(folder),
            str(wait_ms),
            "--die" if die else "-",
            *args,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def outcome(process: Any, qtbot: Any) -> str:
    """The child's claim, while this process keeps serving its event loop."""
    qtbot.waitUntil(lambda: process.poll() is not None, timeout=20_000)
    out, err = process.communicate()
    assert process.returncode == 0, err
    return str(out.strip())


@pytest.fixture
def guards() -> Any:
    made: list[SingleInstance] = []

    def make(folder: Path | str, **kwargs: Any) -> SingleInstance:
        guard = SingleInstance(folder, **kwargs)
        made.append(guard)
        return guard

    yield make
    for guard in made:
        guard.release()


def test_second_start_brings_the_running_window_forward(
    qtbot: Any, tmp_path: Path, guards: Any
) -> None:
    folder = tmp_path / "data"
    guard = guards(folder)
    assert guard.claim() is Claim.PRIMARY
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    window.showMinimized()
    assert window.isMinimized()
    guard.activated.connect(lambda _args: bring_forward(window))

    # The same folder spelt another way, with a bundle to open, as a file association passes it.
    spelt = f"{folder}{os.sep}..{os.sep}{folder.name}{os.sep}"
    with qtbot.waitSignal(guard.activated, timeout=20_000) as signal:
        process = later_start(spelt, "gui", str(tmp_path / "São Paulo.readiness"))
    assert outcome(process, qtbot) == "forwarded"
    assert signal.args == [["gui", str(tmp_path / "São Paulo.readiness")]]
    assert not window.isMinimized()
    assert window.isVisible()


def test_another_data_folder_gets_its_own_window(qtbot: Any, tmp_path: Path, guards: Any) -> None:
    assert guards(tmp_path / "one").claim() is Claim.PRIMARY
    process = later_start(tmp_path / "two")
    assert outcome(process, qtbot) == "primary"


def test_a_released_folder_can_be_taken_again(qtbot: Any, tmp_path: Path, guards: Any) -> None:
    first = guards(tmp_path / "data")
    assert first.claim() is Claim.PRIMARY
    first.release()
    assert not first.is_primary
    assert guards(tmp_path / "data").claim() is Claim.PRIMARY


def test_a_crashed_owner_does_not_block_the_next_start(
    qtbot: Any, tmp_path: Path, guards: Any
) -> None:
    folder = tmp_path / "data"
    crashed = later_start(folder, die=True)
    assert outcome(crashed, qtbot) == "primary"
    assert lock_path(instance_key(folder)).exists()  # left behind, with a dead process id

    guard = guards(folder)
    assert guard.claim() is Claim.PRIMARY
    # The new owner really answers (a stale Unix socket file did not get in the way).
    with qtbot.waitSignal(guard.activated, timeout=20_000):
        process = later_start(folder)
    assert outcome(process, qtbot) == "forwarded"


def test_a_start_waits_for_an_owner_that_is_still_starting(
    qtbot: Any, tmp_path: Path, guards: Any
) -> None:
    folder = tmp_path / "data"
    early = QLockFile(str(lock_path(instance_key(folder))))  # the owner: locked, not listening
    assert early.tryLock(0)
    process = later_start(folder, wait_ms=15_000)
    qtbot.wait(700)
    assert process.poll() is None  # still trying
    early.unlock()
    guard = guards(folder)
    with qtbot.waitSignal(guard.activated, timeout=20_000):
        assert guard.claim() is Claim.PRIMARY
    assert outcome(process, qtbot) == "forwarded"


def test_an_owner_that_never_answers_is_reported(tmp_path: Path, guards: Any) -> None:
    folder = tmp_path / "data"
    hung = QLockFile(str(lock_path(instance_key(folder))))
    assert hung.tryLock(0)
    try:
        started = time.monotonic()
        assert guards(folder, wait_ms=400).claim(["gui"]) is Claim.UNREACHABLE
        assert 0.3 < time.monotonic() - started < 5
    finally:
        hung.unlock()


def test_garbage_on_the_socket_is_ignored(qtbot: Any, tmp_path: Path, guards: Any) -> None:
    guard = guards(tmp_path / "data")
    assert guard.claim() is Claim.PRIMARY
    received: list[list[str]] = []
    guard.activated.connect(received.append)
    for junk in (b"not json\n", b'{"args": "gui"}\n', b'{"args": [1, 2]}\n', b"x" * 70_000):
        socket = QLocalSocket()
        socket.connectToServer(guard.key)
        assert socket.waitForConnected(2000)
        socket.write(junk)
        socket.flush()
        qtbot.waitUntil(
            lambda s=socket: s.state() == QLocalSocket.LocalSocketState.UnconnectedState,
            timeout=5000,
        )
        assert bytes(socket.readAll().data()) == b""  # no "ok" for a message it refused
    assert received == []

    # The server still answers a proper message afterwards.
    socket = QLocalSocket()
    socket.connectToServer(guard.key)
    assert socket.waitForConnected(2000)
    with qtbot.waitSignal(guard.activated, timeout=5000) as signal:
        socket.write(json.dumps({"args": ["--data-dir", "Тбилиси"]}).encode() + b"\n")
        socket.flush()
    assert signal.args == [["--data-dir", "Тбилиси"]]
    qtbot.waitUntil(lambda: socket.bytesAvailable() >= 3, timeout=5000)
    assert bytes(socket.readAll().data()) == b"ok\n"
    socket.abort()


def test_key_is_per_folder_and_per_user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "data"
    key = instance_key(folder)
    assert key == instance_key(str(folder) + os.sep)
    assert key == instance_key(tmp_path / "x" / ".." / "data")
    assert key != instance_key(tmp_path / "other")
    assert len(key) < 40 and key.replace("-", "").isalnum()
    monkeypatch.setattr("getpass.getuser", lambda: "someone-else")
    assert instance_key(folder) != key
